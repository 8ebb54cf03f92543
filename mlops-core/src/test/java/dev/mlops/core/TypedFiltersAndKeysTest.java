package dev.mlops.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Filters and key columns on the exact types: literals take the column's type. */
class TypedFiltersAndKeysTest {
  @TempDir Path dir;
  Workspace ws;

  static final Schema SCHEMA = Schema.of(Field.of("id", DataType.LONG), Field.of("amount", ColumnType.decimal(12, 2)),
      Field.of("at", DataType.TIMESTAMP_NTZ), Field.of("small", DataType.SHORT), Field.of("f", DataType.FLOAT),
      Field.of("tags", ColumnType.array(DataType.STRING)));

  static final LocalDateTime T0 = LocalDateTime.of(2024, 3, 31, 2, 30);

  @BeforeEach
  void open() {
    ws = Workspace.open(dir);
  }

  @AfterEach
  void close() {
    ws.close();
  }

  private DeltaTable table() {
    DeltaTable t = ws.tables().create("main.f.t").schema(SCHEMA).create();
    t.append(Frame.builder(SCHEMA)
        .row(1L, new BigDecimal("10.50"), T0, (short) 1, 0.5f, List.of("a"))
        .row(2L, new BigDecimal("-3.25"), T0.plusHours(1), (short) 2, 1.5f, null)
        .row(3L, null, null, null, null, List.of())
        .build());
    t.append(Frame.builder(SCHEMA)
        .row(4L, new BigDecimal("999.99"), T0.minusDays(400), (short) -7, -2f, List.of("b", "c"))
        .build());
    return t;
  }

  private static List<Object> ids(Frame f) {
    return f.column("id").toList().stream().sorted().toList();
  }

  @Test
  void decimal_filters_compare_exactly() {
    DeltaTable t = table();
    assertThat(ids(t.read().filter(Filter.eq("amount", new BigDecimal("10.5"))).load())).containsExactly(1L);
    assertThat(ids(t.read().filter(Filter.gt("amount", 0)).load())).containsExactly(1L, 4L);
    assertThat(ids(t.read().filter(Filter.lt("amount", 10.5)).load())).containsExactly(2L);
    assertThat(ids(t.read().filter(Filter.in("amount", List.of(new BigDecimal("999.99"), -3.25))).load()))
        .containsExactly(2L, 4L);
    assertThat(ids(t.read().filter(Filter.isNull("amount")).load())).containsExactly(3L);
  }

  @Test
  void a_decimal_literal_that_needs_rounding_is_refused_naming_the_column() {
    DeltaTable t = table();
    assertThatThrownBy(() -> t.read().filter(Filter.gt("amount", new BigDecimal("1.234"))).load())
        .isInstanceOf(SchemaMismatchException.class).hasMessageContaining("'amount'")
        .hasMessageContaining("DECIMAL(12,2)");
  }

  @Test
  void timestamp_ntz_filters_take_local_date_times() {
    DeltaTable t = table();
    assertThat(ids(t.read().filter(Filter.eq("at", T0)).load())).containsExactly(1L);
    assertThat(ids(t.read().filter(Filter.ge("at", T0)).load())).containsExactly(1L, 2L);
    assertThat(ids(t.read().filter(Filter.lt("at", T0)).load())).containsExactly(4L);
    assertThatThrownBy(() -> t.read().filter(Filter.eq("at", java.time.Instant.EPOCH)).load())
        .isInstanceOf(SchemaMismatchException.class).hasMessageContaining("'at'").hasMessageContaining("LocalDateTime");
  }

  @Test
  void short_and_float_filters_take_numbers_that_fit() {
    DeltaTable t = table();
    assertThat(ids(t.read().filter(Filter.le("small", 1)).load())).containsExactly(1L, 4L);
    assertThat(ids(t.read().filter(Filter.gt("f", 1.0)).load())).containsExactly(2L);
    assertThat(ids(t.read().filter(Filter.in("f", List.of(0.5, -2))).load())).containsExactly(1L, 4L);
  }

