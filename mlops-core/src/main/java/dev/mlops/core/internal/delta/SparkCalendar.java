package dev.mlops.core.internal.delta;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoField;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.Map;
import java.util.TimeZone;

/**
 * The calendar of the dates and timestamps in one Parquet file, as Spark decides it from the file's
 * footer keys, and the keys the SDK writes so that Spark reads its files the same way.
 *
 * <p>Spark 2.x and Spark 3.x in LEGACY rebase mode write dates and timestamps in the hybrid
 * Julian/Gregorian calendar (the one of {@link GregorianCalendar}); everything else, the SDK
 * included, uses the proleptic Gregorian calendar ({@link LocalDate}). The two agree from
 * 1582-10-15 on; before it they differ by days. Spark reads a file as:
 * <ul>
 *   <li>dates and INT64 timestamps: hybrid when {@code org.apache.spark.version} is below 3.0.0 or
 *       {@code org.apache.spark.legacyDateTime} is present;
 *   <li>INT96 timestamps: hybrid when the version is below 3.1.0 or {@code org.apache.spark.legacyINT96}
 *       is present;
 *   <li>without a version key (not written by Spark): by a session setting. The SDK reads such files
 *       as proleptic, which is what every other writer means.
 * </ul>
 * Timestamps are rebased in {@code org.apache.spark.timeZone} (the writer's session zone, which
 * Spark writes next to the legacy keys); without that key Spark uses its reader's session zone, the
 * SDK uses UTC (Databricks' default), so that a read never depends on the machine's zone.
 * TIMESTAMP_NTZ values are never rebased (Spark writes them proleptic).
 */
final class SparkCalendar {
  /** Spark's writer version key. */
  static final String VERSION = "org.apache.spark.version";
  /** Present when dates and INT64 timestamps were written in the hybrid calendar. */
  static final String LEGACY_DATETIME = "org.apache.spark.legacyDateTime";
  /** Present when INT96 timestamps were written in the hybrid calendar. */
  static final String LEGACY_INT96 = "org.apache.spark.legacyINT96";
  /** The session time zone of a legacy write. */
  static final String TIME_ZONE = "org.apache.spark.timeZone";

  /**
   * The writer version the SDK records: a Spark 3.x version at or above 3.1.0 with no legacy key
   * makes Spark 3.x and 4.x read every date and timestamp as proleptic Gregorian with default
   * settings (without it Spark 3.5 refuses dates before 1582-10-15 with READ_ANCIENT_DATETIME).
   */
  static final String WRITER_VERSION = "3.5.0";

  /** Files that need no rebase. */
  static final SparkCalendar PROLEPTIC = new SparkCalendar(false, false, ZoneOffset.UTC);

  /** 1582-10-15, the first Gregorian day, in days since the epoch. */
  static final int FIRST_GREGORIAN_DAY = -141427;
  /**
   * Timestamps from here on need no rebase in a fixed-offset zone: 1582-10-17T00:00Z (two days after
   * the switch, more than any zone offset).
   */
  private static final long NO_REBASE_FROM_MICROS = (FIRST_GREGORIAN_DAY + 2) * 86_400_000_000L;
  /** 1900-01-03T00:00Z: java.util.TimeZone models no zone history before 1900. */
  private static final long TIME_ZONE_HISTORY_MICROS = (LocalDate.of(1900, 1, 3).toEpochDay()) * 86_400_000_000L;

  private final boolean dates;
  private final boolean int96;
  private final ZoneId zone;
  /** Timestamps from here on are the same in both calendars in this zone. */
  private final long noRebaseFrom;

  private SparkCalendar(boolean dates, boolean int96, ZoneId zone) {
    this.dates = dates;
    this.int96 = int96;
    this.zone = zone;
    this.noRebaseFrom = noRebaseFrom(zone);
  }

  /**
   * Where both calendars agree in a zone. In a zone with history they also differ after 1582 until
   * the zone's first transition (local mean time, which java.util.TimeZone does not know) and before
   * 1900, as they do in Spark, whose rebase converts through both.
   */
  private static long noRebaseFrom(ZoneId zone) {
    var rules = zone.getRules();
    if (rules.isFixedOffset()) {
      return NO_REBASE_FROM_MICROS;
    }
    long from = TIME_ZONE_HISTORY_MICROS;
    if (!rules.getTransitions().isEmpty()) {
      long first = rules.getTransitions().get(0).getInstant().getEpochSecond() * 1_000_000L;
      from = Math.max(from, first + 2 * 86_400_000_000L);
    }
    return from;
  }

