package dev.mlops.serving;

import dev.mlops.core.TableName;
import dev.mlops.core.Workspace;
import dev.mlops.serving.internal.Errors;
import dev.mlops.serving.internal.InferenceRecord;
import dev.mlops.serving.internal.InferenceWriter;
import dev.mlops.serving.internal.RateLimiter;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Inference tables: every request a {@link ScoringServer} answers is appended to a Delta table in the
 * workspace, and every scored row to a flattened predictions table that an inference-log monitor reads
 * directly.
 *
 * <pre>{@code
 * try (InferenceLog log = InferenceLog.builder(ws, "main.serving.churn").build()) {
 *   ... ScoringServer.builder(endpoint).inferenceLog(log).start() ...
 *   log.flush();
 *   ws.tables().get(log.payloadTable()).read().load();       // main.serving.churn_payload
 *   ws.tables().get(log.predictionsTable()).read().load();   // main.serving.churn_predictions
 * }
 * }</pre>
 *
 * <p><b>Payload table</b> ({@code <prefix>_payload}, append-only): the Databricks AI-Gateway inference
 * table columns {@code request_date, databricks_request_id, client_request_id, request_time,
 * status_code, sampling_fraction, execution_duration_ms, request, response, served_entity_id,
 * logging_error_codes, requester} plus {@code model_name, model_version}. A request or response body
 * over {@link Builder#maxPayloadBytes} (default 1 MiB) is logged as NULL with
 * {@code MAX_REQUEST_SIZE_EXCEEDED} / {@code MAX_RESPONSE_SIZE_EXCEEDED} in {@code logging_error_codes}.
 * That column is {@code array<string>} as in Databricks (NULL when there is no error). {@code requester} is the client's IP
 * address; {@code sampling_fraction} is 1.0 (every logged row stands for one request).
 *
 * <p><b>Refused requests.</b> Every {@code /invocations} request is logged, also those refused before
 * their body was read or scored: 401 (missing or wrong bearer token), 405 (not a POST), 413 (body over
 * the server's cap, announced or counted while reading), 415 (wrong content type or charset), 400 for
 * conflicting framing headers or a bad {@code Content-Length}, and 503 (at the concurrency cap or
 * shutting down). Their {@code request} is NULL with {@code logging_error_codes} =
 * {@code [MAX_REQUEST_SIZE_EXCEEDED]} for a 413 and {@code [REQUEST_NOT_READ]} (an SDK code) for the
 * others (the body of an unauthenticated or unreadable request is never read, nor logged);
 * {@code response} holds the JSON error; {@code client_request_id}, {@code served_entity_id},
 * {@code model_name} and {@code model_version} are NULL (no model was chosen);
 * {@code execution_duration_ms} is 0 (no inference). Such requests cost a client almost nothing, so
 * that one client cannot flood the table, at most {@link Builder#maxRefusedPerSecond} of them (default
 * 100; a token bucket with bursts of the same size) are logged per second and per log; the rest are
 * counted in {@link #refusedNotLogged()} and reported at WARN at most once a minute. Requests answered
 * after their body was read (200, 400 for a bad body, 404, 500) are always logged (within the batch's
 * capacity). {@code /ping}, {@code /health}, {@code /version} and unknown paths are not scoring requests
 * and are not logged; a connection cut off at a read deadline gets no answer and no row (see
 * {@link ScoringServer#connectionsCutOff()}).
 *
 * <p><b>Predictions table</b> ({@code <prefix>_predictions}): one row per scored row of a 200 answer:
 * {@code request_id, client_request_id, row_index, timestamp, model_name, model_version}, the input
 * and looked-up feature columns, {@code prediction}, {@code probabilities} ({@code map<string,double>}
 * class label → probability, what a monitor's {@code prediction_proba_col} takes; NULL for regressors) and an empty {@code label} column of the prediction's type, to be
 * filled later with {@code upsert(labels, "request_id", "row_index")}. Columns a new model version
 * brings are added (nullable); a column whose type changed is logged as NULL.
 *
 * <p><b>Delivery.</b> The request's thread copies its record into the batch that is gathering (the
 * bodies' UTF-8 bytes, ids and scored values go into chunks and arrays; the record is not kept), and a
 * background thread commits each due batch — one Delta commit per table — while the next one gathers.
 * A batch is due at {@link Builder#batchRows} records (default 1,000) or {@link Builder#flushInterval}
 * (default 1 s) after its first record; at a high rate it also waits until a flush interval has passed
 * since the last commit started (up to four times {@link Builder#queueCapacity}: 40,000 records by
 * default), so that a busy server pays for about one commit per table per flush interval, not one per
 * {@code batchRows} records. Commits run at most at half a CPU (they pause between Parquet pages, cut at
 * 64 KiB for them, and between the steps of a Delta commit), so that they do not take whole scheduler
 * slices from the threads that serve. Memory: two batches (one
 * gathering, one being committed), reused, so that their arrays are not copied by every young
 * collection. Both tables are created with {@code delta.checkpointInterval=100} (Delta's default is
 * 10): they only grow, and a checkpoint rewrites the table's whole file list. <b>A full batch drops the
 * record</b> and counts it ({@link #dropped()}): scoring never waits on a commit and never fails
 * because of logging; the batch fills when commits fall behind (a commit slower than the flush
 * interval, e.g. on a slow file system). {@link #close()} writes every accepted record before it
 * returns; a crash (kill -9, power loss) loses at most what was gathered and not yet committed —
 * about the last two flush intervals' records — and
 * never leaves a partial batch in a table (a Delta commit lands whole or not at all). The payload
 * and predictions commits of one batch are two commits: a crash between them leaves the payload rows
 * without their prediction rows.
 */
public final class InferenceLog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(InferenceLog.class);
  private static final long WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final InferenceWriter writer;
  private final int maxPayload;
  private final RateLimiter refusedLimit;
  private final AtomicLong refusedNotLogged = new AtomicLong();
  private final AtomicLong nextWarn = new AtomicLong(System.nanoTime());
  private final int maxRefused;

  private InferenceLog(Builder b) {
    this.maxPayload = b.maxPayload;
    this.maxRefused = b.maxRefusedPerSecond;
    this.refusedLimit = new RateLimiter(b.maxRefusedPerSecond);
    this.writer = new InferenceWriter(b.ws, b.payloadTable, b.predictionsTable, b.batchRows, b.flushInterval.toMillis(),
        b.capacity);
  }

  /**
   * A log writing to {@code <tablePrefix>_payload} and {@code <tablePrefix>_predictions}.
   *
   * @param tablePrefix a three-level name such as {@code main.serving.churn}
   */
  public static Builder builder(Workspace ws, String tablePrefix) {
    return new Builder(ws, tablePrefix);
  }

  /** Options; {@link #build()} creates the payload table if needed and starts the writer. */
  public static final class Builder {
    private final Workspace ws;
    private final String payloadTable;
    private final String predictionsTable;
    private int maxPayload = 1024 * 1024;
    private int batchRows = 1000;
    private Duration flushInterval = Duration.ofSeconds(1);
    private int capacity = 10_000;
    private int maxRefusedPerSecond = 100;

    private Builder(Workspace ws, String prefix) {
      this.ws = Objects.requireNonNull(ws, "ws");
      TableName p = TableName.parse(prefix);
      this.payloadTable = TableName.parse(p + "_payload").toString();
      this.predictionsTable = TableName.parse(p + "_predictions").toString();
    }

    /** Bodies larger than this are logged as NULL with an error code (default 1 MiB). */
    public Builder maxPayloadBytes(int bytes) {
      if (bytes < 0) {
        throw Errors.negative("maxPayloadBytes", bytes, "logs every body as NULL");
      }
      this.maxPayload = bytes;
      return this;
    }

    /**
     * Records that make a batch due (default 1,000); when more are waiting, or arrive while the writer
     * paces its commits at a high rate, they join the same commit.
     */
    public Builder batchRows(int n) {
      if (n < 1) {
        throw Errors.notPositive("batchRows", n);
      }
      this.batchRows = n;
      return this;
    }

    /** Longest time a record waits before its batch is committed (default 1 s). */
    public Builder flushInterval(Duration d) {
      Objects.requireNonNull(d, "flushInterval");
      if (d.isNegative() || d.isZero()) {
        throw Errors.notPositiveDuration("flushInterval", d);
      }
      this.flushInterval = d;
      return this;
    }

    /**
     * Bounds the records waiting for a commit: a batch is committed at four times this many at the latest
     * (and at least {@code batchRows}), and takes at most five times this many while the previous batch is
     * still being committed; beyond, records are dropped and counted (default 10,000).
     */
    public Builder queueCapacity(int n) {
      if (n < 1) {
        throw Errors.notPositive("queueCapacity", n);
      }
      this.capacity = n;
      return this;
    }

    /**
     * Refused requests (401, 405, 413, 415, framing 400, 503) logged per second at most (default 100;
     * bursts of the same size); the rest are counted in {@link InferenceLog#refusedNotLogged()}. 0 logs
     * none of them.
     */
    public Builder maxRefusedPerSecond(int n) {
      if (n < 0) {
        throw Errors.negative("maxRefusedPerSecond", n, "logs no refused request");
      }
      this.maxRefusedPerSecond = n;
      return this;
    }

    /** Creates the payload table when absent and starts the background writer. */
    public InferenceLog build() {
      return new InferenceLog(this);
    }
  }

  /** {@code <prefix>_payload}. */
  public String payloadTable() {
    return writer.payloadTable();
  }

  /** {@code <prefix>_predictions} (created with the first prediction). */
  public String predictionsTable() {
    return writer.predictionsTable();
  }

  /** Waits until every record accepted before this call is committed. */
  public void flush() {
    writer.flush();
  }

  /** Records accepted into a batch. */
  public long accepted() {
    return writer.accepted();
  }

  /** Records dropped because the batch was full or the log closed. */
  public long dropped() {
    return writer.dropped();
  }

  /**
   * Refused requests (401, 405, 413, 415, framing 400, 503) not logged because more than
   * {@link Builder#maxRefusedPerSecond} arrived in a second.
   */
  public long refusedNotLogged() {
    return refusedNotLogged.get();
  }

  /** Records committed to the payload table. */
  public long written() {
    return writer.written();
  }

  /** Records whose commit failed (logged at WARN). */
  public long failed() {
    return writer.failed();
  }

  /** Writes every accepted record, then stops the writer. */
  @Override
  public void close() {
    writer.close();
  }

  void offer(InferenceRecord r) {
    writer.offer(r);
  }

  /** Whether the refused-request rate allows logging one more; counts it as not logged otherwise. */
  boolean admitRefused() {
    if (refusedLimit.tryAcquire()) {
      return true;
    }
    long n = refusedNotLogged.incrementAndGet();
    long now = System.nanoTime();
    long next = nextWarn.get();
    if (now - next >= 0 && nextWarn.compareAndSet(next, now + WARN_EVERY_NANOS)) {
      LOG.warn("More than {} refused requests a second for {}: {} refused requests not logged so far "
          + "(InferenceLog.refusedNotLogged())", maxRefused, writer.payloadTable(), n);
    }
    return false;
  }

  int maxPayloadBytes() {
    return maxPayload;
  }
}
