package dev.mlops.core.internal.delta;

import dev.mlops.core.Column;
import dev.mlops.core.Field;
import dev.mlops.core.Filter;
import dev.mlops.core.Frame;
import dev.mlops.core.KeyConstraintException;
import dev.mlops.core.Schema;
import dev.mlops.core.SchemaMismatchException;
import dev.mlops.core.UnsupportedTableFeatureException;
import dev.mlops.core.internal.Errors;
import dev.mlops.core.internal.KeyIndex;
import io.delta.kernel.Scan;
import io.delta.kernel.Snapshot;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.expressions.Predicate;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Plans writes: from one snapshot and the caller's rows to a {@link WritePlan} (files to remove, rows
 * to write, schema or property changes). It reads data files (the rows an upsert or delete keeps)
 * but never writes or commits; {@link CommitLoop} does that, and calls the planner again on a newer
 * snapshot when another writer committed first. Every check that refuses a write happens here, so a
 * refused write has written nothing.
 */
final class WritePlanner {
  private final TableFiles files;
  private final Engine engine;
  private final String display;

  WritePlanner(TableOps table, TableFiles files) {
    this.files = files;
    this.engine = table.engine();
    this.display = table.display();
  }

  // ------------------------------------------------------------------ one plan per operation

  /** Appends the rows (new columns added in the same commit when the options say so). */
  WritePlan append(Snapshot s, Frame frame, TableOps.Opts o) {
    WritePlan p = new WritePlan();
    p.data = align(frame, evolve(s, frame, o, p));
    p.inserted = frame.rowCount();
    p.noop = frame.rowCount() == 0;
    return p;
  }

  /** Removes every file and writes the rows. */
  WritePlan overwrite(Snapshot s, Frame frame, TableOps.Opts o) {
    WritePlan p = new WritePlan();
    p.data = align(frame, evolve(s, frame, o, p));
    p.inserted = frame.rowCount();
    files.forEachScanFile(s, null, f -> {
      p.scanFilesToRemove.add(f);
      p.deleted += KernelInternals.numRecords(f).orElse(0L);
    });
    return p;
  }

  /**
   * Checks an upsert's rows before any snapshot is looked at (key columns present, of a key kind,
   * non-null, unique) and returns their key index: built once per write, whatever the re-plans.
   */
  KeyIndex upsertKeys(Frame frame, List<String> keys) {
    checkKeys(frame, keys, "Upsert into");
    KeyIndex ks = KeyIndex.build(frame, keys);
    int[] dup = ks.firstDuplicate();
    if (dup != null) {
      throw duplicateKey(frame, keys, dup);
    }
    return ks;
  }

  /**
   * Replaces the rows whose keys are in {@code ks} (copy-on-write: the files holding them are
   * removed, their other rows kept) and inserts the rest.
   */
  WritePlan upsert(Snapshot s, Frame frame, List<String> keys, KeyIndex ks, TableOps.Opts o) {
    WritePlan p = new WritePlan();
    StructType logical = evolve(s, frame, o, p);
    Frame data = align(frame, logical);
    checkKeysInTable(s, keys);
    List<Frame> kept = new ArrayList<>();
    long matched = rewriteMatching(s, frame, keyRange(frame, keys), keys, ks, p, kept);
    if (p.newSchema != null) {
      Schema target = TypeMapping.fromKernel(logical);
      kept.replaceAll(k -> withNullColumns(k, target));
    }
    p.updated = matched;
    p.inserted = frame.rowCount() - matched;
    kept.add(data);
    p.data = Frame.concat(kept);
    p.noop = frame.rowCount() == 0;
    return p;
  }

  /** Checks the keys of a deleteKeys call and returns their index (built once per write). */
  KeyIndex deleteKeysIndex(Frame keys) {
    List<String> names = keys.schema().names();
    checkKeys(keys, names, "deleteKeys on");
    return KeyIndex.build(keys, names);
  }

  /** Removes the files holding any of the keys, keeping their other rows. */
  WritePlan deleteKeys(Snapshot s, Frame keys, KeyIndex ks) {
    List<String> names = keys.schema().names();
    checkKeysInTable(s, names);
    Schema ts = TypeMapping.fromKernel(s.getSchema());
    for (String k : names) {
      if (ts.type(k) != keys.column(k).type()) {
        throw Errors.keyColumnColumnTable(k, keys.column(k).type(), display, ts.type(k));
      }
    }
    WritePlan p = new WritePlan();
    List<Frame> kept = new ArrayList<>();
    p.deleted = rewriteMatching(s, keys, keyRange(keys, names), names, ks, p, kept);
    p.data = kept.isEmpty() ? null : Frame.concat(kept);
    p.noop = p.scanFilesToRemove.isEmpty();
    return p;
  }

