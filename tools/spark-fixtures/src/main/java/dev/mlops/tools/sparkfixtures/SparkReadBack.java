package dev.mlops.tools.sparkfixtures;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Spark's half of the read-back (see {@code tools/spark-fixtures/readback.sh}): for every table in
 * {@code DIR/manifest.json} (written by {@code sdk/SdkTables.java}), Spark with its default settings
 * reads the table, compares its rows with what the SDK read ({@code NAME.sdk.json}), shows
 * {@code DESCRIBE DETAIL}'s description, the {@code comment} property and the last operations, and runs
 * the manifest's queries. Every answer, error included, goes to OUT (JSON).
 *
 * <pre>readback DIR OUT</pre>
 */
public final class SparkReadBack {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
  private static final ObjectMapper CANON = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private SparkReadBack() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 3 || !args[0].equals("readback")) {
      System.err.println("usage: SparkReadBack readback DIR OUT");
      System.exit(2);
    }
    Path dir = Path.of(args[1]).toAbsolutePath();
    Path out = Path.of(args[2]).toAbsolutePath();
    SparkSession spark = SparkValues.session(dir);
    spark.sparkContext().setLogLevel("ERROR");
    try {
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("spark", spark.version());
      result.put("deltaJar", Path.of(io.delta.tables.DeltaTable.class.getProtectionDomain().getCodeSource().getLocation()
          .toURI()).getFileName().toString());
      result.put("settings", "Spark defaults; session time zone UTC; java8API on");
      List<Object> tables = new ArrayList<>();
      for (JsonNode t : JSON.readTree(dir.resolve("manifest.json").toFile()).get("tables")) {
        tables.add(table(spark, dir, t));
      }
      result.put("tables", tables);
      Files.createDirectories(out.getParent());
      JSON.writeValue(out.toFile(), result);
      System.out.println("read-back written to " + out);
    } finally {
      spark.stop();
    }
  }

  private static Map<String, Object> table(SparkSession spark, Path dir, JsonNode t) throws IOException {
    String name = t.get("name").asText();
    String path = t.get("path").asText();
    String ref = "delta.`" + path + "`";
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("what", t.get("what").asText());
    try {
      Dataset<Row> df = spark.read().format("delta").load(path);
      List<Row> rows = df.collectAsList();
      m.put("schema", df.schema().simpleString());
      m.put("rows", rows.size());
      List<String> spk = new ArrayList<>();
      for (Row r : rows) {
        spk.add(canon(SparkValues.toMap(r)));
      }
      List<String> sdk = new ArrayList<>();
      for (JsonNode r : JSON.readTree(dir.resolve(name + ".sdk.json").toFile()).get("rows")) {
        sdk.add(canon(r));
      }
      spk.sort(null);
      sdk.sort(null);
      boolean same = spk.equals(sdk);
      m.put("sameRowsAsSdk", same);
      if (!same) {
        List<String> onlySpark = new ArrayList<>(spk);
        onlySpark.removeAll(sdk);
        List<String> onlySdk = new ArrayList<>(sdk);
        onlySdk.removeAll(spk);
        m.put("onlySpark", onlySpark.subList(0, Math.min(5, onlySpark.size())));
        m.put("onlySdk", onlySdk.subList(0, Math.min(5, onlySdk.size())));
      }
      if (rows.size() <= 12) {
        m.put("sparkRows", spk);
      }
    } catch (Exception e) {
      m.put("readError", message(e));
    }
    m.put("describeDetail.description", attempt(() -> {
      Row d = spark.sql("DESCRIBE DETAIL " + ref).collectAsList().get(0);
      return String.valueOf(d.get(d.fieldIndex("description")));
    }));
    m.put("tblproperties.comment", attempt(() -> {
      List<Row> p = spark.sql("SHOW TBLPROPERTIES " + ref + " ('comment')").collectAsList();
      return p.isEmpty() ? "(none)" : String.valueOf(p.get(0).get(1));
    }));
    m.put("history", attempt(() -> {
      List<String> h = new ArrayList<>();
      for (Row r : spark.sql("DESCRIBE HISTORY " + ref + " LIMIT 3").collectAsList()) {
        h.add(r.getLong(r.fieldIndex("version")) + " " + r.getString(r.fieldIndex("operation")) + " "
            + r.get(r.fieldIndex("operationMetrics")));
      }
      return h;
    }));
    List<Object> queries = new ArrayList<>();
    for (JsonNode q : t.get("queries")) {
      String sql = String.format(q.asText(), ref);
      Map<String, Object> qm = new LinkedHashMap<>();
      qm.put("sql", sql.replace(path, "<" + name + ">"));
      qm.put("result", attempt(() -> {
        List<Row> rs = spark.sql(sql).collectAsList();
        List<Object> shown = new ArrayList<>();
        for (Row r : rs.subList(0, Math.min(8, rs.size()))) {
          List<Object> cells = new ArrayList<>();
          for (int i = 0; i < r.size(); i++) {
            cells.add(SparkValues.value(r.get(i)));
          }
          shown.add(cells);
        }
        return Map.of("rowCount", rs.size(), "first", shown);
      }));
      queries.add(qm);
    }
    m.put("queries", queries);
    System.out.println("READBACK " + name + ": " + m.get("rows") + " rows, same as SDK: " + m.get("sameRowsAsSdk")
        + (m.containsKey("readError") ? ", error " + m.get("readError") : ""));
    return m;
  }

  private interface Call {
    Object call() throws Exception;
  }

  private static Object attempt(Call c) {
    try {
      return c.call();
    } catch (Exception e) {
      return Map.of("error", message(e));
    }
  }

  private static String message(Throwable e) {
    String s = e.getClass().getSimpleName() + ": " + e.getMessage();
    return s.length() > 600 ? s.substring(0, 600) + "..." : s;
  }

  /** One row as canonical JSON text (keys sorted, numbers re-read), so Spark's and the SDK's rows compare. */
  private static String canon(Object row) throws IOException {
    JsonNode n = row instanceof JsonNode j ? j : CANON.readTree(CANON.writeValueAsString(row));
    return CANON.writeValueAsString(CANON.treeToValue(n, Object.class));
  }
}
