package dev.mlops.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every column type written with the SDK into a real Delta table and read back exactly. */
class TypesRoundTripTest {
  private static final dev.mlops.core.internal.ColumnAccess.Access COLUMNS = dev.mlops.core.internal.ColumnAccess.obtain();

  @TempDir Path dir;
  Workspace ws;
  int tables;

  @BeforeEach
  void open() {
    ws = Workspace.open(dir);
  }

  @AfterEach
  void close() {
    ws.close();
  }

  /** Writes the column (plus an id) to a new table, reads it back and checks schema and values. */
  private Frame roundTrip(Column c) {
    Frame in = Frame.of(Column.ofLongs("id", ids(c.size())), c);
    DeltaTable t = ws.tables().create("main.types.t" + (tables++)).schema(in.schema()).create();
    t.append(in);
    Frame out = t.read().load();
    Frame sorted = out.take(order(out.column("id")));
    assertThat(sorted.schema().field(c.name()).columnType()).isEqualTo(c.columnType());
    assertThat(sorted).isEqualTo(in);
    assertThat(sorted.column(c.name()).toList()).usingElementComparator(TypesRoundTripTest::deepCompare)
        .containsExactlyElementsOf(c.toList());
    assertThat(t.schema().columnType(c.name())).isEqualTo(c.columnType());
    return sorted;
  }

  private static int deepCompare(Object a, Object b) {
    return dev.mlops.core.internal.Values.deepEquals(a, b) ? 0 : 1;
  }

