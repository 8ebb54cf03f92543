import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.mlops.core.ColumnType;
import dev.mlops.core.DataType;
import dev.mlops.core.DeltaTable;
import dev.mlops.core.Field;
import dev.mlops.core.Frame;
import dev.mlops.core.Schema;
import dev.mlops.core.Workspace;
import dev.mlops.samples.MonitoringSample;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The SDK half of the Spark read-back (see ../readback.sh): writes tables with the SDK, and changes
 * copies of Spark-written fixtures with SDK writes, then records beside each table what the SDK itself
 * reads ({@code NAME.sdk.json}, rows in the JSON conventions of SparkValues) and a manifest
 * ({@code manifest.json}) naming every table and the Spark queries to run on it.
 *
 * <pre>java -cp SDK_CLASSPATH SdkTables.java OUT_DIR FIXTURES_DIR</pre>
 *
 * Not compiled by any build: run as a single-file source program against the SDK's classes.
 */
public final class SdkTables {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private final Path out;
  private final Path fixtures;
  private final List<Map<String, Object>> manifest = new ArrayList<>();

  private SdkTables(Path out, Path fixtures) {
    this.out = out;
    this.fixtures = fixtures;
  }

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: java -cp SDK_CLASSPATH SdkTables.java OUT_DIR FIXTURES_DIR");
      System.exit(2);
    }
    SdkTables s = new SdkTables(Path.of(args[0]).toAbsolutePath(), Path.of(args[1]).toAbsolutePath());
    Files.createDirectories(s.out);
    try (Workspace ws = Workspace.open(s.out.resolve("ws"))) {
      s.allTypes(ws);
      s.ancientDates(ws);
      s.afterSparkRenameAndDrop(ws);
      s.columnMappingId(ws);
      s.rowTracking(ws);
      s.checkpointV2(ws);
    }
    s.monitoring();
    JSON.writeValue(s.out.resolve("manifest.json").toFile(), Map.of("tables", s.manifest));
    System.out.println("SDK wrote " + s.manifest.size() + " tables under " + s.out);
  }

  // ------------------------------------------------------------------ tables the SDK creates

  static final ColumnType INNER = ColumnType.struct(Field.of("c", DataType.STRING),
      Field.of("d", ColumnType.array(DataType.DOUBLE)));
  static final ColumnType ST = ColumnType.struct(Field.of("a", DataType.INT), Field.of("nested", INNER));
  static final ColumnType KV = ColumnType.struct(Field.of("k", DataType.STRING), Field.of("v", DataType.LONG));

  /** Every Delta type the SDK writes, nulls in every column but the id. */
  private void allTypes(Workspace ws) {
    Schema s = Schema.of(Field.of("id", DataType.LONG).withNullable(false), Field.of("i", DataType.INT),
        Field.of("tiny", DataType.BYTE), Field.of("small", DataType.SHORT), Field.of("flt", DataType.FLOAT),
        Field.of("dbl", DataType.DOUBLE), Field.of("price", ColumnType.decimal(10, 2)),
        Field.of("big", ColumnType.decimal(38, 18)), Field.of("b", DataType.BOOLEAN), Field.of("s", DataType.STRING),
        Field.of("raw", DataType.BINARY), Field.of("local_ts", DataType.TIMESTAMP_NTZ), Field.of("dt", DataType.DATE),
        Field.of("ts", DataType.TIMESTAMP), Field.of("st", ST), Field.of("arr", ColumnType.array(KV)),
        Field.of("mp", ColumnType.map(ColumnType.of(DataType.STRING), ColumnType.array(DataType.INT))),
        Field.of("mpi", ColumnType.map(ColumnType.of(DataType.INT), ColumnType.decimal(5, 1))));
    List<Map<String, Object>> rows = new ArrayList<>();
    rows.add(row("id", 1L, "i", Integer.MIN_VALUE, "tiny", (byte) -128, "small", (short) -32768, "flt", 1.1f,
        "dbl", -0.1, "price", new BigDecimal("12345678.99"),
        "big", new BigDecimal("12345678901234567890.123456789012345678"), "b", true, "s", "ünïcødé ✓, \"q\"",
        "raw", new byte[] {0, (byte) 0xFF, 0x10}, "local_ts", LocalDateTime.parse("2024-02-29T23:59:59.999999"),
        "dt", LocalDate.parse("2024-02-29"), "ts", Instant.parse("2024-02-29T23:59:59.999999Z"),
        "st", row("a", 1, "nested", row("c", "x", "d", list(1.5, null))),
        "arr", list(row("k", "a", "v", 1L), row("k", "b", "v", null)),
        "mp", map("x", list(1, 2), "y", null), "mpi", map(1, new BigDecimal("1.5"))));
    rows.add(row("id", 2L, "i", Integer.MAX_VALUE, "tiny", (byte) 127, "small", (short) 32767,
        "flt", Float.NEGATIVE_INFINITY, "dbl", Double.MAX_VALUE, "price", new BigDecimal("-0.01"),
        "big", new BigDecimal("-0.000000000000000001"), "b", false, "s", "", "raw", new byte[0],
        "local_ts", LocalDateTime.parse("1000-01-01T00:00:00"), "dt", LocalDate.parse("0001-01-01"),
        "ts", Instant.parse("1969-12-31T23:59:59.999999Z"), "st", row("a", null, "nested", null), "arr", list(),
        "mp", map(), "mpi", map()));
    rows.add(row("id", 3L, "i", 0, "tiny", (byte) 0, "small", (short) 0, "flt", Float.NaN, "dbl", Double.NaN,
        "price", new BigDecimal("0.00"), "big", new BigDecimal("0E-18"), "b", null, "s", null,
        "raw", new byte[] {(byte) 0xDE, (byte) 0xAD}, "local_ts", LocalDateTime.parse("1970-01-01T00:00:00"),
        "dt", LocalDate.parse("1970-01-01"), "ts", Instant.parse("1970-01-01T00:00:00Z"),
        "st", row("a", 3, "nested", row("c", null, "d", null)), "arr", null, "mp", null,
        "mpi", map(3, null, -4, new BigDecimal("-9999.9"))));
    Map<String, Object> nulls = new LinkedHashMap<>();
    for (String n : s.names()) {
      nulls.put(n, null);
    }
    nulls.put("id", 4L);
    rows.add(nulls);
    rows.add(row("id", 5L, "i", -5, "tiny", (byte) 5, "small", (short) 500, "flt", Float.MAX_VALUE, "dbl", -0.0,
        "price", new BigDecimal("99999999.99"), "big", new BigDecimal("99999999999999999999.999999999999999999"),
        "b", true, "s", "line\nbreak", "raw", new byte[] {1}, "local_ts", LocalDateTime.parse("9999-12-31T23:59:59.999999"),
        "dt", LocalDate.parse("9999-12-31"), "ts", Instant.parse("2100-01-01T00:00:00.000001Z"),
        "st", row("a", -5, "nested", row("c", "ünï ✓", "d", list())), "arr", list(row("k", null, "v", Long.MIN_VALUE)),
        "mp", map("", list((Object) null)), "mpi", map(Integer.MAX_VALUE, new BigDecimal("0.1"))));
    DeltaTable t = ws.tables().create("main.spark.sdk_all_types").schema(s)
        .description("Every Delta type, written by the SDK").create();
    t.append(Frame.fromMaps(s, rows));
    record("sdk_all_types", t, "every Delta type written by the SDK (create + append)", List.of());
  }

  /** Dates and timestamps before the Gregorian switch (1582-10-15): Spark 3.5 reads them with default settings. */
  private void ancientDates(Workspace ws) {
    Schema s = Schema.of(Field.of("id", DataType.LONG), Field.of("d", DataType.DATE), Field.of("ts", DataType.TIMESTAMP),
        Field.of("local_ts", DataType.TIMESTAMP_NTZ));
    String[] days = {"0001-01-01", "1000-01-01", "1200-06-15", "1582-10-04", "1582-10-15", "1899-12-31", "2024-01-01"};
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 0; i < days.length; i++) {
      LocalDate d = LocalDate.parse(days[i]);
      rows.add(row("id", (long) i + 1, "d", d, "ts", d.atTime(12, 30, 0, 500_000).toInstant(java.time.ZoneOffset.UTC),
          "local_ts", d.atTime(23, 59, 59, 999_999_000)));
    }
    DeltaTable t = ws.tables().create("main.spark.sdk_ancient_dates").create(Frame.fromMaps(s, rows));
    record("sdk_ancient_dates", t, "dates and timestamps from year 1 to 2024, written by the SDK", List.of());
  }

  // ------------------------------------------------------------------ Spark tables the SDK writes to

  /** Spark turned column mapping on, dropped x and renamed y to y_old; the SDK adds x and y again and writes. */
  private void afterSparkRenameAndDrop(Workspace ws) {
    DeltaTable t = copy("drop_rename_readd", ws);
    t.addColumns(Field.of("x", DataType.STRING), Field.of("y", DataType.STRING));
    t.append(Frame.fromMaps(t.schema(), List.of(row("id", 8L, "y_old", "old-8", "z", 8.0, "x", "new-x8", "y", "new-y8"))));
    t.upsert(Frame.fromMaps(t.schema(), List.of(row("id", 1L, "y_old", "y1", "z", 1.0, "x", "new-x1", "y", "new-y1"))),
        "id");
    record("drop_rename_readd", t, "Spark: column mapping on, DROP x, RENAME y TO y_old; SDK: add x, y; append; upsert",
        List.of());
  }

  private void columnMappingId(Workspace ws) {
    DeltaTable t = copy("column_mapping_id", ws);
    t.append(Frame.fromMaps(t.schema(), List.of(row("id", 5L, "full_name", "sdk", "score", 5.5,
        "info", row("a", 5, "b", "z")))));
    t.upsert(Frame.fromMaps(t.schema(), List.of(row("id", 2L, "full_name", "sdk-2", "score", 2.5,
        "info", row("a", 2, "b", null)))), "id");
    record("column_mapping_id", t, "Spark: column mapping id + rename; SDK: append, upsert (field ids)", List.of());
  }

  private void rowTracking(Workspace ws) {
    DeltaTable t = copy("row_tracking", ws);
    t.append(Frame.fromMaps(t.schema(), List.of(row("id", 16L, "v", 16, "s", "sdk"), row("id", 17L, "v", 17, "s", "sdk"))));
    record("row_tracking", t, "Spark: row tracking, UPDATE; SDK: append",
        List.of("SELECT id, _metadata.row_id, _metadata.row_commit_version FROM %s ORDER BY id"));
  }

  private void checkpointV2(Workspace ws) {
    DeltaTable t = copy("checkpoint_v2", ws);
    for (long id = 25; id <= 34; id++) {
      t.append(Frame.fromMaps(t.schema(), List.of(row("id", id, "batch", 13))));
    }
    record("checkpoint_v2", t, "Spark: v2 checkpoints at 10; SDK: 10 appends (versions 13..22)", List.of());
  }

  // ------------------------------------------------------------------ monitor result tables

  private void monitoring() throws IOException {
    Path dir = out.resolve("monitoring");
    MonitoringSample.run(dir, new PrintStream(java.io.OutputStream.nullOutputStream()));
    try (Workspace ws = Workspace.open(dir)) {
      record("churn_log_drift_metrics", ws.tables().get("main.ml.churn_log_drift_metrics"),
          "MonitoringSample's drift metrics (Databricks names)",
          List.of("SELECT window.start, ks_test.pvalue FROM %s WHERE ks_test IS NOT NULL"
              + " ORDER BY window.start, column_name, slice_key, slice_value, model_version, drift_type"));
      record("churn_log_profile_metrics", ws.tables().get("main.ml.churn_log_profile_metrics"),
          "MonitoringSample's profile metrics (Databricks names)",
          List.of("SELECT window.start, quantiles[2] FROM %s WHERE quantiles IS NOT NULL"
              + " ORDER BY window.start, column_name, slice_key, slice_value, model_version, log_type"));
    }
  }

  // ------------------------------------------------------------------ helpers

  private DeltaTable copy(String fixture, Workspace ws) {
    Path from = fixtures.resolve(fixture);
    Path to = out.resolve(fixture);
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path dst = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(dst);
        } else {
          Files.copy(p, dst, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return ws.tables().atPath(to.toString());
  }

  /** Adds the table to the manifest and writes what the SDK reads from it now. */
  private void record(String name, DeltaTable t, String what, List<String> queries) {
    Frame f = t.read().load();
    List<Object> rows = new ArrayList<>();
    for (Map<String, Object> r : f.rows()) {
      rows.add(json(r, f.schema()));
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("path", t.location());
    m.put("what", what);
    m.put("sdkVersion", t.version());
    m.put("sdkDescription", t.description());
    m.put("queries", queries);
    manifest.add(m);
    try {
      JSON.writeValue(out.resolve(name + ".sdk.json").toFile(), Map.of("schema", f.schema().toString(), "rows", rows));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    System.out.println(name + ": version " + t.version() + ", " + f.rowCount() + " rows");
  }

  /** A row in SparkValues' JSON conventions (the same text Spark's read of the table gives). */
  static Map<String, Object> json(Map<String, Object> r, Schema s) {
    Map<String, Object> out = new TreeMap<>();
    for (Field f : s.fields()) {
      out.put(f.name(), json(r.get(f.name()), f.columnType()));
    }
    return out;
  }

  static Object json(Object v, ColumnType t) {
    if (v == null) {
      return null;
    }
    if (t instanceof ColumnType.Struct st) {
      @SuppressWarnings("unchecked")
      Map<String, Object> m = (Map<String, Object>) v;
      Map<String, Object> out = new TreeMap<>();
      for (Field f : st.fields()) {
        out.put(f.name(), json(m.get(f.name()), f.columnType()));
      }
      return out;
    }
    if (t instanceof ColumnType.ArrayOf a) {
      List<Object> out = new ArrayList<>();
      for (Object o : (List<?>) v) {
        out.add(json(o, a.element()));
      }
      return out;
    }
    if (t instanceof ColumnType.MapOf mt) {
      List<Object> out = new ArrayList<>();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
        Map<String, Object> kv = new TreeMap<>();
        kv.put("key", json(e.getKey(), mt.key()));
        kv.put("value", json(e.getValue(), mt.value()));
        out.add(kv);
      }
      return out;
    }
    if (v instanceof BigDecimal d) {
      return d.toPlainString();
    }
    if (v instanceof byte[] b) {
      return HexFormat.of().formatHex(b);
    }
    if (v instanceof Temporal) {
      return v.toString();
    }
    return v;
  }

  static Map<String, Object> row(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  static List<Object> list(Object... v) {
    return new ArrayList<>(java.util.Arrays.asList(v));
  }

  static Map<Object, Object> map(Object... kv) {
    Map<Object, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }
}
