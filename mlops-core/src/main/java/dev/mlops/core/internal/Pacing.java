package dev.mlops.core.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Background work that leaves the CPU to latency-sensitive threads: while a thread runs work through
 * {@link #run}, each {@link #point()} it passes parks it for as long as it has worked since its last
 * pause, scaled so that it takes at most the given share of a CPU. The idea of PostgreSQL's
 * {@code vacuum_cost_delay}: the inference log's commit (a Parquet file of a second's requests, ~100
 * ms of CPU) otherwise competes with the HTTP event loop for whole scheduler slices, on a 2-core
 * machine where wrk holds the other core; its preemptions were most of the scoring server's waits
 * over 1 ms ({@code perf sched}, serving benchmark at {@code -c4}). On any thread not inside
 * {@link #run}, {@link #point()} does nothing.
 *
 * <p>Pausing only helps if the stretches between points are short: the scheduler lets a thread that
 * runs keep its CPU for a whole slice. Points sit between Kernel's steps of a commit (transaction,
 * write context, data files, commit, hooks), between and inside Parquet column chunks (every 1,024
 * values of a binary page, before and after each page's compression), and paced Parquet writes cut
 * pages at 64 KiB, since a page is compressed in one call. With 1 MiB pages and points only between
 * pages, 80% of the inference log's commit CPU came in stretches over 2 ms (5–20 ms each); with these
 * points, about 10%.
 *
 * (Work is counted in the thread's CPU time, so time spent waiting for a CPU is not paused for again.)
 *
 * <pre>{@code
 * Pacing.run(0.5, () -> table.append(batch)); // at most half a core while it writes
 * }</pre>
 */
public final class Pacing {
  /** Work shorter than this between points is not paused (a park costs a few microseconds). */
  static final long MIN_STRETCH_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

  private static final ThreadLocal<Pacing> CURRENT = new ThreadLocal<>();

  /**
   * Work is measured in the thread's CPU time where the JVM has it: wall time would count the time the
   * thread waited for a CPU as work and pause it again for that (on a loaded 2-core machine the paced
   * commits then fell behind the requests and the log dropped records).
   */
  private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory
      .getThreadMXBean();
  private static final boolean CPU_TIME = THREADS.isCurrentThreadCpuTimeSupported();

  /** Test hook: runs at every point of paced work (null in production). */
  static volatile Runnable onPoint;

  private final double share;
  private long since;
  private long parkedNanos;
  private long points;

  private Pacing(double share) {
    this.share = share;
  }

  /**
   * Runs work on this thread at most {@code share} of a CPU (between 0 exclusive and 1; 1 runs it
   * unpaced) and returns its result.
   */
  public static <T> T run(double share, Supplier<T> work) {
    if (!(share > 0 && share <= 1)) {
      throw Errors.paceShare(share);
    }
    Pacing outer = CURRENT.get();
    Pacing p = new Pacing(share);
    CURRENT.set(p);
    p.since = clock();
    try {
      return work.get();
    } finally {
      if (outer == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(outer);
      }
    }
  }

  /** Pauses this thread if it runs paced work and has worked long enough since its last pause. */
  public static void point() {
    Pacing p = CURRENT.get();
    if (p != null) {
      p.pause();
    }
  }

  /**
   * Whether this thread runs work paced below a whole CPU: writers then keep each step between points
   * short (e.g. the Parquet writer cuts smaller pages, whose compression is one call with no point).
   */
  public static boolean active() {
    Pacing p = CURRENT.get();
    return p != null && p.share < 1;
  }

  /** Points the current paced work has passed so far (0 outside {@link #run}; tests). */
  public static long points() {
    Pacing p = CURRENT.get();
    return p == null ? 0 : p.points;
  }

  /** Nanoseconds the current paced work has been parked so far (0 outside {@link #run}; tests, logs). */
  public static long parkedNanos() {
    Pacing p = CURRENT.get();
    return p == null ? 0 : p.parkedNanos;
  }

  private void pause() {
    points++;
    Runnable hook = onPoint;
    if (hook != null) {
      hook.run();
    }
    if (share >= 1) {
      return;
    }
    long worked = clock() - since;
    if (worked < MIN_STRETCH_NANOS) {
      return;
    }
    long now = System.nanoTime();
    long until = now + (long) (worked * (1 - share) / share);
    long left;
    while ((left = until - System.nanoTime()) > 0) { // a park may return early
      LockSupport.parkNanos(this, left);
    }
    parkedNanos += System.nanoTime() - now;
    since = clock();
  }

  /** The current thread's CPU time, or the wall clock where the JVM does not measure it. */
  private static long clock() {
    if (CPU_TIME) {
      long t = THREADS.getCurrentThreadCpuTime();
      if (t >= 0) {
        return t;
      }
    }
    return System.nanoTime();
  }
}
