package dev.mlops.serving.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the JDK server's exchanges: on virtual threads from Java 21 on (found reflectively; the SDK
 * compiles for 17), else on a cached pool of daemon platform threads. Each exchange runs under a
 * {@link Deadlines} slot armed with the header deadline. At most {@code maxConcurrent} exchanges are
 * admitted at once; one beyond that is still read (under the header deadline) but answered 503 with
 * {@code Connection: close} by the handler (see {@link #overCapacity()}).
 */
public final class ServerExecutor implements Executor, AutoCloseable {
  private static final ThreadLocal<Boolean> OVER = new ThreadLocal<>();
  private static final ThreadLocal<Runnable> RELEASE = new ThreadLocal<>();
  private final ExecutorService base;
  private final boolean virtual;
  private final Deadlines deadlines;
  private final Semaphore permits;
  private final long headerNanos;

  /** An executor admitting maxConcurrent exchanges. */
  public ServerExecutor(int maxConcurrent, long headerNanos, Deadlines deadlines) {
    ExecutorService v = virtualPerTask();
    this.virtual = v != null;
    this.base = v != null ? v : platformPool();
    this.permits = new Semaphore(maxConcurrent);
    this.headerNanos = headerNanos;
    this.deadlines = deadlines;
  }

  /**
   * Worker threads for requests an event loop must not run itself: virtual threads from Java 21 on, else a
   * cached pool of daemon platform threads (shut it down when done).
   */
  public static ExecutorService workers() {
    ExecutorService v = virtualPerTask();
    return v != null ? v : platformPool();
  }

  private static ExecutorService virtualPerTask() {
    if (Runtime.version().feature() < 21) {
      return null;
    }
    try {
      return (ExecutorService) MethodHandles.publicLookup().findStatic(java.util.concurrent.Executors.class,
          "newVirtualThreadPerTaskExecutor", MethodType.methodType(ExecutorService.class)).invoke();
    } catch (Throwable e) {
      return null;
    }
  }

  private static ExecutorService platformPool() {
    AtomicInteger n = new AtomicInteger();
    return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
      Thread t = new Thread(r, "mlops-serving-http-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /** True when exchanges run on virtual threads. */
  public boolean virtualThreads() {
    return virtual;
  }

  @Override
  public void execute(Runnable exchange) {
    boolean admitted = permits.tryAcquire();
    AtomicBoolean held = new AtomicBoolean(admitted);
    Runnable release = () -> {
      if (held.compareAndSet(true, false)) {
        permits.release();
      }
    };
    base.execute(() -> deadlines.run(() -> {
      OVER.set(!admitted);
      RELEASE.set(release);
      try {
        exchange.run();
      } finally {
        OVER.remove();
        RELEASE.remove();
        release.run();
      }
    }, headerNanos));
  }

  /**
   * Gives the current exchange's slot back now that its answer is ready (before it is written): a
   * client that reads the answer and sends its next request at once must find the slot free, not race
   * the end of this exchange. Idempotent; the slot is given back at the end of the exchange otherwise.
   */
  public static void releaseSlot() {
    Runnable r = RELEASE.get();
    if (r != null) {
      r.run();
    }
  }

  /** True when the current exchange came in beyond the concurrency cap. */
  public static boolean overCapacity() {
    return Boolean.TRUE.equals(OVER.get());
  }

  @Override
  public void close() {
    base.shutdownNow();
  }
}
