package dev.mlops.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PacingTest {

  /** Spins for {@code millis} of work, passing a point every ~0.3 ms; returns the wall time taken. */
  private static long spin(long millis) {
    long start = System.nanoTime();
    long worked = 0;
    while (worked < TimeUnit.MILLISECONDS.toNanos(millis)) {
      long t = System.nanoTime();
      while (System.nanoTime() - t < 300_000) {
        Thread.onSpinWait();
      }
      worked += System.nanoTime() - t;
      Pacing.point();
    }
    return System.nanoTime() - start;
  }

  @Test
  void paced_work_parks_so_that_it_takes_at_most_its_share_of_the_cpu() {
    long[] parked = new long[1];
    long wall = Pacing.run(0.25, () -> {
      long w = spin(40);
      parked[0] = Pacing.parkedNanos();
      return w;
    });
    // at a quarter of a CPU, 40 ms of work parks ~120 ms in total (wall time also counts preemptions)
    assertThat(parked[0]).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(100));
    assertThat(wall).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(140));
    assertThat(Pacing.parkedNanos()).isZero(); // outside run(), nothing is paced
  }

  @Test
  void points_outside_paced_work_and_at_a_full_share_never_park() {
    spin(20);
    assertThat(Pacing.parkedNanos()).isZero();
    long parked = Pacing.run(1.0, () -> {
      spin(20);
      return Pacing.parkedNanos();
    });
    assertThat(parked).isZero();
  }

  @Test
  void nested_paced_work_restores_the_outer_pace_and_shares_are_checked() {
    long outerParked = Pacing.run(0.5, () -> {
      Pacing.run(1.0, () -> spin(5));
      spin(10);
      return Pacing.parkedNanos();
    });
    assertThat(outerParked).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(7));
    assertThatThrownBy(() -> Pacing.run(0, () -> null)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("share must be above 0");
    assertThatThrownBy(() -> Pacing.run(1.5, () -> null)).isInstanceOf(IllegalArgumentException.class);
  }
}
