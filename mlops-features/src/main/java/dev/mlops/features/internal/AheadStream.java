package dev.mlops.features.internal;

import dev.mlops.core.Frame;
import dev.mlops.core.FrameStream;
import dev.mlops.core.Schema;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;

/**
 * A stream of batches read and checked one batch ahead, on a helper thread: while the consumer writes
 * batch {@code i} (Parquet encoding and compression on the writer's threads), the helper reads batch
 * {@code i + 1} from the source and runs the check on it (the feature store's key check). Read, check
 * and write then share the cores instead of taking turns; in the create benchmark the key check alone
 * was a third of the calling thread's CPU time, with the writer's threads idle meanwhile.
 *
 * <p>Batches come out in the source's order, each after its check passed. A failure of the source or
 * of the check (a repeated key) is rethrown by the consumer's {@link #hasNext} or {@link #next} at
 * that batch's place, as if the work had run on the consumer's thread: batches before it were handed
 * on, none after. The helper holds at most one batch beyond the one handed out (memory grows by one
 * batch). {@link #close} stops the helper and closes the source, also when the consumer stops early.
 */
public final class AheadStream implements FrameStream {
  /** Marks the end of the source in the queue. */
  private static final Object END = new Object();

  private final FrameStream in;
  private final Consumer<Frame> check;
  private final String source;
  private final String table;
  private final BlockingQueue<Object> ready = new ArrayBlockingQueue<>(1);
  private final Thread helper;
  private volatile boolean closed;
  /** The next item taken from the queue and not yet handed out (a frame, a failure or END). */
  private Object head;

  /**
   * Starts reading {@code in} on a helper thread, running {@code check} on every batch before it is
   * handed out; the stream owns {@code in} (closed by {@link #close}). {@code source} and
   * {@code table} name the two ends in messages.
   */
  public AheadStream(FrameStream in, Consumer<Frame> check, String source, String table) {
    this.in = in;
    this.check = check;
    this.source = source;
    this.table = table;
    this.helper = new Thread(this::run, "mlops-import-ahead");
    helper.setDaemon(true);
    helper.start();
  }

  private void run() {
    try {
      while (!closed && in.hasNext()) {
        Frame f = in.next();
        check.accept(f);
        put(f);
      }
      put(END);
    } catch (InterruptedException e) {
      // closed by the consumer: nothing more to hand on
    } catch (Throwable t) {
      try {
        put(t);
      } catch (InterruptedException e) {
        // closed by the consumer
      }
    }
  }

  private void put(Object o) throws InterruptedException {
    if (!closed) {
      ready.put(o);
    }
  }

  @Override
  public Schema schema() {
    return in.schema();
  }

  @Override
  public boolean hasNext() {
    if (head == null) {
      if (closed) {
        return false;
      }
      try {
        head = ready.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        close();
        throw Errors.interruptedImport(source, table, e);
      }
    }
    if (head instanceof RuntimeException e) {
      throw e;
    }
    if (head instanceof Error e) {
      throw e;
    }
    if (head instanceof Throwable t) {
      throw Errors.importBatchFailed(source, table, t);
    }
    return head != END;
  }

  @Override
  public Frame next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    Frame f = (Frame) head;
    head = null;
    return f;
  }

  /** Stops the helper (waiting for the batch it is on) and closes the source. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      helper.interrupt();
      ready.clear();
      boolean interrupted = false;
      while (helper.isAlive()) {
        try {
          helper.join();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      in.close();
    }
  }
}
