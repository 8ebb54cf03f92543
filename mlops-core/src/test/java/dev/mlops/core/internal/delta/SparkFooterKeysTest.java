package dev.mlops.core.internal.delta;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Frame;
import dev.mlops.core.Schema;
import dev.mlops.core.Workspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SDK's data files carry the footer keys Spark 3.x reads to choose the calendar: a writer version
 * and no legacy key, so that Spark reads dates before 1582-10-15 with default settings (without the
 * version key Spark 3.5 refuses them with READ_ANCIENT_DATETIME).
 */
class SparkFooterKeysTest {
  @TempDir Path dir;

  @Test
  void sdk_data_files_say_they_are_proleptic_as_spark_3_writes_it() throws Exception {
    Schema s = Schema.of(Field.of("id", DataType.LONG), Field.of("day", DataType.DATE),
        Field.of("ts", DataType.TIMESTAMP));
    Frame data = Frame.builder(s).row(1L, LocalDate.of(1000, 2, 28), Instant.parse("1200-01-01T00:00:00Z"))
        .row(2L, LocalDate.of(1582, 10, 4), Instant.parse("1582-10-04T12:00:00Z"))
        .row(3L, LocalDate.of(2024, 2, 29), Instant.parse("2024-02-29T00:00:01Z")).build();
    Path table = dir.resolve("tables/main/t/p");
    try (Workspace ws = Workspace.open(dir)) {
      ws.tables().create("main.t.p").schema(s).create().append(data);
      ws.tables().get("main.t.p").append(data.head(1));
      Frame back = ws.tables().get("main.t.p").read().load();
      assertThat(back.rowCount()).isEqualTo(4);
      assertThat(back.head(3).column("day").get(0)).isEqualTo(LocalDate.of(1000, 2, 28));
    }
    Map<String, Long> logged = addedSizes(table);
    List<Path> files;
    try (Stream<Path> w = Files.walk(table)) {
      files = w.filter(p -> p.toString().endsWith(".parquet") && !p.toString().contains("_delta_log")).toList();
    }
    assertThat(files).hasSize(2);
    for (Path f : files) {
      try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(f))) {
        Map<String, String> kv = r.getFooter().getFileMetaData().getKeyValueMetaData();
        assertThat(kv).containsEntry("org.apache.spark.version", "3.5.0")
            .doesNotContainKeys("org.apache.spark.legacyDateTime", "org.apache.spark.legacyINT96");
        // written by the SDK's columnar writer (flat batches) or Kernel's (nested): either names itself
        assertThat(kv.keySet()).containsAnyOf("writer.model.name", "io.delta.kernel.default-parquet-writer");
        assertThat(r.getRecordCount()).isPositive();
      }
      // the log records the size of the file as it is after the footer change
      assertThat(logged).containsEntry(f.getFileName().toString(), Files.size(f));
    }
  }

  /** File name → size of every add action in the table's log. */
  static Map<String, Long> addedSizes(Path table) throws Exception {
    ObjectMapper m = new ObjectMapper();
    Map<String, Long> out = new HashMap<>();
    try (Stream<Path> logs = Files.list(table.resolve("_delta_log"))) {
      for (Path p : logs.filter(p -> p.toString().endsWith(".json")).toList()) {
        for (String line : Files.readAllLines(p)) {
          JsonNode add = m.readTree(line).get("add");
          if (add != null) {
            String path = add.get("path").asText();
            out.put(path.substring(path.lastIndexOf('/') + 1), add.get("size").asLong());
          }
        }
      }
    }
    return out;
  }
}
