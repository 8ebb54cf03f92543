package dev.mlops.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Spark 4.0 / Delta 4.0 fixtures of issue 9 (every Delta type, special names, every codec, LEGACY
 * calendar files, row tracking, column mapping id, v2 checkpoints, deletion vectors under DML, and a
 * drop/rename in Spark followed by SDK writes), written by {@code tools/spark-fixtures}. Each
 * {@code <name>.expected.json} holds what Spark read back, with Spark's JSON schema so that every value
 * converts to the exact Java value the SDK must return. Tests work on copies in a temp dir.
 */
class SparkTypesTablesTest {
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

  // ------------------------------------------------------------------ every type

  @Test
  void every_delta_type_written_by_spark_reads_exactly() {
    DeltaTable t = table("all_types");
    Expected e = expected("all_types");

    Schema s = t.schema();
    assertThat(s.names()).containsExactly("id", "tiny", "small", "flt", "price", "big", "raw", "local_ts", "dt", "ts",
        "st", "arr", "mp", "mpi");
    assertThat(s.columnType("tiny")).isEqualTo(ColumnType.of(DataType.BYTE));
    assertThat(s.columnType("small")).isEqualTo(ColumnType.of(DataType.SHORT));
    assertThat(s.columnType("flt")).isEqualTo(ColumnType.of(DataType.FLOAT));
    assertThat(s.columnType("price")).isEqualTo(ColumnType.decimal(10, 2));
    assertThat(s.columnType("big")).isEqualTo(ColumnType.decimal(38, 18));
    assertThat(s.columnType("raw")).isEqualTo(ColumnType.of(DataType.BINARY));
    assertThat(s.columnType("local_ts")).isEqualTo(ColumnType.of(DataType.TIMESTAMP_NTZ));
    assertThat(s.columnType("dt")).isEqualTo(ColumnType.of(DataType.DATE));
    assertThat(s.columnType("ts")).isEqualTo(ColumnType.of(DataType.TIMESTAMP));
    assertThat(s.columnType("st")).isEqualTo(ColumnType.struct(Field.of("a", DataType.INT), Field.of("nested",
        ColumnType.struct(Field.of("c", DataType.STRING), Field.of("d", ColumnType.array(DataType.DOUBLE))))));
    assertThat(s.columnType("arr")).isEqualTo(ColumnType.array(
        ColumnType.struct(Field.of("k", DataType.STRING), Field.of("v", DataType.LONG))));
    assertThat(s.columnType("mp")).isEqualTo(ColumnType.map(ColumnType.of(DataType.STRING),
        ColumnType.array(DataType.INT)));
    assertThat(s.columnType("mpi")).isEqualTo(ColumnType.map(ColumnType.of(DataType.INT), ColumnType.decimal(5, 1)));

    List<Map<String, Object>> rows = sorted(t.read().load());
    assertThat(rows).isEqualTo(e.rows).hasSize(6);
    // spot checks that the comparison itself is exact (no double, no UTC shift, scale kept)
    Map<String, Object> r1 = rows.get(0);
    assertThat(r1.get("big")).isEqualTo(new BigDecimal("12345678901234567890.123456789012345678"));
    assertThat(r1.get("flt")).isEqualTo(1.1f);
    assertThat(r1.get("local_ts")).isEqualTo(LocalDateTime.parse("2024-02-29T23:59:59.999999"));
    assertThat(r1.get("raw")).isEqualTo("00ff10");
    assertThat(rows.get(1).get("dt")).isEqualTo(LocalDate.parse("0001-01-01"));
    assertThat(rows.get(2).get("flt")).isEqualTo(Float.NaN);
    assertThat(rows.get(5).get("flt")).isEqualTo(-0.0f);
  }

