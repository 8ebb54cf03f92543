package dev.mlops.core.internal.delta;

import dev.mlops.core.MlopsException;
import dev.mlops.core.internal.Errors;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Runs independent file tasks (decode a data file, write a slice) on the workspace's executor. */
final class Parallel {
  private Parallel() {}

  /**
   * Applies fn to every item on up to threads threads of the executor; results in item
   * order; the first failure is rethrown. The calling thread works through the items too, so the
   * call completes even when the executor is busy or is the caller's own pool (no starvation).
   */
  static <T, R> List<R> map(java.util.concurrent.Executor ex, int threads, List<T> items, Function<T, R> fn,
      String display) {
    int n = items.size();
    if (n < 2 || threads == 1) {
      List<R> out = new ArrayList<>(n);
      for (T t : items) {
        out.add(fn.apply(t));
      }
      return out;
    }
    Object[] results = new Object[n];
    java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
    java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(n);
    Runnable worker = () -> {
      int i;
      while ((i = next.getAndIncrement()) < n) {
        try {
          if (failure.get() == null) {
            results[i] = fn.apply(items.get(i));
          }
        } catch (Throwable t) {
          failure.compareAndSet(null, t);
        } finally {
          done.countDown();
        }
      }
    };
    for (int h = 1; h < Math.min(threads, n); h++) {
      try {
        ex.execute(worker);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        break; // a closed or saturated executor: this thread does the rest
      }
    }
    worker.run();
    try {
      done.await();
    } catch (InterruptedException e) {
      // Every item is taken by now (this thread took the rest); let the ones in flight on other
      // threads finish (one file each) before returning, so a caller cleaning up the files of a
      // failed write finds them all, and none is written after it has cleaned up.
      failure.compareAndSet(null, e);
      boolean finished = false;
      while (!finished) {
        try {
          done.await();
          finished = true;
        } catch (InterruptedException again) {
          // keep waiting for the in-flight items; the interrupt is restored below
        }
      }
      Thread.currentThread().interrupt();
      throw Errors.interruptedFileJob(display, e);
    }
    Throwable t = failure.get();
    if (t instanceof RuntimeException re) {
      throw re;
    }
    if (t instanceof Error err) {
      throw err;
    }
    if (t != null) {
      throw new MlopsException(t.toString(), t);
    }
    List<R> out = new ArrayList<>(n);
    for (Object o : results) {
      @SuppressWarnings("unchecked")
      R r = (R) o;
      out.add(r);
    }
    return out;
  }
}
