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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends inference records to the payload and predictions tables. A request's thread adds its record
 * to the batch that is gathering ({@link InferenceBatch}: columns of UTF-8 chunks and primitive
 * arrays), under a lock held for that copy only, and a background committer writes each due batch (one
 * Delta commit per table) while the next one gathers. A batch is due at {@code batchRows} records or
 * {@code flushMillis} after its first; at a high rate not before {@code flushMillis} after the last
 * commit started, up to {@code maxBatch} records (four times the capacity). A batch takes up to
 * {@code maxBatch} plus the capacity while the committer still writes the previous one; a record that
 * finds it full is dropped and counted: serving never waits on a commit.
 *
 * <p>The records were queued for a gatherer thread at first: up to a thousand of them (each with its
 * scored frame, ~1.5 KB) waited in the queue at any time, and every young collection copied them
 * (~1.5 MB, most of a 3 ms pause on the 2-core benchmark host), and the gatherer's wake-ups preempted
 * the HTTP event loop. Now a record dies with its request.
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

  /**
   * The share of a CPU a commit takes at most while it writes ({@link Pacing}): a second's requests are
   * ~100 ms of CPU to encode and commit at 50,000 requests a second; unpaced, that work took whole
   * scheduler slices from the HTTP event loop on a 2-core machine ({@code perf sched}: the loop's waits
   * over 1 ms fell from 40-46 to 13 in 4 s paced). Paced, a commit takes about twice as long.
   */
  static final double COMMIT_SHARE = 0.5;

  private final Workspace ws;
  private final String payloadTable;
  private final String predictionsTable;
  private final int batchRows;
  private final int maxBatch;
  /**
   * Records a batch takes at most: {@code maxBatch} plus the capacity, room for the records that come
   * while the committer finishes the previous batch (the capacity of the queue the records once waited
   * in; without it, a commit that ran long dropped records at 55,000 requests/s).
   */
  private final int limit;
  private final long flushNanos;
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final Thread committer;

  /** Guards the fields below it: request threads add to {@link #batch}, the committer takes it. */
  private final ReentrantLock lock = new ReentrantLock();
  /** Signalled when the committer should look again: a first record, batchRows, a full batch, a flush, a close. */
  private final Condition due = lock.newCondition();
  /** The batch gathering. */
  private InferenceBatch batch;
  /** When its first record came (nanoTime). */
  private long first;
  /** A committed batch, cleared, for the next swap: two batches alternate, so their arrays stay old. */
  private InferenceBatch spare;
  /** Flushes waiting for the batch gathering to be committed. */
  private final List<CountDownLatch> flushes = new ArrayList<>();
  /** Set by close(); its latch is released after the last batch. */
  private CountDownLatch closing;
  private volatile boolean closed;
  /** Whether a record the batch could not take was logged (under the lock). */
  private boolean warnedUntakable;
  /** When the last batch's commit started (committer thread). */
  private long lastCommit = System.nanoTime() - TimeUnit.DAYS.toNanos(1);

  /** Creates the payload table when absent and starts the committer thread. */
  public InferenceWriter(Workspace ws, String payloadTable, String predictionsTable, int batchRows, long flushMillis,
      int capacity) {
    this.ws = ws;
    this.payloadTable = payloadTable;
    this.predictionsTable = predictionsTable;
    this.batchRows = batchRows;
    this.flushNanos = TimeUnit.MILLISECONDS.toNanos(flushMillis);
    this.maxBatch = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(batchRows, 4L * capacity));
    this.limit = (int) Math.min(Integer.MAX_VALUE - 8, (long) maxBatch + capacity);
    ws.tables().create(payloadTable).schema(PAYLOAD).property("delta.appendOnly", "true")
        .property("delta.checkpointInterval", CHECKPOINT_INTERVAL)
        .description("Inference log: one row per scoring request (Databricks AI-Gateway inference table columns)")
        .ifNotExists().create();
    this.batch = new InferenceBatch(batchRows, batchRows);
    committer = new Thread(this::commit, "mlops-serving-inference-commit");
    committer.setDaemon(true);
    committer.start();
  }

  /**
   * Adds a record to the batch gathering; false (and counted as dropped) when the batch is full or
   * the log closed. The caller's thread copies the record's values (its bodies' bytes, ids, scored
   * columns) into the batch; the record is not kept.
   */
  public boolean offer(InferenceRecord r) {
    lock.lock();
    try {
      int size = batch.size();
      if (!closed && size < limit) {
        try {
          batch.add(r);
        } catch (RuntimeException e) { // a record the batch cannot take: counted, the rest still logged
          failed.incrementAndGet();
          if (!warnedUntakable) {
            warnedUntakable = true; // once: the same fault would repeat for every request
            LOG.warn("Could not log a request to {} (further such requests are counted in failed()): {}", payloadTable,
                e.toString());
          }
          accepted.incrementAndGet();
          return true;
        }
        accepted.incrementAndGet();
        size++;
        if (size == 1) {
          first = System.nanoTime();
        }
        if (size == 1 || size == batchRows || size == maxBatch) {
          due.signal(); // the committer works out the batch's due time again
        }
        return true;
      }
    } finally {
      lock.unlock();
    }
    if (dropped.incrementAndGet() == 1) {
      LOG.warn("Inference log batch for {} is full (or the log closed): records are being dropped and counted",
          payloadTable);
    }
    return false;
  }

  /** Waits until every record accepted before this call is committed (or failed). */
  public void flush() {
    CountDownLatch done = new CountDownLatch(1);
    lock.lock();
    try {
      if (closed) {
        return;
      }
      flushes.add(done);
      due.signal();
    } finally {
      lock.unlock();
    }
    await(done);
  }

  /** Writes everything accepted, then stops. */
  @Override
  public void close() {
    CountDownLatch done;
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      closing = new CountDownLatch(1);
      done = closing;
      due.signal();
    } finally {
      lock.unlock();
    }
    await(done);
  }

  private static void await(CountDownLatch l) {
    try {
      l.await();
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

  /**
   * The committer: waits until the batch gathering is due, takes it (the next records go into the
   * spare), writes it, then releases the flushes and the close waiting for it. A batch is due at
   * {@code batchRows} records or the flush interval since its first record, whichever comes first; at a
   * high rate not before the flush interval since the last commit started (up to {@code maxBatch}
   * records), so that a busy server pays for about one commit per table per flush interval, not one per
   * {@code batchRows} records (a commit costs ~20 ms of CPU per table however small: Kernel's snapshot
   * and commit, a data file, a checksum); and at once on a flush or close.
   */
  private void commit() {
    for (;;) {
      InferenceBatch b;
      List<CountDownLatch> released = new ArrayList<>();
      CountDownLatch last = null;
      lock.lock();
      try {
        for (;;) {
          if (closing != null || !flushes.isEmpty()) {
            break;
          }
          int size = batch.size();
          long wait;
          if (size == 0) {
            wait = Long.MAX_VALUE;
          } else {
            long now = System.nanoTime();
            long byAge = first + flushNanos - now;
            wait = size >= maxBatch ? 0 : size >= batchRows ? Math.min(byAge, lastCommit + flushNanos - now) : byAge;
          }
          if (wait <= 0) {
            break;
          }
          try {
            if (wait == Long.MAX_VALUE) {
              due.await();
            } else {
              due.awaitNanos(wait);
            }
          } catch (InterruptedException e) {
            // nobody should interrupt this thread; a batch must not be lost
          }
        }
        b = batch;
        released.addAll(flushes);
        flushes.clear();
        last = closing;
        InferenceBatch next = spare;
        spare = null;
        batch = next != null ? next : new InferenceBatch(Math.max(batchRows, b.size()),
            Math.max(batchRows, b.predictionRows()));
      } finally {
        lock.unlock();
      }
      if (!b.isEmpty()) {
        lastCommit = System.nanoTime();
        Pacing.run(COMMIT_SHARE, () -> {
          write(b);
          return null;
        });
      }
      released.forEach(CountDownLatch::countDown);
      if (last != null) {
        last.countDown();
        return;
      }
      b.clear();
      lock.lock();
      try {
        spare = b;
      } finally {
        lock.unlock();
      }
    }
  }

  private void write(InferenceBatch batch) {
    try {
      Frame payload = batch.payload();
      Pacing.point();
      payloadHandle().append(payload);
      written.addAndGet(batch.size());
    } catch (RuntimeException e) {
      payloadHandle = null; // looked up again for the next batch
      failed.addAndGet(batch.size());
      LOG.warn("Could not append {} records to inference table {}: {}", batch.size(), payloadTable, e.getMessage());
    }
    Pacing.point();
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