  @Test
  void every_delta_type_filters_with_literals_of_the_column_type() {
    DeltaTable t = table("all_types");
    assertThat(ids(t.read().filter(Filter.gt("big", new BigDecimal("0"))).load())).containsExactly(1L, 5L);
    assertThat(ids(t.read().filter(Filter.lt("local_ts", LocalDateTime.parse("1970-01-01T00:00:00"))).load()))
        .containsExactly(2L, 6L);
    assertThat(ids(t.read().filter(Filter.eq("tiny", (byte) -128)).load())).containsExactly(1L);
    assertThat(ids(t.read().filter(Filter.le("dt", LocalDate.parse("1582-10-15"))).load())).containsExactly(2L, 6L);
  }

  @Test
  void sdk_appends_and_upserts_every_type_into_the_spark_table_and_reads_it_back_exactly() {
    DeltaTable t = table("all_types");
    Expected e = expected("all_types");
    Map<String, Object> mine = new LinkedHashMap<>();
    mine.put("id", 7L);
    mine.put("tiny", (byte) 7);
    mine.put("small", (short) -7);
    mine.put("flt", 7.25f);
    mine.put("price", new BigDecimal("-7.70"));
    mine.put("big", new BigDecimal("-7.000000000000000007"));
    mine.put("raw", new byte[] {7, (byte) 0x80});
    mine.put("local_ts", LocalDateTime.parse("1500-07-07T07:07:07.000007"));
    mine.put("dt", LocalDate.parse("1500-07-07"));
    mine.put("ts", Instant.parse("1500-07-07T07:07:07.000007Z"));
    mine.put("st", Map.of("a", 7, "nested", Map.of("c", "seven", "d", List.of(7.0))));
    mine.put("arr", List.of(Map.of("k", "x", "v", 7L)));
    mine.put("mp", Map.of("q", List.of(7)));
    mine.put("mpi", Map.of(7, new BigDecimal("7.7")));
    t.append(Frame.fromMaps(t.schema(), List.of(mine)));

    Map<String, Object> changed = new LinkedHashMap<>(mine);
    changed.put("id", 1L);
    changed.put("big", new BigDecimal("0.000000000000000001"));
    t.upsert(Frame.fromMaps(t.schema(), List.of(changed)), "id");

    List<Map<String, Object>> want = copy(e.rows);
    want.removeIf(r -> r.get("id").equals(1L));
    want.add(normRow(mine));
    want.add(normRow(changed));
    assertThat(sorted(t.read().load())).isEqualTo(sortById(want));
    assertThat(sorted(t.read().version(e.version).load())).isEqualTo(e.rows);
  }

  // ------------------------------------------------------------------ names, codecs, calendars

  @Test
  void special_column_names_in_a_column_mapped_table_read_and_write() {
    DeltaTable t = table("special_names");
    Expected e = expected("special_names");

    assertThat(t.schema().names()).containsExactly("id", "given name (first)", "a,b", "c;d", "e{f}", "g(h)", "i=j",
        "s t");
    assertThat(t.schema().columnType("s t"))
        .isEqualTo(ColumnType.struct(Field.of("x y", DataType.INT), Field.of("u=v", DataType.STRING)));
    assertThat(sorted(t.read().load())).isEqualTo(e.rows);
    assertThat(t.read().version(e.olderVersion).schema().names()).contains("first name");
    assertThat(sorted(t.read().version(e.olderVersion).load())).isEqualTo(e.olderRows);
    assertThat(ids(t.read().filter(Filter.eq("a,b", -3)).load())).containsExactly(3L);
    assertThat(sorted(t.read().columns("id", "e{f}").filter(Filter.eq("given name (first)", "Cy")).load()))
        .containsExactly(new TreeMap<>(Map.of("id", 4L, "e{f}", "f")));

    Map<String, Object> mine = row("id", 5L, "given name (first)", "sdk", "a,b", 5, "c;d", 5.5, "e{f}", "{}",
        "g(h)", 50L, "i=j", false, "s t", Map.of("x y", 5, "u=v", "=,"));
    t.append(Frame.fromMaps(t.schema(), List.of(mine)));
    t.addColumns(Field.of("k l;m", DataType.STRING));
    List<Map<String, Object>> want = copy(e.rows);
    want.add(mine);
    want.forEach(r -> r.put("k l;m", null));
    assertThat(sorted(t.read().load())).isEqualTo(sortById(want));
  }

