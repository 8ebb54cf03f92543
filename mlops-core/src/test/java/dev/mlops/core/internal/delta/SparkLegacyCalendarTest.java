package dev.mlops.core.internal.delta;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.Frame;
import dev.mlops.core.Workspace;
import io.delta.kernel.types.DateType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampNTZType;
import io.delta.kernel.types.TimestampType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.GregorianCalendar;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files Spark wrote in its LEGACY rebase mode hold dates and timestamps in the hybrid
 * Julian/Gregorian calendar; their footer keys say so, and the SDK reads them as Spark does. The
 * files are written here with parquet-hadoop, the hybrid values computed with
 * {@link GregorianCalendar} (which is that hybrid calendar), and read through Delta tables.
 */
class SparkLegacyCalendarTest {
  @TempDir Path dir;

  static final MessageType FILE = MessageTypeParser.parseMessageType("""
      message spark_schema {
        required int64 id;
        optional int32 day (DATE);
        optional int64 ts (TIMESTAMP(MICROS,true));
        optional int96 ts96;
        optional int64 ntz (TIMESTAMP(MICROS,false));
        optional group nested {
          optional int32 day (DATE);
          optional int64 ts (TIMESTAMP(MICROS,true));
        }
      }
      """);

  static final StructType FLAT = new StructType().add("id", LongType.LONG).add("day", DateType.DATE)
      .add("ts", TimestampType.TIMESTAMP).add("ts96", TimestampType.TIMESTAMP)
      .add("ntz", TimestampNTZType.TIMESTAMP_NTZ);
  static final StructType NESTED = FLAT.add("nested",
      new StructType().add("day", DateType.DATE).add("ts", TimestampType.TIMESTAMP));

  /** Proleptic dates and date-times, before, at and after the 1582 switch. */
  static final List<LocalDateTime> TIMES = List.of(LocalDateTime.parse("0001-01-01T00:00:00"),
      LocalDateTime.parse("0100-03-01T12:00:00.000001"), LocalDateTime.parse("1000-02-28T23:59:59.999999"),
      LocalDateTime.parse("1000-03-01T06:07:08.123456"), LocalDateTime.parse("1500-06-15T10:00:00"),
      LocalDateTime.parse("1582-10-03T00:00:00"), LocalDateTime.parse("1582-10-15T00:00:00"),
      LocalDateTime.parse("1600-02-29T01:02:03"), LocalDateTime.parse("1899-12-31T23:00:00"),
      LocalDateTime.parse("1970-01-01T00:00:00"), LocalDateTime.parse("2024-02-29T13:14:15.161718"));

  /** Epoch day of the hybrid-calendar date with these fields (what Spark's LEGACY writer stores). */
  static int hybridDay(LocalDate d) {
    GregorianCalendar c = new GregorianCalendar(TimeZone.getTimeZone("UTC"));
    c.clear();
    c.set(d.getYear(), d.getMonthValue() - 1, d.getDayOfMonth());
    return Math.toIntExact(Math.floorDiv(c.getTimeInMillis(), 86_400_000L));
  }

  /** Microseconds of the hybrid-calendar local date-time with these fields in a zone. */
  static long hybridMicros(LocalDateTime t, ZoneId zone) {
    GregorianCalendar c = new GregorianCalendar(TimeZone.getTimeZone(zone));
    c.clear();
    c.set(t.getYear(), t.getMonthValue() - 1, t.getDayOfMonth(), t.getHour(), t.getMinute(), t.getSecond());
    return c.getTimeInMillis() * 1000 + t.getNano() / 1000;
  }

  static long micros(Instant i) {
    return i.getEpochSecond() * 1_000_000 + i.getNano() / 1000;
  }

