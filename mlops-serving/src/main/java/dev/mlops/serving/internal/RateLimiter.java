package dev.mlops.serving.internal;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A token bucket: at most {@code perSecond} permits a second on average, with bursts of up to
 * {@code perSecond} (a bucket that starts full). Refills continuously. Used to cap how many refused
 * requests reach the inference log, so that a client sending bad tokens or wrong content types as fast
 * as it can does not flood the table. Thread-safe; a permit costs one short lock.
 */
public final class RateLimiter {
  private final double perNano;
  private final double capacity;
  private final LongSupplier clock;
  private double tokens;
  private long last;

  /** A limiter of {@code perSecond} permits a second ({@code 0}: none ever). */
  public RateLimiter(int perSecond) {
    this(perSecond, System::nanoTime);
  }

  RateLimiter(int perSecond, LongSupplier nanoClock) {
    if (perSecond < 0) {
      throw Errors.negative("perSecond", perSecond, "admits nothing");
    }
    this.perNano = perSecond / (double) TimeUnit.SECONDS.toNanos(1);
    this.capacity = perSecond;
    this.clock = nanoClock;
    this.tokens = perSecond;
    this.last = nanoClock.getAsLong();
  }

  /** Takes a permit if one is available now. */
  public synchronized boolean tryAcquire() {
    long now = clock.getAsLong();
    tokens = Math.min(capacity, tokens + (now - last) * perNano);
    last = now;
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }
}