  /** Removes the files holding rows where the filter holds, keeping their other rows. */
  WritePlan delete(Snapshot s, Filter filter) {
    Schema ts = TypeMapping.fromKernel(s.getSchema());
    FilterEval.validate(filter, ts, "table " + display);
    WritePlan p = new WritePlan();
    List<Frame> kept = new ArrayList<>();
    Predicate pred = FilterEval.toKernel(filter, ts).orElse(null);
    Scan full = s.getScanBuilder().build();
    Row fullState = full.getScanState(engine);
    files.forEachScanFile(s, pred, f -> {
      Frame rows = files.readScanFile(fullState, f, ts);
      boolean[] hit = FilterEval.evaluate(filter, rows);
      int n = 0;
      for (boolean b : hit) {
        n += b ? 1 : 0;
      }
      if (n > 0) {
        p.scanFilesToRemove.add(f);
        p.deleted += n;
        if (n < rows.rowCount()) {
          kept.add(rows.filter(i -> !hit[i]));
        }
      }
    });
    p.data = kept.isEmpty() ? null : Frame.concat(kept);
    p.noop = p.scanFilesToRemove.isEmpty();
    return p;
  }

  /** Adds nullable columns (a schema change only; no data file is rewritten). */
  WritePlan addColumns(Snapshot s, List<Field> fields) {
    checkColumnMapping(s);
    StructType cur = s.getSchema();
    List<StructField> out = new ArrayList<>(cur.fields());
    Map<String, String> seen = new HashMap<>();
    for (StructField f : cur.fields()) {
      seen.put(f.getName().toLowerCase(java.util.Locale.ROOT), f.getName());
    }
    List<StructField> added = new ArrayList<>();
    for (Field f : fields) {
      if (cur.indexOf(f.name()) >= 0) {
        throw Errors.columnAlreadyExistsTable(f.name(), display);
      }
      String prev = seen.putIfAbsent(f.name().toLowerCase(java.util.Locale.ROOT), f.name());
      if (prev != null) {
        throw Errors.newColumnDiffersCase(f.name(), prev, display);
      }
      if (!f.nullable()) {
        throw Errors.newColumnTableNull(f.name(), display);
      }
      added.add(TypeMapping.toKernel(f));
    }
    WriteProtocol.NewColumns nc = WriteProtocol.assignColumnMapping(cur, s.getTableProperties(), added);
    out.addAll(nc.fields());
    WritePlan p = new WritePlan();
    p.newSchema = new StructType(out);
    return p;
  }

  /** Sets table properties. */
  WritePlan setProperties(Map<String, String> props) {
    WritePlan p = new WritePlan();
    p.newProperties = Map.copyOf(props);
    return p;
  }

  // ------------------------------------------------------------------ checks

  /** Refuses a write to a table whose features, types or properties the SDK cannot honour. */
  void checkWritable(Snapshot s, String op) {
    Map<String, String> props = s.getTableProperties();
    WriteProtocol.checkWriterFeatures(KernelInternals.tableFeatures(s), s.getSchema(), op, display);
    List<String> unsupported = TypeMapping.unsupported(s.getSchema());
    if (!unsupported.isEmpty() && !op.equals("SET PROPERTIES")) {
      throw Errors.unsupportedColumnsOnWrite(op, display, unsupported);
    }
    for (String k : List.of("delta.enableIcebergCompatV1", "delta.enableIcebergCompatV2",
        "delta.enableIcebergCompatV3")) {
      if ("true".equalsIgnoreCase(props.get(k))) {
        throw Errors.tableTrueSdkWrite(op, display, k);
      }
    }
    if ("true".equalsIgnoreCase(props.get("delta.appendOnly")) && !op.equals("APPEND")
        && !op.equals("ADD COLUMNS") && !op.equals("SET PROPERTIES")) {
      throw Errors.tableAppendOnlyDeltaAppendOnly(op, display);
    }
    for (String k : props.keySet()) {
      if (k.startsWith("delta.constraints.")) {
        throw Errors.tableCheckConstraintSdk(op, display, k);
      }
    }
  }

  private void checkColumnMapping(Snapshot s) {
    if (!"name".equals(s.getTableProperties().get("delta.columnMapping.mode"))
        && !"id".equals(s.getTableProperties().get("delta.columnMapping.mode"))) {
      throw Errors.columnsTableDeltaColumn(display);
    }
  }

