package dev.mlops.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrameTest {

  enum Tier { GOLD, SILVER }

  record AllTypes(
      long l, Long boxedL, int i, Integer boxedI, short s, byte b, double d, Double boxedD, float f,
      boolean z, Boolean boxedZ, String str, Tier tier, char ch, Instant ts, LocalDateTime ldt,
      OffsetDateTime odt, ZonedDateTime zdt, LocalDate day) {}

  record Customer(long id, String city, double spend) {}

  record WithOptional(long id, java.util.Optional<String> tag) {}

  private static final Instant T0 = Instant.parse("2024-03-01T10:15:30.123456Z");

  private static Frame customers() {
    return Frame.builder(Schema.of(
            Field.of("id", DataType.LONG), Field.of("city", DataType.STRING),
            Field.of("spend", DataType.DOUBLE)))
        .row(1L, "Oslo", 9.5)
        .row(2L, null, 3.0)
        .row(3L, "Lima", null)
        .build();
  }

  // ---- fromRecords ----

  @Test
  void fromRecords_maps_every_supported_component_type_to_its_column_type() {
    AllTypes r = new AllTypes(1L, 2L, 3, 4, (short) 5, (byte) 6, 7.5, 8.5, 9.5f, true, false, "x",
        Tier.GOLD, 'c', T0, LocalDateTime.of(2024, 1, 2, 3, 4, 5),
        OffsetDateTime.of(2024, 1, 2, 3, 4, 5, 0, ZoneOffset.ofHours(2)),
        ZonedDateTime.of(2024, 1, 2, 3, 4, 5, 0, ZoneId.of("Europe/Oslo")), LocalDate.of(2024, 2, 29));

    Frame f = Frame.fromRecords(List.of(r));

    assertThat(f.schema().names()).containsExactly("l", "boxedL", "i", "boxedI", "s", "b", "d",
        "boxedD", "f", "z", "boxedZ", "str", "tier", "ch", "ts", "ldt", "odt", "zdt", "day");
    assertThat(f.schema().fields()).extracting(Field::type).containsExactly(
        DataType.LONG, DataType.LONG, DataType.INT, DataType.INT, DataType.SHORT, DataType.BYTE,
        DataType.DOUBLE, DataType.DOUBLE, DataType.FLOAT, DataType.BOOLEAN, DataType.BOOLEAN,
        DataType.STRING, DataType.STRING, DataType.STRING, DataType.TIMESTAMP, DataType.TIMESTAMP_NTZ,
        DataType.TIMESTAMP, DataType.TIMESTAMP, DataType.DATE);
    assertThat(f.row(0)).containsExactly(
        Map.entry("l", 1L), Map.entry("boxedL", 2L), Map.entry("i", 3), Map.entry("boxedI", 4),
        Map.entry("s", (short) 5), Map.entry("b", (byte) 6), Map.entry("d", 7.5), Map.entry("boxedD", 8.5),
        Map.entry("f", 9.5f), Map.entry("z", true), Map.entry("boxedZ", false), Map.entry("str", "x"),
        Map.entry("tier", "GOLD"), Map.entry("ch", "c"), Map.entry("ts", T0),
        Map.entry("ldt", LocalDateTime.of(2024, 1, 2, 3, 4, 5)),
        Map.entry("odt", Instant.parse("2024-01-02T01:04:05Z")),
        Map.entry("zdt", Instant.parse("2024-01-02T02:04:05Z")),
        Map.entry("day", LocalDate.of(2024, 2, 29)));
  }

  @Test
  void fromRecords_turns_boxed_nulls_into_nulls() {
    AllTypes r = new AllTypes(1L, null, 3, null, (short) 5, (byte) 6, 7.5, null, 9.5f, true, null,
        null, null, 'c', null, null, null, null, null);

    Frame f = Frame.fromRecords(List.of(r));

    for (String c : List.of("boxedL", "boxedI", "boxedD", "boxedZ", "str", "tier", "ts", "ldt",
        "odt", "zdt", "day")) {
      assertThat(f.column(c).isNull(0)).as(c).isTrue();
      assertThat(f.get(0, c)).as(c).isNull();
    }
    assertThat(f.column("l").isNull(0)).isFalse();
  }

  @Test
  void fromRecords_keeps_record_order_and_values() {
    Frame f = Frame.fromRecords(List.of(new Customer(1, "Oslo", 9.5), new Customer(2, "Lima", 3.0)));

    assertThat(f.rowCount()).isEqualTo(2);
    assertThat(f.column("id").toLongArray()).containsExactly(1, 2);
    assertThat(f.column("city").toStringArray()).containsExactly("Oslo", "Lima");
    assertThat(f.column("spend").getDouble(0)).isEqualTo(9.5);
  }

  @Test
  void fromRecords_with_class_builds_an_empty_frame_with_the_schema() {
    Frame f = Frame.fromRecords(Customer.class, List.of());

    assertThat(f.rowCount()).isZero();
    assertThat(f.schema()).isEqualTo(Schema.of(Field.of("id", DataType.LONG),
        Field.of("city", DataType.STRING), Field.of("spend", DataType.DOUBLE)));
  }

  @Test
  void fromRecords_rejects_an_empty_list_without_class() {
    assertThatThrownBy(() -> Frame.fromRecords(List.<Customer>of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("fromRecords(Type.class, list)");
  }

  @Test
  void fromRecords_rejects_a_component_without_column_type_naming_it() {
    assertThatThrownBy(() -> Frame.fromRecords(List.of(new WithOptional(1, java.util.Optional.of("a")))))
        .isInstanceOf(SchemaMismatchException.class)
        .hasMessageContaining("WithOptional.tag")
        .hasMessageContaining("java.util.Optional");
  }

  private record PrivateRecord(long id) {}

  // A record that is not public in another package is covered in CsvTest, which lives in another
  // package and builds its frames from such a record.
  @Test
  void fromRecords_reads_a_private_record() {
    Frame f = Frame.fromRecords(List.of(new PrivateRecord(7)));

    assertThat(f.column("id").getLong(0)).isEqualTo(7);
  }

  @Test
  void fromRecords_truncates_instant_nanos_to_micros() {
    record Event(Instant at) {}
    Instant withNanos = Instant.parse("2024-03-01T10:15:30.123456789Z");

    Frame f = Frame.fromRecords(List.of(new Event(withNanos)));

    assertThat(f.get(0, "at")).isEqualTo(Instant.parse("2024-03-01T10:15:30.123456Z"));
    assertThat(f.column("at").getLong(0)).isEqualTo(withNanos.getEpochSecond() * 1_000_000L + 123_456);
  }

  @Test
  void fromRecords_round_trips_an_instant_before_1970() {
    record Event(Instant at) {}
    Instant old = Instant.parse("1969-07-20T20:17:40.000001Z");

    Frame f = Frame.fromRecords(List.of(new Event(old)));

    assertThat(f.get(0, "at")).isEqualTo(old);
    assertThat(f.column("at").getLong(0)).isEqualTo(old.getEpochSecond() * 1_000_000L + 1);
  }

  // ---- fromMaps ----

  @Test
  void fromMaps_infers_types_from_values() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("i", 1);
    m.put("l", 2L);
    m.put("d", 2.5);
    m.put("z", true);
    m.put("s", "x");
    m.put("ts", T0);
    m.put("day", LocalDate.of(2024, 1, 1));
    m.put("tier", Tier.SILVER);

    Frame f = Frame.fromMaps(List.of(m));

    assertThat(f.schema().fields()).extracting(Field::type).containsExactly(DataType.INT,
        DataType.LONG, DataType.DOUBLE, DataType.BOOLEAN, DataType.STRING, DataType.TIMESTAMP,
        DataType.DATE, DataType.STRING);
    assertThat(f.row(0)).containsEntry("tier", "SILVER").containsEntry("ts", T0);
  }

  @Test
  void fromMaps_orders_columns_by_first_appearance_and_makes_missing_keys_null() {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("id", 1L);
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("city", "Oslo");
    b.put("id", 2L);

    Frame f = Frame.fromMaps(List.of(a, b));

    assertThat(f.schema().names()).containsExactly("id", "city");
    assertThat(f.column("city").isNull(0)).isTrue();
    assertThat(f.get(1, "city")).isEqualTo("Oslo");
  }

  @Test
  void fromMaps_finds_the_type_after_leading_nulls() {
    Map<String, Object> a = new HashMap<>();
    a.put("x", null);
    Frame f = Frame.fromMaps(List.of(a, Map.of("x", 5L)));

    assertThat(f.schema().type("x")).isEqualTo(DataType.LONG);
    assertThat(f.column("x").toList()).containsExactly(null, 5L);
  }

  @Test
  void fromMaps_widens_mixed_integer_and_long_to_long() {
    // What a JSON parser produces: small numbers as Integer, big ones as Long.
    Frame f = Frame.fromMaps(List.of(Map.of("n", 1), Map.of("n", 5_000_000_000L)));

    assertThat(f.schema().type("n")).isEqualTo(DataType.LONG);
    assertThat(f.column("n").toLongArray()).containsExactly(1L, 5_000_000_000L);
  }

  @Test
  void fromMaps_widens_mixed_integer_and_double_to_double() {
    Frame f = Frame.fromMaps(List.of(Map.of("x", 1), Map.of("x", 2.5)));

    assertThat(f.schema().type("x")).isEqualTo(DataType.DOUBLE);
    assertThat(f.column("x").toDoubleArray()).containsExactly(1.0, 2.5);
  }

  @Test
  void fromMaps_rejects_a_column_that_is_null_everywhere() {
    Map<String, Object> a = new HashMap<>();
    a.put("id", 1L);
    a.put("ghost", null);

    assertThatThrownBy(() -> Frame.fromMaps(List.of(a)))
        .isInstanceOf(SchemaMismatchException.class)
        .hasMessageContaining("'ghost'")
        .hasMessageContaining("fromMaps(schema, rows)");
  }

  @Test
  void fromMaps_rejects_a_later_value_of_another_kind_naming_column_and_row() {
    assertThatThrownBy(() -> Frame.fromMaps(List.of(Map.of("x", 1L), Map.of("x", "two"))))
        .isInstanceOf(SchemaMismatchException.class)
        .hasMessageContaining("'x'")
        .hasMessageContaining("row 1")
        .hasMessageContaining("'two'");
  }

  @Test
  void fromMaps_with_schema_rejects_a_key_not_in_the_schema() {
    Schema s = Schema.of(Field.of("id", DataType.LONG));

    assertThatThrownBy(() -> Frame.fromMaps(s, List.of(Map.of("id", 1L, "oops", 2L))))
        .isInstanceOf(ColumnNotFoundException.class)
        .hasMessageContaining("'oops'")
        .hasMessageContaining("[id]");
  }

  @Test
  void fromMaps_with_schema_makes_missing_keys_null() {
    Schema s = Schema.of(Field.of("id", DataType.LONG), Field.of("day", DataType.DATE));

    Frame f = Frame.fromMaps(s, List.of(Map.of("id", 1L)));

    assertThat(f.column("day").isNull(0)).isTrue();
  }

  // ---- builder ----

  @Test
  void builder_rejects_a_row_with_the_wrong_number_of_values() {
    Frame.Builder b = Frame.builder(Schema.of(Field.of("a", DataType.LONG), Field.of("b", DataType.LONG)));
    b.row(1L, 2L);

    assertThatThrownBy(() -> b.row(1L))
        .isInstanceOf(SchemaMismatchException.class)
        .hasMessageContaining("Row 1 has 1 values")
        .hasMessageContaining("2 columns [a, b]");
  }

  @Test
  void builder_rejects_a_value_of_the_wrong_type_naming_column_row_and_value() {
    Frame.Builder b = Frame.builder(Schema.of(Field.of("id", DataType.LONG), Field.of("spend", DataType.DOUBLE)));
    b.row(1L, 1.0).row(2L, 2.0);

    assertThatThrownBy(() -> b.row(3L, "lots"))
        .isInstanceOf(SchemaMismatchException.class)
        .hasMessageContaining("'spend'")
        .hasMessageContaining("row 2")
        .hasMessageContaining("'lots'")
        .hasMessageContaining("DOUBLE");
  }

  @Test
  void builder_stays_usable_after_a_rejected_row_and_leaves_no_trace_of_it() {
    Frame.Builder b = Frame.builder(Schema.of(Field.of("id", DataType.LONG), Field.of("n", DataType.INT)));
    assertThatThrownBy(() -> b.row(99L, "bad")).isInstanceOf(SchemaMismatchException.class);

    b.row(null, 1);
    Frame f = b.build();

    assertThat(f.rowCount()).isEqualTo(1);
    assertThat(f.column("id").isNull(0)).isTrue();
    // a null reads as 0 through the primitive getters, never as the rejected row's value
    assertThat(f.column("id").getLong(0)).isZero();
    assertThat(f.column("id").toLongArray()).containsExactly(0L);
  }

  @Test
  void builder_grows_past_its_initial_capacity() {
    Frame.Builder b = Frame.builder(Schema.of(Field.of("i", DataType.INT), Field.of("s", DataType.STRING)));
    for (int i = 0; i < 1000; i++) {
      b.row(i, i % 7 == 0 ? null : "v" + i);
    }
    Frame f = b.build();

    assertThat(f.rowCount()).isEqualTo(1000);
    assertThat(f.column("i").getInt(999)).isEqualTo(999);
    assertThat(f.column("s").nullCount()).isEqualTo(143);
    assertThat(f.get(998, "s")).isEqualTo("v998");
  }

  @Test
  void builder_cannot_change_a_frame_it_already_built() {
    Frame.Builder b = Frame.builder(Schema.of(Field.of("id", DataType.LONG)));
    Frame f = b.row(1L).build();

    assertThatThrownBy(() -> b.row(2L)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> b.row(Map.of("id", 2L))).isInstanceOf(IllegalStateException.class);
    assertThat(f.rowCount()).isEqualTo(1);
    assertThat(b.build()).isSameAs(f);
  }

  @Test
  void builder_accepts_rows_as_maps() {
    Frame f = Frame.builder(Schema.of(Field.of("id", DataType.LONG), Field.of("ok", DataType.BOOLEAN)))
        .row(Map.of("ok", true, "id", 1L))
        .row(Map.of("id", 2L))
        .build();

    assertThat(f.rows()).containsExactly(
        mapOf("id", 1L, "ok", true), mapOf("id", 2L, "ok", null));
  }

  // ---- access and reshaping ----

  @Test
  void column_by_name_lists_available_columns_when_missing() {
    assertThatThrownBy(() -> customers().column("spnd"))
        .isInstanceOf(ColumnNotFoundException.class)
        .hasMessageContaining("'spnd'")
        .hasMessageContaining("[id, city, spend]")
        .satisfies(e -> assertThat(((ColumnNotFoundException) e).column()).isEqualTo("spnd"));
  }

  @Test
  void row_rejects_an_index_out_of_range() {
    assertThatThrownBy(() -> customers().row(3)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void select_keeps_the_named_columns_in_the_given_order() {
    Frame f = customers().select("spend", "id");

    assertThat(f.schema().names()).containsExactly("spend", "id");
    assertThat(f.rowCount()).isEqualTo(3);
    assertThat(f.get(0, "spend")).isEqualTo(9.5);
  }

  @Test
  void select_keeps_field_comments_and_nullability() {
    Schema s = Schema.of(Field.of("id", DataType.LONG).withNullable(false).withComment("key"),
        Field.of("x", DataType.INT));
    Frame f = Frame.builder(s).row(1L, 2).build();

    assertThat(f.select("id").schema().get(0)).isEqualTo(s.get(0));
  }

  @Test
  void select_rejects_an_unknown_column() {
    assertThatThrownBy(() -> customers().select("id", "nope")).isInstanceOf(ColumnNotFoundException.class);
  }

  @Test
  void drop_removes_the_named_columns() {
    assertThat(customers().drop("city").schema().names()).containsExactly("id", "spend");
  }

  @Test
  void drop_rejects_an_unknown_column() {
    assertThatThrownBy(() -> customers().drop("nope"))
        .isInstanceOf(ColumnNotFoundException.class)
        .hasMessageContaining("'nope'");
  }

  @Test
  void head_returns_at_most_n_rows() {
    assertThat(customers().head(2).column("id").toLongArray()).containsExactly(1, 2);
    assertThat(customers().head(10).rowCount()).isEqualTo(3);
    assertThat(customers().head(-1).rowCount()).isZero();
  }

  @Test
  void slice_returns_rows_from_inclusive_to_exclusive_with_their_nulls() {
    Frame f = customers().slice(1, 3);

    assertThat(f.rowCount()).isEqualTo(2);
    assertThat(f.column("city").isNull(0)).isTrue();
    assertThat(f.column("spend").isNull(1)).isTrue();
    assertThat(f.get(1, "city")).isEqualTo("Lima");
  }

  @Test
  void slice_rejects_bounds_outside_the_frame() {
    assertThatThrownBy(() -> customers().slice(2, 4)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> customers().slice(2, 1)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> Frame.of().slice(0, 1)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void take_picks_rows_in_order_repeats_them_and_gives_nulls_for_minus_one() {
    Frame f = customers().take(new int[] {2, 0, 0, -1});

    assertThat(f.rowCount()).isEqualTo(4);
    assertThat(f.column("id").toList()).containsExactly(3L, 1L, 1L, null);
    assertThat(f.column("city").toList()).containsExactly("Lima", "Oslo", "Oslo", null);
    assertThat(f.column("spend").toList()).containsExactly(null, 9.5, 9.5, null);
  }

  @Test
  void take_rejects_an_index_past_the_end_even_when_storage_is_larger() {
    // builder-made columns may have spare capacity behind the last row
    assertThatThrownBy(() -> customers().take(new int[] {3})).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> customers().take(new int[] {-2})).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void filter_keeps_rows_where_the_predicate_holds() {
    Frame all = customers();
    Column spend = all.column("spend");

    Frame f = all.filter(r -> !spend.isNull(r) && spend.getDouble(r) > 5);

    assertThat(f.column("id").toLongArray()).containsExactly(1);
    assertThat(all.filter(r -> true)).isEqualTo(all);
    assertThat(all.filter(r -> false).rowCount()).isZero();
  }

  @Test
  void withColumn_appends_a_new_column_or_replaces_one_of_the_same_name() {
    Frame f = customers().withColumn(Column.ofInts("n", 7, 8, 9));
    assertThat(f.schema().names()).containsExactly("id", "city", "spend", "n");
    assertThat(f.column("n").getInt(2)).isEqualTo(9);

    Frame g = f.withColumn(Column.ofStrings("id", "a", "b", "c"));
    assertThat(g.schema().names()).containsExactly("id", "city", "spend", "n");
    assertThat(g.schema().type("id")).isEqualTo(DataType.STRING);
    assertThat(g.get(0, "id")).isEqualTo("a");
  }

  @Test
  void withColumns_is_withColumn_once_per_column_and_keeps_the_other_fields() {
    Frame base = Frame.builder(Schema.of(Field.of("id", DataType.LONG).withNullable(false),
        Field.of("city", DataType.STRING).withComment("where"), Field.of("spend", DataType.DOUBLE)))
        .row(1L, "Oslo", 9.5).row(2L, "Rome", 3.0).build();
    List<Column> added = List.of(Column.ofInts("n", 7, 8), Column.ofStrings("spend", "x", "y"),
        Column.ofLongs("m", 5, 6), Column.ofInts("n", 1, 2)); // "n" twice: the second one wins

    Frame once = base.withColumns(added);
    Frame stepwise = base;
    for (Column c : added) {
      stepwise = stepwise.withColumn(c);
    }

    assertThat(once).isEqualTo(stepwise);
    assertThat(once.schema()).isEqualTo(stepwise.schema());
    assertThat(once.schema().names()).containsExactly("id", "city", "spend", "n", "m");
    assertThat(once.schema().field("id").nullable()).isFalse();
    assertThat(once.schema().field("city").comment()).isEqualTo("where");
    assertThat(once.column("n").toList()).containsExactly(1, 2);
    assertThat(once.schema().type("spend")).isEqualTo(DataType.STRING);
    assertThat(base.withColumns(List.of())).isSameAs(base);
    assertThat(Frame.of().withColumns(List.of(Column.ofInts("a", 1, 2, 3))).rowCount()).isEqualTo(3);
    assertThatThrownBy(() -> base.withColumns(List.of(Column.ofInts("ok", 1, 2), Column.ofInts("short", 1))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'short' has 1 values but the frame has 2 rows");
    assertThat(base.schema().names()).containsExactly("id", "city", "spend");
  }

  @Test
  void withColumn_rejects_a_column_of_another_length() {
    assertThatThrownBy(() -> customers().withColumn(Column.ofInts("n", 1, 2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'n' has 2 values but the frame has 3 rows");
  }

  @Test
  void rename_changes_only_the_name() {
    Frame f = customers().rename("spend", "spend_30d");

    assertThat(f.schema().names()).containsExactly("id", "city", "spend_30d");
    assertThat(f.column("spend_30d").toList()).containsExactly(9.5, 3.0, null);
  }

  @Test
  void rename_rejects_an_unknown_column_and_a_taken_name() {
    assertThatThrownBy(() -> customers().rename("nope", "x")).isInstanceOf(ColumnNotFoundException.class);
    assertThatThrownBy(() -> customers().rename("id", "city"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'city' appears twice");
  }

  @Test
  void concat_appends_rows_keeping_nulls() {
    Frame a = customers();
    Frame b = Frame.builder(a.schema()).row(4L, "Rome", 1.0).build();

    Frame f = Frame.concat(List.of(b, a, b));

    assertThat(f.rowCount()).isEqualTo(5);
    assertThat(f.column("id").toLongArray()).containsExactly(4, 1, 2, 3, 4);
    assertThat(f.column("city").toList()).containsExactly("Rome", "Oslo", null, "Lima", "Rome");
    assertThat(f.column("spend").isNull(3)).isTrue();
  }

  @Test
  void concat_rejects_frames_with_different_columns() {
    Frame a = customers();
    Frame b = a.rename("spend", "amount");

    assertThatThrownBy(() -> Frame.concat(List.of(a, b)))
        .isInstanceOf(SchemaMismatchException.class)
        .hasMessageContaining("Frame 1")
        .hasMessageContaining("amount");
  }

  @Test
  void concat_rejects_frames_with_same_names_but_different_types() {
    Frame a = Frame.of(Column.ofLongs("x", 1));
    Frame b = Frame.of(Column.ofInts("x", 1));

    assertThatThrownBy(() -> Frame.concat(List.of(a, b)))
        .isInstanceOf(SchemaMismatchException.class)
        .hasMessageContaining("x int")
        .hasMessageContaining("x long");
  }

  @Test
  void concat_rejects_an_empty_list() {
    assertThatThrownBy(() -> Frame.concat(List.of())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void of_rejects_columns_of_different_lengths() {
    assertThatThrownBy(() -> Frame.of(Column.ofLongs("a", 1, 2), Column.ofLongs("b", 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'b' has 1 values")
        .hasMessageContaining("'a' has 2");
  }

  @Test
  void empty_has_the_schema_and_no_rows() {
    Schema s = Schema.of(Field.of("id", DataType.LONG).withComment("key"));
    Frame f = Frame.empty(s);

    assertThat(f.isEmpty()).isTrue();
    assertThat(f.schema()).isEqualTo(s);
    assertThat(f.columnCount()).isEqualTo(1);
  }

  // ---- equality ----

  @Test
  void equal_frames_have_equal_hash_codes() {
    Frame a = customers();
    Frame b = Frame.fromMaps(a.schema(), a.rows());

    assertThat(a).isEqualTo(b);
    assertThat(a.hashCode()).isEqualTo(b.hashCode());
  }

  @Test
  void nan_equals_nan() {
    Frame a = Frame.of(Column.ofDoubles("x", Double.NaN, 1));
    Frame b = Frame.of(Column.ofDoubles("x", 0.0 / 0.0, 1));

    assertThat(a).isEqualTo(b);
    assertThat(a.hashCode()).isEqualTo(b.hashCode());
  }

  @Test
  void null_differs_from_any_value_including_zero() {
    Frame withNull = Frame.of(Column.of("x", DataType.LONG, Arrays.asList(1L, null)));
    Frame withZero = Frame.of(Column.ofLongs("x", 1, 0));

    assertThat(withNull).isNotEqualTo(withZero);
    assertThat(withZero).isNotEqualTo(withNull);
  }

  @Test
  void frames_differ_by_name_type_order_or_row_count() {
    Frame a = Frame.of(Column.ofLongs("x", 1, 2));

    assertThat(a).isNotEqualTo(Frame.of(Column.ofLongs("y", 1, 2)));
    assertThat(a).isNotEqualTo(Frame.of(Column.ofInts("x", 1, 2)));
    assertThat(a).isNotEqualTo(Frame.of(Column.ofLongs("x", 2, 1)));
    assertThat(a).isNotEqualTo(Frame.of(Column.ofLongs("x", 1)));
    assertThat(a).isNotEqualTo("x");
  }

  @Test
  void equality_ignores_comments_and_nullability() {
    Frame a = Frame.builder(Schema.of(Field.of("x", DataType.LONG).withComment("c").withNullable(false)))
        .row(1L).build();

    assertThat(a).isEqualTo(Frame.of(Column.ofLongs("x", 1)));
  }

  // ---- toString ----

  @Test
  void toString_shows_header_types_values_nulls_and_row_count() {
    String s = customers().toString();
    List<String> lines = s.lines().toList();

    assertThat(lines.get(0)).contains("id").contains("city").contains("spend");
    assertThat(lines.get(1)).contains("long").contains("string").contains("double");
    assertThat(s).contains("Oslo").contains("9.5").contains("null");
    assertThat(lines.get(lines.size() - 1)).isEqualTo("(3 rows, 3 columns)");
    assertThat(lines).hasSize(3 + 3 + 1);
  }

  @Test
  void toString_says_how_many_rows_it_left_out() {
    Frame.Builder b = Frame.builder(Schema.of(Field.of("n", DataType.INT)));
    for (int i = 0; i < 25; i++) {
      b.row(i);
    }
    String s = b.build().toString();

    assertThat(s).contains("19").doesNotContain("20\n");
    assertThat(s).endsWith("(25 rows, first 20 shown, 1 column)");
    assertThat(b.build().toString(3)).endsWith("(25 rows, first 3 shown, 1 column)");
  }

  @Test
  void toString_aligns_columns() {
    List<String> lines = customers().toString().lines().toList();
    int bar = lines.get(0).indexOf('|');

    for (String line : lines.subList(0, lines.size() - 1)) {
      assertThat(line.indexOf(line.contains("|") ? '|' : '+')).as(line).isEqualTo(bar);
    }
  }

  @Test
  void toString_escapes_line_breaks_and_cuts_long_values() {
    Frame f = Frame.of(Column.ofStrings("s", "a\nb", "c\r\nd", "x".repeat(100)));
    String s = f.toString();

    assertThat(s.lines()).hasSize(3 + 3 + 1);
    assertThat(s).contains("a\\nb").contains("c\\r\\nd").contains("x".repeat(37) + "...")
        .doesNotContain("x".repeat(41));
  }

  @Test
  void toString_renders_timestamps_dates_and_doubles_independent_of_locale() {
    Locale before = Locale.getDefault();
    Locale.setDefault(Locale.GERMANY);
    try {
      Frame f = Frame.builder(Schema.of(Field.of("d", DataType.DOUBLE), Field.of("t", DataType.TIMESTAMP),
              Field.of("day", DataType.DATE)))
          .row(2.0, T0, LocalDate.of(2024, 1, 31)).build();

      assertThat(f.toString()).contains("2.0").doesNotContain("2,0")
          .contains("2024-03-01T10:15:30.123456Z").contains("2024-01-31");
    } finally {
      Locale.setDefault(before);
    }
  }

  // ---- CSV entry points (details in CsvTest) ----

  @Test
  void writeCsv_then_readCsv_with_schema_gives_an_equal_frame(@TempDir Path dir) {
    Schema s = Schema.of(Field.of("id", DataType.LONG), Field.of("n", DataType.INT),
        Field.of("x", DataType.DOUBLE), Field.of("ok", DataType.BOOLEAN), Field.of("s", DataType.STRING),
        Field.of("t", DataType.TIMESTAMP), Field.of("day", DataType.DATE));
    Frame f = Frame.builder(s)
        .row(1L, 2, 0.1, true, "a, \"quoted\"\nline", T0, LocalDate.of(1960, 5, 1))
        .row(null, null, null, null, null, null, null)
        .row(-3L, -4, Double.NaN, false, "", Instant.parse("1969-12-31T23:59:59.999999Z"),
            LocalDate.of(2024, 2, 29))
        .build();
    Path p = dir.resolve("f.csv");

    f.writeCsv(p);
    Frame back = Frame.readCsv(p, s);

    assertThat(back).isEqualTo(f);
  }

  @Test
  void readCsv_of_a_missing_file_names_the_path(@TempDir Path dir) {
    Path p = dir.resolve("missing.csv");

    assertThatThrownBy(() -> Frame.readCsv(p))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining(p.toString());
  }

  @Test
  void readCsv_infers_types(@TempDir Path dir) throws Exception {
    Path p = dir.resolve("in.csv");
    Files.writeString(p, "id,spend,ok,day,at,city\n1,2.5,true,2024-01-02,2024-01-02T03:04:05Z,Oslo\n");

    Frame f = Frame.readCsv(p);

    assertThat(f.schema().fields()).extracting(Field::type).containsExactly(DataType.LONG,
        DataType.DOUBLE, DataType.BOOLEAN, DataType.DATE, DataType.TIMESTAMP, DataType.STRING);
  }

  private static Map<String, Object> mapOf(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }
}
