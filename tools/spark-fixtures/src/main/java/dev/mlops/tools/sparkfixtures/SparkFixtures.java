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
import java.util.HashSet;
import java.util.Set;
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
  private final Set<String> only;

  private SparkFixtures(SparkSession spark, Path root, Set<String> only) {
    this.spark = spark;
    this.root = root;
    this.only = only;
  }

  public static void main(String[] args) throws Exception {
    if (args.length >= 1 && args[0].equals("readback")) {
      SparkReadBack.main(args);
      return;
    }
    if (args.length < 2 || !(args[0].equals("generate") || args[0].equals("verify"))) {
      System.err.println("usage: SparkFixtures generate|verify DIR [TABLE ...]");
      System.exit(2);
    }
    Path dir = Path.of(args[1]).toAbsolutePath();
    Set<String> only = new HashSet<>();
    for (int i = 2; i < args.length; i++) {
      for (String n : args[i].split(",")) {
        if (!n.isBlank() && !n.equals("-")) {
          only.add(n.trim());
        }
      }
    }
    SparkSession spark = SparkValues.session(dir);
    spark.sparkContext().setLogLevel("WARN");
    try {
      SparkFixtures f = new SparkFixtures(spark, dir, only);
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

  private interface Step {
    void run() throws IOException;
  }

  /** Every table, by name; "generate DIR a,b" writes only a and b. */
  private void generate() throws IOException {
    Files.createDirectories(root);
    Map<String, Step> steps = new LinkedHashMap<>();
    steps.put("plain", this::plain);
    steps.put("partitioned", this::partitioned);
    steps.put("column_mapping", this::columnMapping);
    steps.put("deletion_vectors", this::deletionVectors);
    steps.put("checkpointed", this::checkpointed);
    steps.put("int96", this::int96);
    steps.put("check_constraint", this::checkConstraint);
    steps.put("generated_column", this::generatedColumn);
    steps.put("identity_column", this::identityColumn);
    steps.put("nested_types", this::nestedTypes);
    // issue 9: every Delta type and the tables other engines keep changing
    steps.put("all_types", this::allTypes);
    steps.put("special_names", this::specialNames);
    steps.put("codecs", this::codecs);
    steps.put("legacy_rebase", this::legacyRebase);
    steps.put("row_tracking", this::rowTracking);
    steps.put("column_mapping_id", this::columnMappingId);
    steps.put("checkpoint_v2", this::checkpointV2);
    steps.put("deletion_vector_dml", this::deletionVectorDml);
    steps.put("drop_rename_readd", this::dropRenameReadd);
    for (String n : only) {
      if (!steps.containsKey(n)) {
        throw new IllegalArgumentException("no fixture table " + n + "; known: " + steps.keySet());
      }
    }
    for (Map.Entry<String, Step> e : steps.entrySet()) {
      if (only.isEmpty() || only.contains(e.getKey())) {
        e.getValue().run();
      }
    }
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


  // ------------------------------------------------------------------ issue 9: every type, other engines' features

  /** SQL for one write with a Spark setting changed for its duration. */
  private void withConf(Map<String, String> conf, Runnable r) {
    Map<String, String> before = new LinkedHashMap<>();
    conf.forEach((k, v) -> {
      before.put(k, spark.conf().contains(k) ? spark.conf().get(k) : null);
      spark.conf().set(k, v);
    });
    try {
      r.run();
    } finally {
      before.forEach((k, v) -> {
        if (v == null) {
          spark.conf().unset(k);
        } else {
          spark.conf().set(k, v);
        }
      });
    }
  }

  /**
   * Every Delta type: tinyint, smallint, float (NaN, -Infinity, max), decimal(10,2), decimal(38,18) at its
   * limits, binary (empty too), timestamp_ntz and dates from year 1 to 9999, and nested struct / array /
   * map (struct in struct, array of structs, map of arrays, map with int keys and decimal values).
   */
  private void allTypes() throws IOException {
    String p = table("all_types");
    sql("CREATE TABLE delta.`" + p + "` (id BIGINT NOT NULL, tiny TINYINT, small SMALLINT, flt FLOAT,"
        + " price DECIMAL(10,2), big DECIMAL(38,18), raw BINARY, local_ts TIMESTAMP_NTZ, dt DATE, ts TIMESTAMP,"
        + " st STRUCT<a: INT, nested: STRUCT<c: STRING, d: ARRAY<DOUBLE>>>,"
        + " arr ARRAY<STRUCT<k: STRING, v: BIGINT>>, mp MAP<STRING, ARRAY<INT>>, mpi MAP<INT, DECIMAL(5,1)>)"
        + " USING delta");
    String rows = String.join(",\n",
        "(1, CAST(-128 AS TINYINT), CAST(-32768 AS SMALLINT), CAST('1.1' AS FLOAT), 12345678.99,"
            + " CAST('12345678901234567890.123456789012345678' AS DECIMAL(38,18)), X'00FF10',"
            + " TIMESTAMP_NTZ'2024-02-29 23:59:59.999999', DATE'2024-02-29', TIMESTAMP'2024-02-29 23:59:59.999999',"
            + " named_struct('a', 1, 'nested', named_struct('c', 'x', 'd', array(1.5D, CAST(NULL AS DOUBLE)))),"
            + " array(named_struct('k', 'a', 'v', 1L), named_struct('k', 'b', 'v', CAST(NULL AS BIGINT))),"
            + " map('x', array(1, 2), 'y', CAST(NULL AS ARRAY<INT>)), map(1, CAST(1.5 AS DECIMAL(5,1))))",
        "(2, CAST(127 AS TINYINT), CAST(32767 AS SMALLINT), CAST('-Infinity' AS FLOAT), -0.01,"
            + " CAST('-0.000000000000000001' AS DECIMAL(38,18)), X'', TIMESTAMP_NTZ'1000-01-01 00:00:00',"
            + " DATE'0001-01-01', TIMESTAMP'1969-12-31 23:59:59.999999',"
            + " named_struct('a', CAST(NULL AS INT), 'nested', CAST(NULL AS STRUCT<c: STRING, d: ARRAY<DOUBLE>>)),"
            + " CAST(array() AS ARRAY<STRUCT<k: STRING, v: BIGINT>>), CAST(map() AS MAP<STRING, ARRAY<INT>>),"
            + " CAST(map() AS MAP<INT, DECIMAL(5,1)>))",
        "(3, CAST(0 AS TINYINT), CAST(0 AS SMALLINT), CAST('NaN' AS FLOAT), 0.00, CAST(0 AS DECIMAL(38,18)),"
            + " X'DEADBEEF', TIMESTAMP_NTZ'1970-01-01 00:00:00', DATE'1970-01-01', TIMESTAMP'1970-01-01 00:00:00',"
            + " named_struct('a', 3, 'nested', named_struct('c', CAST(NULL AS STRING), 'd', CAST(NULL AS ARRAY<DOUBLE>))),"
            + " CAST(NULL AS ARRAY<STRUCT<k: STRING, v: BIGINT>>), CAST(NULL AS MAP<STRING, ARRAY<INT>>),"
            + " map(3, CAST(NULL AS DECIMAL(5,1)), -4, CAST(-9999.9 AS DECIMAL(5,1))))",
        "(4, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)",
        "(5, CAST(5 AS TINYINT), CAST(500 AS SMALLINT), CAST('3.4028235E38' AS FLOAT), 99999999.99,"
            + " CAST('99999999999999999999.999999999999999999' AS DECIMAL(38,18)), X'01',"
            + " TIMESTAMP_NTZ'9999-12-31 23:59:59.999999', DATE'9999-12-31', TIMESTAMP'2100-01-01 00:00:00.000001',"
            + " named_struct('a', -5, 'nested', named_struct('c', 'ünï ✓', 'd', array())),"
            + " array(named_struct('k', CAST(NULL AS STRING), 'v', -9223372036854775808L)),"
            + " map('', array(CAST(NULL AS INT))), map(2147483647, CAST(0.1 AS DECIMAL(5,1))))",
        "(6, CAST(-1 AS TINYINT), CAST(-1 AS SMALLINT), CAST('-0.0' AS FLOAT), -99999999.99,"
            + " CAST('-99999999999999999999.999999999999999999' AS DECIMAL(38,18)), X'7F80',"
            + " TIMESTAMP_NTZ'1582-10-04 12:34:56.000001', DATE'1582-10-15', TIMESTAMP'1582-10-04 00:00:00',"
            + " CAST(NULL AS STRUCT<a: INT, nested: STRUCT<c: STRING, d: ARRAY<DOUBLE>>>),"
            + " array(CAST(NULL AS STRUCT<k: STRING, v: BIGINT>)), map('z', array(-1)), CAST(NULL AS MAP<INT, DECIMAL(5,1)>))");
    // ancient dates and timestamps written as proleptic Gregorian (Spark's CORRECTED mode, its footer keys)
    withConf(Map.of("spark.sql.parquet.datetimeRebaseModeInWrite", "CORRECTED",
        "spark.sql.parquet.int96RebaseModeInWrite", "CORRECTED"),
        () -> sql("INSERT INTO delta.`" + p + "` VALUES\n" + rows));
    expected("all_types", -1);
  }

  /** Column names with a space and each of ,;{}()= in a column-mapped table, one nested. */
  private void specialNames() throws IOException {
    String p = table("special_names");
    sql("CREATE TABLE delta.`" + p + "` (id BIGINT NOT NULL, `first name` STRING, `a,b` INT, `c;d` DOUBLE,"
        + " `e{f}` STRING, `g(h)` BIGINT, `i=j` BOOLEAN, `s t` STRUCT<`x y`: INT, `u=v`: STRING>) USING delta"
        + " TBLPROPERTIES ('delta.columnMapping.mode' = 'name', 'delta.minReaderVersion' = '2',"
        + " 'delta.minWriterVersion' = '5')");
    sql("INSERT INTO delta.`" + p + "` VALUES (1, 'Ada', 1, 1.5, '{x}', 10, true, named_struct('x y', 1, 'u=v', 'p')),"
        + " (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL), (3, 'Bo b', -3, -3.25, '', -30, false,"
        + " named_struct('x y', CAST(NULL AS INT), 'u=v', 'q'))");
    sql("ALTER TABLE delta.`" + p + "` RENAME COLUMN `first name` TO `given name (first)`");
    sql("INSERT INTO delta.`" + p + "` VALUES (4, 'Cy', 4, 4.0, 'f', 40, true, named_struct('x y', 4, 'u=v', 'r'))");
    expected("special_names", 1);
  }

  /** One data file per Parquet codec Spark writes without extra native libraries (lz4 is Hadoop's framing). */
  private void codecs() throws IOException {
    String p = table("codecs");
    sql("CREATE TABLE delta.`" + p + "` (id BIGINT NOT NULL, codec STRING, v DOUBLE, s STRING) USING delta");
    String[] codecs = {"uncompressed", "snappy", "gzip", "lz4", "lz4_raw", "zstd"};
    for (int c = 0; c < codecs.length; c++) {
      String codec = codecs[c];
      long base = c * 100L;
      withConf(Map.of("spark.sql.parquet.compression.codec", codec), () ->
          sql("INSERT INTO delta.`" + p + "` SELECT id + " + base + ", '" + codec + "', id * 0.5,"
              + " repeat(concat('" + codec + "-', CAST(id AS STRING)), 20) FROM range(1, 31)"));
    }
    Set<String> seen = new java.util.TreeSet<>();
    for (Path f : parquetFiles(p)) {
      try (ParquetFileReader r = open(f)) {
        String codec = r.getFooter().getBlocks().get(0).getColumns().get(0).getCodec().name();
        seen.add(codec);
        System.out.println("codecs: " + f.getFileName() + " " + codec);
      }
    }
    if (seen.size() != codecs.length) {
      throw new IllegalStateException("expected one file per codec in " + p + ", saw " + seen);
    }
    expected("codecs", -1);
  }

  /**
   * Dates and timestamps before 1582 written in Spark's LEGACY (hybrid Julian) calendar: one file with INT96
   * timestamps, one with TIMESTAMP_MICROS; both carry org.apache.spark.legacyDateTime (and the first
   * org.apache.spark.legacyINT96).
   */
  private void legacyRebase() throws IOException {
    String p = table("legacy_rebase");
    sql("CREATE TABLE delta.`" + p + "` (id BIGINT NOT NULL, d DATE, ts TIMESTAMP, kind STRING) USING delta");
    String[] values = {
        "DATE'0001-01-01', TIMESTAMP'0001-01-01 00:00:00'",
        "DATE'1000-01-01', TIMESTAMP'1000-01-01 12:00:00'",
        "DATE'1582-10-04', TIMESTAMP'1582-10-04 23:59:59.999999'",
        "DATE'1582-10-15', TIMESTAMP'1582-10-15 00:00:00'",
        "DATE'1200-06-15', TIMESTAMP'1200-06-15 06:30:00.5'",
        "DATE'1899-12-31', TIMESTAMP'1899-12-31 23:59:59'",
        "DATE'2024-01-01', TIMESTAMP'2024-01-01 00:00:00.000001'",
        "NULL, NULL"};
    for (String[] w : new String[][] {{"INT96", "int96"}, {"TIMESTAMP_MICROS", "micros"}}) {
      long base = w[0].equals("INT96") ? 0 : 100;
      StringBuilder rows = new StringBuilder();
      for (int i = 0; i < values.length; i++) {
        rows.append(i == 0 ? "" : ", ").append("(").append(base + i + 1).append(", ").append(values[i])
            .append(", '").append(w[1]).append("')");
      }
      withConf(Map.of("spark.sql.parquet.outputTimestampType", w[0],
          "spark.sql.parquet.int96RebaseModeInWrite", "LEGACY",
          "spark.sql.parquet.datetimeRebaseModeInWrite", "LEGACY"),
          () -> sql("INSERT INTO delta.`" + p + "` VALUES " + rows));
    }
    for (Path f : parquetFiles(p)) {
      try (ParquetFileReader r = open(f)) {
        Map<String, String> kv = r.getFooter().getFileMetaData().getKeyValueMetaData();
        String ts = r.getFooter().getFileMetaData().getSchema().getType("ts").asPrimitiveType()
            .getPrimitiveTypeName().name();
        System.out.println("legacy_rebase: " + f.getFileName() + " ts " + ts + " keys " + new java.util.TreeSet<>(
            kv.keySet()));
        if (!kv.containsKey("org.apache.spark.legacyDateTime")
            || ts.equals("INT96") && !kv.containsKey("org.apache.spark.legacyINT96")) {
          throw new IllegalStateException(f + " lacks Spark's legacy calendar footer keys: " + kv.keySet());
        }
      }
    }
    expected("legacy_rebase", -1);
  }

  /** Row tracking: two appends and an UPDATE (which keeps the updated rows' ids); row ids recorded. */
  private void rowTracking() throws IOException {
    String p = table("row_tracking");
    sql("CREATE TABLE delta.`" + p + "` (id BIGINT NOT NULL, v INT, s STRING) USING delta"
        + " TBLPROPERTIES ('delta.enableRowTracking' = 'true')");
    sql("INSERT INTO delta.`" + p + "` SELECT id, CAST(id AS INT), concat('r', CAST(id AS STRING)) FROM range(1, 11)");
    sql("INSERT INTO delta.`" + p + "` SELECT id, CAST(id AS INT), concat('r', CAST(id AS STRING)) FROM range(11, 16)");
    sql("UPDATE delta.`" + p + "` SET v = v * 10 WHERE id IN (2, 3, 12)");
    expected("row_tracking", 1);
    // what Spark says the row ids are (the SDK must keep them where it writes)
    List<Map<String, Object>> ids = new ArrayList<>();
    for (Row r : spark.sql("SELECT id, _metadata.row_id AS row_id, _metadata.row_commit_version AS v"
        + " FROM delta.`" + p + "` ORDER BY id").collectAsList()) {
      ids.add(Map.of("id", r.getLong(0), "row_id", r.getLong(1), "row_commit_version", r.getLong(2)));
    }
    JSON.writeValue(root.resolve("row_tracking.row_ids.json").toFile(), ids);
  }

  /** Column mapping mode id (Parquet field ids), then a rename and another append. */
  private void columnMappingId() throws IOException {
    String p = table("column_mapping_id");
    sql("CREATE TABLE delta.`" + p + "` (id BIGINT NOT NULL, name STRING, score DOUBLE,"
        + " info STRUCT<a: INT, b: STRING>) USING delta"
        + " TBLPROPERTIES ('delta.columnMapping.mode' = 'id', 'delta.minReaderVersion' = '2',"
        + " 'delta.minWriterVersion' = '5')");
    sql("INSERT INTO delta.`" + p + "` VALUES (1, 'a', 1.5, named_struct('a', 1, 'b', 'x')),"
        + " (2, NULL, NULL, NULL), (3, 'c', 3.5, named_struct('a', 3, 'b', CAST(NULL AS STRING)))");
    sql("ALTER TABLE delta.`" + p + "` RENAME COLUMN name TO full_name");
    sql("INSERT INTO delta.`" + p + "` VALUES (4, 'd', 4.5, named_struct('a', 4, 'b', 'y'))");
    for (Path f : parquetFiles(p)) {
      try (ParquetFileReader r = open(f)) {
        if (r.getFooter().getFileMetaData().getSchema().getType(0).getId() == null) {
          throw new IllegalStateException(f + " has no Parquet field ids");
        }
      }
    }
    expected("column_mapping_id", 1);
  }

  /** The v2 checkpoint feature: 12 commits, a v2 checkpoint (with checkpointMetadata) at version 10. */
  private void checkpointV2() throws IOException {
    String p = table("checkpoint_v2");
    sql("CREATE TABLE delta.`" + p + "` (id BIGINT NOT NULL, batch INT) USING delta"
        + " TBLPROPERTIES ('delta.checkpointPolicy' = 'v2', 'delta.checkpointInterval' = '10')");
    for (int b = 1; b <= 12; b++) {
      sql("INSERT INTO delta.`" + p + "` VALUES (" + (2 * b - 1) + ", " + b + "), (" + (2 * b) + ", " + b + ")");
    }
    try (Stream<Path> s = Files.list(Path.of(p, "_delta_log"))) {
      List<String> cps = s.map(x -> x.getFileName().toString()).filter(n -> n.contains(".checkpoint.")).sorted()
          .toList();
      System.out.println("checkpoint_v2: " + cps);
      if (cps.stream().noneMatch(n -> n.matches("\\d{20}\\.checkpoint\\.[0-9a-f-]{36}\\.(json|parquet)"))) {
        throw new IllegalStateException("no v2 (UUID-named) checkpoint under " + p + ": " + cps);
      }
    }
    expected("checkpoint_v2", 5);
  }

  /**
   * Deletion vectors under DML: 100 rows in one file, a DELETE of 20 rows and an UPDATE of 5, both
   * leaving deletion vectors; DESCRIBE HISTORY's operationMetrics are recorded (numDeletedRows, ...).
   */
  private void deletionVectorDml() throws IOException {
    String p = table("deletion_vector_dml");
    sql("CREATE TABLE delta.`" + p + "` (id BIGINT NOT NULL, amount DOUBLE) USING delta"
        + " TBLPROPERTIES ('delta.enableDeletionVectors' = 'true')");
    sql("INSERT INTO delta.`" + p + "` SELECT id, id * 1.5 FROM range(1, 101)");
    sql("DELETE FROM delta.`" + p + "` WHERE id <= 20");
    sql("UPDATE delta.`" + p + "` SET amount = -amount WHERE id BETWEEN 21 AND 25");
    try (Stream<Path> files = Files.list(Path.of(p))) {
      if (files.noneMatch(f -> f.getFileName().toString().startsWith("deletion_vector_"))) {
        throw new IllegalStateException("DELETE did not write a deletion vector under " + p);
      }
    }
    expected("deletion_vector_dml", 1);
  }

  /**
   * The sequence that broke tables: a table without column mapping (physical names = logical names)
   * gets column mapping turned on, then x is dropped and y renamed to y_old. A writer that adds x or y
   * again with the physical name "x"/"y" resurrects old values or clashes with y_old.
   */
  private void dropRenameReadd() throws IOException {
    String p = table("drop_rename_readd");
    sql("CREATE TABLE delta.`" + p + "` (id BIGINT NOT NULL, x STRING, y STRING, z DOUBLE) USING delta");
    sql("INSERT INTO delta.`" + p + "` SELECT id, concat('x', CAST(id AS STRING)), concat('y', CAST(id AS STRING)),"
        + " id * 1.0 FROM range(1, 6)");
    sql("ALTER TABLE delta.`" + p + "` SET TBLPROPERTIES ('delta.columnMapping.mode' = 'name',"
        + " 'delta.minReaderVersion' = '2', 'delta.minWriterVersion' = '5')");
    sql("ALTER TABLE delta.`" + p + "` DROP COLUMN x");
    sql("ALTER TABLE delta.`" + p + "` RENAME COLUMN y TO y_old");
    sql("INSERT INTO delta.`" + p + "` VALUES (6, 'y6', 6.0), (7, NULL, 7.0)");
    expected("drop_rename_readd", 1);
  }

  private static List<Path> parquetFiles(String table) throws IOException {
    try (Stream<Path> files = Files.walk(Path.of(table))) {
      return files.filter(x -> x.toString().endsWith(".parquet") && !x.toString().contains("_delta_log")).sorted()
          .toList();
    }
  }

  private static ParquetFileReader open(Path f) throws IOException {
    return ParquetFileReader.open(HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(f.toUri()),
        new Configuration()));
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
    out.put("sparkSchema", JSON.readTree(latest.schema().json()));
    out.put("rows", rows(latest));
    if (olderVersion >= 0) {
      Dataset<Row> older = spark.read().format("delta").option("versionAsOf", olderVersion).load(p);
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("version", olderVersion);
      o.put("schema", schema(older.schema()));
      o.put("sparkSchema", JSON.readTree(older.schema().json()));
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
      Object metrics = r.get(r.fieldIndex("operationMetrics"));
      if (metrics instanceof scala.collection.Map<?, ?> mm) {
        m.put("operationMetrics", new java.util.TreeMap<>(scala.jdk.javaapi.CollectionConverters.asJava(mm)));
      }
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
      out.add(SparkValues.toMap(r));
    }
    return out;
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