  /**
   * The logical schema the data is written with: the snapshot's, plus (when the options ask for it)
   * the data's columns the table lacks, as nullable columns recorded in the plan's new schema so the
   * schema change and the rows are one commit.
   */
  private StructType evolve(Snapshot s, Frame frame, TableOps.Opts o, WritePlan p) {
    StructType cur = s.getSchema();
    if (!o.addNewColumns()) {
      return cur;
    }
    List<StructField> out = new ArrayList<>(cur.fields());
    List<StructField> added = new ArrayList<>();
    Set<String> lower = new HashSet<>();
    for (StructField f : cur.fields()) {
      lower.add(f.getName().toLowerCase(java.util.Locale.ROOT));
    }
    for (Column c : frame.columns()) {
      if (cur.indexOf(c.name()) >= 0) {
        continue;
      }
      if (!lower.add(c.name().toLowerCase(java.util.Locale.ROOT))) {
        throw Errors.columnDataDiffersCase(c.name(), display, TypeMapping.fromKernel(cur).names());
      }
      added.add(TypeMapping.toKernel(Field.of(c.name(), c.type())));
    }
    if (added.isEmpty()) {
      return cur;
    }
    checkColumnMapping(s);
    // unique physical names and ids, as for addColumns: a column re-added after Spark dropped or renamed one
    out.addAll(WriteProtocol.assignColumnMapping(cur, s.getTableProperties(), added).fields());
    p.newSchema = new StructType(out);
    return p.newSchema;
  }

  /** The frame with null columns for the target's columns it lacks, in the target's order. */
  private static Frame withNullColumns(Frame f, Schema target) {
    Frame out = f;
    for (Field t : target.fields()) {
      if (!out.hasColumn(t.name())) {
        out = out.withColumn(Column.nulls(t.name(), t.type(), out.rowCount()));
      }
    }
    return out.select(target.names());
  }

  private void checkKeys(Frame frame, List<String> keys, String what) {
    if (keys.isEmpty()) {
      throw Errors.noKeyColumns(what, display);
    }
    for (String k : keys) {
      if (!frame.hasColumn(k)) {
        throw Errors.dataNamedKeyColumn(k, frame.schema().names(), display);
      }
      Column c = frame.column(k);
      if (!KeyIndex.canBeKey(c.type())) {
        throw Errors.keyColumnKeyValues(k, display, c.columnType(), KeyIndex.KEY_KINDS);
      }
      if (c.hasNulls()) {
        int row = c.firstNull();
        throw Errors.keyColumnNullRow(k, row, display, c.nullCount());
      }
    }
  }

  private KeyConstraintException duplicateKey(Frame frame, List<String> keys, int[] dup) {
    Map<String, Object> key = new LinkedHashMap<>();
    for (String k : keys) {
      key.put(k, frame.column(k).get(dup[1]));
    }
    return Errors.duplicateKeyInData(key, display, dup[0], dup[1]);
  }

  private void checkKeysInTable(Snapshot s, List<String> keys) {
    Schema ts = TypeMapping.fromKernel(s.getSchema());
    for (String k : keys) {
      if (!ts.contains(k)) {
        throw Errors.tableNamedKeyColumn(k, ts.names(), display);
      }
    }
  }

  /** The frame with the table's columns in table order and table types; errors name what does not fit. */
  Frame align(Frame frame, StructType logical) {
    Schema ts = TypeMapping.fromKernel(logical);
    List<String> extra = new ArrayList<>();
    for (String n : frame.schema().names()) {
      if (!ts.contains(n)) {
        extra.add(n);
      }
    }
    List<String> missing = new ArrayList<>();
    List<String> wrong = new ArrayList<>();
    List<Column> out = new ArrayList<>();
    for (Field f : ts.fields()) {
      if (!frame.hasColumn(f.name())) {
        missing.add(f.name() + " " + f.type());
        continue;
      }
      Column c = TypeMapping.conform(frame.column(f.name()), f);
      if (c == null) {
        wrong.add("'" + f.name() + "' is " + frame.column(f.name()).columnType() + " in the data but "
            + f.columnType() + " in the table");
        continue;
      }
      if (!f.nullable() && c.hasNulls()) {
        int row = c.firstNull();
        throw Errors.nullInNotNullColumn(f.name(), display, row);
      }
      NestedNotNull.check(c, f, display);
      out.add(c);
    }
    if (!extra.isEmpty() || !missing.isEmpty() || !wrong.isEmpty()) {
      StringBuilder sb = new StringBuilder("The data does not fit table " + display + ":");
      if (!missing.isEmpty()) {
        sb.append(" missing column(s) ").append(missing).append(" (add them, with nulls if unknown, e.g."
            + " frame.withColumn(Column.nulls(name, type, frame.rowCount())));");
      }
      if (!extra.isEmpty()) {
        sb.append(" column(s) ").append(extra).append(" not in the table (add them first with addColumns(...),"
            + " or drop them from the data);");
      }
      if (!wrong.isEmpty()) {
        sb.append(" wrong type: ").append(String.join("; ", wrong)).append(" (convert the data);");
      }
      sb.append(" table columns: ").append(ts).append(". Nothing was written.");
      throw new SchemaMismatchException(sb.toString());
    }
    return WriteProtocol.applyCharVarchar(logical, Frame.of(out), display);
  }

