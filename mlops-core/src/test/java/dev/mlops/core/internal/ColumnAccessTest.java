package dev.mlops.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.outside.Outsider;
import dev.mlops.core.Column;
import dev.mlops.core.DataType;
import org.junit.jupiter.api.Test;

class ColumnAccessTest {
  private static final ColumnAccess.Access COLUMNS = ColumnAccess.obtain();

  @Test
  void no_class_but_column_can_install_or_replace_the_accessor() {
    Column c = Column.ofLongs("id", 1, 2, 3); // Column's initializer has installed the real one

    assertThatThrownBy(() -> ColumnAccess.install(null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(ColumnAccessTest.class.getName());
    assertThat(COLUMNS.longs(c)).containsExactly(1, 2, 3);
  }

  @Test
  void a_class_outside_the_sdk_cannot_obtain_zero_copy_access_so_immutable_columns_stay_immutable() {
    long[] values = {1, 2, 3};
    Column c = Column.ofLongs("id", values);
    assertThatThrownBy(() -> Outsider.backingArray(c)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(Outsider.class.getName()).hasMessageContaining("getters");
    values[0] = 99; // the public factory copied
    assertThat(c.getLong(0)).isEqualTo(1);
    assertThat(c.toLongArray()).isNotSameAs(COLUMNS.longs(c)); // public reads copy too
  }

  @Test
  void wrap_shares_the_arrays_it_is_given() {
    long[] values = {4, 5};
    Column c = COLUMNS.wrap("id", DataType.LONG, values, null, 2);

    assertThat(COLUMNS.longs(c)).isSameAs(values);
    assertThat(c.getLong(1)).isEqualTo(5);
  }
}
