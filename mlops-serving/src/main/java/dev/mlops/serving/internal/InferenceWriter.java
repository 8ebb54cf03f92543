package dev.mlops.serving.internal;

import dev.mlops.core.ColumnType;
import dev.mlops.core.DataType;
import dev.mlops.core.DeltaTable;
import dev.mlops.core.Field;
import dev.mlops.core.Frame;
import dev.mlops.core.Schema;
import dev.mlops.core.SchemaMismatchException;
import dev.mlops.core.Workspace;
import dev.mlops.core.internal.Pacing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends inference records to the payload and predictions tables from a bounded queue, on two
 * background threads: a gatherer takes records off the queue as they come into a batch of columns
 * ({@link InferenceBatch}; the records die young), and a committer writes each due batch (one Delta
 * commit per table) while the next one gathers. A batch is due at {@code batchRows} records or
 * {@code flushMillis} after its first; at a high rate not before {@code flushMillis} after the last
 * commit started, up to four times the queue's capacity. A full queue drops the record and counts it
 * (serving never waits on logging).
 */
public final class InferenceWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger("dev.mlops.serving.InferenceLog");

  /** The payload table's columns: Databricks AI-Gateway inference table names, plus model name and version. */
  public static final Schema PAYLOAD = Schema.of(Field.of("request_date", DataType.DATE),
      Field.of("databricks_request_id", DataType.STRING), Field.of("client_request_id", DataType.STRING),
      Field.of("request_time", DataType.TIMESTAMP), Field.of("status_code", DataType.INT),
      Field.of("sampling_fraction", DataType.DOUBLE), Field.of("execution_duration_ms", DataType.LONG),
      Field.of("request", DataType.STRING), Field.of("response", DataType.STRING),
      Field.of("served_entity_id", DataType.STRING),
      Field.of("logging_error_codes", ColumnType.array(DataType.STRING)),
      Field.of("requester", DataType.STRING), Field.of("model_name", DataType.STRING),
      Field.of("model_version", DataType.STRING));

  /** Class label to probability, as Databricks' {@code prediction_proba_col} (a Spark MapType). */
  static final ColumnType PROBABILITIES = ColumnType.map(ColumnType.of(DataType.STRING), ColumnType.of(DataType.DOUBLE));

  /** The fixed leading columns of the predictions table. */
  static final List<String> PREDICTION_KEYS = List.of("request_id", "client_request_id", "row_index", "timestamp",
      "model_name", "model_version");

  /**
   * Both tables checkpoint every 100 commits, not Delta's default 10: they only grow, a few commits a
   * second when busy, and a checkpoint rewrites the whole file list through Kernel's row writer (with
   * its per-file buffers): at 1,000-record batches, checkpoints every tenth commit were ~30% of the
   * writer's CPU (HandlerProfile, fixed batches). Snapshot loads do not replay the commits in between
   * for the protocol and metadata: Kernel reads them from the latest commit's checksum file.
   */
  static final String CHECKPOINT_INTERVAL = "100";

  private final Workspace ws;
  private final String payloadTable;
  private final String predictionsTable;
  private final int batchRows;
  private final int maxBatch;
  private final int wakeEvery;
  private final long flushNanos;
  private final BlockingQueue<Object> queue;
  private final ReentrantReadWriteLock gate = new ReentrantReadWriteLock();
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final Thread thread;
  private final Thread committer;
  /** From the gatherer to the committer, one batch at a time. */
  private final SynchronousQueue<InferenceBatch> handOff = new SynchronousQueue<>();
  /**
   * A committed batch, cleared, for the gatherer's next batch: two batches alternate, so that their
   * arrays and chunks grow once and then stay in the old generation (InferenceBatch).
   */
  private final java.util.concurrent.atomic.AtomicReference<InferenceBatch> spare =
      new java.util.concurrent.atomic.AtomicReference<>();
  private volatile boolean closed;

  private static final class Marker {
    final CountDownLatch done = new CountDownLatch(1);
    final boolean last;

    Marker(boolean last) {
      this.last = last;
    }
  }

  /** Creates the payload table when absent and starts the gatherer and committer threads. */
  public InferenceWriter(Workspace ws, String payloadTable, String predictionsTable, int batchRows, long flushMillis,
      int capacity) {
    this.ws = ws;
    this.payloadTable = payloadTable;
    this.predictionsTable = predictionsTable;
    this.batchRows = batchRows;
    this.flushNanos = TimeUnit.MILLISECONDS.toNanos(flushMillis);
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.maxBatch = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(batchRows, 4L * capacity));
    this.wakeEvery = Math.max(1, Math.min(1_000, Math.min(batchRows, capacity / 2)));
    ws.tables().create(payloadTable).schema(PAYLOAD).property("delta.appendOnly", "true")
        .property("delta.checkpointInterval", CHECKPOINT_INTERVAL)
        .description("Inference log: one row per scoring request (Databricks AI-Gateway inference table columns)")
        .ifNotExists().create();
    this.batch = new InferenceBatch(batchRows, batchRows);
    thread = new Thread(this::gather, "mlops-serving-inference-log");
    thread.setDaemon(true);
    committer = new Thread(this::commit, "mlops-serving-inference-commit");
    committer.setDaemon(true);
    committer.start();
    thread.start();
  }

  /** Queues a record; false (and counted as dropped) when the queue is full or the log closed. */
  public boolean offer(InferenceRecord r) {
    gate.readLock().lock();
    try {
      if (!closed && queue.offer(r)) {
        if (accepted.incrementAndGet() % wakeEvery == 0) {
          LockSupport.unpark(thread); // a batch's worth (or half the queue) arrived: take it now
        }
        return true;
      }
    } finally {
      gate.readLock().unlock();
    }
    if (dropped.incrementAndGet() == 1) {
      LOG.warn("Inference log queue for {} is full (or closed): records are being dropped and counted", payloadTable);
    }
    return false;
  }

  /** Waits until every record accepted before this call is committed (or failed). */
  public void flush() {
    Marker m = new Marker(false);
    gate.readLock().lock();
    try {
      if (closed) {
        return;
      }
      queue.put(m);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } finally {
      gate.readLock().unlock();
    }
    LockSupport.unpark(thread);
    await(m);
  }

  /** Writes everything accepted, then stops. */
  @Override
  public void close() {
    Marker m = new Marker(true);
    gate.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
    } finally {
      gate.writeLock().unlock();
    }
    try {
      queue.put(m);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    LockSupport.unpark(thread);
    await(m);
  }

  private static void await(Marker m) {
    try {
      m.done.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public long accepted() {
    return accepted.get();
  }

  public long dropped() {
    return dropped.get();
  }

  public long written() {
    return written.get();
  }

  public long failed() {
    return failed.get();
  }

  /** When the last batch's commit started (committer thread writes, gatherer reads). */
  private volatile long lastCommit = System.nanoTime() - TimeUnit.DAYS.toNanos(1);

  /** Longest sleep of the gatherer while a batch's first {@code batchRows} records arrive. */
  private static final long GATHER_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  /** Whether a record the batch could not take was logged (gatherer thread only). */
  private boolean warnedUntakable;

  /** The batch being gathered (gatherer thread only). */
  private InferenceBatch batch;

  private static final int MORE = 0;
  private static final int FLUSHED = 1;
  private static final int LAST = 2;

  /**
   * The gatherer: takes records off the queue as they come (woken every {@code wakeEvery} records, a
   * flush, a close, or a timer) into a batch of columns, and hands the batch to the committer when due:
   * {@code batchRows} records or the flush interval since its first record, whichever comes first; at a
   * high rate not before the flush interval since the last commit started (up to {@code maxBatch}
   * records), so that a busy server pays for about one commit per table per flush interval, not one per
   * {@code batchRows} records (a commit costs ~20 ms of CPU per table however small: Kernel's snapshot
   * and commit, a data file, a checksum). Sleeping until a batch is due, instead of waking per record,
   * saves each request a thread wake-up.
   */
  private void gather() {
    List<Object> got = new ArrayList<>();
    for (;;) {
      try {
        got.add(queue.take());
      } catch (InterruptedException e) {
        continue;
      }
      long first = System.nanoTime();
      int state = take(got);
      if (state == LAST) {
        return;
      }
      while (state == MORE && batch.size() < batchRows) {
        long left = flushNanos - (System.nanoTime() - first);
        if (left <= 0) {
          break;
        }
        LockSupport.parkNanos(this, Math.min(left, GATHER_NANOS));
        Thread.interrupted(); // nobody should interrupt this thread; if one does, it must not spin
        queue.drainTo(got, maxBatch - batch.size());
        state = take(got);
      }
      while (state == MORE && batch.size() < maxBatch) {
        long now = System.nanoTime();
        long left = Math.min(lastCommit + flushNanos - now, flushNanos - (now - first));
        if (left <= 0) {
          break;
        }
        LockSupport.parkNanos(this, left);
        Thread.interrupted();
        queue.drainTo(got, maxBatch - batch.size());
        state = take(got);
      }
      if (state == LAST) {
        return;
      }
      handOff(); // after a flush marker: the records that came after it (none, as a rule)
    }
  }

  /**
   * Moves what was taken off the queue into the batch. At a flush or close marker, the batch so far
   * (everything accepted before the marker) is handed to the committer with the marker's latch; the
   * records after it start the next batch. Returns MORE, FLUSHED or LAST.
   */
  private int take(List<Object> got) {
    int state = MORE;
    for (Object o : got) {
      if (o instanceof Marker m) {
        batch.waiting.add(m.done);
        batch.last = m.last;
        handOff();
        if (m.last) {
          got.clear();
          return LAST;
        }
        state = FLUSHED;
      } else {
        try {
          batch.add((InferenceRecord) o);
        } catch (RuntimeException e) { // a record the batch cannot take: counted, the rest still logged
          failed.incrementAndGet();
          if (!warnedUntakable) {
            warnedUntakable = true; // once: the same fault would repeat for every request
            LOG.warn("Could not log a request to {} (further such requests are counted in failed()): {}", payloadTable,
                e.toString());
          }
        }
      }
    }
    got.clear();
    return state;
  }

  /** Passes the batch to the committer, waiting while it still commits the previous one, and starts a new one. */
  private void handOff() {
    if (batch.isEmpty() && batch.waiting.isEmpty() && !batch.last) {
      return;
    }
    for (;;) {
      try {
        handOff.put(batch);
        break;
      } catch (InterruptedException e) {
        // nobody should interrupt this thread; a batch must not be lost
      }
    }
    InferenceBatch next = spare.getAndSet(null); // as a rule there: the committer took this batch after the last one
    batch = next != null ? next
        : new InferenceBatch(Math.max(batchRows, batch.size()), Math.max(batchRows, batch.predictionRows()));
  }

  /**
   * The share of a CPU a commit takes at most while it writes ({@link Pacing}): a second's requests are
   * ~100 ms of CPU to encode and commit at 50,000 requests a second; unpaced, that work took whole
   * scheduler slices from the HTTP event loop on a 2-core machine, and was most of the difference
   * between the {@code -c4} p99 with the log on and off. Paced, a commit takes about twice as long.
   */
  static final double COMMIT_SHARE = 0.5;

  /** The committer: writes each batch handed to it, then releases the flushes and closes waiting for it. */
  private void commit() {
    for (;;) {
      InferenceBatch b;
      try {
        b = handOff.take();
      } catch (InterruptedException e) {
        continue;
      }
      Pacing.run(COMMIT_SHARE, () -> {
        write(b);
        return null;
      });
      for (CountDownLatch l : b.waiting) {
        l.countDown();
      }
      if (b.last) {
        return;
      }
      b.clear();
      spare.set(b);
    }
  }

  private void write(InferenceBatch batch) {
    if (batch.isEmpty()) {
      return;
    }
    lastCommit = System.nanoTime();
    try {
      payloadHandle().append(batch.payload());
      written.addAndGet(batch.size());
    } catch (RuntimeException e) {
      payloadHandle = null; // looked up again for the next batch
      failed.addAndGet(batch.size());
      LOG.warn("Could not append {} records to inference table {}: {}", batch.size(), payloadTable, e.getMessage());
    }
    try {
      Frame p = batch.predictions();
      if (p != null) {
        appendEvolving(predictionsTable, p);
      }
    } catch (RuntimeException e) {
      predictionsHandle = null; // read again for the next batch
      LOG.warn("Could not append predictions of {} requests to {}: {}", batch.size(), predictionsTable, e.getMessage());
    }
  }

  /** The payload table's rows of these records (tests). */
  static Frame payload(List<InferenceRecord> records) {
    InferenceBatch b = new InferenceBatch(records.size(), 16);
    records.forEach(b::add);
    return b.payload();
  }

  /** The predictions table's rows of these records, or null when none scored rows (tests). */
  static Frame predictions(List<InferenceRecord> records) {
    InferenceBatch b = new InferenceBatch(records.size(), 16);
    records.forEach(b::add);
    return b.predictions();
  }

  /** The predictions table's handle and columns as this writer last read them (committer thread only). */
  private DeltaTable predictionsHandle;
  private Map<String, ColumnType> predictionColumns;
  /** The payload table's handle (committer thread only). */
  private DeltaTable payloadHandle;

  private DeltaTable payloadHandle() {
    if (payloadHandle == null) {
      payloadHandle = ws.tables().get(payloadTable);
    }
    return payloadHandle;
  }

  /**
   * Appends, creating the table or adding new (nullable) columns first, as a model version brings them.
   * The table's columns are read once and again only when a batch brings a column they lack or the
   * append finds them changed (another process added columns): reading them per batch cost two
   * snapshot loads per commit.
   */
  private void appendEvolving(String table, Frame rows) {
    if (predictionsHandle == null || !hasAll(predictionColumns, rows)) {
      refreshPredictions(table, rows);
    }
    try {
      predictionsHandle.append(InferenceBatch.align(rows, predictionColumns));
    } catch (SchemaMismatchException e) { // the table changed under this writer: nothing was written; re-read once
      refreshPredictions(table, rows);
      predictionsHandle.append(InferenceBatch.align(rows, predictionColumns));
    }
  }

  private static boolean hasAll(Map<String, ColumnType> columns, Frame rows) {
    for (Field f : rows.schema().fields()) {
      if (!columns.containsKey(f.name())) {
        return false;
      }
    }
    return true;
  }

  private void refreshPredictions(String table, Frame rows) {
    predictionsHandle = null;
    java.util.Optional<DeltaTable> t = ws.tables().find(table);
    if (t.isEmpty()) {
      ws.tables().create(table).schema(rows.schema()).property("delta.checkpointInterval", CHECKPOINT_INTERVAL)
          .description("Predictions: one row per scored row; label is empty until upserted by request_id, row_index")
          .ifNotExists().create();
      t = ws.tables().find(table);
    }
    DeltaTable dt = t.orElseThrow();
    Schema have = dt.schema();
    List<Field> add = new ArrayList<>();
    for (Field f : rows.schema().fields()) {
      if (!have.contains(f.name())) {
        add.add(Field.of(f.name(), f.columnType()));
      }
    }
    if (!add.isEmpty()) {
      dt.addColumns(add.toArray(new Field[0]));
      have = dt.schema();
    }
    Map<String, ColumnType> target = new LinkedHashMap<>();
    for (Field f : have.fields()) {
      target.put(f.name(), f.columnType());
    }
    predictionColumns = target;
    predictionsHandle = dt;
  }

  /** The predictions table. */
  public String predictionsTable() {
    return predictionsTable;
  }

  /** The payload table. */
  public String payloadTable() {
    return payloadTable;
  }

}