  // ------------------------------------------------------------------ finding the rows a write replaces

  /** A skipping predicate covering the min..max of each key column of the frame. */
  private static Predicate keyRange(Frame frame, List<String> keys) {
    if (frame.rowCount() == 0) {
      return null;
    }
    Predicate acc = null;
    for (String k : keys) {
      Column c = frame.column(k);
      Object min = null;
      Object max = null;
      Object[] primitive = primitiveRange(c);
      if (primitive != null) {
        min = primitive[0];
        max = primitive[1];
      }
      for (int i = 0; primitive == null && i < c.size(); i++) {
        Object v = FilterEval.storage(c, i);
        if (min == null || cmp(v, min) < 0) {
          min = v;
        }
        if (max == null || cmp(v, max) > 0) {
          max = v;
        }
      }
      io.delta.kernel.expressions.Column col = new io.delta.kernel.expressions.Column(k);
      Predicate range = new Predicate("AND", new Predicate(">=", col, FilterEval.literal(min, c.columnType())),
          new Predicate("<=", col, FilterEval.literal(max, c.columnType())));
      acc = acc == null ? range : new Predicate("AND", acc, range);
    }
    return acc;
  }

  /** Min and max (boxed once) of a key column without nulls held as longs or ints, else null. */
  private static Object[] primitiveRange(Column c) {
    if (c.hasNulls() || c.size() == 0) {
      return null;
    }
    switch (c.type()) {
      case LONG, TIMESTAMP, TIMESTAMP_NTZ -> {
        long[] v = KeyValues.COLUMNS.longs(c);
        long lo = Long.MAX_VALUE;
        long hi = Long.MIN_VALUE;
        for (int i = 0; i < c.size(); i++) {
          lo = Math.min(lo, v[i]);
          hi = Math.max(hi, v[i]);
        }
        return new Object[] {lo, hi};
      }
      case INT, DATE -> {
        int[] v = KeyValues.COLUMNS.ints(c);
        int lo = Integer.MAX_VALUE;
        int hi = Integer.MIN_VALUE;
        for (int i = 0; i < c.size(); i++) {
          lo = Math.min(lo, v[i]);
          hi = Math.max(hi, v[i]);
        }
        return new Object[] {lo, hi};
      }
      default -> {
        return null;
      }
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static int cmp(Object a, Object b) {
    return ((Comparable) a).compareTo(b);
  }

  /**
   * Finds the files holding any key of {@code ks}; adds them to the plan's removals and their other
   * rows to {@code kept}; returns the number of matched rows.
   */
  private long rewriteMatching(Snapshot s, Frame batch, Predicate range, List<String> keys, KeyIndex ks,
      WritePlan p, List<Frame> kept) {
    Schema ts = TypeMapping.fromKernel(s.getSchema());
    Schema keySchema = ts.select(keys);
    Scan keyScan = s.getScanBuilder().withReadSchema(TableOps.readSchema(s, keys)).build();
    Row keyState = keyScan.getScanState(engine);
    Row fullState = s.getScanBuilder().build().getScanState(engine);
    List<Row> candidates = new ArrayList<>();
    files.forEachScanFile(s, range, candidates::add);
    if (candidates.size() > 1) {
      // the batch-wide min..max range keeps every file whose range overlaps it (a MERGE of old and new
      // time slots covers the whole table); a file none of whose statistics ranges holds a key value
      // of the batch cannot hold a key of it and is neither probed nor rewritten
      KeyValues kv = KeyValues.of(s, batch, keys);
      if (kv != null) {
        candidates.removeIf(f -> !kv.mayHold(f));
      }
    }
    record FileHits(Row file, int hits, Frame kept) {}
    // Each candidate file is probed (key columns only) and, when hit, read whole: on all cores.
    List<FileHits> results = files.parallel(candidates, f -> {
      Frame fileKeys = files.readScanFile(keyState, f, keySchema);
      int hits = 0;
      for (int id : ks.find(fileKeys, keys)) { // a null key in the table is -1: it matches nothing
        if (id >= 0) {
          hits++;
        }
      }
      if (hits == 0 || hits == fileKeys.rowCount()) {
        return new FileHits(f, hits, null);
      }
      Frame rows = files.readScanFile(fullState, f, ts);
      int[] ids = ks.find(rows, keys);
      return new FileHits(f, hits, rows.filter(r -> ids[r] < 0));
    });
    long matched = 0;
    for (FileHits h : results) {
      if (h.hits() > 0) {
        p.scanFilesToRemove.add(h.file());
        matched += h.hits();
        if (h.kept() != null) {
          kept.add(h.kept());
        }
      }
    }
    return matched;
  }

  /**
   * The sorted distinct values of each integral key column of a batch, to test a file's statistics:
   * a file can hold a key of the batch only when, for every key column with min/max statistics, some
   * value of the batch lies within the file's [min, max]. Timestamp bounds are widened by a
   * millisecond (Delta statistics truncate timestamps to milliseconds). A file without readable
   * statistics may hold anything.
   */
  static final class KeyValues {
    private static final dev.mlops.core.internal.ColumnAccess.Access COLUMNS =
        dev.mlops.core.internal.ColumnAccess.obtain();

    private final StructType physical;
    private final List<io.delta.kernel.expressions.Column> cols = new ArrayList<>();
    private final List<long[]> sorted = new ArrayList<>();
    private final List<Long> slack = new ArrayList<>();

    private KeyValues(StructType physical) {
      this.physical = physical;
    }

    /** The batch's key values, or null when no key column is integral (nothing to test). */
    static KeyValues of(Snapshot s, Frame batch, List<String> keys) {
      StructType logical = s.getSchema();
      List<StructField> phys = new ArrayList<>();
      List<long[]> values = new ArrayList<>();
      List<Long> slacks = new ArrayList<>();
      for (String k : keys) {
        Column c = batch.column(k);
        int at = logical.indexOf(k);
        if (at < 0 || !KeyIndex.integral(c.type()) || c.hasNulls()) {
          continue;
        }
        StructField f = logical.at(at);
        String name = f.getMetadata().contains("delta.columnMapping.physicalName")
            ? f.getMetadata().getString("delta.columnMapping.physicalName") : f.getName();
        phys.add(new StructField(name, f.getDataType(), true));
        long[] v;
        if (c.type() == dev.mlops.core.DataType.INT || c.type() == dev.mlops.core.DataType.DATE) {
          int[] a = COLUMNS.ints(c);
          v = new long[c.size()];
          for (int i = 0; i < v.length; i++) {
            v[i] = a[i];
          }
        } else {
          v = java.util.Arrays.copyOf(COLUMNS.longs(c), c.size());
        }
        java.util.Arrays.parallelSort(v);
        values.add(v);
        slacks.add(c.type() == dev.mlops.core.DataType.TIMESTAMP || c.type() == dev.mlops.core.DataType.TIMESTAMP_NTZ
            ? 1000L : 0L);
      }
      if (phys.isEmpty()) {
        return null;
      }
      KeyValues kv = new KeyValues(new StructType(phys));
      for (int i = 0; i < phys.size(); i++) {
        kv.cols.add(new io.delta.kernel.expressions.Column(phys.get(i).getName()));
      }
      kv.sorted.addAll(values);
      kv.slack.addAll(slacks);
      return kv;
    }

    boolean mayHold(Row scanFile) {
      io.delta.kernel.statistics.DataFileStatistics st;
      try {
        st = KernelInternals.stats(scanFile, physical).orElse(null);
      } catch (RuntimeException unreadable) {
        return true;
      }
      if (st == null) {
        return true;
      }
      for (int i = 0; i < cols.size(); i++) {
        io.delta.kernel.expressions.Literal lo = st.getMinValues().get(cols.get(i));
        io.delta.kernel.expressions.Literal hi = st.getMaxValues().get(cols.get(i));
        if (lo == null || hi == null || !(lo.getValue() instanceof Number min) || !(hi.getValue() instanceof Number max)) {
          continue;
        }
        long from = min.longValue() - slack.get(i);
        long to = max.longValue() + slack.get(i);
        long[] v = sorted.get(i);
        int at = java.util.Arrays.binarySearch(v, from);
        int first = at >= 0 ? at : -at - 1;
        if (first >= v.length || v[first] > to) {
          return false;
        }
      }
      return true;
    }
  }
}
