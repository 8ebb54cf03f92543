package dev.mlops.core.internal.delta;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlops.core.Column;
import dev.mlops.core.ColumnType;
import dev.mlops.core.DataType;
import dev.mlops.core.DeltaTable;
import dev.mlops.core.Filter;
import dev.mlops.core.Frame;
import dev.mlops.core.Workspace;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Delta statistics the SDK writes for each data file (read from the file's Parquet footer by
 * FooterStats, not by Kernel's reader, which needs Hadoop's shaded client): checked against values
 * computed from the data itself, type by type, with nulls and an all-null column.
 */
class FooterStatsTest {
  @TempDir Path dir;
  // numbers as written (a decimal(30,3) does not fit a double)
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  @Test
  void every_written_file_carries_min_max_and_null_counts_of_its_data() throws Exception {
    boolean[] lastNull = {false, false, false, false, true};
    Frame data = Frame.of(
        Column.ofLongs("l", new long[] {5, -7, 12, 0, 99}, lastNull),
        Column.ofInts("i", new int[] {3, 1, 2, -4, 0}, lastNull),
        Column.ofDoubles("d", new double[] {0.5, -2.25, 8.0, 1.0, 0}, lastNull),
        Column.ofStrings("s", "pear", "apple", "zucchini", null, "kiwi"),
        Column.ofDates("day", new int[] {20454, 20450, 20460, 20455, 0}, lastNull),
        Column.ofTimestamps("ts", new long[] {1_767_225_600_000_000L, 1_767_225_600_000_001L, 1_767_312_000_000_000L,
            1_767_225_600_000_000L, 0}, lastNull),
        Column.ofDecimals("m", ColumnType.decimal(10, 2), new long[] {1234, -5, 99999, 0, 0}, lastNull),
        Column.of("big", ColumnType.decimal(30, 3), Arrays.asList(new BigDecimal("123456789012345678901.234"),
            new BigDecimal("-1.000"), null, new BigDecimal("0.001"), new BigDecimal("7.000"))),
        Column.ofLongs("none", new long[5], new boolean[] {true, true, true, true, true}));
    try (Workspace ws = Workspace.open(dir)) {
      DeltaTable t = ws.tables().create("main.s.t").schema(data.schema()).create();
      t.append(data);

      Stats st = stats(Path.of(java.net.URI.create(t.location())));
      assertThat(st.json.get("numRecords").asLong()).isEqualTo(5);
      st.expect("l", "-7", "12", 1);
      st.expect("i", "-4", "3", 1);
      assertThat(new BigDecimal(st.min("d"))).isEqualByComparingTo("-2.25");
      assertThat(new BigDecimal(st.max("d"))).isEqualByComparingTo("8");
      assertThat(st.nulls("d")).isEqualTo(1);
      st.expect("s", "apple", "zucchini", 1);
      st.expect("day", "2025-12-28", "2026-01-07", 1);
      assertThat(st.min("ts")).startsWith("2026-01-01T00:00:00.000");
      assertThat(st.max("ts")).startsWith("2026-01-02T00:00:00.000");
      assertThat(new BigDecimal(st.min("m"))).isEqualByComparingTo("-0.05");
      assertThat(new BigDecimal(st.max("m"))).isEqualByComparingTo("999.99");
      // wider than 18 digits: stored as fixed-length binary in Parquet
      assertThat(new BigDecimal(st.min("big"))).isEqualByComparingTo("-1.000");
      assertThat(new BigDecimal(st.max("big"))).isEqualByComparingTo("123456789012345678901.234");
      assertThat(st.nulls("big")).isEqualTo(1);
      assertThat(st.nulls("none")).isEqualTo(5);
      assertThat(st.min("none")).isNull();

      // and Kernel skips files by them: a filter outside [min, max] of the only file reads nothing
      assertThat(t.read().filter(Filter.gt("l", 1000L)).load().rowCount()).isZero();
      assertThat(t.read().filter(Filter.eq("l", 12L)).load().rowCount()).isEqualTo(1);
    }
  }

  /** The stats of the one add action of the table's last commit, by logical column name. */
  private static Stats stats(Path table) throws Exception {
    Map<String, String> physical = new HashMap<>();
    JsonNode add = null;
    List<Path> commits;
    try (Stream<Path> s = Files.list(table.resolve("_delta_log"))) {
      commits = s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
    }
    for (Path c : commits) {
      for (String line : Files.readAllLines(c)) {
        JsonNode n = JSON.readTree(line);
        if (n.has("metaData")) {
          for (JsonNode f : JSON.readTree(n.get("metaData").get("schemaString").asText()).get("fields")) {
            JsonNode pn = f.get("metadata").get("delta.columnMapping.physicalName");
            physical.put(f.get("name").asText(), pn == null ? f.get("name").asText() : pn.asText());
          }
        }
        if (n.has("add")) {
          add = n.get("add");
        }
      }
    }
    assertThat(add).as("an add action").isNotNull();
    return new Stats(JSON.readTree(add.get("stats").asText()), physical);
  }

  private record Stats(JsonNode json, Map<String, String> physical) {
    String min(String col) {
      JsonNode v = json.get("minValues").get(physical.get(col));
      return v == null || v.isNull() ? null : v.asText();
    }

    String max(String col) {
      JsonNode v = json.get("maxValues").get(physical.get(col));
      return v == null || v.isNull() ? null : v.asText();
    }

    long nulls(String col) {
      return json.get("nullCount").get(physical.get(col)).asLong();
    }

    void expect(String col, String min, String max, long nulls) {
      assertThat(min(col)).as(col + " min").isEqualTo(min);
      assertThat(max(col)).as(col + " max").isEqualTo(max);
      assertThat(nulls(col)).as(col + " nulls").isEqualTo(nulls);
    }
  }
}
