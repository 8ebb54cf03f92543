package dev.mlops.core;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Rows arriving in batches: each {@link #next()} is a {@link Frame} of at most the source's batch
 * size, all with the same {@link #schema()}. Holds files open until closed; use try-with-resources.
 * Memory stays bounded by the batch size however large the source is.
 *
 * <pre>{@code
 * try (FrameStream batches = ParquetSource.of(Path.of("events/")).columns("user", "amount").open()) {
 *   while (batches.hasNext()) {
 *     Frame batch = batches.next();
 *     ...
 *   }
 * }
 * }</pre>
 */
public interface FrameStream extends Iterator<Frame>, AutoCloseable {

  /** The columns of every batch. */
  Schema schema();

  /** Releases the files; the stream is finished afterwards. Never throws checked exceptions. */
  @Override
  void close();

  /** The remaining batches as one frame (materializes them: for sources that fit in memory). */
  default Frame collect() {
    List<Frame> parts = new ArrayList<>();
    while (hasNext()) {
      parts.add(next());
    }
    return parts.isEmpty() ? Frame.empty(schema()) : parts.size() == 1 ? parts.get(0) : Frame.concat(parts);
  }
}