  static Binary int96(long micros) {
    long day = Math.floorDiv(micros, 86_400_000_000L);
    long nanos = Math.floorMod(micros, 86_400_000_000L) * 1000;
    return Binary.fromConstantByteArray(ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN)
        .putLong(nanos).putInt((int) (day + 2_440_588)).array());
  }

  /**
   * Writes the test values, dates and INT64 timestamps hybrid when {@code legacyDates}, INT96 hybrid
   * when {@code legacyInt96}, with the given footer keys.
   */
  static void write(Path file, Map<String, String> footer, boolean legacyDates, boolean legacyInt96, ZoneId zone)
      throws Exception {
    SimpleGroupFactory gf = new SimpleGroupFactory(FILE);
    try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new LocalOutputFile(file)).withType(FILE)
        .withExtraMetaData(footer).build()) {
      for (int i = 0; i < TIMES.size(); i++) {
        LocalDateTime t = TIMES.get(i);
        long proleptic = micros(t.atZone(zone).toInstant());
        int day = legacyDates ? hybridDay(t.toLocalDate()) : Math.toIntExact(t.toLocalDate().toEpochDay());
        long ts = legacyDates ? hybridMicros(t, zone) : proleptic;
        Group g = gf.newGroup().append("id", (long) i).append("day", day).append("ts", ts)
            .append("ts96", int96(legacyInt96 ? hybridMicros(t, zone) : proleptic))
            .append("ntz", micros(t.toInstant(ZoneOffset.UTC))); // never rebased by Spark
        g.addGroup("nested").append("day", day).append("ts", ts);
        w.write(g);
      }
      // Julian 1000-02-29 exists only in the hybrid calendar: Spark reads it as 1000-03-01
      Group g = gf.newGroup().append("id", (long) TIMES.size())
          .append("day", legacyDates ? hybridDay(LocalDate.of(1000, 2, 28)) + 1 : 0);
      w.write(g);
    }
  }

  /** Reads the file through a Delta table (fast path for FLAT, Kernel's reader for NESTED) and checks every value. */
  void assertReads(Path file, StructType schema, ZoneId zone, boolean lastRowIsJulianLeapDay) throws Exception {
    Path table = file.getParent();
    try (Workspace ws = Workspace.open(dir.resolve("ws"))) {
      Frame f = ws.tables().atPath(table.toString()).read().load();
      assertThat(f.rowCount()).isEqualTo(TIMES.size() + 1);
      for (int r = 0; r < f.rowCount(); r++) {
        int id = (int) f.column("id").getLong(r);
        if (id == TIMES.size()) {
          if (lastRowIsJulianLeapDay) {
            assertThat(f.get(r, "day")).isEqualTo(LocalDate.of(1000, 3, 1));
          }
          continue;
        }
        LocalDateTime t = TIMES.get(id);
        Instant instant = t.atZone(zone).toInstant();
        assertThat(f.get(r, "day")).as("day %s", t).isEqualTo(t.toLocalDate());
        assertThat(f.get(r, "ts")).as("ts %s", t).isEqualTo(instant);
        assertThat(f.get(r, "ts96")).as("ts96 %s", t).isEqualTo(instant);
        assertThat(f.get(r, "ntz")).as("ntz %s", t).isEqualTo(t);
        if (schema == NESTED) {
          @SuppressWarnings("unchecked")
          Map<String, Object> n = (Map<String, Object>) f.get(r, "nested");
          assertThat(n.get("day")).as("nested day %s", t).isEqualTo(t.toLocalDate());
          assertThat(n.get("ts")).as("nested ts %s", t).isEqualTo(instant);
        }
      }
    }
  }

  private Path table(String name, StructType schema, Map<String, String> footer, boolean legacyDates,
      boolean legacyInt96, ZoneId zone) throws Exception {
    Path table = dir.resolve(name);
    Files.createDirectories(table);
    Path file = table.resolve("part-00000.parquet");
    write(file, footer, legacyDates, legacyInt96, zone);
    ParquetFiles.commitFiles(table, schema, List.of(file));
    return file;
  }

  static Map<String, String> keys(String... kv) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  void spark_3_legacy_files_read_as_spark_reads_them_in_both_readers() throws Exception {
    Map<String, String> legacy = keys("org.apache.spark.version", "3.5.3", "org.apache.spark.legacyDateTime", "",
        "org.apache.spark.legacyINT96", "", "org.apache.spark.timeZone", "UTC");
    assertReads(table("flat", FLAT, legacy, true, true, ZoneOffset.UTC), FLAT, ZoneOffset.UTC, true);
    assertReads(table("nested", NESTED, legacy, true, true, ZoneOffset.UTC), NESTED, ZoneOffset.UTC, true);
  }

  @Test
  void timestamps_rebase_in_the_writers_session_zone() throws Exception {
    ZoneId la = ZoneId.of("America/Los_Angeles");
    Map<String, String> legacy = keys("org.apache.spark.version", "3.3.0", "org.apache.spark.legacyDateTime", "",
        "org.apache.spark.legacyINT96", "", "org.apache.spark.timeZone", la.getId());
    assertReads(table("flat", FLAT, legacy, true, true, la), FLAT, la, true);
    assertReads(table("nested", NESTED, legacy, true, true, la), NESTED, la, true);
  }

  @Test
  void spark_2_files_are_hybrid_and_spark_3_0_files_hybrid_only_for_int96() throws Exception {
    assertReads(table("v2", FLAT, keys("org.apache.spark.version", "2.4.8"), true, true, ZoneOffset.UTC),
        FLAT, ZoneOffset.UTC, true);
    assertReads(table("v30", FLAT, keys("org.apache.spark.version", "3.0.1"), false, true, ZoneOffset.UTC),
        FLAT, ZoneOffset.UTC, false);
    assertReads(table("v30n", NESTED, keys("org.apache.spark.version", "3.0.1"), false, true, ZoneOffset.UTC),
        NESTED, ZoneOffset.UTC, false);
  }

  @Test
  void corrected_spark_files_and_other_writers_files_are_read_as_they_are() throws Exception {
    assertReads(table("corrected", FLAT, keys("org.apache.spark.version", "3.5.3"), false, false, ZoneOffset.UTC),
        FLAT, ZoneOffset.UTC, false);
    assertReads(table("other", NESTED, keys("writer", "duckdb"), false, false, ZoneOffset.UTC),
        NESTED, ZoneOffset.UTC, false);
  }

  @Test
  void day_rebase_matches_the_hybrid_calendar_on_every_day_before_the_switch() {
    // every 7th day from year 1 to the switch: the hybrid day of the same fields maps back to the date
    for (long d = LocalDate.of(1, 1, 1).toEpochDay(); d < SparkCalendar.FIRST_GREGORIAN_DAY; d += 7) {
      LocalDate date = LocalDate.ofEpochDay(d);
      if (date.isAfter(LocalDate.of(1582, 10, 4))) {
        continue; // 1582-10-05 to 10-14 do not exist in the hybrid calendar
      }
      assertThat(SparkCalendar.julianToGregorianDays(hybridDay(date))).as("%s", date).isEqualTo((int) d);
    }
    // from the switch on both calendars agree: nothing changes
    for (int d = SparkCalendar.FIRST_GREGORIAN_DAY; d < 20_000; d += 11) {
      assertThat(SparkCalendar.julianToGregorianDays(d)).isEqualTo(d);
      assertThat(hybridDay(LocalDate.ofEpochDay(d))).isEqualTo(d);
    }
  }

  @Test
  void spark_keys_decide_the_calendar_as_spark_does() {
    assertThat(SparkCalendar.of(Map.of()).proleptic()).isTrue();
    assertThat(SparkCalendar.of(keys("org.apache.spark.version", "3.5.0")).proleptic()).isTrue();
    SparkCalendar v30 = SparkCalendar.of(keys("org.apache.spark.version", "3.0.0"));
    assertThat(v30.legacyDates()).isFalse();
    assertThat(v30.legacyTimestamps(true)).isTrue();
    assertThat(v30.legacyTimestamps(false)).isFalse();
    SparkCalendar dt = SparkCalendar.of(keys("org.apache.spark.version", "4.0.1", "org.apache.spark.legacyDateTime", ""));
    assertThat(dt.legacyDates()).isTrue();
    assertThat(dt.legacyTimestamps(true)).isFalse();
    assertThat(SparkCalendar.writerKeys()).containsExactly(Map.entry("org.apache.spark.version", "3.5.0"));
    assertThat(SparkCalendar.of(SparkCalendar.writerKeys()).proleptic()).isTrue();
  }
}
