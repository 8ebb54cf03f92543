package dev.mlops.core.internal.delta;

import io.delta.kernel.utils.CloseableIterator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/** Small adapters between Java collections and Kernel's closeable iterators. */
final class Iters {
  private Iters() {}

  static <T> CloseableIterator<T> of(List<T> items) {
    Iterator<T> it = items.iterator();
    return new CloseableIterator<T>() {
      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public T next() {
        if (!it.hasNext()) {
          throw new NoSuchElementException();
        }
        return it.next();
      }

      @Override
      public void close() {}
    };
  }
}
