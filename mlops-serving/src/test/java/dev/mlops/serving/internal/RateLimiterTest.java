package dev.mlops.serving.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  @Test
  void a_full_bucket_gives_a_burst_then_refills_at_the_rate_and_never_above_its_size() {
    AtomicLong now = new AtomicLong(1_000);
    RateLimiter l = new RateLimiter(10, now::get);
    for (int i = 0; i < 10; i++) {
      assertThat(l.tryAcquire()).as("burst %d", i).isTrue();
    }
    assertThat(l.tryAcquire()).isFalse();
    now.addAndGet(99_000_000); // 99 ms: not yet one permit
    assertThat(l.tryAcquire()).isFalse();
    now.addAndGet(1_000_000); // 100 ms in all: one permit
    assertThat(l.tryAcquire()).isTrue();
    assertThat(l.tryAcquire()).isFalse();
    now.addAndGet(60_000_000_000L); // a minute idle refills only up to the bucket's size
    int granted = 0;
    while (l.tryAcquire()) {
      granted++;
    }
    assertThat(granted).isEqualTo(10);
  }

  @Test
  void zero_grants_nothing_and_negative_is_refused() {
    RateLimiter none = new RateLimiter(0);
    assertThat(none.tryAcquire()).isFalse();
    assertThatThrownBy(() -> new RateLimiter(-1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
  }
}