  /**
   * One file per codec Spark writes (uncompressed, snappy, gzip, lz4 in Hadoop's framing, lz4_raw,
   * zstd). lz4 needs lz4-java at read time (types9's part of issue 9): until it is on the classpath this
   * test fails on the lz4 file, as it must.
   */
  @Test
  void files_of_every_parquet_codec_spark_writes_read_exactly() {
    DeltaTable t = table("codecs");
    Expected e = expected("codecs");
    List<Map<String, Object>> rows = sorted(t.read().load());
    assertThat(rows).isEqualTo(e.rows).hasSize(180);
    assertThat(rows.stream().map(r -> r.get("codec")).collect(Collectors.toSet()))
        .containsExactlyInAnyOrder("uncompressed", "snappy", "gzip", "lz4", "lz4_raw", "zstd");
  }

  /**
   * Spark wrote these dates and timestamps in its LEGACY (hybrid Julian) calendar and marked the files
   * with its footer keys; Spark reads them back as written (expected.json). Reading them as proleptic
   * Gregorian shifts the old ones by days (types9's part of issue 9 honours the keys).
   */
  @Test
  void legacy_calendar_dates_and_int96_timestamps_read_as_spark_reads_them() {
    DeltaTable t = table("legacy_rebase");
    Expected e = expected("legacy_rebase");
    List<Map<String, Object>> rows = sorted(t.read().load());
    assertThat(rows).isEqualTo(e.rows).hasSize(16);
    Map<String, Object> int96 = rows.get(1);
    assertThat(int96.get("d")).isEqualTo(LocalDate.parse("1000-01-01"));
    assertThat(int96.get("ts")).isEqualTo(Instant.parse("1000-01-01T12:00:00Z"));
    Map<String, Object> micros = rows.get(8 + 2);
    assertThat(micros.get("d")).isEqualTo(LocalDate.parse("1582-10-04"));
    assertThat(micros.get("ts")).isEqualTo(Instant.parse("1582-10-04T23:59:59.999999Z"));
  }

  // ------------------------------------------------------------------ features other engines use

  @Test
  void row_tracking_table_reads_takes_sdk_appends_with_fresh_row_ids_and_refuses_rewrites() throws IOException {
    DeltaTable t = table("row_tracking");
    Expected e = expected("row_tracking");
    assertThat(sorted(t.read().load())).isEqualTo(e.rows);
    assertThat(sorted(t.read().version(e.olderVersion).load())).isEqualTo(e.olderRows);

    long maxRowId = 0;
    for (JsonNode n : JSON.readTree(SparkFixtures.resource("row_tracking").resolveSibling("row_tracking.row_ids.json").toFile())) {
      maxRowId = Math.max(maxRowId, n.get("row_id").asLong());
    }
    List<Map<String, Object>> added = List.of(row("id", 16L, "v", 16, "s", "sdk"), row("id", 17L, "v", 17, "s", "sdk"));
    t.append(Frame.fromMaps(t.schema(), added));
    List<Map<String, Object>> want = copy(e.rows);
    want.addAll(added);
    assertThat(sorted(t.read().load())).isEqualTo(sortById(want));
    JsonNode add = actions(tmp.resolve("row_tracking"), t.version(), "add").get(0);
    assertThat(add.has("baseRowId")).as("the SDK's add action carries a baseRowId: %s", add).isTrue();
    assertThat(add.get("baseRowId").asLong()).isGreaterThan(maxRowId);

    long version = t.version();
    assertThatThrownBy(() -> t.upsert(Frame.fromMaps(t.schema(), List.of(row("id", 2L, "v", 0, "s", "x"))), "id"))
        .isInstanceOf(UnsupportedTableFeatureException.class).hasMessageContaining("rowTracking")
        .hasMessageContaining("Nothing was changed");
    assertThat(t.version()).isEqualTo(version);
    assertThat(sorted(t.read().load())).isEqualTo(sortById(want));
  }

