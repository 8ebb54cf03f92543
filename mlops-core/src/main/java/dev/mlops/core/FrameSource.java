package dev.mlops.core;

/**
 * Rows that live outside the SDK (Parquet files, CSV files), read in batches. Pass one to
 * {@code ws.tables().create(name).createFrom(source)} or {@code table.appendFrom(source)} to import it
 * with bounded memory, or {@link #open()} it to process the batches yourself.
 *
 * <pre>{@code
 * FrameSource events = ParquetSource.of(Path.of("exports/events")).columns("user", "ts", "amount")
 *     .filter(Filter.gt("amount", 0));
 * ws.tables().create("main.raw.events").createFrom(events);
 * }</pre>
 */
public interface FrameSource {

  /** The columns each batch will have (after projection). */
  Schema schema();

  /** Starts reading; close the stream when done. */
  FrameStream open();

  /** All rows as one frame (for sources that fit in memory). */
  default Frame load() {
    try (FrameStream s = open()) {
      return s.collect();
    }
  }

  /** What is read, for messages (e.g. "Parquet file /data/x.parquet"). */
  String describe();
}
