package dev.mlops.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Parquet file whose rows take several times the heap of a child JVM (-Xmx64m) imports into a new
 * table: batches stream from the file into data files of one commit, and every row arrives. Tagged
 * stress: about 40 s on an idle 2-core machine, minutes on a loaded one ({@code mvn -Pstress verify}).
 */
@Tag("stress")
class LargerThanHeapImportTest {
  @TempDir Path dir;

  static final int ROWS = 2_500_000;

  @Test
  void a_file_several_times_larger_than_the_heap_imports_in_one_commit() throws Exception {
    MessageType schema = MessageTypeParser.parseMessageType("message m { required int64 id; optional double x;"
        + " optional binary name (STRING); required int64 ts (TIMESTAMP(MICROS,true)); }");
    Path file = dir.resolve("big.parquet");
    SimpleGroupFactory g = new SimpleGroupFactory(schema);
    try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new LocalOutputFile(file)).withType(schema)
        .withConf(new Configuration(false)).withCompressionCodec(CompressionCodecName.UNCOMPRESSED)
        .withDictionaryEncoding(false).withWriterVersion(ParquetProperties.WriterVersion.PARQUET_1_0)
        .withRowGroupSize(8L << 20).build()) {
      for (int i = 0; i < ROWS; i++) {
        Group row = g.newGroup().append("id", (long) i);
        if (i % 10 != 0) {
          row.append("x", i * 0.5).append("name", "customer-" + Integer.toString(i, 36));
        }
        w.write(row.append("ts", 1_700_000_000_000_000L + i));
      }
    }
    long heap = 64L << 20;
    // as frames the rows take ~ROWS * (3 * 8 + ~60 for a string) bytes: over 3x the child's heap
    assertThat((long) ROWS * 84).isGreaterThan(3 * heap);
    assertThat(Files.size(file)).isGreaterThan(heap);

    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path ws = dir.resolve("ws");
    Path out = dir.resolve("child.out");
    Process p = new ProcessBuilder(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
        ImportChild.class.getName(), ws.toString(), "main.raw.big", file.toString())
        .redirectErrorStream(true).redirectOutput(out.toFile()).start();
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
    String text = Files.readString(out, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as("child output:%n%s", text).isZero();
    assertThat(text).contains("committed 1");

    try (Workspace w = Workspace.open(ws)) {
      Frame f = w.tables().get("main.raw.big").read().columns("id", "x").load();
      assertThat(f.rowCount()).isEqualTo(ROWS);
      long[] ids = f.column("id").toLongArray();
      long sum = 0;
      for (long id : ids) {
        sum += id;
      }
      assertThat(sum).isEqualTo((long) ROWS * (ROWS - 1) / 2);
      assertThat(f.column("x").nullCount()).isEqualTo(ROWS / 10);
      assertThat(w.tables().get("main.raw.big").history()).hasSize(2);
    }
  }
}
