package dev.mlops.monitor;

import dev.mlops.monitor.internal.Errors;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A window length of a time-series or inference-log monitor: "5 minutes", "30 minutes", "1 hour",
 * "1 day", "&lt;n&gt; week(s)", "1 month", "1 year" (Databricks' list). Windows are UTC and tumbling:
 * minutes, hours and days are aligned to the epoch; weeks start on Monday (ISO), n-week windows are
 * aligned to Monday 1970-01-05; months and years to the calendar.
 *
 * <pre>{@code
 * Granularity day = Granularity.parse("1 day");
 * Instant start = day.windowStart(Instant.parse("2024-05-01T13:45:00Z"));   // 2024-05-01T00:00:00Z
 * Instant end = day.windowEnd(start);                                        // 2024-05-02T00:00:00Z
 * }</pre>
 *
 * @param unit the kind of window
 * @param amount how many units (1, except for weeks)
 */
public record Granularity(Unit unit, int amount) {

  /** Window units. */
  public enum Unit {
    /** 5 or 30 minutes. */
    MINUTES,
    /** 1 hour. */
    HOUR,
    /** 1 day. */
    DAY,
    /** n weeks. */
    WEEK,
    /** 1 month. */
    MONTH,
    /** 1 year. */
    YEAR
  }

  private static final Pattern TEXT = Pattern.compile("\\s*(\\d+)\\s+([a-z]+)\\s*");
  private static final long MICROS_PER_MINUTE = 60_000_000L;
  /** Monday 1970-01-05 in microseconds. */
  private static final long FIRST_MONDAY = 4L * 24 * 60 * MICROS_PER_MINUTE;

  /** Checks the combination is one Databricks offers. */
  public Granularity {
    Objects.requireNonNull(unit, "unit");
    boolean ok = switch (unit) {
      case MINUTES -> amount == 5 || amount == 30;
      case WEEK -> amount >= 1 && amount <= 52;
      default -> amount == 1;
    };
    if (!ok) {
      throw Errors.granularitySupportedMinutesMinutes(amount, unit.name().toLowerCase(Locale.ROOT));
    }
  }

  /**
   * Parses "5 minutes", "1 hour", "2 weeks", ...
   *
   * @throws IllegalArgumentException naming the text and the accepted values
   */
  public static Granularity parse(String text) {
    Matcher m = TEXT.matcher(Objects.requireNonNull(text, "granularity").toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw Errors.granularityParseMinutesMinutes(text);
    }
    int n;
    try {
      n = Integer.parseInt(m.group(1));
    } catch (NumberFormatException e) {
      throw Errors.granularityNumberOutRange(text);
    }
    String u = m.group(2);
    Unit unit = switch (u) {
      case "minute", "minutes" -> Unit.MINUTES;
      case "hour", "hours" -> Unit.HOUR;
      case "day", "days" -> Unit.DAY;
      case "week", "weeks" -> Unit.WEEK;
      case "month", "months" -> Unit.MONTH;
      case "year", "years" -> Unit.YEAR;
      default -> throw Errors.granularityUnknownUnitMinutes(text, u);
    };
    try {
      return new Granularity(unit, n);
    } catch (IllegalArgumentException e) {
      throw Errors.badGranularity(text, e.getMessage(), e);
    }
  }

  /** The text Databricks writes in the {@code granularity} column, e.g. "1 day", "2 weeks". */
  public String text() {
    return switch (unit) {
      case MINUTES -> amount + " minutes";
      case HOUR -> "1 hour";
      case DAY -> "1 day";
      case WEEK -> amount == 1 ? "1 week" : amount + " weeks";
      case MONTH -> "1 month";
      case YEAR -> "1 year";
    };
  }

  /** Fixed length in microseconds, or -1 for months and years. */
  long fixedMicros() {
    return switch (unit) {
      case MINUTES -> amount * MICROS_PER_MINUTE;
      case HOUR -> 60 * MICROS_PER_MINUTE;
      case DAY -> 24 * 60 * MICROS_PER_MINUTE;
      case WEEK -> amount * 7L * 24 * 60 * MICROS_PER_MINUTE;
      default -> -1;
    };
  }

  /** Start (microseconds since the epoch) of the window holding this timestamp (microseconds). */
  public long windowStartMicros(long micros) {
    long len = fixedMicros();
    if (len > 0) {
      long origin = unit == Unit.WEEK ? FIRST_MONDAY : 0;
      return Math.floorDiv(micros - origin, len) * len + origin;
    }
    ZonedDateTime t = Instant.EPOCH.plus(micros, java.time.temporal.ChronoUnit.MICROS).atZone(ZoneOffset.UTC);
    LocalDate d = unit == Unit.MONTH ? t.toLocalDate().withDayOfMonth(1) : t.toLocalDate().withDayOfYear(1);
    return d.toEpochDay() * 24 * 60 * MICROS_PER_MINUTE;
  }

  /** End (exclusive) of the window starting at this start (microseconds). */
  public long windowEndMicros(long startMicros) {
    long len = fixedMicros();
    if (len > 0) {
      return startMicros + len;
    }
    LocalDate d = LocalDate.ofEpochDay(Math.floorDiv(startMicros, 24 * 60 * MICROS_PER_MINUTE));
    LocalDate e = unit == Unit.MONTH ? d.plusMonths(1) : d.plusYears(1);
    return e.toEpochDay() * 24 * 60 * MICROS_PER_MINUTE;
  }

  /** Start of the window holding this instant. */
  public Instant windowStart(Instant t) {
    return toInstant(windowStartMicros(toMicros(t)));
  }

  /** End (exclusive) of the window starting at {@code start}. */
  public Instant windowEnd(Instant start) {
    return toInstant(windowEndMicros(toMicros(start)));
  }

  static long toMicros(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
  }

  static Instant toInstant(long micros) {
    return Instant.EPOCH.plus(micros, java.time.temporal.ChronoUnit.MICROS);
  }

  /** Monday of the ISO week holding the date (for documentation and tests). */
  static LocalDate isoWeekStart(LocalDate d) {
    return d.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
  }

  @Override
  public String toString() {
    return text();
  }
}
