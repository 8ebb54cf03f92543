package dev.mlops.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reads and writes Delta tables that real Spark 4.0 + Delta Lake 4.0 wrote (see
 * {@code tools/spark-fixtures}). Each table under {@code src/test/resources/spark-tables} has a
 * {@code <name>.expected.json} beside it with what Spark itself read back: the rows of the latest
 * version and of one older version, and the history. Every test works on a copy in a temp dir.
 *
 * <p>Set {@code -Dspark.tables.export=DIR} to keep the tables the write tests changed, so that
 * {@code tools/spark-fixtures} can read them back with Spark ({@code verify} mode).
 */
class SparkTablesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path tmp;

  private Workspace ws;

  @BeforeEach
  void open() {
    ws = Workspace.open(tmp.resolve("ws"));
  }

  @AfterEach
  void close() {
    ws.close();
  }

  // ------------------------------------------------------------------ reads

  @Test
  void plain_table_reads_exactly_what_spark_reads() {
    DeltaTable t = table("plain");
    Expected e = expected("plain");

    assertThat(t.version()).isEqualTo(e.version);
    assertThat(t.schema().names()).containsExactly("id", "i", "d", "b", "s", "ts", "dt");
    assertThat(t.schema().fields().stream().map(Field::type)).containsExactly(DataType.LONG, DataType.INT,
        DataType.DOUBLE, DataType.BOOLEAN, DataType.STRING, DataType.TIMESTAMP, DataType.DATE);
    assertThat(sorted(t.read().load())).isEqualTo(e.rows);
  }

  @Test
  void plain_table_reads_timestamps_as_utc_microsecond_instants() {
    Frame f = table("plain").read().filter(Filter.le("id", 3L)).load();
    Map<Long, Instant> ts = new TreeMap<>();
    for (int i = 0; i < f.rowCount(); i++) {
      ts.put(f.column("id").getLong(i), (Instant) f.column("ts").get(i));
    }
    assertThat(ts).containsExactly(
        Map.entry(1L, Instant.parse("1969-12-31T23:59:59.999999Z")),
        Map.entry(2L, Instant.parse("2024-01-01T02:00:00.246912Z")),
        Map.entry(3L, Instant.parse("2024-01-01T03:00:00.370368Z")));
  }

  @Test
  void plain_table_time_travels_to_an_older_version() {
    Expected e = expected("plain");
    assertThat(sorted(table("plain").read().version(e.olderVersion).load())).isEqualTo(e.olderRows);
  }

  @Test
  void plain_table_projects_and_filters_like_spark() {
    DeltaTable t = table("plain");
    Expected e = expected("plain");

    assertThat(sorted(t.read().columns("s", "id").filter(Filter.gt("id", 25L)).load()))
        .isEqualTo(project(select(e.rows, r -> (Long) r.get("id") > 25), "id", "s"));
    assertThat(sorted(t.read().columns("id", "d").filter(Filter.eq("s", "name-5")).load()))
        .isEqualTo(project(select(e.rows, r -> "name-5".equals(r.get("s"))), "id", "d"));
    assertThat(sorted(t.read().filter(Filter.gt("ts", Instant.parse("2024-01-01T20:00:00Z"))).load()))
        .isEqualTo(select(e.rows, r -> r.get("ts") != null
            && ((Instant) r.get("ts")).isAfter(Instant.parse("2024-01-01T20:00:00Z"))));
    assertThat(sorted(t.read().filter(Filter.eq("dt", LocalDate.parse("1969-07-20"))).load()))
        .isEqualTo(select(e.rows, r -> LocalDate.parse("1969-07-20").equals(r.get("dt"))));
    assertThat(sorted(t.read().filter(Filter.gt("i", 0)).load()))
        .isEqualTo(select(e.rows, r -> r.get("i") != null && (Integer) r.get("i") > 0));
    assertThat(sorted(t.read().filter(Filter.eq("b", true)).load()))
        .isEqualTo(select(e.rows, r -> Boolean.TRUE.equals(r.get("b"))));
  }

  @Test
  void partitioned_table_reads_partition_values_including_null() {
    DeltaTable t = table("partitioned");
    Expected e = expected("partitioned");

    assertThat(t.partitionColumns()).containsExactly("region", "day");
    assertThat(sorted(t.read().load())).isEqualTo(e.rows);
    assertThat(sorted(t.read().version(e.olderVersion).load())).isEqualTo(e.olderRows);
    assertThat(sorted(t.read().filter(Filter.eq("region", "EU")).load()))
        .isEqualTo(select(e.rows, r -> "EU".equals(r.get("region"))));
    assertThat(sorted(t.read().filter(Filter.and(Filter.eq("day", LocalDate.parse("2024-03-01")),
        Filter.gt("id", 10L))).load()))
        .isEqualTo(select(e.rows, r -> LocalDate.parse("2024-03-01").equals(r.get("day")) && (Long) r.get("id") > 10));
    assertThat(sorted(t.read().columns("id").filter(Filter.isNull("region")).load()))
        .containsExactly(Map.of("id", 24L));
  }

  @Test
  void column_mapping_table_returns_logical_names_after_rename_and_drop() {
    DeltaTable t = table("column_mapping");
    Expected e = expected("column_mapping");

    assertThat(t.schema().names()).containsExactly("id", "full_name", "score");
    assertThat(sorted(t.read().load())).isEqualTo(e.rows);
    assertThat(sorted(t.read().columns("id", "full_name").filter(Filter.eq("full_name", "person-3")).load()))
        .containsExactly(Map.of("id", 3L, "full_name", "person-3"));
    assertThat(sorted(t.read().filter(Filter.gt("score", 15.0)).load()))
        .isEqualTo(select(e.rows, r -> r.get("score") != null && (Double) r.get("score") > 15.0));
  }

  @Test
  void column_mapping_table_time_travels_to_the_schema_before_the_rename() {
    DeltaTable t = table("column_mapping");
    Expected e = expected("column_mapping");

    assertThat(t.read().version(e.olderVersion).schema().names()).containsExactly("id", "name", "score", "legacy");
    assertThat(sorted(t.read().version(e.olderVersion).load())).isEqualTo(e.olderRows);
  }

  @Test
  void deletion_vector_rows_stay_deleted() {
    DeltaTable t = table("deletion_vectors");
    Expected e = expected("deletion_vectors");

    List<Map<String, Object>> rows = sorted(t.read().load());
    assertThat(rows).isEqualTo(e.rows).hasSize(24);
    assertThat(ids(rows)).noneMatch(id -> id % 4 == 0 || id % 5 == 0);
    assertThat(sorted(t.read().filter(Filter.gt("id", 30L)).load()))
        .isEqualTo(select(e.rows, r -> (Long) r.get("id") > 30));
    assertThat(sorted(t.read().columns("id").filter(Filter.eq("id", 20L)).load())).isEmpty();
    assertThat(sorted(t.read().version(e.olderVersion).load())).isEqualTo(e.olderRows).hasSize(40);
  }

  @Test
  void checkpointed_table_reads_its_latest_version() {
    DeltaTable t = table("checkpointed");
    Expected e = expected("checkpointed");

    assertThat(tmp.resolve("checkpointed/_delta_log/_last_checkpoint")).exists();
    assertThat(tmp.resolve("checkpointed/_delta_log/00000000000000000010.checkpoint.parquet")).exists();
    assertThat(t.version()).isEqualTo(12);
    assertThat(sorted(t.read().load())).isEqualTo(e.rows).hasSize(24);
    assertThat(sorted(t.read().version(e.olderVersion).load())).isEqualTo(e.olderRows);
  }

  @Test
  void checkpointed_table_time_travels_by_in_commit_timestamp() {
    DeltaTable t = table("checkpointed");
    Expected e = expected("checkpointed");
    Instant older = e.historyTimestamps.get((int) e.olderVersion);

    assertThat(sorted(t.read().asOf(older).load())).isEqualTo(e.olderRows);
    assertThat(sorted(t.read().asOf(older.plusMillis(1)).load())).isEqualTo(e.olderRows);
  }

  @Test
  void int96_timestamps_equal_the_instants_spark_reads() {
    DeltaTable t = table("int96");
    Expected e = expected("int96");

    assertThat(t.schema().type("ts")).isEqualTo(DataType.TIMESTAMP);
    assertThat(sorted(t.read().load())).isEqualTo(e.rows);
    Frame old = t.read().columns("id", "ts").filter(Filter.lt("ts", Instant.parse("1970-01-01T00:00:00Z"))).load();
    assertThat(sorted(old)).containsExactly(
        Map.of("id", 1L, "ts", Instant.parse("1969-12-31T23:59:59.999999Z")),
        Map.of("id", 3L, "ts", Instant.parse("1900-01-01T00:00:00Z")));
  }

  @Test
  void generated_and_identity_columns_read_like_spark() {
    assertThat(sorted(table("generated_column").read().load())).isEqualTo(expected("generated_column").rows);
    assertThat(sorted(table("identity_column").read().load())).isEqualTo(expected("identity_column").rows);
    assertThat(sorted(table("check_constraint").read().load())).isEqualTo(expected("check_constraint").rows);
  }

  @Test
  void nested_columns_written_by_spark_read_exactly_and_the_sdk_appends_to_them() {
    DeltaTable t = table("nested_types");
    Expected e = expected("nested_types");

    assertThat(t.schema().names()).containsExactly("id", "tags", "info", "note");
    assertThat(t.schema().columnType("tags")).isEqualTo(ColumnType.array(DataType.INT));
    assertThat(t.schema().columnType("info"))
        .isEqualTo(ColumnType.struct(Field.of("a", DataType.INT), Field.of("b", DataType.STRING)));
    assertThat(sorted(t.read().load())).isEqualTo(e.rows);
    assertThat(sorted(t.read().columns("id", "note").load())).isEqualTo(project(e.rows, "id", "note"));

    Map<String, Object> mine = new TreeMap<>(Map.of("id", 100L, "tags", List.of(7, 8), "info", Map.of("a", 3, "b", "sdk"),
        "note", "sdk"));
    t.append(Frame.fromMaps(t.schema(), List.of(mine)));
    List<Map<String, Object>> want = new ArrayList<>(e.rows);
    want.add(mine);
    assertThat(sorted(t.read().load())).isEqualTo(want);
  }

  @ParameterizedTest
  @ValueSource(strings = {"plain", "partitioned", "column_mapping", "deletion_vectors", "checkpointed", "int96",
      "check_constraint", "generated_column", "identity_column", "nested_types"})
  void history_lists_sparks_commits_with_sparks_operation_names(String name) {
    Expected e = expected(name);
    List<Commit> h = table(name).history();

    assertThat(h).extracting(Commit::version).containsExactlyElementsOf(reversed(e.historyVersions));
    assertThat(h).extracting(Commit::operation).containsExactlyElementsOf(reversed(e.historyOperations));
    assertThat(h).allSatisfy(c -> assertThat(c.engineInfo()).contains("Apache-Spark/4.0.0", "Delta-Lake/4.0.0"));
  }

  @Test
  void history_counts_rows_of_spark_writes_from_file_statistics() {
    List<Commit> h = table("plain").history();
    assertThat(h).extracting(Commit::version, Commit::rowsAdded, Commit::rowsRemoved)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(2L, 10L, 0L), org.assertj.core.groups.Tuple.tuple(1L, 20L, 0L),
            org.assertj.core.groups.Tuple.tuple(0L, 0L, 0L));
  }

  // ------------------------------------------------------------------ writes that must work

  @Test
  void append_and_upsert_into_spark_plain_table() {
    DeltaTable t = table("plain");
    Expected e = expected("plain");
    List<Map<String, Object>> want = new ArrayList<>(e.rows);

    List<Map<String, Object>> added = List.of(
        row("id", 31L, "i", 7, "d", 0.25, "b", true, "s", "sdk-31", "ts", Instant.parse("2025-06-01T10:00:00.000001Z"),
            "dt", LocalDate.parse("2025-06-01")),
        row("id", 32L, "i", null, "d", null, "b", null, "s", null, "ts", null, "dt", null));
    t.append(Frame.fromMaps(t.schema(), added));
    want.addAll(added);
    assertThat(t.version()).isEqualTo(e.version + 1);
    assertThat(sorted(t.read().load())).isEqualTo(sortById(want));

    Map<String, Object> replaced = row("id", 5L, "i", -1, "d", 5.5, "b", false, "s", "upserted-5",
        "ts", Instant.parse("2025-01-01T00:00:00Z"), "dt", LocalDate.parse("2025-01-01"));
    Map<String, Object> inserted = row("id", 40L, "i", 40, "d", 40.0, "b", true, "s", "new-40",
        "ts", Instant.parse("2025-01-02T00:00:00Z"), "dt", LocalDate.parse("2025-01-02"));
    CommitResult r = t.upsert(Frame.fromMaps(t.schema(), List.of(replaced, inserted)), "id");
    assertThat(r.rowsUpdated()).isEqualTo(1);
    assertThat(r.rowsInserted()).isEqualTo(1);
    want.removeIf(m -> m.get("id").equals(5L));
    want.add(replaced);
    want.add(inserted);
    List<Map<String, Object>> now = sorted(t.read().load());
    assertThat(now).isEqualTo(sortById(want));
    assertThat(new HashSet<>(ids(now))).hasSize(now.size());
    assertThat(sorted(t.read().version(e.version).load())).isEqualTo(e.rows);
    export(t, "plain");
  }

  @Test
  void append_upsert_and_delete_on_spark_deletion_vector_table_keep_deleted_rows_deleted() {
    DeltaTable t = table("deletion_vectors");
    Expected e = expected("deletion_vectors");
    List<Map<String, Object>> want = new ArrayList<>(e.rows);
    Schema s = t.schema();

    List<Map<String, Object>> added = List.of(row("id", 41L, "cat", "sdk", "amount", 1.0),
        row("id", 42L, "cat", "sdk", "amount", 2.0));
    t.append(Frame.fromMaps(s, added));
    want.addAll(added);
    assertThat(sorted(t.read().load())).isEqualTo(sortById(want));

    // ids 1 and 2 live in the file that carries the deletion vector; 44 is new
    List<Map<String, Object>> changes = List.of(row("id", 1L, "cat", "up", "amount", -1.0),
        row("id", 2L, "cat", "up", "amount", -2.0), row("id", 44L, "cat", "sdk", "amount", 4.0));
    CommitResult r = t.upsert(Frame.fromMaps(s, changes), "id");
    assertThat(r.rowsUpdated()).isEqualTo(2);
    assertThat(r.rowsInserted()).isEqualTo(1);
    want.removeIf(m -> Set.of(1L, 2L).contains(m.get("id")));
    want.addAll(changes);
    List<Map<String, Object>> now = sorted(t.read().load());
    assertThat(now).isEqualTo(sortById(want));
    assertThat(ids(now)).doesNotHaveDuplicates().noneMatch(id -> id <= 40 && (id % 4 == 0 || id % 5 == 0));

    t.delete(Filter.eq("id", 3L));
    want.removeIf(m -> m.get("id").equals(3L));
    assertThat(sorted(t.read().load())).isEqualTo(sortById(want));
    export(t, "deletion_vectors");
  }

  @Test
  void append_and_upsert_into_spark_partitioned_table_move_rows_between_partitions() {
    DeltaTable t = table("partitioned");
    Expected e = expected("partitioned");
    List<Map<String, Object>> want = new ArrayList<>(e.rows);
    Schema s = t.schema();

    List<Map<String, Object>> added = List.of(
        row("id", 31L, "region", "EU", "day", LocalDate.parse("2024-03-01"), "value", 31.0),
        row("id", 32L, "region", "LATAM", "day", LocalDate.parse("2024-05-05"), "value", 32.0),
        row("id", 33L, "region", null, "day", null, "value", 33.0));
    t.append(Frame.fromMaps(s, added));
    want.addAll(added);
    assertThat(sorted(t.read().load())).isEqualTo(sortById(want));

    // id 1 moves from US to EU; id 24 leaves the null partition
    List<Map<String, Object>> changes = List.of(
        row("id", 1L, "region", "EU", "day", LocalDate.parse("2024-03-02"), "value", 100.0),
        row("id", 24L, "region", "US", "day", LocalDate.parse("2024-03-01"), "value", 240.0),
        row("id", 34L, "region", "APAC", "day", LocalDate.parse("2024-03-03"), "value", 34.0));
    CommitResult r = t.upsert(Frame.fromMaps(s, changes), "id");
    assertThat(r.rowsUpdated()).isEqualTo(2);
    want.removeIf(m -> Set.of(1L, 24L).contains(m.get("id")));
    want.addAll(changes);
    List<Map<String, Object>> now = sorted(t.read().load());
    assertThat(now).isEqualTo(sortById(want));
    assertThat(ids(now)).doesNotHaveDuplicates();
    assertThat(sorted(t.read().columns("id").filter(Filter.isNull("region")).load()))
        .containsExactly(Map.of("id", 33L));
    export(t, "partitioned");
  }

  @Test
  void append_and_upsert_into_spark_column_mapping_table_use_logical_names() {
    DeltaTable t = table("column_mapping");
    Expected e = expected("column_mapping");
    List<Map<String, Object>> want = new ArrayList<>(e.rows);

    List<Map<String, Object>> added = List.of(row("id", 16L, "full_name", "sdk-16", "score", 16.0));
    t.append(Frame.fromMaps(t.schema(), added));
    want.addAll(added);
    Map<String, Object> replaced = row("id", 2L, "full_name", "renamed-2", "score", 0.0);
    t.upsert(Frame.fromMaps(t.schema(), List.of(replaced)), "id");
    want.removeIf(m -> m.get("id").equals(2L));
    want.add(replaced);
    assertThat(sorted(t.read().load())).isEqualTo(sortById(want));

    t.addColumns(Field.of("extra", DataType.STRING));
    Map<String, Object> withExtra = row("id", 17L, "full_name", "sdk-17", "score", 17.0, "extra", "x");
    t.append(Frame.fromMaps(t.schema(), List.of(withExtra)));
    want.forEach(m -> m.put("extra", null));
    want.add(withExtra);
    assertThat(sorted(t.read().load())).isEqualTo(sortById(want));
    export(t, "column_mapping");
  }

  @Test
  void append_into_spark_checkpointed_and_int96_tables() {
    DeltaTable c = table("checkpointed");
    List<Map<String, Object>> want = new ArrayList<>(expected("checkpointed").rows);
    for (long id = 25; id <= 32; id++) { // versions 13..20: the SDK writes the checkpoint at 20
      Map<String, Object> r = row("id", id, "batch", 13, "label", "sdk-" + id);
      c.append(Frame.fromMaps(c.schema(), List.of(r)));
      want.add(r);
    }
    assertThat(c.version()).isEqualTo(20);
    assertThat(tmp.resolve("checkpointed/_delta_log/00000000000000000020.checkpoint.parquet")).exists();
    assertThat(sorted(c.read().load())).isEqualTo(sortById(want));
    assertThat(ws.tables().atPath(tmp.resolve("checkpointed").toString()).read().load().rowCount()).isEqualTo(32);
    export(c, "checkpointed");

    DeltaTable t = table("int96");
    List<Map<String, Object>> want96 = new ArrayList<>(expected("int96").rows);
    Map<String, Object> r96 = row("id", 21L, "ts", Instant.parse("1969-12-31T23:59:59.999999Z"), "note", "sdk");
    t.append(Frame.fromMaps(t.schema(), List.of(r96)));
    want96.add(r96);
    assertThat(sorted(t.read().load())).isEqualTo(sortById(want96));
    assertThat(sorted(t.read().columns("id").filter(Filter.eq("ts", Instant.parse("1969-12-31T23:59:59.999999Z")))
        .load())).containsExactly(Map.of("id", 1L), Map.of("id", 21L));
    export(t, "int96");
  }

  // ------------------------------------------------------------------ writes that must be refused

  @ParameterizedTest
  @CsvSource({"check_constraint, delta.constraints.v_positive", "generated_column, generatedColumns",
      "identity_column, identityColumns"})
  void writes_to_tables_with_features_the_sdk_cannot_write_fail_and_change_nothing(String name, String why)
      throws IOException {
    DeltaTable t = table(name);
    long version = t.version();
    Schema s = t.schema();
    List<Map<String, Object>> before = sorted(t.read().columns(s.names().toArray(String[]::new)).load());
    Set<String> filesBefore = files(tmp.resolve(name));
    Frame rows = sampleRow(name, s);

    assertThatThrownBy(() -> t.append(rows)).isInstanceOf(UnsupportedTableFeatureException.class)
        .hasMessageContaining("Cannot APPEND table " + tmp.resolve(name)).hasMessageContaining(why)
        .hasMessageContaining("Nothing was changed");
    assertThatThrownBy(() -> t.upsert(rows, "id")).isInstanceOf(UnsupportedTableFeatureException.class)
        .hasMessageContaining("Cannot UPSERT table " + tmp.resolve(name)).hasMessageContaining(why)
        .hasMessageContaining("Nothing was changed");

    assertThat(t.version()).isEqualTo(version);
    assertThat(sorted(t.read().columns(s.names().toArray(String[]::new)).load())).isEqualTo(before);
    assertThat(files(tmp.resolve(name))).isEqualTo(filesBefore);
  }

  @Test
  void add_columns_to_spark_table_without_column_mapping_is_refused_and_changes_nothing() {
    DeltaTable t = table("plain");
    assertThatThrownBy(() -> t.addColumns(Field.of("extra", DataType.STRING)))
        .isInstanceOf(UnsupportedTableFeatureException.class).hasMessageContaining("delta.columnMapping.mode");
    assertThat(t.version()).isEqualTo(expected("plain").version);
    assertThat(t.schema().names()).doesNotContain("extra");
  }

  private static Frame sampleRow(String name, Schema s) {
    switch (name) {
      case "check_constraint":
        return Frame.fromMaps(s, List.of(row("id", 100L, "v", 5)));
      case "generated_column":
        return Frame.fromMaps(s, List.of(row("id", 100L, "v", 5, "v2", 10)));
      case "identity_column":
        return Frame.fromMaps(s, List.of(row("id", 100L, "name", "sdk")));
      default:
        return Frame.fromMaps(s, List.of(row("id", 100L, "note", "sdk")));
    }
  }

  // ------------------------------------------------------------------ helpers

  /** Copies the fixture into the temp dir and opens it by path. */
  private DeltaTable table(String name) {
    return SparkFixtures.open(ws, name, tmp.resolve(name));
  }



  /** Every file with its size: a refused write must not add, change or remove any file of the table. */
  private static Set<String> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile)          .map(p -> dir.relativize(p) + ":" + p.toFile().length()).collect(Collectors.toSet());
    }
  }

  /** With -Dspark.tables.export=DIR, keeps the changed table for a Spark read-back. */
  private void export(DeltaTable t, String name) {
    String dir = System.getProperty("spark.tables.export");
    if (dir != null && !dir.isBlank()) {
      Path dst = Path.of(dir, name);
      if (!Files.exists(dst)) {
        SparkFixtures.copyTree(tmp.resolve(name), dst);
      }
    }
  }

  private static Map<String, Object> row(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  private static List<Map<String, Object>> sorted(Frame f) {
    return sortById(f.rows());
  }

  private static List<Map<String, Object>> sortById(List<Map<String, Object>> rows) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map<String, Object> r : rows) {
      out.add(new TreeMap<>(r)); // column order does not matter; nulls are kept
    }
    out.sort(Comparator.comparing(r -> (Long) r.get("id")));
    return out;
  }

  private static List<Map<String, Object>> select(List<Map<String, Object>> rows, Predicate<Map<String, Object>> p) {
    return rows.stream().filter(p).collect(Collectors.toList());
  }

  private static List<Map<String, Object>> project(List<Map<String, Object>> rows, String... cols) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map<String, Object> r : rows) {
      Map<String, Object> m = new TreeMap<>();
      for (String c : cols) {
        m.put(c, r.get(c));
      }
      out.add(m);
    }
    return out;
  }

  private static List<Long> ids(List<Map<String, Object>> rows) {
    return rows.stream().map(r -> (Long) r.get("id")).collect(Collectors.toList());
  }

  private static <T> List<T> reversed(List<T> l) {
    List<T> out = new ArrayList<>(l);
    java.util.Collections.reverse(out);
    return out;
  }

  /** What Spark read from the fixture (NAME.expected.json, written by tools/spark-fixtures). */
  private static final class Expected {
    long version;
    List<Map<String, Object>> rows;
    long olderVersion = -1;
    List<Map<String, Object>> olderRows;
    List<Long> historyVersions = new ArrayList<>();
    List<String> historyOperations = new ArrayList<>();
    List<Instant> historyTimestamps = new ArrayList<>();
  }

  private static Expected expected(String name) {
    try {
      JsonNode n = JSON.readTree(SparkFixtures.resource(name).resolveSibling(name + ".expected.json").toFile());
      Expected e = new Expected();
      e.version = n.get("version").asLong();
      e.rows = rows(n.get("schema"), n.get("rows"));
      if (n.has("older")) {
        e.olderVersion = n.get("older").get("version").asLong();
        e.olderRows = rows(n.get("older").get("schema"), n.get("older").get("rows"));
      }
      for (JsonNode h : n.get("history")) {
        e.historyVersions.add(h.get("version").asLong());
        e.historyOperations.add(h.get("operation").asText());
        e.historyTimestamps.add(Instant.parse(h.get("timestamp").asText()));
      }
      return e;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A Spark JSON value of {@code array<int>} or {@code struct<a:int,b:string>} as the SDK holds it. */
  private static Object nested(String type, JsonNode v) {
    if (v == null || v.isNull()) {
      return null;
    }
    if (type.equals("int")) {
      return v.asInt();
    }
    if (type.equals("string")) {
      return v.asText();
    }
    if (type.startsWith("array<")) {
      List<Object> out = new ArrayList<>();
      v.forEach(x -> out.add(nested(type.substring(6, type.length() - 1), x)));
      return out;
    }
    if (type.startsWith("struct<")) {
      Map<String, Object> out = new java.util.LinkedHashMap<>();
      for (String f : type.substring(7, type.length() - 1).split(",")) {
        String[] nt = f.split(":");
        out.put(nt[0], nested(nt[1], v.get(nt[0])));
      }
      return out;
    }
    throw new IllegalArgumentException("no test conversion for " + type);
  }

  /** Spark's rows as SDK values (Long, Integer, Double, Boolean, String, Instant, LocalDate, List, Map). */
  private static List<Map<String, Object>> rows(JsonNode schema, JsonNode rows) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (JsonNode r : rows) {
      Map<String, Object> m = new TreeMap<>();
      for (JsonNode f : schema) {
        String col = f.get("name").asText();
        String type = f.get("type").asText();
        JsonNode v = r.get(col);
        Object value;
        if (v == null || v.isNull()) {
          value = null;
        } else {
          switch (type) {
            case "bigint": value = v.asLong(); break;
            case "int": value = v.asInt(); break;
            case "double": value = v.asDouble(); break;
            case "boolean": value = v.asBoolean(); break;
            case "string": value = v.asText(); break;
            case "timestamp": value = Instant.parse(v.asText()); break;
            case "date": value = LocalDate.parse(v.asText()); break;
            default: value = nested(type, v); break;
          }
        }
        m.put(col, value);
      }
      out.add(m);
    }
    out.sort(Comparator.comparing(x -> (Long) x.get("id")));
    return out;
  }
}
