package dev.mlops.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FilterTest {
  @Test
  void columns_lists_each_column_once_in_order_of_first_use_through_and_or_not() {
    Filter f = Filter.and(Filter.gt("spend", 50.0),
        Filter.or(Filter.isNull("city"), Filter.not(Filter.in("plan", "pro", "free"))), Filter.eq("spend", 1.0));
    assertThat(f.columns()).containsExactly("spend", "city", "plan");
    assertThatThrownBy(() -> f.columns().add("x")).isInstanceOf(UnsupportedOperationException.class);
  }
}