  @Test
  void nested_columns_take_only_is_null() {
    DeltaTable t = table();
    assertThat(ids(t.read().filter(Filter.isNull("tags")).load())).containsExactly(2L);
    assertThatThrownBy(() -> t.read().filter(Filter.eq("tags", List.of("a"))).load())
        .isInstanceOf(SchemaMismatchException.class).hasMessageContaining("'tags'").hasMessageContaining("isNull");
  }

  @Test
  void decimal_and_timestamp_ntz_keys_upsert_and_delete() {
    Schema s = Schema.of(Field.of("k", ColumnType.decimal(20, 4)), Field.of("at", DataType.TIMESTAMP_NTZ),
        Field.of("v", DataType.STRING));
    DeltaTable t = ws.tables().create("main.f.keys").schema(s).create();
    t.append(Frame.builder(s).row(new BigDecimal("1.5"), T0, "a").row(new BigDecimal("2"), T0, "b").build());
    CommitResult r = t.upsert(Frame.builder(s).row(new BigDecimal("1.5000"), T0, "A")
        .row(new BigDecimal("3"), T0, "c").build(), "k", "at");
    assertThat(r.rowsUpdated()).isEqualTo(1);
    assertThat(r.rowsInserted()).isEqualTo(1);
    Frame all = t.read().load();
    assertThat(all.rowCount()).isEqualTo(3);
    assertThat(all.filter(i -> all.column("k").getDecimal(i).compareTo(new BigDecimal("1.5")) == 0)
        .column("v").toList()).containsExactly("A");
    t.deleteKeys(Frame.of(Column.of("k", ColumnType.decimal(20, 4), List.of(new BigDecimal("2"))),
        Column.of("at", DataType.TIMESTAMP_NTZ, List.of(T0))));
    assertThat(t.read().load().rowCount()).isEqualTo(2);
  }

  @Test
  void float_binary_and_nested_keys_are_refused_naming_the_column() {
    Schema s = Schema.of(Field.of("f", DataType.FLOAT), Field.of("b", DataType.BINARY),
        Field.of("a", ColumnType.array(DataType.INT)), Field.of("v", DataType.STRING));
    DeltaTable t = ws.tables().create("main.f.badkeys").schema(s).create();
    Frame rows = Frame.builder(s).row(1f, new byte[] {1}, List.of(1), "x").build();
    for (String k : Arrays.asList("f", "b", "a")) {
      assertThatThrownBy(() -> t.upsert(rows, k)).isInstanceOf(SchemaMismatchException.class)
          .hasMessageContaining("'" + k + "'").hasMessageContaining("cannot be a key");
    }
    assertThat(t.version()).isZero();
  }

  @Test
  void tables_cannot_be_partitioned_by_float_binary_or_nested_columns() {
    for (Field f : List.of(Field.of("p", DataType.FLOAT), Field.of("p", DataType.BINARY),
        Field.of("p", ColumnType.struct(Field.of("x", DataType.INT))))) {
      assertThatThrownBy(() -> ws.tables().create("main.f.part").schema(Schema.of(Field.of("id", DataType.LONG), f))
          .partitionBy("p").create()).isInstanceOf(SchemaMismatchException.class).hasMessageContaining("'p'");
    }
  }

  @Test
  void partitions_by_short_decimal_and_timestamp_ntz_round_trip() {
    Schema s = Schema.of(Field.of("p", DataType.SHORT), Field.of("d", ColumnType.decimal(6, 1)),
        Field.of("n", DataType.TIMESTAMP_NTZ), Field.of("v", DataType.LONG));
    DeltaTable t = ws.tables().create("main.f.parts").schema(s).partitionBy("p", "d", "n").create();
    Frame in = Frame.builder(s).row((short) 1, new BigDecimal("2.5"), T0, 1L).row((short) 2, null, null, 2L).build();
    t.append(in);
    Frame out = t.read().load();
    assertThat(out.take(out.column("v").getLong(0) == 1 ? new int[] {0, 1} : new int[] {1, 0})).isEqualTo(in);
    assertThat(ids2(t.read().filter(Filter.eq("d", new BigDecimal("2.5"))).load())).containsExactly(1L);
  }

  private static List<Object> ids2(Frame f) {
    return f.column("v").toList();
  }
}
