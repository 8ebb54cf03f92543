package dev.mlops.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.Column;
import dev.mlops.core.ColumnType;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Frame;
import dev.mlops.core.MlopsException;
import dev.mlops.core.Schema;
import dev.mlops.core.SchemaMismatchException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTest {

  @TempDir Path dir;

  private Path file(String text) throws IOException {
    Path p = dir.resolve("in.csv");
    Files.writeString(p, text, StandardCharsets.UTF_8);
    return p;
  }

  private DataType inferred(String... values) throws IOException {
    return Csv.read(file("c\n" + String.join("\n", values) + "\n"), null).schema().type("c");
  }

  @Test
  void infers_long_double_boolean_date_timestamp_and_string() throws IOException {
    assertThat(inferred("1", "-2", "+3")).isEqualTo(DataType.LONG);
    assertThat(inferred("1", "2.5", "1e3", "NaN")).isEqualTo(DataType.DOUBLE);
    assertThat(inferred("true", "FALSE")).isEqualTo(DataType.BOOLEAN);
    assertThat(inferred("2024-01-02", "1969-12-31")).isEqualTo(DataType.DATE);
    assertThat(inferred("2024-01-02T03:04:05Z", "2024-01-02 03:04:05", "2024-01-02T03:04:05+02:00"))
        .isEqualTo(DataType.TIMESTAMP);
    assertThat(inferred("1", "x")).isEqualTo(DataType.STRING);
    assertThat(inferred("true", "1")).isEqualTo(DataType.STRING);
    assertThat(inferred("2024-01-02", "2024-01-02T03:04:05Z")).isEqualTo(DataType.STRING);
  }

  @Test
  void does_not_read_java_literal_suffixes_as_numbers() throws IOException {
    // Double.parseDouble accepts "7d" and "1f"; a window column like this is text.
    assertThat(inferred("7d", "30d", "90d")).isEqualTo(DataType.STRING);
    assertThat(inferred("1f")).isEqualTo(DataType.STRING);
    assertThat(inferred("0x1p3")).isEqualTo(DataType.STRING);
  }

  @Test
  void reads_inferred_values() throws IOException {
    Frame f = Csv.read(file("id,spend,ok,day,at,city\n"
        + "1,2.5,true,2024-01-02,2024-01-02T03:04:05.000006Z,Oslo\n"
        + "2,3,false,1960-02-29,1969-12-31 23:59:59,Lima\n"), null);

    assertThat(f.row(0)).containsValues(1L, 2.5, true, LocalDate.of(2024, 1, 2),
        Instant.parse("2024-01-02T03:04:05.000006Z"), "Oslo");
    assertThat(f.row(1)).containsValues(2L, 3.0, false, LocalDate.of(1960, 2, 29),
        Instant.parse("1969-12-31T23:59:59Z"), "Lima");
  }

  @Test
  void empty_fields_are_nulls_and_an_all_empty_column_is_string() throws IOException {
    Frame f = Csv.read(file("a,b,c\n1,,\n,x,\n"), null);

    assertThat(f.schema().fields()).extracting(Field::type)
        .containsExactly(DataType.LONG, DataType.STRING, DataType.STRING);
    assertThat(f.column("a").toList()).containsExactly(1L, null);
    assertThat(f.column("b").toList()).containsExactly(null, "x");
    assertThat(f.column("c").toList()).containsExactly(null, null);
  }

  @Test
  void blank_field_in_a_numeric_column_is_null() throws IOException {
    Frame f = Csv.read(file("a,b\n1, \n2,3\n"), null);

    assertThat(f.schema().type("b")).isEqualTo(DataType.LONG);
    assertThat(f.column("b").toList()).containsExactly(null, 3L);
  }

  @Test
  void quoted_fields_may_hold_commas_quotes_and_newlines() throws IOException {
    Frame f = Csv.read(file("id,text\n1,\"a, b\"\n2,\"say \"\"hi\"\"\"\n3,\"two\nlines\"\n4,plain\n"), null);

    assertThat(f.column("text").toList())
        .containsExactly("a, b", "say \"hi\"", "two\nlines", "plain");
    assertThat(f.column("id").toLongArray()).containsExactly(1, 2, 3, 4);
  }

  @Test
  void quoted_empty_field_is_an_empty_string_and_unquoted_empty_is_null() throws IOException {
    Frame f = Csv.read(file("s,n\n\"\",1\n,2\n"), null);

    assertThat(f.column("s").toList()).containsExactly("", null);
  }

  @Test
  void reads_crlf_line_endings() throws IOException {
    Frame f = Csv.read(file("id,name\r\n1,\"x\r\ny\"\r\n2,z\r\n"), null);

    assertThat(f.schema().names()).containsExactly("id", "name");
    assertThat(f.column("id").toLongArray()).containsExactly(1, 2);
    assertThat(f.column("name").toList()).containsExactly("x\r\ny", "z");
  }

  @Test
  void reads_a_file_without_final_newline_and_skips_blank_lines() throws IOException {
    Frame f = Csv.read(file("a,b\n\n1,2\n\n3,4"), null);

    assertThat(f.column("a").toLongArray()).containsExactly(1, 3);
    assertThat(f.column("b").toLongArray()).containsExactly(2, 4);
  }

  @Test
  void ignores_a_utf8_byte_order_mark_and_spaces_around_header_names() throws IOException {
    Schema s = Schema.of(Field.of("id", DataType.LONG), Field.of("name", DataType.STRING));

    Frame f = Csv.read(file("\uFEFFid, name\n1,x\n"), s);

    assertThat(f.schema().names()).containsExactly("id", "name");
    assertThat(Csv.read(file("\uFEFFid,name\n1,x\n"), null).schema().names()).containsExactly("id", "name");
  }

  @Test
  void ragged_line_error_names_the_line_of_the_file() throws IOException {
    // the record on line 5 starts after a record spanning lines 2-3 and a blank line 4
    Path p = file("a,b\n1,\"x\ny\"\n\n2,3,4\n");

    assertThatThrownBy(() -> Csv.read(p, null))
        .isInstanceOf(SchemaMismatchException.class)
        .hasMessageContaining("line 5")
        .hasMessageContaining("3 fields")
        .hasMessageContaining("header has 2")
        .hasMessageContaining(p.toString());
  }

  @Test
  void unclosed_quote_is_an_error_naming_where_it_opened() throws IOException {
    assertThatThrownBy(() -> Csv.read(file("a,b\n1,2\n3,\"open\n\n\n"), null))
        .isInstanceOf(MlopsException.class)
        .hasMessageContaining("quoted field")
        .hasMessageContaining("line 3");
  }

  @Test
  void empty_file_needs_a_header() throws IOException {
    assertThatThrownBy(() -> Csv.read(file(""), null))
        .isInstanceOf(MlopsException.class)
        .hasMessageContaining("header");
  }

  @Test
  void header_only_gives_an_empty_frame() throws IOException {
    Frame f = Csv.read(file("a,b\n"), null);

    assertThat(f.rowCount()).isZero();
    assertThat(f.schema().names()).containsExactly("a", "b");
  }

  @Test
  void reads_with_a_schema_using_its_types() throws IOException {
    Schema s = Schema.of(Field.of("zip", DataType.STRING), Field.of("n", DataType.INT),
        Field.of("x", DataType.DOUBLE));

    Frame f = Csv.read(file("zip,n,x\n01234,7,1\n,,\n"), s);

    assertThat(f.schema().fields()).extracting(Field::type)
        .containsExactly(DataType.STRING, DataType.INT, DataType.DOUBLE);
    assertThat(f.row(0)).containsValues("01234", 7, 1.0);
    assertThat(f.column("n").isNull(1)).isTrue();
  }

  @Test
  void schema_parse_error_names_column_row_and_text() throws IOException {
    Schema s = Schema.of(Field.of("id", DataType.LONG), Field.of("spend", DataType.DOUBLE));
    Path p = file("id,spend\n1,2.0\n2,lots\n");

    assertThatThrownBy(() -> Csv.read(p, s))
        .isInstanceOf(SchemaMismatchException.class)
        .hasMessageContaining("'lots'")
        .hasMessageContaining("'spend'")
        .hasMessageContaining("row 1")
        .hasMessageContaining("line 3")
        .hasMessageContaining("DOUBLE");
  }

  @Test
  void schema_with_other_names_is_rejected_listing_both() throws IOException {
    Schema s = Schema.of(Field.of("id", DataType.LONG), Field.of("spend", DataType.DOUBLE));

    assertThatThrownBy(() -> Csv.read(file("id,amount\n1,2\n"), s))
        .isInstanceOf(SchemaMismatchException.class)
        .hasMessageContaining("[id, amount]")
        .hasMessageContaining("[id, spend]");
  }

  @Test
  void write_then_read_round_trips_inferable_types() throws IOException {
    Frame f = Frame.builder(Schema.of(Field.of("id", DataType.LONG), Field.of("x", DataType.DOUBLE),
            Field.of("ok", DataType.BOOLEAN), Field.of("s", DataType.STRING),
            Field.of("t", DataType.TIMESTAMP), Field.of("day", DataType.DATE)))
        .row(1L, 1.0, true, "a,\"b\"\r\nc", Instant.parse("2024-01-02T03:04:05.123456Z"), LocalDate.of(2024, 1, 2))
        .row(2L, null, null, null, null, null)
        .row(null, 1e300, false, "", Instant.parse("1900-01-01T00:00:00Z"), LocalDate.of(1900, 1, 1))
        .row(4L, Double.NEGATIVE_INFINITY, true, "  padded ", Instant.parse("2024-01-02T03:04:05Z"), LocalDate.of(9999, 12, 31))
        .build();
    Path p = dir.resolve("out.csv");

    Csv.write(f, p);
    Frame back = Csv.read(p, null);

    assertThat(back).isEqualTo(f);
  }

  // Package-private, in another package than Frame: what a user's local or nested record is.
  record Sale(long id, String city, double amount, LocalDate day) {}

  @Test
  void write_then_read_round_trips_a_frame_built_from_package_private_records() throws IOException {
    Frame f = Frame.fromRecords(java.util.List.of(new Sale(1, "Oslo", 9.5, LocalDate.of(2024, 1, 2)),
        new Sale(2, "Lima, Peru", 3.25, LocalDate.of(2024, 1, 3))));
    Path p = dir.resolve("sales.csv");

    Csv.write(f, p);

    assertThat(Csv.read(p, null)).isEqualTo(f);
  }

  @Test
  void write_then_read_keeps_nulls_of_a_single_column() throws IOException {
    Frame f = Frame.of(Column.of("s", DataType.STRING, Arrays.asList("a", null, "", null)));
    Path p = dir.resolve("one.csv");

    Csv.write(f, p);

    assertThat(Csv.read(p, f.schema())).isEqualTo(f);
  }

  @Test
  void write_quotes_only_where_needed() throws IOException {
    Path p = dir.resolve("out.csv");
    Csv.write(Frame.of(Column.ofLongs("id", 1, 2), Column.ofStrings("s", "plain", "a,b")), p);

    assertThat(Files.readString(p)).isEqualTo("id,s\n1,plain\n2,\"a,b\"\n");
  }

  @Test
  void write_to_a_missing_directory_names_the_path() {
    Path p = dir.resolve("no/such/dir/out.csv");

    assertThatThrownBy(() -> Csv.write(Frame.of(Column.ofLongs("id", 1)), p))
        .isInstanceOf(dev.mlops.core.StorageException.class)
        .hasMessageContaining(p.toString());
  }

  // ------------------------------------------------------------------ the types of issue 9

  private static final Schema NEW_TYPES = Schema.of(Field.of("id", DataType.LONG), Field.of("tiny", DataType.BYTE),
      Field.of("small", DataType.SHORT), Field.of("flt", DataType.FLOAT), Field.of("price", ColumnType.decimal(10, 2)),
      Field.of("big", ColumnType.decimal(38, 18)), Field.of("raw", DataType.BINARY),
      Field.of("local", DataType.TIMESTAMP_NTZ), Field.of("day", DataType.DATE), Field.of("at", DataType.TIMESTAMP));

  private static Frame newTypes() {
    return Frame.builder(NEW_TYPES)
        .row(1L, (byte) -128, (short) -32768, 1.1f, new BigDecimal("12345678.99"),
            new BigDecimal("12345678901234567890.123456789012345678"), new byte[] {0, 1, 2, (byte) 0xFF},
            LocalDateTime.parse("2024-02-29T23:59:59.999999"), LocalDate.parse("0001-01-01"),
            Instant.parse("1969-12-31T23:59:59.999999Z"))
        .row(2L, (byte) 127, (short) 32767, Float.NaN, new BigDecimal("-0.01"), new BigDecimal("0E-18"), new byte[0],
            LocalDateTime.parse("1000-01-01T00:00:00"), LocalDate.parse("9999-12-31"), Instant.parse("2024-01-01T00:00:00Z"))
        .row(3L, null, null, -0.0f, null, new BigDecimal("-99999999999999999999.999999999999999999"), null, null, null,
            null)
        .row(4L, (byte) 0, (short) 0, Float.MAX_VALUE, new BigDecimal("0.00"), null, new byte[] {(byte) 0x80},
            LocalDateTime.parse("1970-01-01T00:00:00.000001"), LocalDate.parse("1582-10-04"), null)
        .row(5L, null, null, Float.NEGATIVE_INFINITY, null, null, null, null, null, null)
        .build();
  }

  @Test
  void write_then_read_round_trips_byte_short_float_decimal_binary_ntz_and_date_exactly() throws IOException {
    Frame in = newTypes();
    Path p = dir.resolve("types.csv");
    Csv.write(in, p);
    Frame out = Csv.read(p, NEW_TYPES);
    assertThat(out.schema()).isEqualTo(in.schema());
    assertThat(out).isEqualTo(in);
    assertThat(out.column("raw").getBinary(1)).isEmpty(); // the empty value is not null
    assertThat(out.column("raw").isNull(2)).isTrue();
    assertThat(out.column("big").getDecimal(1)).isEqualTo(new BigDecimal("0E-18"));
    assertThat(Float.floatToIntBits(out.column("flt").getFloat(2))).isEqualTo(Float.floatToIntBits(-0.0f));

    List<String> lines = Files.readAllLines(p);
    assertThat(lines.get(1)).isEqualTo("1,-128,-32768,1.1,12345678.99,12345678901234567890.123456789012345678,AAEC/w==,"
        + "2024-02-29T23:59:59.999999,0001-01-01,1969-12-31T23:59:59.999999Z");
    assertThat(lines.get(2)).contains(",0.000000000000000000,\"\",1000-01-01T00:00,");
  }

  @Test
  void reads_new_types_from_text_written_by_other_tools() throws IOException {
    Frame f = Csv.read(file("id,tiny,small,flt,price,big,raw,local,day,at\n"
        + "1, 7 ,-7,2.5e3,1e2,-1.5,aGk=,2024-01-31 12:00:00.5,2024-01-31,2024-01-31T12:00:00+02:00\n"), NEW_TYPES);
    assertThat(f.rows().get(0)).containsEntry("tiny", (byte) 7).containsEntry("small", (short) -7)
        .containsEntry("flt", 2500f).containsEntry("price", new BigDecimal("100.00"))
        .containsEntry("big", new BigDecimal("-1.500000000000000000"))
        .containsEntry("local", LocalDateTime.parse("2024-01-31T12:00:00.5"))
        .containsEntry("at", Instant.parse("2024-01-31T10:00:00Z"));
    assertThat(f.column("raw").getBinary(0)).isEqualTo("hi".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void values_that_do_not_fit_the_new_types_are_errors_naming_column_line_and_rule() throws IOException {
    String header = "id,tiny,small,flt,price,big,raw,local,day,at\n";
    String ok = "1,1,1,1,1,1,AA==,2024-01-01T00:00,2024-01-01,2024-01-01T00:00:00Z";
    String[][] bad = {
        {"tiny", "1,128,1,1,1,1,AA==,2024-01-01T00:00,2024-01-01,2024-01-01T00:00:00Z", "from -128 to 127"},
        {"small", "1,1,40000,1,1,1,AA==,2024-01-01T00:00,2024-01-01,2024-01-01T00:00:00Z", "from -32768 to 32767"},
        {"flt", "1,1,1,1e39,1,1,AA==,2024-01-01T00:00,2024-01-01,2024-01-01T00:00:00Z", "FLOAT's range"},
        {"price", "1,1,1,1,1.001,1,AA==,2024-01-01T00:00,2024-01-01,2024-01-01T00:00:00Z", "at most 2 digits after"},
        {"price", "1,1,1,1,123456789,1,AA==,2024-01-01T00:00,2024-01-01,2024-01-01T00:00:00Z", "8 before"},
        {"big", "1,1,1,1,1,NaN,AA==,2024-01-01T00:00,2024-01-01,2024-01-01T00:00:00Z", "decimal number"},
        {"raw", "1,1,1,1,1,1,not base64!,2024-01-01T00:00,2024-01-01,2024-01-01T00:00:00Z", "base64"},
        {"local", "1,1,1,1,1,1,AA==,2024-01-01T00:00Z,2024-01-01,2024-01-01T00:00:00Z", "without offset or Z"}};
    for (String[] b : bad) {
      Path p = file(header + ok + "\n" + b[1] + "\n");
      assertThatThrownBy(() -> Csv.read(p, NEW_TYPES)).as(b[1]).isInstanceOf(SchemaMismatchException.class)
          .hasMessageContaining("column '" + b[0] + "'").hasMessageContaining("line 3").hasMessageContaining(b[2]);
    }
  }

  @Test
  void nested_columns_are_typed_errors_naming_the_column_and_write_nothing() throws IOException {
    Schema s = Schema.of(Field.of("id", DataType.LONG),
        Field.of("window", ColumnType.struct(Field.of("start", DataType.TIMESTAMP))));
    Frame f = Frame.builder(s).row(1L, Map.of("start", Instant.EPOCH)).build();
    Path out = dir.resolve("nested.csv");
    assertThatThrownBy(() -> Csv.write(f, out)).isInstanceOf(SchemaMismatchException.class)
        .hasMessageContaining("Column 'window'").hasMessageContaining("STRUCT, ARRAY or MAP")
        .hasMessageContaining("nothing was written");
    assertThat(out).doesNotExist();

    Path in = file("id,window\n1,x\n");
    assertThatThrownBy(() -> Csv.read(in, s)).isInstanceOf(SchemaMismatchException.class)
        .hasMessageContaining("Column 'window'").hasMessageContaining(in.toString());
    Schema tags = Schema.of(Field.of("id", DataType.LONG), Field.of("tags", ColumnType.array(DataType.STRING)));
    Path in2 = file("id,tags\n1,x\n");
    assertThatThrownBy(() -> Csv.read(in2, tags)).isInstanceOf(SchemaMismatchException.class)
        .hasMessageContaining("Column 'tags'");
  }

  @Test
  void decimal_override_without_precision_says_to_pass_a_schema() throws IOException {
    Path p = file("id,amount\n1,2.5\n");
    Csv.Options o = Csv.Options.defaults();
    Csv.Options dec = new Csv.Options(o.header(), o.names(), o.delimiter(), o.quote(), o.nullTokens(),
        Map.of("amount", DataType.DECIMAL), null, o.sampleRows(), o.zone());
    assertThatThrownBy(() -> Csv.open(p, dec, List.of(), null, 100)).isInstanceOf(SchemaMismatchException.class)
        .hasMessageContaining("Column 'amount'").hasMessageContaining("ColumnType.decimal(p, s)");
    Csv.Options shorts = new Csv.Options(o.header(), o.names(), o.delimiter(), o.quote(), o.nullTokens(),
        Map.of("amount", DataType.FLOAT), null, o.sampleRows(), o.zone());
    try (var s = Csv.open(p, shorts, List.of(), null, 100)) {
      assertThat(s.collect().column("amount").getFloat(0)).isEqualTo(2.5f);
    }
  }
}
