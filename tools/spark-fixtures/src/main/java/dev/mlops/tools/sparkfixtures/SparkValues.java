package dev.mlops.tools.sparkfixtures;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;

/** The Spark session every mode uses, and Spark values as JSON (shared by the generator and the read-back). */
final class SparkValues {
  private SparkValues() {}

  /** A local session with Delta, UTC, java.time values, and Spark's default calendar (rebase) settings. */
  static SparkSession session(Path dir) {
    return SparkSession.builder()
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
  }

  static Map<String, Object> toMap(Row r) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (StructField f : r.schema().fields()) {
      m.put(f.name(), value(r.get(r.fieldIndex(f.name()))));
    }
    return m;
  }

  /**
   * A Spark value as JSON: decimals as exact text, binary as lower-case hex, timestamp / timestamp_ntz /
   * date as ISO text, float NaN/Infinity as text, maps as a list of {key, value} entries.
   */
  static Object value(Object v) {
    if (v instanceof BigDecimal d) {
      return d.toPlainString();
    }
    if (v instanceof byte[] b) {
      return HexFormat.of().formatHex(b);
    }
    if (v == null || v instanceof Number || v instanceof Boolean || v instanceof String) {
      return v;
    }
    if (v instanceof Instant || v instanceof LocalDate || v instanceof LocalDateTime) {
      return v.toString();
    }
    if (v instanceof scala.collection.Map<?, ?> map) {
      List<Object> out = new ArrayList<>();
      for (Map.Entry<?, ?> e : scala.jdk.javaapi.CollectionConverters.asJava(map).entrySet()) {
        Map<String, Object> kv = new LinkedHashMap<>();
        kv.put("key", value(e.getKey()));
        kv.put("value", value(e.getValue()));
        out.add(kv);
      }
      return out;
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
}
