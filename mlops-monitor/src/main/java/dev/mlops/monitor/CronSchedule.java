package dev.mlops.monitor;

import dev.mlops.monitor.internal.alert.Cron;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;

/**
 * When an alert is evaluated by an {@link AlertScheduler}: a Quartz cron expression (seconds, minutes,
 * hours, day of month, month, day of week; {@code *}, {@code ?}, lists, ranges, steps, month and day
 * names; one of the two day fields is {@code ?} or {@code *}), a time zone and a paused flag.
 *
 * <pre>{@code
 * CronSchedule every15 = CronSchedule.of("0 0/15 * * * ?", ZoneId.of("Europe/Oslo"));
 * every15.next(Instant.now());
 * }</pre>
 *
 * @param expression the Quartz cron expression
 * @param zone the time zone the expression is read in
 * @param paused true to skip scheduled evaluations (on-demand ones still run)
 */
public record CronSchedule(String expression, ZoneId zone, boolean paused) {
  /**
   * Parses the expression.
   *
   * @throws IllegalArgumentException naming the field and value that do not parse
   */
  public CronSchedule {
    Objects.requireNonNull(expression, "expression");
    Objects.requireNonNull(zone, "zone");
    Cron.parse(expression);
  }

  /** An unpaused schedule. */
  public static CronSchedule of(String expression, ZoneId zone) {
    return new CronSchedule(expression, zone, false);
  }

  /** The same schedule, paused or not. */
  public CronSchedule paused(boolean pause) {
    return new CronSchedule(expression, zone, pause);
  }

  /** The first fire time strictly after {@code after}, if there is one within 5 years. */
  public Optional<Instant> next(Instant after) {
    return Cron.parse(expression).next(after, zone);
  }
}