  @Test
  void column_mapping_id_table_reads_and_sdk_writes_carry_parquet_field_ids() throws IOException {
    DeltaTable t = table("column_mapping_id");
    Expected e = expected("column_mapping_id");
    assertThat(t.schema().names()).containsExactly("id", "full_name", "score", "info");
    assertThat(sorted(t.read().load())).isEqualTo(e.rows);
    assertThat(t.read().version(e.olderVersion).schema().names()).containsExactly("id", "name", "score", "info");
    assertThat(sorted(t.read().version(e.olderVersion).load())).isEqualTo(e.olderRows);

    Set<String> before = dataFiles(tmp.resolve("column_mapping_id"));
    Map<String, Object> mine = row("id", 5L, "full_name", "sdk", "score", 5.5, "info", Map.of("a", 5, "b", "z"));
    t.append(Frame.fromMaps(t.schema(), List.of(mine)));
    List<Map<String, Object>> want = copy(e.rows);
    want.add(mine);
    assertThat(sorted(t.read().load())).isEqualTo(sortById(want));

    Set<String> mineFiles = dataFiles(tmp.resolve("column_mapping_id"));
    mineFiles.removeAll(before);
    assertThat(mineFiles).hasSize(1);
    org.apache.parquet.schema.MessageType parquet;
    try (var r = org.apache.parquet.hadoop.ParquetFileReader.open(
        new org.apache.parquet.io.LocalInputFile(tmp.resolve("column_mapping_id").resolve(mineFiles.iterator().next())))) {
      parquet = r.getFooter().getFileMetaData().getSchema();
    }
    Map<String, Long> ids = new HashMap<>();
    for (JsonNode f : schemaOf(tmp.resolve("column_mapping_id")).get("fields")) {
      ids.put(f.get("metadata").get("delta.columnMapping.physicalName").asText(),
          f.get("metadata").get("delta.columnMapping.id").asLong());
    }
    assertThat(parquet.getFields()).hasSize(4).allSatisfy(f -> {
      assertThat(f.getId()).as("field id of %s", f.getName()).isNotNull();
      assertThat((long) f.getId().intValue()).isEqualTo(ids.get(f.getName()));
    });
  }

  @Test
  void v2_checkpoint_table_reads_and_the_sdk_appends_without_writing_a_classic_checkpoint() throws IOException {
    DeltaTable t = table("checkpoint_v2");
    Expected e = expected("checkpoint_v2");
    assertThat(t.version()).isEqualTo(12);
    assertThat(sorted(t.read().load())).isEqualTo(e.rows).hasSize(24);
    assertThat(sorted(t.read().version(e.olderVersion).load())).isEqualTo(e.olderRows);

    List<Map<String, Object>> want = copy(e.rows);
    for (long id = 25; id <= 34; id++) { // versions 13..22: a classic writer would checkpoint at 20
      Map<String, Object> r = row("id", id, "batch", 13);
      t.append(Frame.fromMaps(t.schema(), List.of(r)));
      want.add(r);
    }
    assertThat(t.version()).isEqualTo(22);
    assertThat(checkpoints(tmp.resolve("checkpoint_v2"))).allMatch(n -> n.startsWith("00000000000000000010."));
    assertThat(sorted(t.read().load())).isEqualTo(sortById(want));
    assertThat(sorted(ws.tables().atPath(tmp.resolve("checkpoint_v2").toString()).read().load()))
        .isEqualTo(sortById(want));
  }

  // ------------------------------------------------------------------ history of deletion-vector commits

