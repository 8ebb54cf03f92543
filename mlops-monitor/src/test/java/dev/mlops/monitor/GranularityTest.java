package dev.mlops.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class GranularityTest {

  static Instant start(String g, String t) {
    return Granularity.parse(g).windowStart(Instant.parse(t));
  }

  static Instant end(String g, String t) {
    Granularity gr = Granularity.parse(g);
    return gr.windowEnd(gr.windowStart(Instant.parse(t)));
  }

  @Test
  void minute_hour_and_day_windows_are_aligned_to_the_epoch_in_utc() {
    assertThat(start("5 minutes", "2024-05-01T13:47:59.999999Z")).isEqualTo("2024-05-01T13:45:00Z");
    assertThat(start("5 minutes", "2024-05-01T13:50:00Z")).isEqualTo("2024-05-01T13:50:00Z");
    assertThat(end("5 minutes", "2024-05-01T13:50:00Z")).isEqualTo("2024-05-01T13:55:00Z");
    assertThat(start("30 minutes", "2024-05-01T13:29:59Z")).isEqualTo("2024-05-01T13:00:00Z");
    assertThat(start("1 hour", "2024-05-01T13:00:00Z")).isEqualTo("2024-05-01T13:00:00Z");
    assertThat(start("1 day", "2024-05-01T23:59:59.999999Z")).isEqualTo("2024-05-01T00:00:00Z");
    assertThat(end("1 day", "2024-05-01T12:00:00Z")).isEqualTo("2024-05-02T00:00:00Z");
    // before the epoch too
    assertThat(start("1 day", "1969-12-31T23:00:00Z")).isEqualTo("1969-12-31T00:00:00Z");
  }

  @Test
  void weeks_start_on_monday_and_n_weeks_are_aligned_to_the_first_monday() {
    // 2024-05-05 is a Sunday, 2024-05-06 a Monday
    assertThat(start("1 week", "2024-05-05T23:59:59Z")).isEqualTo("2024-04-29T00:00:00Z");
    assertThat(start("1 week", "2024-05-06T00:00:00Z")).isEqualTo("2024-05-06T00:00:00Z");
    assertThat(end("1 week", "2024-05-06T00:00:00Z")).isEqualTo("2024-05-13T00:00:00Z");
    Instant two = start("2 weeks", "2024-05-08T00:00:00Z");
    assertThat(two.atZone(java.time.ZoneOffset.UTC).getDayOfWeek()).isEqualTo(java.time.DayOfWeek.MONDAY);
    assertThat(java.time.Duration.between(Instant.parse("1970-01-05T00:00:00Z"), two).toDays() % 14).isZero();
    assertThat(Granularity.parse("2 weeks").text()).isEqualTo("2 weeks");
  }

  @Test
  void months_and_years_follow_the_calendar() {
    assertThat(start("1 month", "2024-02-29T23:00:00Z")).isEqualTo("2024-02-01T00:00:00Z");
    assertThat(end("1 month", "2024-02-10T00:00:00Z")).isEqualTo("2024-03-01T00:00:00Z");
    assertThat(end("1 month", "2024-12-10T00:00:00Z")).isEqualTo("2025-01-01T00:00:00Z");
    assertThat(start("1 year", "2024-12-31T23:59:59Z")).isEqualTo("2024-01-01T00:00:00Z");
    assertThat(end("1 year", "2024-06-01T00:00:00Z")).isEqualTo("2025-01-01T00:00:00Z");
  }

  @Test
  void granularities_outside_the_list_are_refused_with_the_list() {
    for (String bad : new String[] {"7 minutes", "2 days", "2 hours", "3 months", "1 fortnight", "day", "0 weeks"}) {
      assertThatThrownBy(() -> Granularity.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(bad).hasMessageContaining("1 day");
    }
    assertThat(Granularity.parse("1 Hour")).isEqualTo(new Granularity(Granularity.Unit.HOUR, 1));
  }
}