  /**
   * The key-value metadata the SDK's data files carry (Spark's writer version, no legacy key). A
   * Parquet writer passes them as extra footer metadata, e.g. {@code ParquetWriter.Builder.withExtraMetaData}.
   */
  static Map<String, String> writerKeys() {
    return Map.of(VERSION, WRITER_VERSION);
  }

  /** The calendar of a file with this footer key-value metadata. */
  static SparkCalendar of(Map<String, String> kv) {
    String version = kv.get(VERSION);
    if (version == null) {
      return PROLEPTIC;
    }
    boolean dates = version.compareTo("3.0.0") < 0 || kv.containsKey(LEGACY_DATETIME);
    boolean int96 = version.compareTo("3.1.0") < 0 || kv.containsKey(LEGACY_INT96);
    if (!dates && !int96) {
      return PROLEPTIC;
    }
    ZoneId zone = ZoneOffset.UTC;
    String tz = kv.get(TIME_ZONE);
    if (tz != null && !tz.isBlank()) {
      try {
        zone = ZoneId.of(tz, ZoneId.SHORT_IDS);
      } catch (DateTimeException e) {
        zone = TimeZone.getTimeZone(tz).toZoneId(); // Spark's own fallback: unknown ids are GMT
      }
    }
    return new SparkCalendar(dates, int96, zone);
  }

  /** True when nothing in the file needs a rebase. */
  boolean proleptic() {
    return !dates && !int96;
  }

  /** True when dates (and INT64 timestamps) are hybrid. */
  boolean legacyDates() {
    return dates;
  }

  /** True when timestamps of this Parquet physical kind are hybrid. */
  boolean legacyTimestamps(boolean storedAsInt96) {
    return storedAsInt96 ? int96 : dates;
  }

  /** Rebases the hybrid-calendar dates of a column in place (values from 1582-10-15 on are unchanged). */
  static void rebaseDays(int[] days, int from, int to) {
    for (int i = from; i < to; i++) {
      if (days[i] < FIRST_GREGORIAN_DAY) {
        days[i] = julianToGregorianDays(days[i]);
      }
    }
  }

  /** Rebases the hybrid-calendar timestamps of a column in place. */
  void rebaseMicros(long[] micros, int from, int to) {
    for (int i = from; i < to; i++) {
      if (micros[i] < noRebaseFrom) {
        micros[i] = julianToGregorianMicros(micros[i], zone);
      }
    }
  }

  /** One timestamp (hybrid → proleptic) in this file's zone. */
  long rebaseMicros(long micros) {
    return micros < noRebaseFrom ? julianToGregorianMicros(micros, zone) : micros;
  }

  /**
   * The proleptic Gregorian day with the same year, month and day as this hybrid-calendar day. A
   * Julian leap day that the Gregorian calendar lacks (1000-02-29) becomes the next day, as in Spark.
   */
  static int julianToGregorianDays(int days) {
    if (days >= FIRST_GREGORIAN_DAY) {
      return days;
    }
    GregorianCalendar cal = new GregorianCalendar(TimeZone.getTimeZone(ZoneOffset.UTC));
    cal.clear();
    cal.setTimeInMillis(days * 86_400_000L);
    LocalDate d = LocalDate.of(year(cal), cal.get(Calendar.MONTH) + 1, 1)
        .plusDays(cal.get(Calendar.DAY_OF_MONTH) - 1L);
    return Math.toIntExact(d.toEpochDay());
  }

  /** The proleptic instant with the same local date-time in {@code zone} as this hybrid-calendar instant. */
  static long julianToGregorianMicros(long micros, ZoneId zone) {
    GregorianCalendar cal = new GregorianCalendar(TimeZone.getTimeZone(zone));
    cal.clear();
    cal.setTimeInMillis(Math.floorDiv(micros, 1000L));
    LocalDateTime local = LocalDateTime.of(year(cal), cal.get(Calendar.MONTH) + 1, 1,
        cal.get(Calendar.HOUR_OF_DAY), cal.get(Calendar.MINUTE), cal.get(Calendar.SECOND),
        (int) (Math.floorMod(micros, 1_000_000L) * 1000L)).plusDays(cal.get(Calendar.DAY_OF_MONTH) - 1L);
    ZonedDateTime z = local.atZone(zone);
    if (cal.get(Calendar.DST_OFFSET) == 0) {
      z = z.withLaterOffsetAtOverlap();
    }
    long seconds = z.toEpochSecond();
    return Math.addExact(Math.multiplyExact(seconds, 1_000_000L), z.get(ChronoField.MICRO_OF_SECOND));
  }

  /** The proleptic year (1 BC is year 0) of a hybrid calendar. */
  private static int year(GregorianCalendar cal) {
    int y = cal.get(Calendar.YEAR);
    return cal.get(Calendar.ERA) == GregorianCalendar.BC ? 1 - y : y;
  }
}
