package dev.mlops.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.Column;
import dev.mlops.core.DataType;
import org.junit.jupiter.api.Test;

class ColumnAccessTest {

  @Test
  void no_class_but_column_can_install_or_replace_the_accessor() {
    Column c = Column.ofLongs("id", 1, 2, 3); // Column's initializer has installed the real one

    assertThatThrownBy(() -> ColumnAccess.install(null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(ColumnAccessTest.class.getName());
    assertThat(ColumnAccess.longs(c)).containsExactly(1, 2, 3);
  }

  @Test
  void wrap_shares_the_arrays_it_is_given() {
    long[] values = {4, 5};
    Column c = ColumnAccess.wrap("id", DataType.LONG, values, null, 2);

    assertThat(ColumnAccess.longs(c)).isSameAs(values);
    assertThat(c.getLong(1)).isEqualTo(5);
  }
}