  @Test
  void history_counts_logical_rows_of_sparks_deletion_vector_delete_and_update() {
    Expected e = expected("deletion_vector_dml");
    List<Commit> h = table("deletion_vector_dml").history();

    assertThat(h).extracting(Commit::version, Commit::operation, Commit::rowsAdded, Commit::rowsRemoved)
        .containsExactly(tuple(3L, "UPDATE", 5L, 5L), tuple(2L, "DELETE", 0L, 20L), tuple(1L, "WRITE", 100L, 0L),
            tuple(0L, "CREATE TABLE", 0L, 0L));
    // the same numbers Spark records for these commits
    assertThat(e.metrics.get(2L)).containsEntry("numDeletedRows", "20");
    assertThat(e.metrics.get(3L)).containsEntry("numUpdatedRows", "5");
    assertThat(sorted(table("deletion_vector_dml").read().load())).isEqualTo(e.rows).hasSize(80);
  }

  @Test
  void history_counts_logical_rows_of_the_older_deletion_vector_fixture() {
    List<Commit> h = table("deletion_vectors").history();
    assertThat(h).extracting(Commit::version, Commit::rowsAdded, Commit::rowsRemoved)
        .containsExactly(tuple(3L, 0L, 6L), tuple(2L, 0L, 10L), tuple(1L, 40L, 0L), tuple(0L, 0L, 0L));
  }

  // ------------------------------------------------------------------ drop / rename, then the SDK adds the names again

  @Test
  void columns_dropped_or_renamed_in_spark_and_added_again_by_the_sdk_start_empty_and_keep_their_own_values()
      throws IOException {
    DeltaTable t = table("drop_rename_readd");
    Expected e = expected("drop_rename_readd");
    assertThat(t.schema().names()).containsExactly("id", "y_old", "z");
    assertThat(sorted(t.read().load())).isEqualTo(e.rows);
    // Spark kept the old physical names: y_old is stored as "y", and the dropped x's values are still in the files
    assertThat(physicalNames(tmp.resolve("drop_rename_readd"))).containsEntry("y_old", "y");

    t.addColumns(Field.of("x", DataType.STRING), Field.of("y", DataType.STRING));
    Map<String, String> physical = physicalNames(tmp.resolve("drop_rename_readd"));
    assertThat(physical.get("x")).isNotEqualTo("x").startsWith("col-");
    assertThat(physical.get("y")).isNotEqualTo("y").startsWith("col-");
    List<Map<String, Object>> want = copy(e.rows);
    want.forEach(r -> {
      r.put("x", null);
      r.put("y", null);
    });
    assertThat(sorted(t.read().load())).as("no dropped value comes back, y_old keeps its values").isEqualTo(want);

    Map<String, Object> added = row("id", 8L, "y_old", "old-8", "z", 8.0, "x", "new-x8", "y", "new-y8");
    Map<String, Object> changed = row("id", 1L, "y_old", "y1", "z", 1.0, "x", "new-x1", "y", "new-y1");
    t.append(Frame.fromMaps(t.schema(), List.of(added)));
    t.upsert(Frame.fromMaps(t.schema(), List.of(changed)), "id");
    want.add(added);
    want.removeIf(r -> r.get("id").equals(1L));
    want.add(changed);
    assertThat(sorted(t.read().load())).isEqualTo(sortById(want));
    assertThat(sorted(t.read().version(e.version).load())).isEqualTo(e.rows);
  }

  @ParameterizedTest
  @ValueSource(strings = {"all_types", "special_names", "codecs", "legacy_rebase", "row_tracking", "column_mapping_id",
      "checkpoint_v2", "deletion_vector_dml", "drop_rename_readd"})
  void history_lists_sparks_commits_with_sparks_operation_names(String name) {
    Expected e = expected(name);
    List<Commit> h = table(name).history();
    assertThat(h).extracting(Commit::version).containsExactlyElementsOf(reversed(e.historyVersions));
    assertThat(h).extracting(Commit::operation).containsExactlyElementsOf(reversed(e.historyOperations));
  }

