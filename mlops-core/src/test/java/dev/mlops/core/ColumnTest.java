package dev.mlops.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ColumnTest {

  @Test
  void typed_getters_read_their_own_types() {
    assertThat(Column.ofLongs("l", 5, -6).getLong(1)).isEqualTo(-6);
    assertThat(Column.ofInts("i", 7).getInt(0)).isEqualTo(7);
    assertThat(Column.ofDoubles("d", 1.5).getDouble(0)).isEqualTo(1.5);
    assertThat(Column.ofBooleans("b", false, true).getBoolean(1)).isTrue();
    assertThat(Column.ofStrings("s", "x").getString(0)).isEqualTo("x");
  }

  @Test
  void get_boxes_each_type() {
    Instant t = Instant.parse("2024-05-06T07:08:09.000010Z");
    LocalDate d = LocalDate.of(2023, 12, 31);

    assertThat(Column.ofLongs("l", 5).get(0)).isEqualTo(5L);
    assertThat(Column.ofInts("i", 5).get(0)).isEqualTo(5);
    assertThat(Column.ofDoubles("d", 5).get(0)).isEqualTo(5.0);
    assertThat(Column.ofBooleans("b", true).get(0)).isEqualTo(Boolean.TRUE);
    assertThat(Column.ofStrings("s", "v").get(0)).isEqualTo("v");
    assertThat(Column.of("t", DataType.TIMESTAMP, List.of(t)).get(0)).isEqualTo(t);
    assertThat(Column.of("day", DataType.DATE, List.of(d)).get(0)).isEqualTo(d);
  }

  @Test
  void timestamps_are_microseconds_since_the_epoch_and_dates_days() {
    Column t = Column.of("t", DataType.TIMESTAMP, List.of(Instant.parse("1970-01-01T00:00:01.000002Z")));
    Column d = Column.of("d", DataType.DATE, List.of(LocalDate.of(1970, 1, 11)));

    assertThat(t.getLong(0)).isEqualTo(1_000_002L);
    assertThat(t.toLongArray()).containsExactly(1_000_002L);
    assertThat(d.getInt(0)).isEqualTo(10);
  }

  @Test
  void timestamp_column_accepts_other_time_types_as_utc_and_long_micros() {
    Instant t = Instant.parse("2024-01-02T03:04:05Z");
    Column c = Column.of("t", DataType.TIMESTAMP, List.of(
        LocalDateTime.of(2024, 1, 2, 3, 4, 5),
        OffsetDateTime.of(2024, 1, 2, 5, 4, 5, 0, ZoneOffset.ofHours(2)),
        t.getEpochSecond() * 1_000_000L));

    assertThat(c.toList()).containsExactly(t, t, t);
  }

  @Test
  void timestamp_truncates_nanos_toward_the_past_also_before_1970() {
    Instant beforeEpoch = Instant.parse("1969-12-31T23:59:59.999999999Z");
    Column c = Column.of("t", DataType.TIMESTAMP, List.of(beforeEpoch));

    assertThat(c.getLong(0)).isEqualTo(-1L);
    assertThat(c.get(0)).isEqualTo(Instant.parse("1969-12-31T23:59:59.999999Z"));
  }

  @Test
  void of_rejects_a_value_that_does_not_fit_naming_column_row_and_value() {
    assertThatThrownBy(() -> Column.of("age", DataType.INT, List.of(1, 2, 3_000_000_000L)))
        .isInstanceOf(SchemaMismatchException.class)
        .hasMessageContaining("'age'")
        .hasMessageContaining("row 2")
        .hasMessageContaining("3000000000")
        .hasMessageContaining("INT");
  }

  @Test
  void of_widens_integers_where_nothing_is_lost() {
    assertThat(Column.of("l", DataType.LONG, List.of(1, (short) 2, (byte) 3)).toLongArray())
        .containsExactly(1, 2, 3);
    assertThat(Column.of("i", DataType.INT, List.of(4L)).getInt(0)).isEqualTo(4);
    assertThat(Column.of("d", DataType.DOUBLE, List.of(1, 2L, 2.5f)).toDoubleArray())
        .containsExactly(1.0, 2.0, 2.5);
  }

  @Test
  void of_does_not_turn_a_double_into_a_long() {
    assertThatThrownBy(() -> Column.of("l", DataType.LONG, List.of(1.5)))
        .isInstanceOf(SchemaMismatchException.class)
        .hasMessageContaining("1.5");
  }

  @Test
  void null_mask_tracks_nulls() {
    Column c = Column.of("x", DataType.LONG, Arrays.asList(1L, null, 3L, null));

    assertThat(c.hasNulls()).isTrue();
    assertThat(c.nullCount()).isEqualTo(2);
    assertThat(c.isNull(1)).isTrue();
    assertThat(c.isNull(2)).isFalse();
    assertThat(c.get(1)).isNull();
    assertThat(c.getLong(1)).isZero();
    assertThat(c.toList()).containsExactly(1L, null, 3L, null);
    assertThat(Column.ofLongs("y", 1).hasNulls()).isFalse();
    assertThat(Column.of("z", DataType.LONG, List.of(1L)).hasNulls()).isFalse();
  }

  @Test
  void nulls_makes_a_column_of_only_nulls() {
    Column c = Column.nulls("x", DataType.DATE, 3);

    assertThat(c.size()).isEqualTo(3);
    assertThat(c.nullCount()).isEqualTo(3);
    assertThat(c.toList()).containsExactly(null, null, null);
  }

  @Test
  void toDoubleArray_gives_nan_for_null_and_widens_integers() {
    assertThat(Column.of("x", DataType.DOUBLE, Arrays.asList(1.5, null)).toDoubleArray())
        .containsExactly(1.5, Double.NaN);
    assertThat(Column.of("x", DataType.LONG, Arrays.asList(2L, null)).toDoubleArray())
        .containsExactly(2.0, Double.NaN);
    assertThat(Column.of("x", DataType.INT, Arrays.asList(null, 3)).toDoubleArray())
        .containsExactly(Double.NaN, 3.0);
  }

  @Test
  void getDouble_rejects_a_non_numeric_column_even_at_a_null() {
    Column s = Column.ofStrings("city", "Oslo", null);

    assertThatThrownBy(() -> s.getDouble(0)).isInstanceOf(SchemaMismatchException.class);
    assertThatThrownBy(() -> s.getDouble(1))
        .isInstanceOf(SchemaMismatchException.class)
        .hasMessageContaining("'city' is STRING");
    assertThatThrownBy(() -> Column.nulls("t", DataType.TIMESTAMP, 2).toDoubleArray())
        .isInstanceOf(SchemaMismatchException.class)
        .hasMessageContaining("toDoubleArray");
  }

  @Test
  void wrong_getter_names_the_column_its_type_and_the_getter() {
    assertThatThrownBy(() -> Column.ofStrings("city", "Oslo").getLong(0))
        .isInstanceOf(SchemaMismatchException.class)
        .hasMessageContaining("'city' is STRING")
        .hasMessageContaining("getLong");
    assertThatThrownBy(() -> Column.ofLongs("id", 1).getInt(0))
        .isInstanceOf(SchemaMismatchException.class).hasMessageContaining("getInt");
    assertThatThrownBy(() -> Column.ofLongs("id", 1).getString(0))
        .isInstanceOf(SchemaMismatchException.class).hasMessageContaining("getString");
    assertThatThrownBy(() -> Column.ofInts("n", 1).getBoolean(0))
        .isInstanceOf(SchemaMismatchException.class).hasMessageContaining("getBoolean");
    assertThatThrownBy(() -> Column.ofDoubles("x", 1).toLongArray())
        .isInstanceOf(SchemaMismatchException.class).hasMessageContaining("toLongArray");
    assertThatThrownBy(() -> Column.ofDoubles("x", 1).toIntArray())
        .isInstanceOf(SchemaMismatchException.class).hasMessageContaining("toIntArray");
    assertThatThrownBy(() -> Column.ofInts("n").toStringArray())
        .isInstanceOf(SchemaMismatchException.class).hasMessageContaining("toStringArray");
  }

  @Test
  void getters_reject_a_row_out_of_range() {
    Column c = Column.ofLongs("x", 1, 2);

    assertThatThrownBy(() -> c.getLong(2)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> c.get(-1)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> c.isNull(2)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void factories_copy_the_array() {
    long[] values = {1, 2};
    Column c = Column.ofLongs("x", values);
    values[0] = 99;

    assertThat(c.getLong(0)).isEqualTo(1);
    long[] out = c.toLongArray();
    out[1] = 99;
    assertThat(c.getLong(1)).isEqualTo(2);
  }

  @Test
  void of_rejects_an_invalid_name() {
    assertThatThrownBy(() -> Column.ofLongs("a\tb", 1)).isInstanceOf(InvalidNameException.class);
    assertThatThrownBy(() -> Column.ofLongs("", 1)).isInstanceOf(InvalidNameException.class);
  }

  @Test
  void rename_keeps_values_and_validates_the_new_name() {
    Column c = Column.of("x", DataType.LONG, Arrays.asList(1L, null));

    assertThat(c.rename("y").name()).isEqualTo("y");
    assertThat(c.rename("y").toList()).containsExactly(1L, null);
    assertThatThrownBy(() -> c.rename("y\n")).isInstanceOf(InvalidNameException.class);
  }

  @Test
  void take_slice_keep_values_and_nulls() {
    Column c = Column.of("s", DataType.STRING, Arrays.asList("a", null, "c"));

    assertThat(c.take(new int[] {2, -1, 1, 0}).toList()).containsExactly("c", null, null, "a");
    assertThat(c.slice(1, 3).toList()).containsExactly(null, "c");
    assertThat(c.slice(0, 1).hasNulls()).isFalse();
  }

  @Test
  void take_rejects_indexes_other_than_minus_one_outside_the_column() {
    Column c = Column.ofLongs("x", 1, 2);

    assertThatThrownBy(() -> c.take(new int[] {2})).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> c.take(new int[] {-5})).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void equality_compares_name_type_values_and_nulls() {
    Column a = Column.of("x", DataType.DOUBLE, Arrays.asList(Double.NaN, null, 1.0));
    Column b = Column.of("x", DataType.DOUBLE, Arrays.asList(Double.NaN, null, 1.0));

    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a).isNotEqualTo(a.rename("y"));
    assertThat(a).isNotEqualTo(Column.of("x", DataType.DOUBLE, Arrays.asList(Double.NaN, 0.0, 1.0)));
    assertThat(Column.ofLongs("x", 1)).isNotEqualTo(Column.ofInts("x", 1));
  }

  @Test
  void toString_names_the_column_type_and_size() {
    assertThat(Column.ofLongs("x", 1, 2)).hasToString("x LONG (2 values)");
  }
}
