package dev.mlops.serving.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Read and write deadlines for the JDK HTTP server, whose own timeouts are JVM-wide system properties.
 * Each exchange runs on one thread; a watchdog interrupts that thread when its armed deadline passes.
 * The JDK server reads and writes through {@link java.nio.channels.SocketChannel}s, which are
 * interruptible: the interrupt closes the connection and the blocked read or write fails. So a client
 * that sends half its headers, or headers and then no body, is cut off; work on a disarmed slot (the
 * model scoring) is never interrupted. Used by {@link JdkHttpTransport} only: {@link NioHttpTransport}'s
 * event loops enforce the same deadlines themselves, and on their threads (no slot) {@link #arm},
 * {@link #disarm} and {@link #fired} are no-ops, so the scoring handler calls them on either transport.
 */
public final class Deadlines implements AutoCloseable {
  private static final long DISARMED = Long.MIN_VALUE;
  private static final long FIRED = Long.MIN_VALUE + 1;
  private static final ThreadLocal<Slot> CURRENT = new ThreadLocal<>();

  /** One exchange's deadline. */
  public static final class Slot {
    final Thread thread;
    final AtomicLong deadline = new AtomicLong(DISARMED);

    Slot(Thread thread) {
      this.thread = thread;
    }
  }

  private final Set<Slot> slots = ConcurrentHashMap.newKeySet();
  private final AtomicLong cutOff = new AtomicLong();
  private final Thread watchdog;
  private volatile boolean closed;

  /** Starts the watchdog, checking every tick. */
  public Deadlines(long tickMillis) {
    watchdog = new Thread(() -> {
      while (!closed) {
        try {
          Thread.sleep(tickMillis);
        } catch (InterruptedException e) {
          return;
        }
        long now = System.nanoTime();
        for (Slot s : slots) {
          long d = s.deadline.get();
          if (d != DISARMED && d != FIRED && now - d > 0 && s.deadline.compareAndSet(d, FIRED)) {
            cutOff.incrementAndGet();
            s.thread.interrupt();
          }
        }
      }
    }, "mlops-serving-deadlines");
    watchdog.setDaemon(true);
    watchdog.start();
  }

  /** Runs a task under a slot armed for {@code firstNanos} (the header deadline). */
  public void run(Runnable task, long firstNanos) {
    Slot s = new Slot(Thread.currentThread());
    s.deadline.set(System.nanoTime() + firstNanos);
    slots.add(s);
    CURRENT.set(s);
    try {
      task.run();
    } finally {
      slots.remove(s);
      CURRENT.remove();
      Thread.interrupted(); // a late interrupt must not leak into the next task of a pooled thread
    }
  }

  /** Arms the current exchange's deadline {@code nanos} from now (no-op outside an exchange). */
  public static void arm(long nanos) {
    Slot s = CURRENT.get();
    if (s != null) {
      long d = s.deadline.get();
      if (d != FIRED) {
        s.deadline.compareAndSet(d, System.nanoTime() + nanos);
      }
    }
  }

  /**
   * Disarms the current exchange's deadline.
   *
   * @return false when the deadline already fired (the connection is closed)
   */
  public static boolean disarm() {
    Slot s = CURRENT.get();
    if (s == null) {
      return true;
    }
    for (;;) {
      long d = s.deadline.get();
      if (d == FIRED) {
        return false;
      }
      if (s.deadline.compareAndSet(d, DISARMED)) {
        return true;
      }
    }
  }

  /** True when the current exchange's deadline fired. */
  public static boolean fired() {
    Slot s = CURRENT.get();
    return s != null && s.deadline.get() == FIRED;
  }

  /** Connections cut off so far. */
  public long cutOff() {
    return cutOff.get();
  }

  @Override
  public void close() {
    closed = true;
    watchdog.interrupt();
  }

  /** Milliseconds to nanoseconds. */
  public static long millis(long ms) {
    return TimeUnit.MILLISECONDS.toNanos(ms);
  }
}
