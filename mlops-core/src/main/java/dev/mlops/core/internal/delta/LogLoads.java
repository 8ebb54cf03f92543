package dev.mlops.core.internal.delta;

/**
 * Counts Delta log loads (Kernel snapshot builds) made by the SDK, per thread, so tests can hold
 * operations to their budget: one load per read, at most two per write (plan + conflict re-check).
 * A load lists {@code _delta_log} and replays it from the last checkpoint, so it is the main fixed
 * cost of a small operation.
 *
 * <pre>{@code
 * long before = LogLoads.onThisThread();
 * table.read().load();
 * assert LogLoads.onThisThread() - before == 1;
 * }</pre>
 */
public final class LogLoads {
  private static final ThreadLocal<long[]> COUNT = ThreadLocal.withInitial(() -> new long[1]);

  private LogLoads() {}

  static void record() {
    COUNT.get()[0]++;
  }

  /** Log loads made on the calling thread since it started. */
  public static long onThisThread() {
    return COUNT.get()[0];
  }
}