  private static long[] ids(int n) {
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      out[i] = i;
    }
    return out;
  }

  private static int[] order(Column id) {
    int[] out = new int[id.size()];
    for (int i = 0; i < out.length; i++) {
      out[(int) id.getLong(i)] = i;
    }
    return out;
  }

  @Test
  void byte_round_trips_with_extremes_and_nulls() {
    Column c = Column.ofBytes("b", new byte[] {Byte.MIN_VALUE, -1, 0, 1, Byte.MAX_VALUE, 0},
        new boolean[] {false, false, false, false, false, true});
    Frame out = roundTrip(c);
    assertThat(out.column("b").type()).isEqualTo(DataType.BYTE);
    assertThat(out.column("b").getByte(0)).isEqualTo(Byte.MIN_VALUE);
    assertThat(out.get(5, "b")).isNull();
  }

  @Test
  void short_round_trips_with_extremes_and_nulls() {
    Column c = Column.ofShorts("s", new short[] {Short.MIN_VALUE, -1, 0, Short.MAX_VALUE, 0},
        new boolean[] {false, false, false, false, true});
    Frame out = roundTrip(c);
    assertThat(out.get(3, "s")).isEqualTo(Short.MAX_VALUE);
  }

  @Test
  void float_round_trips_bit_for_bit_and_is_not_widened_to_double() {
    Column c = Column.ofFloats("f", new float[] {0.1f, -0f, Float.NaN, Float.MIN_VALUE, Float.MAX_VALUE,
        Float.NEGATIVE_INFINITY, 0}, new boolean[] {false, false, false, false, false, false, true});
    Frame out = roundTrip(c);
    assertThat(out.get(0, "f")).isEqualTo(0.1f);
    assertThat(Float.floatToRawIntBits(out.column("f").getFloat(1))).isEqualTo(Float.floatToRawIntBits(-0f));
  }

  @Test
  void decimals_of_every_storage_width_round_trip_exactly() {
    // precision <= 9 is stored as INT32, <= 18 as INT64, above as fixed-length binary
    for (ColumnType.Decimal t : List.of(ColumnType.decimal(9, 2), ColumnType.decimal(18, 4),
        ColumnType.decimal(38, 18), ColumnType.decimal(5, 0))) {
      int whole = t.precision() - t.scale();
      BigDecimal max = new BigDecimal("9".repeat(t.precision())).movePointLeft(t.scale());
      BigDecimal small = BigDecimal.ONE.movePointLeft(t.scale());
      Column c = Column.of("d", t, Arrays.asList(max, max.negate(), small, small.negate(), BigDecimal.ZERO,
          null, new BigDecimal("1".repeat(Math.max(1, whole)))));
      Frame out = roundTrip(c);
      assertThat(out.column("d").getDecimal(0)).isEqualTo(max);
      assertThat(out.column("d").getDecimal(0).scale()).isEqualTo(t.scale());
    }
  }

  @Test
  void decimal_from_unscaled_longs_needs_no_boxing() {
    Column c = Column.ofDecimals("amount", ColumnType.decimal(12, 2), new long[] {1234, -5, 0},
        new boolean[] {false, false, true});
    assertThat(c.toList()).containsExactly(new BigDecimal("12.34"), new BigDecimal("-0.05"), null);
    roundTrip(c);
  }

  @Test
  void decimal_refuses_values_with_too_many_digits_instead_of_rounding() {
    assertThatThrownBy(() -> Column.of("d", ColumnType.decimal(5, 2), List.of(new BigDecimal("1.234"))))
        .isInstanceOf(SchemaMismatchException.class).hasMessageContaining("'d'")
        .hasMessageContaining("more than 2 digits after the point");
    assertThatThrownBy(() -> Column.of("d", ColumnType.decimal(5, 2), List.of(new BigDecimal("1234"))))
        .isInstanceOf(SchemaMismatchException.class).hasMessageContaining("decimal(5,2)".toUpperCase());
  }

  @Test
  void binary_round_trips_including_empty_and_zero_bytes() {
    Column c = Column.of("bin", DataType.BINARY, Arrays.asList(new byte[] {0, 1, (byte) 0xFF}, new byte[0],
        null, new byte[] {0}));
    Frame out = roundTrip(c);
    assertThat(out.column("bin").getBinary(0)).containsExactly(0, 1, 0xFF);
    assertThat(out.column("bin").getBinary(1)).isEmpty();
  }

  @Test
  void timestamp_ntz_round_trips_as_local_date_time_not_shifted_by_a_zone() {
    List<LocalDateTime> v = Arrays.asList(LocalDateTime.of(2024, 3, 31, 2, 30, 0, 123_456_000),
        LocalDateTime.of(1, 1, 1, 0, 0), LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_000),
        LocalDateTime.of(1582, 10, 4, 12, 0), null);
    Column c = Column.of("ntz", DataType.TIMESTAMP_NTZ, v);
    Frame out = roundTrip(c);
    assertThat(out.get(0, "ntz")).isEqualTo(LocalDateTime.of(2024, 3, 31, 2, 30, 0, 123_456_000));
  }

  @Test
  void existing_types_from_primitive_arrays_round_trip() {
    roundTrip(Column.ofTimestamps("ts", new long[] {0, -1, 1_700_000_000_123_456L}, new boolean[] {false, true, false}));
    roundTrip(Column.ofDates("day", new int[] {0, -719162, 2932896}, null));
    roundTrip(Column.ofLongs("l", new long[] {Long.MIN_VALUE, 7}, new boolean[] {false, true}));
    roundTrip(Column.ofInts("i", new int[] {Integer.MIN_VALUE, 7}, new boolean[] {true, false}));
    roundTrip(Column.ofDoubles("d", new double[] {Double.NaN, 7}, new boolean[] {false, true}));
    roundTrip(Column.ofBooleans("z", new boolean[] {true, false}, new boolean[] {false, true}));
  }

  @Test
  void struct_round_trips_with_null_structs_and_null_fields() {
    ColumnType window = ColumnType.struct(Field.of("start", DataType.TIMESTAMP), Field.of("end", DataType.TIMESTAMP),
        Field.of("label", DataType.STRING));
    Instant t0 = Instant.parse("2024-01-01T00:00:00Z");
    Instant t1 = Instant.parse("2024-01-08T00:00:00.000001Z");
    Map<String, Object> partial = new LinkedHashMap<>();
    partial.put("start", t0);
    Column c = Column.of("window", window, Arrays.asList(Map.of("start", t0, "end", t1, "label", "w1"), null,
        partial));
    Frame out = roundTrip(c);
    @SuppressWarnings("unchecked")
    Map<String, Object> w = (Map<String, Object>) out.get(0, "window");
    assertThat(w).containsEntry("end", t1).containsEntry("label", "w1");
    @SuppressWarnings("unchecked")
    Map<String, Object> p = (Map<String, Object>) out.get(2, "window");
    assertThat(p).containsEntry("end", null).containsEntry("start", t0);
  }

  @Test
  void arrays_of_every_flat_type_round_trip() {
    roundTrip(Column.of("q", ColumnType.array(DataType.DOUBLE), Arrays.asList(List.of(0.1, 0.5, 0.9), List.of(),
        null, Arrays.asList(1.0, null, Double.NaN))));
    roundTrip(Column.of("tags", ColumnType.array(DataType.STRING), Arrays.asList(List.of("a", "b"), List.of())));
    roundTrip(Column.of("days", ColumnType.array(DataType.DATE), List.of(List.of(LocalDate.of(2024, 2, 29)))));
    roundTrip(Column.of("amounts", ColumnType.array(ColumnType.decimal(20, 3)),
        List.of(List.of(new BigDecimal("1.500"), new BigDecimal("-99999999999999999.999")))));
    roundTrip(Column.of("blobs", ColumnType.array(DataType.BINARY), List.of(List.of(new byte[] {1, 2}))));
    roundTrip(Column.of("ntz", ColumnType.array(DataType.TIMESTAMP_NTZ),
        List.of(List.of(LocalDateTime.of(2000, 1, 1, 0, 0)))));
  }

  @Test
  void array_of_structs_round_trips() {
    ColumnType item = ColumnType.struct(Field.of("value", DataType.STRING), Field.of("count", DataType.LONG),
        Field.of("share", DataType.FLOAT));
    List<Object> rows = new ArrayList<>();
    rows.add(List.of(Map.of("value", "Oslo", "count", 12L, "share", 0.5f),
        Map.of("value", "Lima", "count", 3L, "share", 0.125f)));
    rows.add(List.of());
    rows.add(null);
    Map<String, Object> nullValue = new LinkedHashMap<>();
    nullValue.put("value", null);
    nullValue.put("count", 1L);
    rows.add(Arrays.asList(nullValue, null));
    Frame out = roundTrip(Column.of("frequent_items", ColumnType.array(item), rows));
    assertThat(((List<?>) out.get(0, "frequent_items"))).hasSize(2);
  }

  @Test
  void deep_nesting_struct_of_array_of_struct_and_maps_round_trip() {
    ColumnType inner = ColumnType.struct(Field.of("k", DataType.STRING), Field.of("v", ColumnType.array(DataType.INT)));
    ColumnType outer = ColumnType.struct(Field.of("name", DataType.STRING), Field.of("items", ColumnType.array(inner)),
        Field.of("attrs", ColumnType.map(ColumnType.of(DataType.STRING), ColumnType.of(DataType.DOUBLE))));
    Map<String, Object> attrs = new LinkedHashMap<>();
    attrs.put("x", 1.5);
    attrs.put("y", null);
    Column c = Column.of("deep", outer, List.of(
        Map.of("name", "a", "items", List.of(Map.of("k", "p", "v", List.of(1, 2, 3))), "attrs", attrs),
        Map.of("name", "b", "items", List.of(), "attrs", Map.of())));
    roundTrip(c);
    roundTrip(Column.of("m", ColumnType.map(ColumnType.of(DataType.LONG), ColumnType.array(DataType.STRING)),
        Arrays.asList(Map.of(1L, List.of("a"), 2L, List.of()), null)));
  }

  @Test
  void frame_from_records_with_nested_records_and_lists_round_trips() {
    record Window(Instant start, Instant end) {}
    record Item(String value, long count) {}
    record Stats(String feature, Window window, List<Double> quantiles, List<Item> frequentItems,
        BigDecimal mean, byte[] sketch, float share, short bucket, byte flag, LocalDateTime localTime) {}
    Instant t0 = Instant.parse("2024-01-01T00:00:00Z");
    Frame in = Frame.fromRecords(List.of(new Stats("age", new Window(t0, t0.plusSeconds(60)), List.of(18.0, 35.0),
        List.of(new Item("x", 3)), new BigDecimal("35.25"), new byte[] {7}, 0.25f, (short) 3, (byte) 1,
        LocalDateTime.of(2024, 1, 1, 9, 0))));
    assertThat(in.schema().columnType("window")).isEqualTo(ColumnType.struct(Field.of("start", DataType.TIMESTAMP),
        Field.of("end", DataType.TIMESTAMP)));
    assertThat(in.schema().columnType("mean")).isEqualTo(ColumnType.decimal(38, 18));
    DeltaTable t = ws.tables().create("main.types.stats").schema(in.schema()).create();
    t.append(in);
    assertThat(t.read().load()).isEqualTo(in);
    assertThat(t.read().load().toString()).contains("{start: 2024-01-01T00:00:00Z").contains("[18.0, 35.0]")
        .contains("0x07").contains("35.250000000000000000");
  }

  @Test
  void a_write_that_fails_half_way_leaves_no_file_behind() throws Exception {
    ColumnType t = ColumnType.struct(Field.of("a", DataType.LONG));
    DeltaTable table = ws.tables().create("main.types.fail").schema(Schema.of(Field.of("s", t))).create();
    // A column that claims struct<a:long> but holds a String where the long should be (reachable only
    // through the internal zero-copy wrap): Kernel's writer opens the file, then fails on the value.
    Object[] values = new Object[5000];
    for (int i = 0; i < values.length; i++) {
      values[i] = Map.<String, Object>of("a", i < values.length - 1 ? (Object) (long) i : "not a long");
    }
    Column bad = COLUMNS.wrap("s", t, values, null, values.length);
    long before = dataFiles(dir);
    assertThatThrownBy(() -> table.append(Frame.of(bad))).isInstanceOf(RuntimeException.class);
    assertThat(dataFiles(dir)).isEqualTo(before);
    assertThat(table.read().load().rowCount()).isZero();
    assertThat(table.history()).hasSize(1);
  }

  @Test
  void names_with_spaces_and_delta_reserved_characters_work_in_column_mapped_tables() {
    Schema s = Schema.of(Field.of("id", DataType.LONG), Field.of("spend (30d)", DataType.DOUBLE),
        Field.of("a,b;c{d}=e", ColumnType.struct(Field.of("inner field", DataType.INT))));
    DeltaTable t = ws.tables().create("main.types.names").schema(s).create();
    Frame in = Frame.builder(s).row(1L, 2.5, Map.of("inner field", 3)).build();
    t.append(in);
    assertThat(t.schema().names()).containsExactly("id", "spend (30d)", "a,b;c{d}=e");
    assertThat(t.read().load()).isEqualTo(in);
    assertThat(t.read().columns("spend (30d)").filter(Filter.gt("spend (30d)", 1.0)).load().rowCount()).isEqualTo(1);
    assertThatThrownBy(() -> ws.tables().create("main.types.nomapping").schema(s)
        .property("delta.columnMapping.mode", "none").create())
        .isInstanceOf(InvalidNameException.class).hasMessageContaining("'spend (30d)'")
        .hasMessageContaining("column mapping");
  }

  private static long dataFiles(Path root) throws Exception {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(p -> p.toString().endsWith(".parquet") && !p.toString().contains("_delta_log")).count();
    }
  }
}
