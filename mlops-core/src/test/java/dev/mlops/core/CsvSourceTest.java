package dev.mlops.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Streaming CSV: options, inference with overrides, errors naming line and column, bounded batches. */
class CsvSourceTest {
  @TempDir Path dir;

  Path file(String text) throws IOException {
    Path p = dir.resolve("f" + System.nanoTime() + ".csv");
    Files.writeString(p, text, StandardCharsets.UTF_8);
    return p;
  }

  @Test
  void reads_quoted_fields_null_tokens_overrides_and_zones() throws IOException {
    Path p = file("id;zip;note;at;day\n"
        + "1;01234;\"a;b \"\"q\"\"\nnext\";2026-03-01 09:00;2026-03-01\n"
        + "2;NA;\"NA\";2026-03-01T09:00:00Z;\n"
        + "3;99999;;2026-03-01T09:00:00+02:00;NULL\n");
    Frame f = CsvSource.of(p).delimiter(';').nullTokens("NA", "NULL").type("zip", DataType.STRING)
        .zone(ZoneId.of("Europe/Oslo")).load();
    assertThat(f.schema()).isEqualTo(Schema.of(Field.of("id", DataType.LONG), Field.of("zip", DataType.STRING),
        Field.of("note", DataType.STRING), Field.of("at", DataType.TIMESTAMP), Field.of("day", DataType.DATE)));
    assertThat(f.column("zip").toList()).containsExactly("01234", null, "99999");
    assertThat(f.column("note").toList()).containsExactly("a;b \"q\"\nnext", "NA", null);
    assertThat(f.column("at").toList()).containsExactly(Instant.parse("2026-03-01T08:00:00Z"),
        Instant.parse("2026-03-01T09:00:00Z"), Instant.parse("2026-03-01T07:00:00Z"));
    assertThat(f.column("day").toList()).containsExactly(LocalDate.of(2026, 3, 1), null, null);
  }

  @Test
  void files_without_header_get_given_or_numbered_names() throws IOException {
    Path p = file("1,x\n2,y\n");
    assertThat(CsvSource.of(p).header(false).load().schema().names()).containsExactly("c1", "c2");
    Frame f = CsvSource.of(p).columnNames("id", "name").load();
    assertThat(f.column("name").toList()).containsExactly("x", "y");
    assertThatThrownBy(() -> CsvSource.of(p).columnNames("id").load()).isInstanceOf(SchemaMismatchException.class)
        .hasMessageContaining("line 1").hasMessageContaining("one name per field");
  }

  @Test
  void a_value_beyond_the_type_sample_is_refused_naming_line_column_and_the_fix() throws IOException {
    StringBuilder sb = new StringBuilder("id,amount\n");
    for (int i = 0; i < 50; i++) {
      sb.append(i).append(',').append(i * 2).append('\n');
    }
    sb.append("50,lots\n");
    Path p = file(sb.toString());
    assertThatThrownBy(() -> CsvSource.of(p).sampleRows(10).load()).isInstanceOf(SchemaMismatchException.class)
        .hasMessageContaining("'lots'").hasMessageContaining("'amount'").hasMessageContaining("line 52")
        .hasMessageContaining("LONG").hasMessageContaining("type(\"amount\", DataType.STRING)")
        .hasMessageContaining("sampleRows");
    assertThat(CsvSource.of(p).load().column("amount").type()).isEqualTo(DataType.STRING);
    assertThatThrownBy(() -> CsvSource.of(file("a,a\n1,2\n")).load()).isInstanceOf(SchemaMismatchException.class)
        .hasMessageContaining("twice");
    assertThatThrownBy(() -> CsvSource.of(dir.resolve("none.csv"))).isInstanceOf(StorageException.class)
        .hasMessageContaining("none.csv");
  }

  @Test
  void batches_are_bounded_and_projection_and_filter_apply_on_the_way_in() throws IOException {
    StringBuilder sb = new StringBuilder("id,group,x\n");
    for (int i = 0; i < 10_000; i++) {
      sb.append(i).append(',').append("g").append(i % 4).append(',').append(i % 3 == 0 ? "" : i * 0.5).append('\n');
    }
    Path p = file(sb.toString());
    CsvSource src = CsvSource.of(p).columns("x", "id").filter(Filter.eq("group", "g1")).batchRows(999);
    assertThat(src.schema().names()).containsExactly("x", "id");
    List<Frame> batches = new ArrayList<>();
    try (FrameStream s = src.open()) {
      s.forEachRemaining(batches::add);
    }
    assertThat(batches).allSatisfy(b -> assertThat(b.rowCount()).isBetween(1, 999));
    Frame all = Frame.concat(batches);
    assertThat(all.rowCount()).isEqualTo(2500);
    assertThat(all.column("id").toLongArray()[0]).isEqualTo(1);
    assertThat(all.column("x").nullCount()).isEqualTo(833);
  }

  @Test
  void a_csv_creates_a_table_in_one_commit() throws IOException {
    Path p = file("id,name\n1,a\n2,b\n3,\n");
    try (Workspace ws = Workspace.open(dir.resolve("ws"))) {
      DeltaTable t = ws.tables().create("main.raw.csv").createFrom(CsvSource.of(p));
      assertThat(t.version()).isEqualTo(1);
      assertThat(t.read().load()).isEqualTo(Frame.readCsv(p));
    }
  }

  /** Run in a child JVM with a small heap: imports a CSV file into a new table. */
  public static void main(String[] args) {
    try (Workspace ws = Workspace.open(Path.of(args[0]))) {
      DeltaTable t = ws.tables().create("main.raw.big").createFrom(CsvSource.of(Path.of(args[1])));
      System.out.println("committed " + t.version());
    }
  }

  @Test
  @Tag("stress")
  void three_million_rows_import_in_a_64_mb_heap() throws Exception {
    Path p = dir.resolve("big.csv");
    int rows = 3_000_000;
    try (BufferedWriter w = Files.newBufferedWriter(p, StandardCharsets.UTF_8)) {
      w.write("id,name,amount,at\n");
      for (int i = 0; i < rows; i++) {
        w.write(i + ",\"customer " + Integer.toString(i, 36) + "\"," + (i % 7 == 0 ? "" : i * 0.25)
            + ",2026-01-01T00:00:00Z\n");
      }
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path out = dir.resolve("child.out");
    Process proc = new ProcessBuilder(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
        CsvSourceTest.class.getName(), dir.resolve("ws").toString(), p.toString())
        .redirectErrorStream(true).redirectOutput(out.toFile()).start();
    assertThat(proc.waitFor(10, TimeUnit.MINUTES)).isTrue();
    String text = Files.readString(out);
    assertThat(proc.exitValue()).as(text).isZero();
    try (Workspace ws = Workspace.open(dir.resolve("ws"))) {
      Frame f = ws.tables().get("main.raw.big").read().columns("amount").load();
      assertThat(f.rowCount()).isEqualTo(rows);
      assertThat(f.column("amount").nullCount()).isEqualTo((rows + 6) / 7);
    }
  }
}
