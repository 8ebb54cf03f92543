package dev.mlops.serving.internal;

import dev.mlops.core.Column;
import dev.mlops.core.ColumnType;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Frame;
import dev.mlops.core.Schema;
import dev.mlops.core.internal.ColumnAccess;
import dev.mlops.core.internal.ColumnMaps;
import dev.mlops.core.internal.Utf8Values;
import dev.mlops.core.internal.Values;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The records of one inference-log commit, kept as columns from the moment a request adds its record
 * ({@link InferenceWriter#offer}): the payload table's columns, and the predictions table's columns per
 * shape of scored rows (one shape per served version, as a rule). A record — its scored frame with columns, schema and
 * fields, ~40 objects — then dies young instead of living until its batch is committed: batches of
 * 10,000+ records held as records made every young collection copy them (G1 pauses of 60-120 ms in
 * the serving benchmark at 26,000 requests/s).
 *
 * <p>A batch holds no object per record either: ids and bodies go into chunks of UTF-8 bytes
 * ({@link Utf8Values}), which the Parquet writer writes as they are; names, versions and addresses
 * likewise, their bytes once per run of equal values; the rest into primitive arrays. There is no array
 * of references: each row's store of a reference into a batch's (old) array dirtied a card, and each
 * young collection scanned the cards (~800 a collection, 0.3-0.7 ms). The writer alternates two batches
 * and {@link #clear() clears} each for reuse once committed, so that after the first few batches every
 * array is an old object: a young collection no longer copies the batch that is gathering (it copied
 * ~17 MB at each collection, 15-20 ms pauses, at 52,000 1-row requests a second).
 */
final class InferenceBatch {
  private static final Logger LOG = LoggerFactory.getLogger("dev.mlops.serving.InferenceLog");
  private static final ColumnAccess.Access COLUMNS = ColumnAccess.obtain();

  private int n;
  private int[] date;
  private final Utf8Values.Builder id;
  private final Utf8Values.Builder client;
  private long[] time;
  private int[] status;
  private long[] ms;
  private final Utf8Values.Builder req;
  private final Utf8Values.Builder resp;
  private double[] fraction = new double[0];
  private final Repeated served = new Repeated();
  private Object[] codes;
  private final Repeated requester = new Repeated();
  private final Repeated model = new Repeated();
  private final Repeated version = new Repeated();
  private final Map<List<Object>, Group> groups = new LinkedHashMap<>();
  /** A group with no rows in this many batches in a row is dropped at {@link #clear()}. */
  static final int IDLE_BATCHES = 8;
  private Group lastGroup;

  /** Rows a new group's arrays start with (the previous batch's prediction rows: no growing, no copies). */
  private final int rowsHint;

  /**
   * @param capacity records the payload arrays start with
   * @param rowsHint prediction rows a group's arrays start with
   */
  InferenceBatch(int capacity, int rowsHint) {
    int cap = Math.max(16, capacity);
    id = new Utf8Values.Builder(cap);
    client = new Utf8Values.Builder(cap);
    req = new Utf8Values.Builder(cap);
    resp = new Utf8Values.Builder(cap);
    allocate(cap);
    this.rowsHint = Math.max(16, Math.min(1 << 18, rowsHint)); // at most ~25 MB of arrays before any row
  }

  /**
   * Forgets the records (after their commit), keeping the arrays and chunks for the next batch. The
   * frames of {@link #payload()} and {@link #predictions()} must no longer be in use.
   */
  void clear() {
    boolean wasEmpty = n == 0;
    Arrays.fill(codes, 0, n, null); // no error-code lists kept alive
    n = 0;
    id.clear();
    client.clear();
    req.clear();
    resp.clear();
    served.clear();
    requester.clear();
    model.clear();
    version.clear();
    if (wasEmpty) {
      return; // nothing gathered (a flush of an empty batch): every group is kept as it is
    }
    // the shapes of versions no longer served go, after IDLE_BATCHES batches without a row: a group
    // dropped and made again starts small and grows its arrays by copies, which young collections then
    // copy too (11-18 ms pauses in the serving benchmark, after each flush of an empty batch)
    groups.values().removeIf(g -> g.rows == 0 && ++g.idle >= IDLE_BATCHES);
    for (Group g : groups.values()) {
      if (g.rows > 0) {
        g.idle = 0;
      }
      g.clear();
    }
    lastGroup = null;
  }

  private void allocate(int cap) {
    date = new int[cap];
    time = new long[cap];
    status = new int[cap];
    ms = new long[cap];
    codes = new Object[cap];
  }

  int size() {
    return n;
  }

  /** Prediction rows gathered, over every group. */
  int predictionRows() {
    int rows = 0;
    for (Group g : groups.values()) {
      rows += g.rows;
    }
    return rows;
  }

  /** Prediction rows each group has room for without growing, in group order (tests). */
  List<Integer> groupCapacities() {
    List<Integer> caps = new ArrayList<>();
    for (Group g : groups.values()) {
      caps.add(g.idx.length);
    }
    return caps;
  }

  boolean isEmpty() {
    return n == 0;
  }

  /** Takes a record's values; the record is not kept. */
  void add(InferenceRecord r) {
    if (n == date.length) {
      grow(n * 2);
    }
    String mdl = r.modelName();
    String ver = r.modelVersion();
    long micros = Values.instantToMicros(r.requestTime());
    Group g = r.scored() == null ? null : group(r);
    if (g != null) {
      g.add(r, mdl, ver, micros); // first: a failure here leaves the payload columns as they were
    }
    date[n] = (int) Math.floorDiv(r.requestTime().getEpochSecond(), 86_400L); // the UTC day
    id.add(r.requestId());
    client.add(r.clientRequestId());
    time[n] = micros;
    status[n] = r.statusCode();
    ms[n] = r.executionMillis();
    req.addUtf8(r.request());
    resp.addUtf8(r.response());
    served.add(r.servedEntityId());
    codes[n] = r.errorCodes().isEmpty() ? null : r.errorCodes();
    requester.add(r.requester());
    model.add(mdl);
    version.add(ver);
    n++;
  }

  /**
   * A STRING column of few distinct values (names, versions, client addresses), as UTF-8: a row equal to
   * the one before indexes its bytes again ({@link Utf8Values.Builder#repeatLast}).
   */
  private static final class Repeated {
    private final Utf8Values.Builder values = new Utf8Values.Builder(16);
    private String last;

    void add(String v) {
      if (values.size() > 0 && (v == last || (v != null && v.equals(last)))) {
        values.repeatLast();
      } else {
        values.add(v);
        last = v;
      }
    }

    Column column(String name) {
      return utf8(name, values);
    }

    void clear() {
      values.clear();
      last = null;
    }
  }

  private void grow(int cap) {
    date = Arrays.copyOf(date, cap);
    time = Arrays.copyOf(time, cap);
    status = Arrays.copyOf(status, cap);
    ms = Arrays.copyOf(ms, cap);
    codes = Arrays.copyOf(codes, cap);
  }

  /** The payload table's rows (PAYLOAD's columns and order), over this batch's arrays. */
  Frame payload() {
    if (fraction.length < n) {
      fraction = new double[date.length];
      Arrays.fill(fraction, 1.0);
    }
    return Frame.of(COLUMNS.wrap("request_date", DataType.DATE, date, null, n), utf8("databricks_request_id", id),
        utf8("client_request_id", client), COLUMNS.wrap("request_time", DataType.TIMESTAMP, time, null, n),
        COLUMNS.wrap("status_code", DataType.INT, status, null, n),
        COLUMNS.wrap("sampling_fraction", DataType.DOUBLE, fraction, null, n),
        COLUMNS.wrap("execution_duration_ms", DataType.LONG, ms, null, n), utf8("request", req),
        utf8("response", resp), served.column("served_entity_id"),
        COLUMNS.wrap("logging_error_codes", InferenceWriter.PAYLOAD.get(10).columnType(), codes, nullMask(codes, n), n),
        requester.column("requester"), model.column("model_name"), version.column("model_version"));
  }

  /** One row per prediction, or null when no record of this batch scored rows. */
  Frame predictions() {
    List<Frame> frames = new ArrayList<>(groups.size());
    for (Group g : groups.values()) {
      if (g.rows > 0) { // a cleared batch keeps the groups of the last batch, some of them empty now
        frames.add(g.frame());
      }
    }
    if (frames.isEmpty()) {
      return null;
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

  /** The frame with exactly the given columns: missing ones null, mistyped ones null (logged). */
  static Frame align(Frame f, Map<String, ColumnType> columns) {
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

  /** A STRING column over the builder's UTF-8 values, not copied (valid until the builder is cleared). */
  private static Column utf8(String name, Utf8Values.Builder values) {
    return COLUMNS.wrapUtf8(name, values.values(), values.nulls(), values.size());
  }

  private static boolean[] nullMask(Object[] values, int size) {
    boolean[] nulls = null;
    for (int i = 0; i < size; i++) {
      if (values[i] == null) {
        if (nulls == null) {
          nulls = new boolean[size];
        }
        nulls[i] = true;
      }
    }
    return nulls;
  }

  /**
   * The group of the record's shape, or null when its rows have no prediction: consecutive records of
   * one shape (the usual case) skip hashing it and looking for the prediction column again.
   */
  private Group group(InferenceRecord r) {
    Schema sc = r.scored().schema();
    if (lastGroup != null && sameFields(sc.fields(), lastGroup.schema.fields())
        && sameFields(r.outputs(), lastGroup.outputs)) {
      return lastGroup;
    }
    if (!sc.contains("prediction")) {
      return null;
    }
    lastGroup = groups.computeIfAbsent(List.of(sc, r.outputs()), k -> new Group(sc, r.outputs(), groups.isEmpty() ? rowsHint : 16));
    return lastGroup;
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
    int size = a.size();
    if (size != b.size()) {
      return false;
    }
    for (int i = 0; i < size; i++) {
      Field x = a.get(i);
      Field y = b.get(i);
      if (x != y && (x.nullable() != y.nullable() || !x.name().equals(y.name())
          || (x.columnType() != y.columnType() && !x.columnType().equals(y.columnType()))
          || !Objects.equals(x.comment(), y.comment()))) {
        return false;
      }
    }
    return true;
  }

  /** The scored rows of records of one shape: every scored column gathered into one growing array. */
  private static final class Group {
    /** Batches in a row this group had no rows in. */
    int idle;
    final Schema schema;
    final List<Field> outputs;
    final Object[] values;
    final boolean[][] nulls;
    int rows;
    final Utf8Values.Builder requestIds;
    final Utf8Values.Builder clientIds;
    final Repeated models = new Repeated();
    final Repeated versions = new Repeated();
    long[] times;
    int[] idx;

    Group(Schema schema, List<Field> outputs, int capacity) {
      requestIds = new Utf8Values.Builder(capacity);
      clientIds = new Utf8Values.Builder(capacity);
      times = new long[capacity];
      idx = new int[capacity];
      this.schema = schema;
      this.outputs = List.copyOf(outputs);
      this.values = new Object[schema.size()];
      this.nulls = new boolean[schema.size()][];
      for (int c = 0; c < values.length; c++) {
        values[c] = Values.newArray(schema.get(c).columnType(), capacity);
      }
    }

    void add(InferenceRecord r, String model, String version, long micros) {
      Frame s = r.scored();
      int k = s.rowCount();
      if (rows + k > idx.length) {
        int cap = Math.max(rows + k, idx.length * 2);
        times = Arrays.copyOf(times, cap);
        idx = Arrays.copyOf(idx, cap);
        for (int c = 0; c < values.length; c++) {
          values[c] = Values.grow(values[c], cap);
          if (nulls[c] != null) {
            nulls[c] = Arrays.copyOf(nulls[c], cap);
          }
        }
      }
      for (int c = 0; c < values.length; c++) {
        Column col = s.column(c);
        System.arraycopy(COLUMNS.values(col), 0, values[c], rows, k);
        boolean[] cn = COLUMNS.nulls(col);
        if (cn != null) {
          if (nulls[c] == null) {
            nulls[c] = new boolean[idx.length];
          }
          System.arraycopy(cn, 0, nulls[c], rows, k);
        } // else: a mask's places from rows on were never written (false)
      }
      for (int i = 0; i < k; i++) {
        if (i == 0) {
          requestIds.add(r.requestId());
          clientIds.add(r.clientRequestId());
        } else { // the record's other rows: the same ids, indexed again rather than encoded again
          requestIds.repeatLast();
          clientIds.repeatLast();
        }
        models.add(model);
        versions.add(version);
        times[rows + i] = micros;
        idx[rows + i] = i;
      }
      rows += k;
    }

    /** Keys, the input features, the prediction, probabilities, an empty label. */
    Frame frame() {
      Set<String> outs = new HashSet<>();
      for (Field f : outputs) {
        outs.add(f.name());
      }
      outs.add("prediction");
      List<Column> cols = new ArrayList<>();
      cols.add(utf8("request_id", requestIds));
      cols.add(utf8("client_request_id", clientIds));
      cols.add(COLUMNS.wrap("row_index", DataType.INT, idx, null, rows));
      cols.add(COLUMNS.wrap("timestamp", DataType.TIMESTAMP, times, null, rows));
      cols.add(models.column("model_name"));
      cols.add(versions.column("model_version"));
      Set<String> taken = new HashSet<>(InferenceWriter.PREDICTION_KEYS);
      taken.add("probabilities");
      taken.add("label");
      for (int c = 0; c < schema.size(); c++) {
        String name = schema.get(c).name();
        if (!outs.contains(name) && !taken.contains(name)) {
          cols.add(column(c));
        }
      }
      Column pred = column(schema.indexOf("prediction"));
      cols.add(pred);
      List<Integer> probAt = new ArrayList<>();
      List<String> classes = new ArrayList<>();
      for (Field f : outputs) {
        int k = schema.indexOf(f.name());
        if (f.name().startsWith("probability_") && k >= 0) {
          probAt.add(k);
          classes.add(f.name().substring("probability_".length()));
        }
      }
      if (probAt.isEmpty()) {
        cols.add(nullColumn("probabilities", InferenceWriter.PROBABILITIES));
      } else {
        cols.add(COLUMNS.wrap("probabilities", InferenceWriter.PROBABILITIES, views(probAt, classes), null, rows));
      }
      cols.add(nullColumn("label", pred.columnType()));
      return Frame.of(cols);
    }

    /** Forgets the rows, keeping the arrays. */
    void clear() {
      for (boolean[] m : nulls) {
        if (m != null) {
          Arrays.fill(m, 0, rows, false); // a mask's places past the rows are false, as add() expects
        }
      }
      rows = 0;
      requestIds.clear();
      clientIds.clear();
      models.clear();
      versions.clear();
    }

    private Column column(int c) {
      Field f = schema.get(c);
      return COLUMNS.wrap(f.name(), f.columnType(), values[c], nulls[c], rows);
    }

    /** Arrays of nulls (values, all-true mask) as long as the group's, by column name, for every batch. */
    private final java.util.Map<String, Object[]> empty = new java.util.HashMap<>();

    /** A column of nulls of this batch's rows, over arrays the group keeps (not new ones per commit). */
    private Column nullColumn(String name, ColumnType type) {
      Object[] a = empty.get(name);
      if (a == null || ((boolean[]) a[1]).length < rows) {
        boolean[] mask = new boolean[idx.length];
        Arrays.fill(mask, true);
        a = new Object[] {Values.newArray(type, idx.length), mask};
        empty.put(name, a);
      }
      return COLUMNS.wrap(name, type, a[0], (boolean[]) a[1], rows);
    }

    /** The probabilities' row views and the arrays they read: values, then null mask, per class. */
    private Object[] views;
    private Object[] viewed;

    /**
     * One small read-only view per row over the probability columns, not a map of boxed doubles (see
     * ColumnMaps; the Parquet writer writes them from the columns). The views read the group's arrays
     * whole, so they are kept from batch to batch while the arrays are the same (they grow by copies,
     * and a null mask comes with the first null): a commit then makes no 40,000 new views for the young
     * collections that fall inside it to copy.
     */
    private Object[] views(List<Integer> probAt, List<String> classes) {
      Object[] now = new Object[2 * probAt.size()];
      for (int j = 0; j < probAt.size(); j++) {
        now[2 * j] = values[probAt.get(j)];
        now[2 * j + 1] = nulls[probAt.get(j)];
      }
      if (views == null || views.length < rows || !Arrays.equals(viewed, now, (x, y) -> x == y ? 0 : 1)) {
        Column[] pc = new Column[probAt.size()];
        for (int j = 0; j < pc.length; j++) {
          Field f = schema.get(probAt.get(j));
          pc[j] = COLUMNS.wrap(f.name(), f.columnType(), now[2 * j], (boolean[]) now[2 * j + 1], idx.length);
        }
        ColumnMaps maps = new ColumnMaps(classes.toArray(new String[0]), pc);
        views = new Object[idx.length];
        for (int i = 0; i < views.length; i++) {
          views[i] = maps.row(i);
        }
        viewed = now;
      }
      return views;
    }
  }
}
