package dev.mlops.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class CronScheduleTest {
  static final ZoneId UTC = ZoneId.of("UTC");

  static Instant next(String expr, String after, ZoneId zone) {
    return CronSchedule.of(expr, zone).next(Instant.parse(after)).orElseThrow();
  }

  /** Brute force over seconds: the reference the fast search is checked against. */
  static Instant brute(String expr, Instant after, ZoneId zone) {
    dev.mlops.monitor.internal.alert.Cron c = dev.mlops.monitor.internal.alert.Cron.parse(expr);
    for (Instant t = after.plusSeconds(1).with(java.time.temporal.ChronoField.NANO_OF_SECOND, 0);; t = t.plusSeconds(1)) {
      if (c.next(t.minusSeconds(1), zone).orElseThrow().equals(t)) {
        return t;
      }
    }
  }

  @Test
  void fields_support_stars_lists_ranges_steps_names_and_question_mark() {
    assertThat(next("0 0/15 * * * ?", "2026-03-02T10:07:00Z", UTC)).isEqualTo("2026-03-02T10:15:00Z");
    assertThat(next("30 5 9,17 * * ?", "2026-03-02T09:05:30Z", UTC)).isEqualTo("2026-03-02T17:05:30Z");
    assertThat(next("0 0 8 ? * MON-FRI", "2026-03-06T09:00:00Z", UTC)).isEqualTo("2026-03-09T08:00:00Z"); // Fri -> Mon
    assertThat(next("0 0 0 1 JAN,JUL ?", "2026-03-02T00:00:00Z", UTC)).isEqualTo("2026-07-01T00:00:00Z");
    assertThat(next("0 0 12 29 2 ?", "2026-03-01T00:00:00Z", UTC)).isEqualTo("2028-02-29T12:00:00Z");
    assertThat(next("*/20 * * * * ?", "2026-03-02T10:00:41Z", UTC)).isEqualTo("2026-03-02T10:01:00Z");
    assertThat(next("0 0 1 ? * 1", "2026-03-02T00:00:00Z", UTC)).as("1 = SUN in Quartz")
        .isEqualTo("2026-03-08T01:00:00Z");
    assertThat(next("0 10-12/2 * * * ?", "2026-03-02T10:10:00Z", UTC)).isEqualTo("2026-03-02T10:12:00Z");
  }

  @Test
  void time_zone_is_applied_and_dst_gaps_are_skipped() {
    ZoneId oslo = ZoneId.of("Europe/Oslo");
    assertThat(next("0 0 9 * * ?", "2026-01-10T12:00:00Z", oslo)).isEqualTo("2026-01-11T08:00:00Z");
    // 2026-03-29 02:30 does not exist in Oslo (clocks jump 02:00 -> 03:00)
    Instant n = next("0 30 2 * * ?", "2026-03-28T12:00:00Z", oslo);
    assertThat(ZonedDateTime.ofInstant(n, oslo).toLocalDate()).hasToString("2026-03-30");
  }

  @Test
  void fast_search_agrees_with_brute_force() {
    Instant t = Instant.parse("2026-05-30T23:58:17Z");
    for (String e : new String[] {"0/7 * * * * ?", "15 */3 * * * ?", "0 59 23 L-nope * ?"}) {
      if (e.contains("L")) {
        assertThatThrownBy(() -> CronSchedule.of(e, UTC)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("day-of-month");
        continue;
      }
      Instant x = t;
      for (int i = 0; i < 20; i++) {
        Instant fast = CronSchedule.of(e, UTC).next(x).orElseThrow();
        assertThat(fast).isEqualTo(brute(e, x, UTC));
        x = fast;
      }
    }
  }

  @Test
  void bad_expressions_name_the_field_and_value() {
    assertThatThrownBy(() -> CronSchedule.of("0 0 * * *", UTC)).hasMessageContaining("has 5 fields");
    assertThatThrownBy(() -> CronSchedule.of("0 0 24 * * ?", UTC)).hasMessageContaining("hours field '24'");
    assertThatThrownBy(() -> CronSchedule.of("0 0 0 1 * MON", UTC)).hasMessageContaining("'?' in one of them");
    assertThatThrownBy(() -> CronSchedule.of("? 0 0 * * ?", UTC)).hasMessageContaining("seconds field");
    assertThatThrownBy(() -> CronSchedule.of("0 0 0 ? FOO *", UTC)).hasMessageContaining("month field 'FOO'");
    assertThatThrownBy(() -> CronSchedule.of("0 5-2 * * * ?", UTC)).hasMessageContaining("backwards");
  }

  @Test
  void scheduler_runs_due_alerts_skips_paused_ones_and_stops() throws Exception {
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("sched");
    try (dev.mlops.core.Workspace ws = dev.mlops.core.Workspace.open(dir)) {
      ws.tables().create("main.ops.m").create(dev.mlops.core.Frame.of(
          dev.mlops.core.Column.of("v", dev.mlops.core.DataType.DOUBLE, java.util.List.of(5.0))));
      AlertsTest.MutableClock clock = new AlertsTest.MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
      Alerts alerts = Alerts.of(ws).withClock(clock);
      alerts.create("every_minute").on("main.ops.m", "v").above(1).schedule("0 * * * * ?", UTC).create();
      alerts.create("paused").on("main.ops.m", "v").above(1).schedule("0 * * * * ?", UTC).paused(true).create();
      alerts.create("on_demand").on("main.ops.m", "v").above(1).create();
      AlertScheduler s = AlertScheduler.manual(alerts);
      assertThat(s.runDue(clock.instant().plusSeconds(30))).isZero();
      assertThat(s.runDue(clock.instant().plusSeconds(60))).isEqualTo(1);
      assertThat(s.runDue(clock.instant().plusSeconds(61))).isZero();
      assertThat(alerts.status("every_minute").state()).isEqualTo(AlertState.TRIGGERED);
      assertThat(alerts.status("paused").state()).isEqualTo(AlertState.UNKNOWN);
      assertThat(alerts.status("on_demand").state()).isEqualTo(AlertState.UNKNOWN);
      // a real thread: started and stopped by the application
      Alerts real = Alerts.of(ws);
      real.update("every_minute").schedule("* * * * * ?", UTC).update();
      long before = real.status("every_minute").evaluatedAt().orElseThrow().toEpochMilli();
      try (AlertScheduler running = AlertScheduler.start(real)) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (real.status("every_minute").evaluatedAt().orElseThrow().toEpochMilli() == before
            && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
      }
      assertThat(real.status("every_minute").evaluatedAt().orElseThrow().toEpochMilli()).isNotEqualTo(before);
      assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("mlops-alert-scheduler")
          && t.isAlive());
    } finally {
      dev.mlops.core.internal.FileTrees.deleteQuietly(dir);
    }
  }
}