  // ------------------------------------------------------------------ helpers

  private DeltaTable table(String name) {
    return SparkFixtures.open(ws, name, tmp.resolve(name));
  }



  private static Set<String> dataFiles(Path table) throws IOException {
    try (Stream<Path> s = Files.walk(table)) {
      return s.filter(p -> p.toString().endsWith(".parquet") && !p.toString().contains("_delta_log"))
          .map(p -> table.relativize(p).toString()).collect(Collectors.toCollection(java.util.HashSet::new));
    }
  }

  private static List<String> checkpoints(Path table) throws IOException {
    try (Stream<Path> s = Files.list(table.resolve("_delta_log"))) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.contains(".checkpoint") && !n.startsWith("."))
          .sorted().toList();
    }
  }

  /** The actions of one kind in one commit file. */
  private static List<JsonNode> actions(Path table, long version, String kind) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (String line : Files.readAllLines(table.resolve("_delta_log").resolve(String.format("%020d.json", version)))) {
      JsonNode n = JSON.readTree(line);
      if (n.has(kind)) {
        out.add(n.get(kind));
      }
    }
    return out;
  }

  /** The latest schema in the log's JSON commits (these fixtures have no checkpoint after their last metaData). */
  private static JsonNode schemaOf(Path table) throws IOException {
    List<Path> commits;
    try (Stream<Path> s = Files.list(table.resolve("_delta_log"))) {
      commits = s.filter(p -> p.getFileName().toString().matches("\\d{20}\\.json")).sorted(Comparator.reverseOrder())
          .toList();
    }
    for (Path c : commits) {
      for (String line : Files.readAllLines(c)) {
        JsonNode n = JSON.readTree(line);
        if (n.has("metaData")) {
          return JSON.readTree(n.get("metaData").get("schemaString").asText());
        }
      }
    }
    throw new IllegalStateException("no metaData in " + table);
  }

  private static Map<String, String> physicalNames(Path table) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    for (JsonNode f : schemaOf(table).get("fields")) {
      out.put(f.get("name").asText(), f.get("metadata").get("delta.columnMapping.physicalName").asText());
    }
    return out;
  }

  private static Map<String, Object> row(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  private static <T> List<T> reversed(List<T> l) {
    List<T> out = new ArrayList<>(l);
    java.util.Collections.reverse(out);
    return out;
  }

  /** Copies of the rows (tests change them; the expected rows stay as Spark read them). */
  private static List<Map<String, Object>> copy(List<Map<String, Object>> rows) {
    List<Map<String, Object>> out = new ArrayList<>();
    rows.forEach(r -> out.add(new TreeMap<>(r)));
    return out;
  }

  private static List<Long> ids(Frame f) {
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < f.rowCount(); i++) {
      out.add(f.column("id").getLong(i));
    }
    out.sort(null);
    return out;
  }

  private static List<Map<String, Object>> sorted(Frame f) {
    return sortById(f.rows());
  }

  /** Rows by id, each a TreeMap (column order does not matter) with byte[] as hex text. */
  private static List<Map<String, Object>> sortById(List<Map<String, Object>> rows) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map<String, Object> r : rows) {
      out.add(normRow(r));
    }
    out.sort(Comparator.comparing(r -> (Long) r.get("id")));
    return out;
  }

  private static Map<String, Object> normRow(Map<String, Object> r) {
    Map<String, Object> m = new TreeMap<>();
    r.forEach((k, v) -> m.put(k, norm(v)));
    return m;
  }

  /** byte[] as hex (arrays compare by identity), recursively through lists and maps. */
  private static Object norm(Object v) {
    if (v instanceof byte[] b) {
      return HexFormat.of().formatHex(b);
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      l.forEach(x -> out.add(norm(x)));
      return out;
    }
    if (v instanceof Map<?, ?> m) {
      Map<Object, Object> out = new HashMap<>();
      m.forEach((k, x) -> out.put(norm(k), norm(x)));
      return out;
    }
    return v;
  }

  /** What Spark read from the fixture (NAME.expected.json, written by tools/spark-fixtures). */
  private static final class Expected {
    long version;
    List<Map<String, Object>> rows;
    long olderVersion = -1;
    List<Map<String, Object>> olderRows;
    List<Long> historyVersions = new ArrayList<>();
    List<String> historyOperations = new ArrayList<>();
    Map<Long, Map<String, String>> metrics = new HashMap<>();
  }

  private static Expected expected(String name) {
    try {
      JsonNode n = JSON.readTree(SparkFixtures.resource(name).resolveSibling(name + ".expected.json").toFile());
      Expected e = new Expected();
      e.version = n.get("version").asLong();
      e.rows = rows(n.get("sparkSchema"), n.get("rows"));
      if (n.has("older")) {
        e.olderVersion = n.get("older").get("version").asLong();
        e.olderRows = rows(n.get("older").get("sparkSchema"), n.get("older").get("rows"));
      }
      for (JsonNode h : n.get("history")) {
        long v = h.get("version").asLong();
        e.historyVersions.add(v);
        e.historyOperations.add(h.get("operation").asText());
        Map<String, String> m = new HashMap<>();
        if (h.has("operationMetrics")) {
          h.get("operationMetrics").properties().forEach(x -> m.put(x.getKey(), x.getValue().asText()));
        }
        e.metrics.put(v, m);
      }
      return e;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Map<String, Object>> rows(JsonNode sparkSchema, JsonNode rows) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (JsonNode r : rows) {
      Map<String, Object> m = new TreeMap<>();
      for (JsonNode f : sparkSchema.get("fields")) {
        String col = f.get("name").asText();
        m.put(col, value(f.get("type"), r.get(col)));
      }
      out.add(m);
    }
    out.sort(Comparator.comparing(x -> (Long) x.get("id")));
    return out;
  }

  /** A value of Spark's JSON (see SparkValues in tools/spark-fixtures) as the Java value the SDK returns. */
  private static Object value(JsonNode type, JsonNode v) {
    if (v == null || v.isNull()) {
      return null;
    }
    if (type.isObject()) {
      switch (type.get("type").asText()) {
        case "struct": {
          Map<Object, Object> out = new HashMap<>();
          for (JsonNode f : type.get("fields")) {
            out.put(f.get("name").asText(), value(f.get("type"), v.get(f.get("name").asText())));
          }
          return out;
        }
        case "array": {
          List<Object> out = new ArrayList<>();
          v.forEach(x -> out.add(value(type.get("elementType"), x)));
          return out;
        }
        case "map": {
          Map<Object, Object> out = new HashMap<>();
          v.forEach(x -> out.put(value(type.get("keyType"), x.get("key")), value(type.get("valueType"), x.get("value"))));
          return out;
        }
        default:
          throw new IllegalArgumentException("no test conversion for " + type);
      }
    }
    String t = type.asText();
    if (t.startsWith("decimal")) {
      return new BigDecimal(v.asText());
    }
    switch (t) {
      case "long": return v.asLong();
      case "integer": return v.asInt();
      case "short": return (short) v.asInt();
      case "byte": return (byte) v.asInt();
      case "double": return v.isTextual() ? Double.parseDouble(v.asText()) : v.asDouble();
      case "float": return Float.parseFloat(v.asText());
      case "boolean": return v.asBoolean();
      case "string": return v.asText();
      case "binary": return v.asText();
      case "timestamp": return Instant.parse(v.asText());
      case "timestamp_ntz": return LocalDateTime.parse(v.asText());
      case "date": return LocalDate.parse(v.asText());
      default: throw new IllegalArgumentException("no test conversion for " + t);
    }
  }
}
