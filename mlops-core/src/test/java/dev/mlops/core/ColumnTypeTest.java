package dev.mlops.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ColumnTypeTest {

  @Test
  void kinds_with_parameters_need_their_factory() {
    assertThatThrownBy(() -> ColumnType.of(DataType.DECIMAL)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ColumnType.decimal(precision, scale)");
    assertThatThrownBy(() -> Field.of("x", DataType.ARRAY)).hasMessageContaining("ColumnType.array");
    assertThatThrownBy(() -> Column.nulls("x", DataType.STRUCT, 1)).hasMessageContaining("ColumnType.struct");
  }

  @Test
  void decimal_checks_delta_limits() {
    assertThatThrownBy(() -> ColumnType.decimal(39, 0)).hasMessageContaining("precision must be 1 to 38");
    assertThatThrownBy(() -> ColumnType.decimal(5, 6)).hasMessageContaining("scale 0 to precision");
    assertThat(ColumnType.decimal(38, 18).sql()).isEqualTo("decimal(38,18)");
  }

  @Test
  void struct_refuses_repeated_field_names() {
    assertThatThrownBy(() -> ColumnType.struct(Field.of("a", DataType.INT), Field.of("a", DataType.LONG)))
        .hasMessageContaining("'a' appears twice");
  }

  @Test
  void sql_text_spells_nested_types() {
    ColumnType t = ColumnType.array(ColumnType.struct(Field.of("v", DataType.STRING),
        Field.of("n", DataType.LONG).withNullable(false)));
    assertThat(t.sql()).isEqualTo("array<struct<v:string,n:long not null>>");
    assertThat(ColumnType.map(ColumnType.of(DataType.STRING), ColumnType.decimal(5, 2)).sql())
        .isEqualTo("map<string,decimal(5,2)>");
    assertThat(Field.of("ts", DataType.TIMESTAMP_NTZ).toString()).isEqualTo("ts timestamp_ntz");
  }

  @Test
  void nested_values_are_checked_and_the_message_names_the_place() {
    ColumnType t = ColumnType.array(ColumnType.struct(Field.of("v", DataType.STRING), Field.of("n", DataType.LONG)));
    assertThatThrownBy(() -> Column.of("items", t, List.of(List.of(Map.of("v", "a", "n", "x")))))
        .isInstanceOf(SchemaMismatchException.class).hasMessageContaining("'items'")
        .hasMessageContaining("element 0, field 'n'").hasMessageContaining("'x'");
    assertThatThrownBy(() -> Column.of("items", t, List.of(List.of(Map.of("w", "a")))))
        .isInstanceOf(SchemaMismatchException.class).hasMessageContaining("'w'").hasMessageContaining("[v, n]");
    ColumnType noNulls = new ColumnType.ArrayOf(ColumnType.of(DataType.INT), false);
    assertThatThrownBy(() -> Column.of("a", noNulls, List.of(Arrays.asList(1, null))))
        .isInstanceOf(SchemaMismatchException.class).hasMessageContaining("allows no nulls");
  }

  @Test
  void nested_values_are_copied_and_unmodifiable() {
    List<Double> src = new java.util.ArrayList<>(List.of(1.0, 2.0));
    Column c = Column.of("q", ColumnType.array(DataType.DOUBLE), List.of(src));
    src.set(0, 99.0);
    assertThat(c.get(0)).isEqualTo(List.of(1.0, 2.0));
    assertThatThrownBy(() -> ((List<Object>) c.get(0)).add(3.0)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void values_convert_only_without_loss() {
    assertThat(Column.of("s", DataType.SHORT, List.of(7, 7L)).toList()).containsExactly((short) 7, (short) 7);
    assertThatThrownBy(() -> Column.of("s", DataType.SHORT, List.of(70000))).isInstanceOf(SchemaMismatchException.class)
        .hasMessageContaining("'s'");
    assertThatThrownBy(() -> Column.of("b", DataType.BYTE, List.of(128))).isInstanceOf(SchemaMismatchException.class);
    assertThat(Column.of("f", DataType.FLOAT, List.of(0.5, 0.25f)).toList()).containsExactly(0.5f, 0.25f);
    assertThatThrownBy(() -> Column.of("f", DataType.FLOAT, List.of(0.1))).isInstanceOf(SchemaMismatchException.class);
    assertThat(Column.of("d", ColumnType.decimal(6, 2), List.of(3, 1.5)).toList())
        .containsExactly(new BigDecimal("3.00"), new BigDecimal("1.50"));
    assertThatThrownBy(() -> Column.of("n", DataType.TIMESTAMP_NTZ, List.of(Instant.EPOCH)))
        .isInstanceOf(SchemaMismatchException.class).hasMessageContaining("LocalDateTime");
  }

  @Test
  void equality_compares_full_types_and_binary_content() {
    Column a = Column.of("d", ColumnType.decimal(6, 2), List.of(BigDecimal.ONE));
    Column b = Column.of("d", ColumnType.decimal(7, 2), List.of(BigDecimal.ONE));
    assertThat(a).isNotEqualTo(b);
    assertThat(Column.of("b", DataType.BINARY, List.of(new byte[] {1, 2})))
        .isEqualTo(Column.of("b", DataType.BINARY, List.of(new byte[] {1, 2})))
        .hasSameHashCodeAs(Column.of("b", DataType.BINARY, List.of(new byte[] {1, 2})));
    ColumnType t = ColumnType.array(DataType.BINARY);
    assertThat(Column.of("x", t, List.of(List.of(new byte[] {3}))))
        .isEqualTo(Column.of("x", t, List.of(List.of(new byte[] {3}))));
    assertThat(Column.ofFloats("f", Float.NaN)).isEqualTo(Column.ofFloats("f", Float.NaN));
  }

  @Test
  void primitive_constructors_take_a_null_mask_and_copy_both_arrays() {
    long[] v = {1, 2, 3};
    boolean[] m = {false, true, false};
    Column c = Column.ofLongs("x", v, m);
    v[0] = 9;
    m[0] = true;
    assertThat(c.toList()).containsExactly(1L, null, 3L);
    assertThat(Column.ofTimestamps("t", 1_000_000L).get(0)).isEqualTo(Instant.ofEpochSecond(1));
    assertThat(Column.ofDates("d", 1).get(0)).isEqualTo(LocalDate.of(1970, 1, 2));
    assertThat(Column.ofTimestampsNtz("n", -1L).get(0)).isEqualTo(LocalDateTime.of(1969, 12, 31, 23, 59, 59, 999_999_000));
    assertThat(Column.ofShorts("s", new short[] {1, 2}, new boolean[] {true, false}).toList()).containsExactly(null, (short) 2);
    assertThat(Column.ofBytes("b", new byte[] {1}, null).getInt(0)).isEqualTo(1);
    assertThat(Column.ofFloats("f", new float[] {1.5f}, new boolean[] {false}).getDouble(0)).isEqualTo(1.5);
    assertThatThrownBy(() -> Column.ofInts("i", new int[] {1, 2}, new boolean[] {true}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'i'");
  }

  @Test
  void frames_print_new_types_readably() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("a", 1L);
    s.put("b", null);
    Frame f = Frame.of(Column.of("d", ColumnType.decimal(10, 3), List.of(new BigDecimal("1.5"))),
        Column.of("bin", DataType.BINARY, List.of(new byte[] {0x0a, (byte) 0xff})),
        Column.of("s", ColumnType.struct(Field.of("a", DataType.LONG), Field.of("b", DataType.STRING)), List.of(s)),
        Column.of("m", ColumnType.map(ColumnType.of(DataType.STRING), ColumnType.of(DataType.INT)), List.of(Map.of("k", 1))));
    assertThat(f.toString()).contains("decimal(10,3)").contains("1.500").contains("0x0AFF")
        .contains("{a: 1, b: null}").contains("{k: 1}").contains("struct<a:long,b:string>");
  }

  @Test
  void frame_from_maps_infers_nested_and_exact_types() {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("amount", new BigDecimal("1.25"));
    row.put("q", List.of(1.0, 2.0));
    row.put("w", Map.of("start", LocalDate.of(2024, 1, 1)));
    row.put("local", LocalDateTime.of(2024, 1, 1, 0, 0));
    Frame f = Frame.fromMaps(List.of(row));
    assertThat(f.schema().columnType("amount")).isEqualTo(ColumnType.decimal(38, 2));
    assertThat(f.schema().columnType("q")).isEqualTo(ColumnType.array(DataType.DOUBLE));
    assertThat(f.schema().columnType("w")).isEqualTo(ColumnType.struct(Field.of("start", DataType.DATE)));
    assertThat(f.schema().type("local")).isEqualTo(DataType.TIMESTAMP_NTZ);
  }
}
