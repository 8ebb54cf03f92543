package dev.mlops.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.Column;
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
import java.util.Arrays;
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
}
