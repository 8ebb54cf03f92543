package dev.mlops.serving.internal;

import dev.mlops.core.Column;
import dev.mlops.core.ColumnType;
import dev.mlops.core.DataType;
import dev.mlops.core.DeltaTable;
import dev.mlops.core.Field;
import dev.mlops.core.Frame;
import dev.mlops.core.Schema;
import dev.mlops.core.SchemaMismatchException;
import dev.mlops.core.Workspace;
import dev.mlops.core.internal.ColumnAccess;
import dev.mlops.core.internal.Values;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends inference records to the payload and predictions tables from one background thread, in
 * batches of {@code batchRows} records or {@code flushMillis} of age (one Delta commit per table per
 * batch; when more records are already waiting, the batch takes them too, up to the queue's
 * capacity), from a bounded queue. A full queue drops the record and counts it (serving never waits
 * on logging).
 */
public final class InferenceWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger("dev.mlops.serving.InferenceLog");
  private static final ColumnAccess.Access COLUMNS = ColumnAccess.obtain();

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
  private volatile boolean closed;

  private static final class Marker {
    final CountDownLatch done = new CountDownLatch(1);
    final boolean last;

    Marker(boolean last) {
      this.last = last;
    }
  }

  /** Creates the payload table when absent and starts the writer thread. */
  public InferenceWriter(Workspace ws, String payloadTable, String predictionsTable, int batchRows, long flushMillis,
      int capacity) {
    this.ws = ws;
    this.payloadTable = payloadTable;
    this.predictionsTable = predictionsTable;
    this.batchRows = batchRows;
    this.flushNanos = TimeUnit.MILLISECONDS.toNanos(flushMillis);
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.maxBatch = Math.max(batchRows, capacity);
    this.wakeEvery = Math.max(1, Math.min(batchRows, capacity / 2));
    ws.tables().create(payloadTable).schema(PAYLOAD).property("delta.appendOnly", "true")
        .property("delta.checkpointInterval", CHECKPOINT_INTERVAL)
        .description("Inference log: one row per scoring request (Databricks AI-Gateway inference table columns)")
        .ifNotExists().create();
    thread = new Thread(this::loop, "mlops-serving-inference-log");
    thread.setDaemon(true);
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

  /**
   * Shortest time between the starts of two batches' commits while the queue is less than half full
   * and no flush or close waits (the flush interval when shorter): at 11,000 records/s and 1,000 per
   * batch, per-commit costs (Kernel's snapshot and commit, a checkpoint every tenth commit, a Parquet
   * file per table) were most of the writer's CPU.
   */
  private static final long COMMIT_GAP_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
  /** When the last batch's commit started (writer thread only). */
  private long lastCommit = System.nanoTime() - COMMIT_GAP_NANOS;

  /** Longest sleep of the writer while a batch gathers (it also wakes for a full batch, a flush, a close). */
  private static final long GATHER_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  /**
   * Gathers a batch, sleeping until it is full or due instead of waking for every record: waking the
   * writer per record cost each request a thread wake-up (a futex call and a context switch on the
   * server's cores) and the writer a pass per record. A record's arrival wakes an idle writer only when
   * the queue was empty; a full batch ({@link #offer}), a flush and a close wake it early.
   */
  private void loop() {
    List<Object> got = new ArrayList<>();
    List<InferenceRecord> batch = new ArrayList<>();
    for (;;) {
      try {
        got.add(queue.take());
      } catch (InterruptedException e) {
        continue;
      }
      long first = System.nanoTime();
      int scanned = 0;
      while (!hasMarker(got, scanned) && got.size() < batchRows) {
        scanned = got.size();
        long left = flushNanos - (System.nanoTime() - first);
        if (left <= 0) {
          break;
        }
        LockSupport.parkNanos(this, Math.min(left, GATHER_NANOS));
        Thread.interrupted(); // nobody should interrupt this thread; if one does, it must not spin
        queue.drainTo(got, maxBatch - got.size());
      }
      // At a high rate, commits at most every COMMIT_GAP (500 ms): records arriving meanwhile join the batch
      // (drained from the queue, so it does not fill), and what a busy server pays for is a few commits
      // a second (each a snapshot, a commit file, a checkpoint every tenth, a data file per table), not
      // one per batchRows records.
      long gap = Math.min(flushNanos, COMMIT_GAP_NANOS);
      while (!hasMarker(got, scanned) && got.size() < maxBatch / 2) {
        scanned = got.size();
        long now = System.nanoTime();
        long left = Math.min(lastCommit + gap - now, flushNanos - (now - first));
        if (left <= 0) {
          break;
        }
        LockSupport.parkNanos(this, left);
        Thread.interrupted();
        queue.drainTo(got, maxBatch - got.size());
      }
      // Behind (records waiting beyond this batch): take them into the same commit, so the rate of
      // commits, not of records, is what a busy server pays for.
      queue.drainTo(got, Math.max(0, maxBatch - got.size()));
      for (Object o : got) {
        if (o instanceof Marker m) { // everything accepted before the marker is in batch: commit, then release
          write(batch);
          m.done.countDown();
          if (m.last) {
            return;
          }
        } else {
          batch.add((InferenceRecord) o);
        }
      }
      got.clear();
      write(batch);
    }
  }

  private static boolean hasMarker(List<Object> got, int from) {
    for (int i = from; i < got.size(); i++) {
      if (got.get(i) instanceof Marker) {
        return true;
      }
    }
    return false;
  }

  private void write(List<InferenceRecord> batch) {
    if (batch.isEmpty()) {
      return;
    }
    lastCommit = System.nanoTime();
    try {
      payloadHandle().append(payload(batch));
      written.addAndGet(batch.size());
    } catch (RuntimeException e) {
      payloadHandle = null; // looked up again for the next batch
      failed.addAndGet(batch.size());
      LOG.warn("Could not append {} records to inference table {}: {}", batch.size(), payloadTable, e.getMessage());
    }
    try {
      Frame p = predictions(batch);
      if (p != null) {
        appendEvolving(predictionsTable, p);
      }
    } catch (RuntimeException e) {
      predictionsHandle = null; // read again for the next batch
      LOG.warn("Could not append predictions of {} requests to {}: {}", batch.size(), predictionsTable, e.getMessage());
    }
    batch.clear();
  }

  static Frame payload(List<InferenceRecord> batch) {
    int n = batch.size();
    int[] date = new int[n];
    String[] id = new String[n];
    String[] client = new String[n];
    long[] time = new long[n];
    int[] status = new int[n];
    double[] fraction = new double[n];
    long[] ms = new long[n];
    String[] req = new String[n];
    String[] resp = new String[n];
    String[] served = new String[n];
    List<Object> codes = new ArrayList<>(n);
    String[] requester = new String[n];
    String[] model = new String[n];
    String[] version = new String[n];
    for (int i = 0; i < n; i++) {
      InferenceRecord r = batch.get(i);
      date[i] = (int) Math.floorDiv(r.requestTime().getEpochSecond(), 86_400L); // the UTC day
      id[i] = r.requestId();
      client[i] = r.clientRequestId();
      time[i] = Values.instantToMicros(r.requestTime());
      status[i] = r.statusCode();
      fraction[i] = 1.0;
      ms[i] = r.executionMillis();
      req[i] = r.request();
      resp[i] = r.response();
      served[i] = r.servedEntityId();
      codes.add(r.errorCodes().isEmpty() ? null : r.errorCodes());
      requester[i] = r.requester();
      model[i] = r.modelName();
      version[i] = r.modelVersion();
    }
    // primitive and string arrays wrapped as they are (no boxing, no per-value type check); PAYLOAD's order
    return Frame.of(Column.ofDates("request_date", date), strings("databricks_request_id", id),
        strings("client_request_id", client), Column.ofTimestamps("request_time", time),
        Column.ofInts("status_code", status), Column.ofDoubles("sampling_fraction", fraction),
        Column.ofLongs("execution_duration_ms", ms), strings("request", req), strings("response", resp),
        strings("served_entity_id", served),
        Column.of("logging_error_codes", PAYLOAD.get(10).columnType(), codes), strings("requester", requester),
        strings("model_name", model), strings("model_version", version));
  }

  /** A STRING column over the array (a null element is a null), without copying or checking each value. */
  private static Column strings(String name, String[] values) {
    return COLUMNS.wrap(name, DataType.STRING, values, nullMask(values), values.length);
  }

  private static boolean[] nullMask(Object[] values) {
    boolean[] nulls = null;
    for (int i = 0; i < values.length; i++) {
      if (values[i] == null) {
        if (nulls == null) {
          nulls = new boolean[values.length];
        }
        nulls[i] = true;
      }
    }
    return nulls;
  }

  /**
   * One row per prediction: keys, the input features, the prediction, probabilities, an empty label.
   * Records whose scored rows share a schema (the usual case: one served version) become one frame
   * built column by column, not one small frame per request (which cost most of the writer's CPU).
   */
  static Frame predictions(List<InferenceRecord> batch) {
    Map<List<Object>, List<InferenceRecord>> groups = new LinkedHashMap<>();
    Schema lastSchema = null;
    List<Field> lastOutputs = null;
    List<InferenceRecord> last = null;
    for (InferenceRecord r : batch) {
      if (r.scored() != null && r.scored().hasColumn("prediction")) {
        Schema sc = r.scored().schema();
        // consecutive records of one shape (the usual case) skip hashing the schema: 13% of the writer's CPU
        if (last != null && sameFields(sc.fields(), lastSchema.fields()) && sameFields(r.outputs(), lastOutputs)) {
          last.add(r);
          continue;
        }
        last = groups.computeIfAbsent(List.of(sc, r.outputs()), k -> new ArrayList<>());
        last.add(r);
        lastSchema = sc;
        lastOutputs = r.outputs();
      }
    }
    if (groups.isEmpty()) {
      return null;
    }
    List<Frame> frames = new ArrayList<>(groups.size());
    for (List<InferenceRecord> g : groups.values()) {
      frames.add(predictionRows(g));
    }
    if (frames.size() == 1) {
      return frames.get(0);
    }
    Map<String, ColumnType> union = new LinkedHashMap<>();
    for (Frame f : frames) {
      for (Field fl : f.schema().fields()) {
        union.putIfAbsent(fl.name(), fl.columnType());
      }
    }
    List<Frame> aligned = new ArrayList<>();
    for (Frame f : frames) {
      aligned.add(align(f, union));
    }
    return Frame.concat(aligned);
  }

  /**
   * Field lists equal as {@code List.equals} would find them, cheaper: every request's scored frame
   * has its own fields (names parsed from its body), and the record equality of each field was 9% of
   * the writer's CPU at batches of thousands.
   */
  private static boolean sameFields(List<Field> a, List<Field> b) {
    if (a == b) {
      return true;
    }
    int n = a.size();
    if (n != b.size()) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      Field x = a.get(i);
      Field y = b.get(i);
      if (x != y && (x.nullable() != y.nullable() || !x.name().equals(y.name())
          || (x.columnType() != y.columnType() && !x.columnType().equals(y.columnType()))
          || !java.util.Objects.equals(x.comment(), y.comment()))) {
        return false;
      }
    }
    return true;
  }

  /**
   * The prediction rows of records whose scored frames have one schema (and the same outputs): each
   * column's values copied from the requests' arrays into one array per column (concatenating the
   * per-request frames, a frame per request, was a third of the writer's CPU).
   */
  private static Frame predictionRows(List<InferenceRecord> group) {
    InferenceRecord head = group.get(0);
    Schema schema = head.scored().schema();
    int n = 0;
    for (InferenceRecord r : group) {
      n += r.scored().rowCount();
    }
    String[] requestIds = new String[n];
    String[] clientIds = new String[n];
    long[] times = new long[n];
    String[] models = new String[n];
    String[] versions = new String[n];
    int[] idx = new int[n];
    int at = 0;
    for (InferenceRecord r : group) {
      int rows = r.scored().rowCount();
      long micros = Values.instantToMicros(r.requestTime());
      for (int i = 0; i < rows; i++) {
        requestIds[at] = r.requestId();
        clientIds[at] = r.clientRequestId();
        times[at] = micros;
        models[at] = r.modelName();
        versions[at] = r.modelVersion();
        idx[at++] = i;
      }
    }
    Set<String> outs = new HashSet<>();
    for (Field f : head.outputs()) {
      outs.add(f.name());
    }
    outs.add("prediction");
    List<Column> cols = new ArrayList<>();
    cols.add(strings("request_id", requestIds));
    cols.add(strings("client_request_id", clientIds));
    cols.add(Column.ofInts("row_index", idx));
    cols.add(Column.ofTimestamps("timestamp", times));
    cols.add(strings("model_name", models));
    cols.add(strings("model_version", versions));
    Set<String> taken = new HashSet<>(PREDICTION_KEYS);
    taken.add("probabilities");
    taken.add("label");
    for (int c = 0; c < schema.size(); c++) {
      String name = schema.get(c).name();
      if (!outs.contains(name) && !taken.contains(name)) {
        cols.add(gather(group, c, n));
      }
    }
    int predAt = schema.indexOf("prediction");
    Column pred = gather(group, predAt, n);
    cols.add(pred);
    List<Integer> probAt = new ArrayList<>();
    List<String> classes = new ArrayList<>();
    for (Field f : head.outputs()) {
      int k = schema.indexOf(f.name());
      if (f.name().startsWith("probability_") && k >= 0) {
        probAt.add(k);
        classes.add(f.name().substring("probability_".length()));
      }
    }
    if (probAt.isEmpty()) {
      cols.add(Column.nulls("probabilities", PROBABILITIES, n));
    } else {
      // built as the column holds them (unmodifiable maps of String to Double): Column.of would check and
      // copy every map again, naming each value's place in a string it builds per value
      Object[] pm = new Object[n];
      int row = 0;
      int k = classes.size();
      for (InferenceRecord r : group) {
        Frame s = r.scored();
        int rows = s.rowCount();
        Column[] pc = new Column[k];
        for (int j = 0; j < k; j++) {
          pc[j] = s.column(probAt.get(j));
        }
        for (int i = 0; i < rows; i++) {
          Map<Object, Object> m = new LinkedHashMap<>(k * 2);
          for (int j = 0; j < k; j++) {
            m.put(classes.get(j), pc[j].isNull(i) ? null : pc[j].getDouble(i));
          }
          pm[row++] = Collections.unmodifiableMap(m);
        }
      }
      cols.add(COLUMNS.wrap("probabilities", PROBABILITIES, pm, null, n));
    }
    cols.add(Column.nulls("label", pred.columnType(), n));
    return Frame.of(cols);
  }

  /** Column {@code c} of every record's scored rows (one schema), copied into one array. */
  private static Column gather(List<InferenceRecord> group, int c, int n) {
    Field f = group.get(0).scored().schema().get(c);
    Object out = Values.newArray(f.columnType(), n);
    boolean[] nulls = null;
    int at = 0;
    for (InferenceRecord r : group) {
      Column col = r.scored().column(c);
      int rows = col.size();
      System.arraycopy(COLUMNS.values(col), 0, out, at, rows);
      boolean[] cn = COLUMNS.nulls(col);
      if (cn != null) {
        if (nulls == null) {
          nulls = new boolean[n];
        }
        System.arraycopy(cn, 0, nulls, at, rows);
      }
      at += rows;
    }
    return COLUMNS.wrap(f.name(), f.columnType(), out, nulls, n);
  }

  /** The frame with exactly the given columns: missing ones null, mistyped ones null (logged). */
  private static Frame align(Frame f, Map<String, ColumnType> columns) {
    List<Column> out = new ArrayList<>();
    for (Map.Entry<String, ColumnType> e : columns.entrySet()) {
      if (f.hasColumn(e.getKey()) && f.column(e.getKey()).columnType().equals(e.getValue())) {
        out.add(f.column(e.getKey()));
      } else {
        if (f.hasColumn(e.getKey())) {
          LOG.warn("Predictions column '{}' is {} in this request but {} in the table; logged as null", e.getKey(),
              f.column(e.getKey()).columnType(), e.getValue());
        }
        out.add(Column.nulls(e.getKey(), e.getValue(), f.rowCount()));
      }
    }
    return Frame.of(out);
  }

  /** The predictions table's handle and columns as this writer last read them (writer thread only). */
  private DeltaTable predictionsHandle;
  private Map<String, ColumnType> predictionColumns;
  /** The payload table's handle (writer thread only). */
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
      predictionsHandle.append(align(rows, predictionColumns));
    } catch (SchemaMismatchException e) { // the table changed under this writer: nothing was written; re-read once
      refreshPredictions(table, rows);
      predictionsHandle.append(align(rows, predictionColumns));
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
