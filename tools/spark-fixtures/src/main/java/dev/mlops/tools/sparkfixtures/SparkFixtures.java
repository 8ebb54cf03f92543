package dev.mlops.tools.sparkfixtures;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Writes small Delta tables with real Spark + Delta Lake, each with a {@code <name>.expected.json}
 * beside it holding what Spark itself reads back (latest rows, the rows of one older version, the
 * history). The SDK's {@code SparkTablesTest} compares its reads with those files.
 *
 * <pre>
 * generate DIR   write every table (DIR must not hold them yet)
 * verify DIR     read every Delta table under DIR with Spark and print rows, distinct ids, last operation
 * </pre>
 *
 * All values are deterministic functions of the row id; only file names (UUIDs) and commit times vary
 * between runs.
 */
public final class SparkFixtures {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
  private static final LocalDate D0 = LocalDate.parse("2024-01-01");

  private final SparkSession spark;
  private final Path root;

  private SparkFixtures(SparkSession spark, Path root) {
    this.spark = spark;
    this.root = root;
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 2 || !(args[0].equals("generate") || args[0].equals("verify"))) {
      System.err.println("usage: SparkFixtures generate|verify DIR");
      System.exit(2);
    }
    Path dir = Path.of(args[1]).toAbsolutePath();
    SparkSession spark = SparkSession.builder()
        .master("local[1]")
        .appName("mlops-spark-fixtures")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.default.parallelism", "1")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.datetime.java8API.enabled", "true")
        .config("spark.sql.warehouse.dir", dir.resolveSibling("spark-warehouse").toString())
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    try {
      SparkFixtures f = new SparkFixtures(spark, dir);
      if (args[0].equals("generate")) {
        f.generate();
      } else {
        f.verify();
      }
    } finally {
      spark.stop();
    }
  }

  // ------------------------------------------------------------------ generate

  private void generate() throws IOException {
    Files.createDirectories(root);
    plain();
    partitioned();
    columnMapping();
    deletionVectors();
    checkpointed();
    int96();
    checkConstraint();
    generatedColumn();
    identityColumn();
    nestedTypes();
  }

  private static final StructType PLAIN = new StructType()
      .add("id", DataTypes.LongType, false)
      .add("i", DataTypes.IntegerType)
      .add("d", DataTypes.DoubleType)
      .add("b", DataTypes.BooleanType)
      .add("s", DataTypes.StringType)
      .add("ts", DataTypes.TimestampType)
      .add("dt", DataTypes.DateType);

  private static Row plainRow(long id) {
    Integer i = id % 5 == 0 ? null : (int) ((id * 7) % 13) - 6;
    Double d = id % 7 == 0 ? null : id * 1.25 - 10;
    Boolean b = id % 6 == 0 ? null : id % 2 == 0;
    String s = id % 4 == 0 ? null : id == 3 ? "ünïcødé ✓ \"quoted\", comma" : id == 9 ? "" : "name-" + id;
    Instant ts = id % 8 == 0 ? null
        : id == 1 ? Instant.parse("1969-12-31T23:59:59.999999Z")
        : T0.plusSeconds(id * 3600).plusNanos(id * 123_456_000L);
    LocalDate dt = id % 9 == 0 ? null : id == 2 ? LocalDate.parse("1969-07-20") : D0.plusDays(id);
    return RowFactory.create(id, i, d, b, s, ts, dt);
  }

  /** (a) every SDK type, nulls everywhere but the id; v1 = ids 1..20, v2 = ids 21..30. */
  private void plain() throws IOException {
    String p = table("plain");
    sql("CREATE TABLE delta.`" + p + "` (id BIGINT NOT NULL, i INT, d DOUBLE, b BOOLEAN, s STRING,"
        + " ts TIMESTAMP, dt DATE) USING delta");
    append(p, PLAIN, range(1, 20, SparkFixtures::plainRow));
    append(p, PLAIN, range(21, 30, SparkFixtures::plainRow));
    expected("plain", 1);
  }

  private static final StructType PART = new StructType()
      .add("id", DataTypes.LongType, false)
      .add("region", DataTypes.StringType)
      .add("day", DataTypes.DateType)
      .add("value", DataTypes.DoubleType);

  private static Row partRow(long id) {
    String[] regions = {"EU", "US", "APAC"};
    String region = id == 24 ? null : regions[(int) (id % 3)];
    return RowFactory.create(id, region, D0.plusDays(60 + id % 2), id == 7 ? null : id * 0.5);
  }

  /** (b) partitioned by a string and a date column, one null partition value. */
  private void partitioned() throws IOException {
    String p = table("partitioned");
    sql("CREATE TABLE delta.`" + p + "` (id BIGINT NOT NULL, region STRING, day DATE, value DOUBLE) USING delta"
        + " PARTITIONED BY (region, day)");
    append(p, PART, range(1, 24, SparkFixtures::partRow));
    append(p, PART, range(25, 30, SparkFixtures::partRow));
    expected("partitioned", 1);
  }

  /** (c) column mapping 'name'; v2 renames name to full_name, v3 drops legacy. */
  private void columnMapping() throws IOException {
    String p = table("column_mapping");
    sql("CREATE TABLE delta.`" + p + "` (id BIGINT NOT NULL, name STRING, score DOUBLE, legacy STRING) USING delta"
        + " TBLPROPERTIES ('delta.columnMapping.mode' = 'name', 'delta.minReaderVersion' = '2',"
        + " 'delta.minWriterVersion' = '5')");
    StructType v1 = new StructType().add("id", DataTypes.LongType, false).add("name", DataTypes.StringType)
        .add("score", DataTypes.DoubleType).add("legacy", DataTypes.StringType);
    append(p, v1, range(1, 10, id -> RowFactory.create(id, "person-" + id, id * 1.5, "old-" + id)));
    sql("ALTER TABLE delta.`" + p + "` RENAME COLUMN name TO full_name");
    sql("ALTER TABLE delta.`" + p + "` DROP COLUMN legacy");
    StructType v4 = new StructType().add("id", DataTypes.LongType, false).add("full_name", DataTypes.StringType)
        .add("score", DataTypes.DoubleType);
    append(p, v4, range(11, 15, id -> RowFactory.create(id, "person-" + id, id == 13 ? null : id * 1.5)));
    expected("column_mapping", 1);
  }

  /** (d) deletion vectors: 40 rows in one file, two DELETEs that leave DVs instead of rewriting. */
  private void deletionVectors() throws IOException {
    String p = table("deletion_vectors");
    sql("CREATE TABLE delta.`" + p + "` (id BIGINT NOT NULL, cat STRING, amount DOUBLE) USING delta"
        + " TBLPROPERTIES ('delta.enableDeletionVectors' = 'true')");
    StructType s = new StructType().add("id", DataTypes.LongType, false).add("cat", DataTypes.StringType)
        .add("amount", DataTypes.DoubleType);
    append(p, s, range(1, 40, id -> RowFactory.create(id, "c" + (id % 3), id * 2.5)));
    sql("DELETE FROM delta.`" + p + "` WHERE id % 4 = 0");
    sql("DELETE FROM delta.`" + p + "` WHERE id % 5 = 0");
    try (Stream<Path> files = Files.list(Path.of(p))) {
      if (files.noneMatch(f -> f.getFileName().toString().startsWith("deletion_vector_"))) {
        throw new IllegalStateException("DELETE did not write a deletion vector under " + p);
      }
    }
    expected("deletion_vectors", 1);
  }

  /** (e) 13 commits so _delta_log has a checkpoint at version 10; in-commit timestamps on. */
  private void checkpointed() throws IOException {
    String p = table("checkpointed");
    sql("CREATE TABLE delta.`" + p + "` (id BIGINT NOT NULL, batch INT, label STRING) USING delta"
        + " TBLPROPERTIES ('delta.enableInCommitTimestamps' = 'true')");
    StructType s = new StructType().add("id", DataTypes.LongType, false).add("batch", DataTypes.IntegerType)
        .add("label", DataTypes.StringType);
    for (int batch = 1; batch <= 12; batch++) {
      int b = batch;
      append(p, s, range(b * 2L - 1, b * 2L, id -> RowFactory.create(id, b, "row-" + id)));
    }
    if (!Files.exists(Path.of(p, "_delta_log", "_last_checkpoint"))) {
      throw new IllegalStateException("no checkpoint written under " + p);
    }
    expected("checkpointed", 5);
  }

  /** (f) timestamps stored as legacy INT96. */
  private void int96() throws IOException {
    String p = table("int96");
    sql("CREATE TABLE delta.`" + p + "` (id BIGINT NOT NULL, ts TIMESTAMP, note STRING) USING delta");
    StructType s = new StructType().add("id", DataTypes.LongType, false).add("ts", DataTypes.TimestampType)
        .add("note", DataTypes.StringType);
    Instant[] special = {
        Instant.parse("1969-12-31T23:59:59.999999Z"), Instant.parse("1970-01-01T00:00:00Z"),
        Instant.parse("1900-01-01T00:00:00Z"), Instant.parse("2100-12-31T23:59:59.000001Z"),
        Instant.parse("2024-02-29T12:34:56.789012Z")};
    spark.conf().set("spark.sql.parquet.outputTimestampType", "INT96");
    try {
      append(p, s, range(1, 20, id -> RowFactory.create(id,
          id % 6 == 0 ? null : id <= special.length ? special[(int) id - 1] : T0.plusSeconds(id * 86_399).plusNanos(id * 1000),
          "n" + id)));
    } finally {
      spark.conf().unset("spark.sql.parquet.outputTimestampType");
    }
    try (Stream<Path> files = Files.walk(Path.of(p))) {
      for (Path f : files.filter(x -> x.toString().endsWith(".parquet")).toList()) {
        try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(
            new org.apache.hadoop.fs.Path(f.toUri()), new Configuration()))) {
          MessageType schema = r.getFooter().getFileMetaData().getSchema();
          String t = schema.getType("ts").asPrimitiveType().getPrimitiveTypeName().name();
          if (!t.equals("INT96")) {
            throw new IllegalStateException("ts is " + t + " in " + f + ", expected INT96");
          }
          System.out.println("int96: " + f.getFileName() + " ts is " + t);
        }
      }
    }
    expected("int96", -1);
  }

  /** (g) a CHECK constraint. */
  private void checkConstraint() throws IOException {
    String p = table("check_constraint");
    sql("CREATE TABLE delta.`" + p + "` (id BIGINT NOT NULL, v INT) USING delta");
    append(p, new StructType().add("id", DataTypes.LongType, false).add("v", DataTypes.IntegerType),
        range(1, 10, id -> RowFactory.create(id, (int) id * 10)));
    sql("ALTER TABLE delta.`" + p + "` ADD CONSTRAINT v_positive CHECK (v > 0)");
    expected("check_constraint", -1);
  }

  /** (g) a generated column. */
  private void generatedColumn() throws IOException {
    String p = table("generated_column");
    // Spark 4.0's SQL DDL refuses GENERATED ALWAYS AS on path tables; the DeltaTable builder does it.
    io.delta.tables.DeltaTable.create(spark).location(p)
        .addColumn(io.delta.tables.DeltaTable.columnBuilder(spark, "id").dataType("BIGINT").nullable(false).build())
        .addColumn("v", "INT")
        .addColumn(io.delta.tables.DeltaTable.columnBuilder(spark, "v2").dataType("INT").generatedAlwaysAs("v * 2")
            .build())
        .execute();
    sql("INSERT INTO delta.`" + p + "` (id, v) SELECT id, CAST(id * 3 AS INT) FROM range(1, 11)");
    expected("generated_column", -1);
  }

  /** (g) an identity column. */
  private void identityColumn() throws IOException {
    String p = table("identity_column");
    io.delta.tables.DeltaTable.create(spark).location(p)
        .addColumn(io.delta.tables.DeltaTable.columnBuilder(spark, "id").dataType("BIGINT")
            .generatedAlwaysAsIdentity(1, 1).build())
        .addColumn("name", "STRING")
        .execute();
    sql("INSERT INTO delta.`" + p + "` (name) SELECT concat('item-', CAST(id AS STRING)) FROM range(1, 11)"
        + " ORDER BY id");
    expected("identity_column", -1);
  }

  /** (g) columns the SDK cannot hold: array&lt;int&gt; and a struct. */
  private void nestedTypes() throws IOException {
    String p = table("nested_types");
    sql("CREATE TABLE delta.`" + p + "` (id BIGINT NOT NULL, tags ARRAY<INT>, info STRUCT<a: INT, b: STRING>,"
        + " note STRING) USING delta");
    StructType s = new StructType().add("id", DataTypes.LongType, false)
        .add("tags", new ArrayType(DataTypes.IntegerType, true))
        .add("info", new StructType().add("a", DataTypes.IntegerType).add("b", DataTypes.StringType))
        .add("note", DataTypes.StringType);
    append(p, s, range(1, 10, id -> RowFactory.create(id,
        id % 4 == 0 ? null : scala.jdk.javaapi.CollectionConverters.asScala(List.of((int) id, (int) id + 1)).toSeq(),
        RowFactory.create((int) id, "b" + id), "note-" + id)));
    expected("nested_types", -1);
  }

  // ------------------------------------------------------------------ helpers

  private interface RowOf {
    Row of(long id);
  }

  private static List<Row> range(long from, long to, RowOf f) {
    List<Row> out = new ArrayList<>();
    for (long id = from; id <= to; id++) {
      out.add(f.of(id));
    }
    return out;
  }

  private String table(String name) throws IOException {
    Path p = root.resolve(name);
    if (Files.exists(p)) {
      throw new IllegalStateException(p + " exists: generate into an empty directory");
    }
    return p.toString();
  }

  private Dataset<Row> sql(String q) {
    System.out.println("spark.sql: " + q);
    return spark.sql(q);
  }

  /** One file per append (one partition), operation WRITE. */
  private void append(String path, StructType schema, List<Row> rows) {
    spark.createDataFrame(rows, schema).coalesce(1).write().format("delta").mode("append").save(path);
  }

  /** Writes NAME.expected.json from Spark's own read of the table (and of olderVersion when >= 0). */
  private void expected(String name, long olderVersion) throws IOException {
    String p = root.resolve(name).toString();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("spark", spark.version());
    Dataset<Row> latest = spark.read().format("delta").load(p);
    List<Row> hist = spark.sql("DESCRIBE HISTORY delta.`" + p + "`").orderBy("version").collectAsList();
    out.put("version", hist.get(hist.size() - 1).getLong(0));
    out.put("schema", schema(latest.schema()));
    out.put("rows", rows(latest));
    if (olderVersion >= 0) {
      Dataset<Row> older = spark.read().format("delta").option("versionAsOf", olderVersion).load(p);
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("version", olderVersion);
      o.put("schema", schema(older.schema()));
      o.put("rows", rows(older));
      out.put("older", o);
    }
    List<Map<String, Object>> h = new ArrayList<>();
    for (Row r : hist) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("version", r.getLong(r.fieldIndex("version")));
      m.put("timestamp", String.valueOf(r.get(r.fieldIndex("timestamp"))));
      m.put("operation", r.getString(r.fieldIndex("operation")));
      m.put("engineInfo", r.getString(r.fieldIndex("engineInfo")));
      h.add(m);
    }
    out.put("history", h);
    JSON.writeValue(root.resolve(name + ".expected.json").toFile(), out);
    System.out.println(name + ": version " + out.get("version") + ", " + latest.count() + " rows");
  }

  private static List<Map<String, String>> schema(StructType s) {
    List<Map<String, String>> out = new ArrayList<>();
    for (StructField f : s.fields()) {
      out.add(Map.of("name", f.name(), "type", f.dataType().simpleString(), "nullable", String.valueOf(f.nullable())));
    }
    return out;
  }

  private static List<Map<String, Object>> rows(Dataset<Row> df) {
    List<Map<String, Object>> out = new ArrayList<>();
    List<Row> rows = new ArrayList<>(df.collectAsList());
    int idIdx = df.schema().getFieldIndex("id").isDefined() ? df.schema().fieldIndex("id") : -1;
    if (idIdx >= 0) {
      rows.sort(Comparator.comparingLong(r -> r.getLong(idIdx)));
    }
    for (Row r : rows) {
      out.add(toMap(r));
    }
    return out;
  }

  private static Map<String, Object> toMap(Row r) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (StructField f : r.schema().fields()) {
      m.put(f.name(), value(r.get(r.fieldIndex(f.name()))));
    }
    return m;
  }

  private static Object value(Object v) {
    if (v == null || v instanceof Number || v instanceof Boolean || v instanceof String) {
      return v;
    }
    if (v instanceof Instant || v instanceof LocalDate) {
      return v.toString();
    }
    if (v instanceof Row r) {
      return toMap(r);
    }
    if (v instanceof scala.collection.Seq<?> seq) {
      List<Object> out = new ArrayList<>();
      for (Object o : scala.jdk.javaapi.CollectionConverters.asJava(seq)) {
        out.add(value(o));
      }
      return out;
    }
    throw new IllegalArgumentException("unexpected value " + v.getClass() + ": " + v);
  }

  // ------------------------------------------------------------------ verify

  private void verify() throws IOException {
    List<Path> tables;
    try (Stream<Path> s = Files.walk(root, 3)) {
      tables = s.filter(p -> Files.isDirectory(p.resolve("_delta_log"))).sorted().toList();
    }
    for (Path t : tables) {
      try {
        Dataset<Row> df = spark.read().format("delta").load(t.toString());
        long n = df.count();
        String ids = df.schema().getFieldIndex("id").isDefined()
            ? String.valueOf(df.select("id").distinct().count()) : "-";
        Row last = spark.sql("DESCRIBE HISTORY delta.`" + t + "` LIMIT 1").collectAsList().get(0);
        System.out.println("VERIFY " + root.relativize(t) + ": rows=" + n + " distinctIds=" + ids
            + " version=" + last.getLong(last.fieldIndex("version"))
            + " lastOperation=" + last.getString(last.fieldIndex("operation"))
            + " engine=" + last.get(last.fieldIndex("engineInfo")));
        for (Row r : df.orderBy("id").collectAsList()) {
          System.out.println("  " + r);
        }
      } catch (Exception e) {
        System.out.println("VERIFY " + root.relativize(t) + ": FAILED " + e);
      }
    }
  }
}
