package dev.mlops.monitor.internal.alert;

import dev.mlops.monitor.internal.Errors;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.BitSet;
import java.util.Locale;
import java.util.Optional;

/** A parsed Quartz cron expression: sec min hour day-of-month month day-of-week [year is not supported]. */
public final class Cron {
  private static final String[] MONTHS = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV",
      "DEC"};
  private static final String[] DAYS = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};
  private static final String[] FIELDS = {"seconds", "minutes", "hours", "day-of-month", "month", "day-of-week"};

  private final BitSet sec;
  private final BitSet min;
  private final BitSet hour;
  private final BitSet dom; // null = any
  private final BitSet month;
  private final BitSet dow; // null = any; 1 = SUN .. 7 = SAT (Quartz)

  private Cron(BitSet sec, BitSet min, BitSet hour, BitSet dom, BitSet month, BitSet dow) {
    this.sec = sec;
    this.min = min;
    this.hour = hour;
    this.dom = dom;
    this.month = month;
    this.dow = dow;
  }

  /**
   * Parses a Quartz expression.
   *
   * @throws IllegalArgumentException naming the field and the value that does not parse
   */
  public static Cron parse(String expr) {
    String[] p = expr.trim().split("\\s+");
    if (p.length != 6) {
      throw Errors.cronExpressionFieldsQuartz(expr, p.length);
    }
    BitSet sec = field(expr, 0, p[0], 0, 59, null);
    BitSet min = field(expr, 1, p[1], 0, 59, null);
    BitSet hour = field(expr, 2, p[2], 0, 23, null);
    BitSet dom = field(expr, 3, p[3], 1, 31, null);
    BitSet month = field(expr, 4, p[4], 1, 12, MONTHS);
    BitSet dow = field(expr, 5, p[5], 1, 7, DAYS);
    boolean domAny = p[3].equals("?") || p[3].equals("*");
    boolean dowAny = p[5].equals("?") || p[5].equals("*");
    if (!domAny && !dowAny) {
      throw Errors.cronExpressionRestrictsBoth(expr, p[3], p[5]);
    }
    return new Cron(sec, min, hour, domAny ? null : dom, month, dowAny ? null : dow);
  }

  private static BitSet field(String expr, int idx, String text, int lo, int hi, String[] names) {
    BitSet out = new BitSet(hi + 1);
    if (text.equals("?")) {
      if (idx != 3 && idx != 5) {
        throw bad(expr, idx, text, "'?' is allowed only in day-of-month and day-of-week");
      }
      out.set(lo, hi + 1);
      return out;
    }
    for (String part : text.split(",", -1)) {
      if (part.isEmpty()) {
        throw bad(expr, idx, text, "an empty list item");
      }
      int step = 1;
      String range = part;
      int slash = part.indexOf('/');
      if (slash >= 0) {
        step = number(expr, idx, text, part.substring(slash + 1), 1, hi, null);
        range = part.substring(0, slash);
      }
      int from;
      int to;
      if (range.equals("*")) {
        from = lo;
        to = hi;
      } else {
        int dash = range.indexOf('-');
        if (dash > 0) {
          from = number(expr, idx, text, range.substring(0, dash), lo, hi, names);
          to = number(expr, idx, text, range.substring(dash + 1), lo, hi, names);
          if (to < from) {
            throw bad(expr, idx, text, "range " + range + " runs backwards");
          }
        } else {
          from = number(expr, idx, text, range, lo, hi, names);
          to = slash >= 0 ? hi : from;
        }
      }
      for (int v = from; v <= to; v += step) {
        out.set(v);
      }
    }
    return out;
  }

  private static int number(String expr, int idx, String text, String s, int lo, int hi, String[] names) {
    if (names != null) {
      for (int i = 0; i < names.length; i++) {
        if (names[i].equals(s.toUpperCase(Locale.ROOT))) {
          return i + 1;
        }
      }
    }
    int v;
    try {
      v = Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw bad(expr, idx, text, "'" + s + "' is not a number" + (names == null ? "" : " or a name")
          + " (L, W and # are not supported)");
    }
    if (v < lo || v > hi) {
      throw bad(expr, idx, text, v + " is outside " + lo + ".." + hi);
    }
    return v;
  }

  private static IllegalArgumentException bad(String expr, int idx, String text, String why) {
    return Errors.cronExpressionFieldParse(expr, FIELDS[idx], text, why);
  }

  /** The first fire time strictly after {@code after} in {@code zone}, searching 5 years ahead. */
  public Optional<Instant> next(Instant after, ZoneId zone) {
    LocalDateTime start = LocalDateTime.ofInstant(after, zone);
    LocalDate day = start.toLocalDate();
    LocalDate end = day.plusYears(5);
    for (; !day.isAfter(end); day = day.plusDays(1)) {
      if (!month.get(day.getMonthValue()) || dom != null && !dom.get(day.getDayOfMonth())
          || dow != null && !dow.get(quartzDow(day.getDayOfWeek()))) {
        continue;
      }
      for (int h = hour.nextSetBit(0); h >= 0; h = hour.nextSetBit(h + 1)) {
        for (int m = min.nextSetBit(0); m >= 0; m = min.nextSetBit(m + 1)) {
          for (int s = sec.nextSetBit(0); s >= 0; s = sec.nextSetBit(s + 1)) {
            LocalDateTime t = day.atTime(h, m, s);
            if (t.isBefore(start.withNano(0))) {
              continue;
            }
            ZonedDateTime z = t.atZone(zone);
            if (!z.toLocalDateTime().equals(t)) {
              continue; // in a DST gap: that wall-clock time does not exist
            }
            Instant i = z.toInstant();
            if (i.isAfter(after)) {
              return Optional.of(i);
            }
          }
        }
      }
    }
    return Optional.empty();
  }

  private static int quartzDow(DayOfWeek d) {
    return d.getValue() % 7 + 1; // MON=1..SUN=7 -> SUN=1..SAT=7
  }
}
