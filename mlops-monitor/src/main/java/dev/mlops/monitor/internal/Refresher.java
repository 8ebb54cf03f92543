package dev.mlops.monitor.internal;

import dev.mlops.core.Column;
import dev.mlops.core.Commit;
import dev.mlops.core.DataType;
import dev.mlops.core.DeltaTable;
import dev.mlops.core.Field;
import dev.mlops.core.Filter;
import dev.mlops.core.Frame;
import dev.mlops.core.Schema;
import dev.mlops.core.TableChanges;
import dev.mlops.core.Workspace;
import dev.mlops.monitor.CustomMetric;
import dev.mlops.monitor.DriftThreshold;
import dev.mlops.monitor.Granularity;
import dev.mlops.monitor.InferenceLog;
import dev.mlops.monitor.MonitorDefinition;
import dev.mlops.monitor.MonitorException;
import dev.mlops.monitor.ProfileType;
import dev.mlops.monitor.RefreshInfo;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** One refresh of one monitor: what changed, recompute those windows, one overwrite commit per result table. */
public final class Refresher {
  /** Hook for the killed-process test: milliseconds to sleep between the two result-table commits. */
  static final String PAUSE_PROPERTY = "mlops.monitor.pauseBetweenCommitsMs";
  private static final String ALL_MODELS = "*";

  private final Workspace ws;
  private final MonitorStore store;
  private final MonitorDefinition def;
  private final Map<String, CustomMetric.Function> functions;
  private final Map<ColumnProfile, Ecdf> ecdfs = new IdentityHashMap<>();
  private final Map<String, dev.mlops.core.ColumnType> columnTypes = new HashMap<>();

  public Refresher(Workspace ws, MonitorStore store, MonitorDefinition def, Map<String, CustomMetric.Function> functions) {
    this.ws = ws;
    this.store = store;
    this.def = def;
    this.functions = functions;
  }

  private record Outcome(long version, int windows, String message) {}

  /** Runs a refresh and records it in the history. */
  public RefreshInfo run(RefreshInfo.Trigger trigger) {
    Instant requested = Instant.now();
    long id = store.withHistoryLock(() -> {
      long next = store.readRefreshes().stream().mapToLong(RefreshInfo::id).max().orElse(0) + 1;
      store.putRefresh(new RefreshInfo(next, RefreshInfo.State.PENDING, trigger, requested, Optional.empty(), -1, 0, ""));
      return next;
    });
    return store.withRefreshLock(() -> {
      store.withHistoryLock(() -> {
        for (RefreshInfo r : store.readRefreshes()) {
          if (r.state() == RefreshInfo.State.RUNNING) { // we hold the refresh lock: its process is gone
            store.putRefresh(new RefreshInfo(r.id(), RefreshInfo.State.FAILED, r.trigger(), r.startTime(),
                Optional.of(Instant.now()), r.tableVersion(), 0, "The process ended during this refresh; a later "
                + "refresh recomputed its windows."));
          }
        }
        store.putRefresh(new RefreshInfo(id, RefreshInfo.State.RUNNING, trigger, requested, Optional.empty(), -1, 0, ""));
        return null;
      });
      Outcome o;
      try {
        o = compute();
      } catch (RuntimeException e) {
        finish(id, trigger, requested, RefreshInfo.State.FAILED, -1, 0, String.valueOf(e.getMessage()));
        throw e;
      }
      return finish(id, trigger, requested, RefreshInfo.State.SUCCESS, o.version(), o.windows(), o.message());
    });
  }

  private RefreshInfo finish(long id, RefreshInfo.Trigger trigger, Instant start, RefreshInfo.State state, long version,
      int windows, String message) {
    RefreshInfo info = new RefreshInfo(id, state, trigger, start, Optional.of(Instant.now()), version, windows, message);
    store.withHistoryLock(() -> {
      store.putRefresh(info);
      return null;
    });
    return info;
  }

  // ---------------------------------------------------------------- planning

  private Outcome compute() {
    Validation.Resolved r = Validation.check(ws, def);
    r.schema().fields().forEach(f -> columnTypes.put(f.name(), f.columnType()));
    for (CustomMetric m : def.customMetrics()) {
      CustomMetric.Function f = functions.get(m.name());
      boolean ok = f != null && switch (m.type()) {
        case AGGREGATE -> f instanceof CustomMetric.Aggregate;
        case DERIVED -> f instanceof CustomMetric.Derived;
        case DRIFT -> f instanceof CustomMetric.Drift;
      };
      if (!ok) {
        throw Errors.monitorCustomMetricFunction(def.table(), m.name(), m.type(),
            m.type().name().toLowerCase(java.util.Locale.ROOT));
      }
    }
    MonitorStore.State st = store.readState().orElse(null);
    long baseVersion = r.baseline().map(DeltaTable::version).orElse(-1L);
    boolean full = st == null || st.monitorVersion() != def.monitorVersion() || st.baselineVersion() != baseVersion;
    DeltaTable table = r.table();
    long v = table.version();
    if (!full && st.processedVersion() == v) {
      return new Outcome(v, 0, "Nothing changed since table version " + v + ".");
    }
    Map<GroupKey, Group> baseline = r.baseline().isPresent() ? baselineGroups(r, baseVersion) : Map.of();

    List<Map<String, Object>> profileRows = new ArrayList<>();
    List<Map<String, Object>> driftRows = new ArrayList<>();
    Set<String> replaced = new HashSet<>();
    boolean replaceAllInput;
    if (def.profileType() instanceof ProfileType.Snapshot) {
      replaceAllInput = false;
      Instant t = commitTime(table, v);
      Frame rows = table.read().version(v).load();
      Map<GroupKey, Group> cur = groups(r, rows, all(rows.rowCount()));
      Map<GroupKey, Group> prev = null;
      Instant[] prevWindow = null;
      if (st != null && st.processedVersion() < v && st.processedVersion() >= 0) {
        try {
          Frame old = table.read().version(st.processedVersion()).load();
          prev = groups(r, old, all(old.rowCount()));
          Instant pt = commitTime(table, st.processedVersion());
          prevWindow = new Instant[] {pt, pt};
        } catch (RuntimeException e) {
          prev = null; // the old version is gone (log cleaned up): no CONSECUTIVE rows
        }
      }
      Instant[] w = {t, t};
      emit(r, rows, null, w, cur, prevWindow, prev, baseline, v, profileRows, driftRows);
      replaced.add(ResultLayout.windowKey(null, t));
    } else {
      String ts = def.profileType().timestampCol().orElseThrow();
      Frame rows;
      Map<Granularity, TreeSet<Long>> emit = new LinkedHashMap<>();
      if (full) {
        replaceAllInput = true;
        rows = table.read().version(v).load();
        for (Granularity g : def.profileType().granularities()) {
          emit.put(g, starts(g, rows.column(ts)));
        }
      } else {
        replaceAllInput = false;
        TableChanges ch = table.changesSince(st.processedVersion());
        v = ch.toVersion();
        long lo = Long.MAX_VALUE;
        long hi = Long.MIN_VALUE;
        Column[] changedTs = changedTimestamps(ch, ts);
        for (Granularity g : def.profileType().granularities()) {
          TreeSet<Long> s = starts(g, changedTs[0]);
          s.addAll(starts(g, changedTs[1]));
          TreeSet<Long> e = new TreeSet<>(s);
          for (long x : s) {
            e.add(g.windowEndMicros(x)); // the next window compares with a changed one
          }
          emit.put(g, e);
          if (!e.isEmpty()) {
            lo = Math.min(lo, previousStart(g, e.first()));
            hi = Math.max(hi, g.windowEndMicros(e.last()));
          }
        }
        if (lo == Long.MAX_VALUE) {
          rows = Frame.empty(table.read().version(v).schema());
        } else {
          rows = table.read().version(v).filter(Filter.and(bound(r.schema(), ts, lo, true),
              bound(r.schema(), ts, hi, false))).load();
        }
      }
      Column tc = rows.column(ts);
      // finest first: a coarser window is merged from the finer windows that tile it (see windowGroups)
      List<Granularity> order = new ArrayList<>(emit.keySet());
      order.sort(Comparator.comparingLong(Refresher::typicalLength));
      List<Windows> done = new ArrayList<>();
      for (Granularity g : order) {
        Windows wins = new Windows(g, window(g, tc));
        for (long start : emit.get(g)) {
          replaced.add(ResultLayout.windowKey(g.text(), micros(start)));
          if (!wins.rows.containsKey(start)) {
            continue; // window emptied by deletes: its old rows go, no new ones
          }
          Map<GroupKey, Group> cur = windowGroups(r, rows, wins, start, done);
          long ps = previousStart(g, start);
          Map<GroupKey, Group> prev = wins.rows.containsKey(ps) ? windowGroups(r, rows, wins, ps, done) : null;
          Instant[] w = {micros(start), micros(g.windowEndMicros(start))};
          Instant[] pw = {micros(ps), micros(start)};
          emit(r, rows, g.text(), w, cur, pw, prev, baseline, v, profileRows, driftRows);
        }
        done.add(wins);
      }
    }
    if (full && r.baseline().isPresent()) {
      baselineProfileRows(r, baseline, v, profileRows);
    }
    String modelCol = def.profileType() instanceof InferenceLog il ? il.modelId() : null;
    List<String> rowMetrics = new ArrayList<>();
    List<String> driftMetrics = new ArrayList<>();
    for (CustomMetric m : def.customMetrics()) {
      (m.type() == CustomMetric.Type.DRIFT ? driftMetrics : rowMetrics).add(m.name());
    }
    boolean dropBaseline = full;
    write(def.profileMetricsTable(), ResultLayout.profileSchema(modelCol, rowMetrics), profileRows, replaced,
        replaceAllInput, dropBaseline, true);
    pauseForTests();
    write(def.driftMetricsTable(), ResultLayout.driftSchema(modelCol, driftMetrics), driftRows, replaced,
        replaceAllInput, dropBaseline, false);
    store.writeState(new MonitorStore.State(v, def.monitorVersion(), baseVersion, Instant.now()));
    String mergedNote = merged == 0 ? "" : " " + merged + " coarser window(s) merged from finer ones.";
    return new Outcome(v, replaced.size(), (full ? "Recomputed every window." : "Recomputed " + replaced.size()
        + " changed window(s).") + mergedNote);
  }

  // ---------------------------------------------------------------- coarser windows from finer ones

  /** One granularity's windows in this refresh: the row indexes of each and its groups once computed. */
  private static final class Windows {
    final Granularity g;
    final Map<Long, int[]> rows;
    final Map<Long, Map<GroupKey, Group>> groups = new HashMap<>();

    Windows(Granularity g, Map<Long, int[]> rows) {
      this.g = g;
      this.rows = rows;
    }
  }

  /** Groups whose column slices were cut to the top values: a coarser window cannot be merged from them. */
  private final Set<Map<GroupKey, Group>> truncated = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
  private int merged;

  private static long typicalLength(Granularity g) {
    long s = g.windowStartMicros(0);
    return g.windowEndMicros(s) - s;
  }

  /**
   * The groups of one window: merged from the finest-but-coarsest granularity of this refresh whose
   * windows tile it exactly (same start and end boundaries), when that is exact; else from the rows.
   * Both come from the same rows at the same table version and monitor version, so the finer
   * profiles are complete and fresh by construction. Not merged (computed from rows): windows of a
   * monitor with custom aggregate metrics (Java functions over rows), and windows whose finer windows
   * cut a column slice to its top 100 values (the coarser
   * window's top values may differ).
   */
  private Map<GroupKey, Group> windowGroups(Validation.Resolved r, Frame rows, Windows wins, long start,
      List<Windows> finer) {
    Map<GroupKey, Group> have = wins.groups.get(start);
    if (have != null) {
      return have;
    }
    Map<GroupKey, Group> out = mergeFromFiner(r, rows, wins.g, start, finer);
    if (out == null) {
      out = groups(r, rows, wins.rows.get(start));
    } else {
      merged++;
    }
    wins.groups.put(start, out);
    return out;
  }

  private Map<GroupKey, Group> mergeFromFiner(Validation.Resolved r, Frame rows, Granularity g, long start,
      List<Windows> finer) {
    for (CustomMetric m : def.customMetrics()) {
      if (m.type() == CustomMetric.Type.AGGREGATE) {
        return null;
      }
    }
    long end = g.windowEndMicros(start);
    Windows best = null;
    long bestLen = 0;
    for (Windows f : finer) {
      long len = f.g.windowEndMicros(start) - start;
      if (f.g.windowStartMicros(start) == start && f.g.windowStartMicros(end) == end && len < end - start
          && len > bestLen) {
        best = f;
        bestLen = len;
      }
    }
    if (best == null) {
      return null;
    }
    List<Map<GroupKey, Group>> parts = new ArrayList<>();
    for (long s = start; s < end; s = best.g.windowEndMicros(s)) {
      if (best.rows.containsKey(s)) {
        Map<GroupKey, Group> p = windowGroups(r, rows, best, s, finer);
        if (truncated.contains(p)) {
          return null;
        }
        parts.add(p);
      }
    }
    return mergeGroups(r, parts);
  }

  /** The union of the parts' groups, column slices cut to their top values as {@link #groups} does. */
  private Map<GroupKey, Group> mergeGroups(Validation.Resolved r, List<Map<GroupKey, Group>> parts) {
    Map<GroupKey, Group> acc = new HashMap<>();
    for (Map<GroupKey, Group> part : parts) {
      for (Map.Entry<GroupKey, Group> e : part.entrySet()) {
        Group from = e.getValue();
        Group into = acc.computeIfAbsent(e.getKey(), k -> new Group());
        into.count += from.count;
        for (ColumnProfile p : from.profiles.values()) {
          ColumnProfile q = into.profiles.get(p.column());
          if (q == null) {
            q = new ColumnProfile(p.column(), p.type());
            into.profiles.put(p.column(), q);
          }
          q.merge(p);
        }
        if (from.quality != null) {
          if (into.quality == null) {
            into.quality = new Quality(from.quality.classification);
          }
          into.quality.merge(from.quality);
        }
      }
    }
    // slice totals (the model-independent group of each slice value) rank the values as groups() does
    Map<String, Long> totals = new HashMap<>();
    acc.forEach((k, g) -> {
      if (k.sliceKey() != null && (k.model() == null || k.model().equals(ALL_MODELS))) {
        totals.put(k.sliceKey() + "\u0000" + k.sliceValue(), g.count);
      }
    });
    List<String> sliceOrder = new ArrayList<>();
    Set<String> keep = new HashSet<>();
    boolean cut = false;
    for (Validation.Slice s : r.slices()) {
      sliceOrder.add(s.text());
      List<Map.Entry<String, Long>> values = totals.entrySet().stream()
          .filter(e -> e.getKey().startsWith(s.text() + "\u0000"))
          .sorted(Comparator.<Map.Entry<String, Long>>comparingLong(e -> -e.getValue()).thenComparing(Map.Entry::getKey))
          .toList();
      int limit = s.isColumn() ? MonitorDefinition.MAX_SLICE_VALUES : Integer.MAX_VALUE;
      cut |= values.size() > limit;
      values.stream().limit(limit).forEach(e -> keep.add(e.getKey()));
    }
    Comparator<Map.Entry<GroupKey, Group>> order = Comparator.comparingInt(e -> e.getKey().sliceKey() == null ? -1
        : sliceOrder.indexOf(e.getKey().sliceKey()));
    order = order.thenComparingLong(e -> e.getKey().sliceKey() == null ? 0
        : -totals.getOrDefault(e.getKey().sliceKey() + "\u0000" + e.getKey().sliceValue(), 0L));
    order = order.thenComparing(e -> String.valueOf(e.getKey().sliceValue()));
    order = order.thenComparing(e -> e.getKey().model() == null || e.getKey().model().equals(ALL_MODELS) ? ""
        : "\u0001" + e.getKey().model());
    Map<GroupKey, Group> out = new LinkedHashMap<>();
    acc.entrySet().stream()
        .filter(e -> e.getKey().sliceKey() == null || keep.contains(e.getKey().sliceKey() + "\u0000"
            + e.getKey().sliceValue()))
        .sorted(order).forEach(e -> out.put(e.getKey(), e.getValue()));
    if (cut) {
      truncated.add(out);
    }
    return out;
  }

  /**
   * Timestamps of the rows that really changed: a copy-on-write rewrite lists every row of a
   * rewritten file as removed and added again, so rows equal on both sides cancel out.
   */
  private static Column[] changedTimestamps(TableChanges ch, String ts) {
    Frame added = ch.added();
    Frame removed = ch.removed();
    Map<List<Object>, Integer> gone = new HashMap<>();
    for (int i = 0; i < removed.rowCount(); i++) {
      gone.merge(rowKey(removed, i), 1, Integer::sum);
    }
    List<Integer> keepAdded = new ArrayList<>();
    for (int i = 0; i < added.rowCount(); i++) {
      List<Object> k = rowKey(added, i);
      Integer c = gone.get(k);
      if (c != null && c > 0) {
        gone.put(k, c - 1);
      } else {
        keepAdded.add(i);
      }
    }
    List<Integer> keepRemoved = new ArrayList<>();
    Map<List<Object>, Integer> left = new HashMap<>(gone);
    for (int i = 0; i < removed.rowCount(); i++) {
      List<Object> k = rowKey(removed, i);
      Integer c = left.get(k);
      if (c != null && c > 0) {
        left.put(k, c - 1);
        keepRemoved.add(i);
      }
    }
    return new Column[] {added.column(ts).take(keepAdded.stream().mapToInt(Integer::intValue).toArray()),
        removed.column(ts).take(keepRemoved.stream().mapToInt(Integer::intValue).toArray())};
  }

  private static List<Object> rowKey(Frame f, int row) {
    List<Object> k = new ArrayList<>(f.columnCount());
    for (Column c : f.columns()) {
      k.add(c.get(row));
    }
    return k;
  }

  private static void pauseForTests() {
    String p = System.getProperty(PAUSE_PROPERTY);
    if (p != null) {
      try {
        Thread.sleep(Long.parseLong(p));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static Instant commitTime(DeltaTable t, long version) {
    for (Commit c : t.history()) {
      if (c.version() == version) {
        return c.timestamp();
      }
    }
    return Instant.now().truncatedTo(ChronoUnit.MILLIS);
  }

  private static int[] all(int n) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    return a;
  }

  private static Instant micros(long m) {
    return Instant.EPOCH.plus(m, ChronoUnit.MICROS);
  }

  private static long previousStart(Granularity g, long start) {
    return g.windowStartMicros(start - 1);
  }

  /** Microseconds of a timestamp or date value at a row. */
  private static long tsMicros(Column c, int row) {
    return c.type() == DataType.DATE ? c.getInt(row) * 86_400_000_000L : c.getLong(row);
  }

  private static TreeSet<Long> starts(Granularity g, Column c) {
    TreeSet<Long> s = new TreeSet<>();
    for (int i = 0; i < c.size(); i++) {
      if (!c.isNull(i)) {
        s.add(g.windowStartMicros(tsMicros(c, i)));
      }
    }
    return s;
  }

  private static Map<Long, int[]> window(Granularity g, Column c) {
    Map<Long, int[]> buckets = new HashMap<>();
    Map<Long, Integer> sizes = new HashMap<>();
    for (int i = 0; i < c.size(); i++) {
      if (c.isNull(i)) {
        continue;
      }
      long s = g.windowStartMicros(tsMicros(c, i));
      int[] b = buckets.get(s);
      int n = sizes.getOrDefault(s, 0);
      if (b == null) {
        b = new int[16];
      } else if (n == b.length) {
        b = Arrays.copyOf(b, n * 2);
      }
      b[n] = i;
      buckets.put(s, b);
      sizes.put(s, n + 1);
    }
    Map<Long, int[]> out = new HashMap<>();
    buckets.forEach((s, b) -> out.put(s, Arrays.copyOf(b, sizes.get(s))));
    return out;
  }

  private static Filter bound(Schema s, String ts, long micros, boolean lower) {
    Object v = s.type(ts) == DataType.DATE ? LocalDate.ofEpochDay(Math.floorDiv(micros, 86_400_000_000L))
        : micros(micros);
    return lower ? Filter.ge(ts, v) : Filter.lt(ts, v);
  }

  // ---------------------------------------------------------------- groups

  /** A slice (null key = whole table) and model (null = no model column, "*" = all models). */
  record GroupKey(String sliceKey, String sliceValue, String model) {
    String storeKey() {
      return (sliceKey == null ? "\u0001" : sliceKey) + "\u0000" + (sliceValue == null ? "\u0001" : sliceValue);
    }

    static GroupKey fromStoreKey(String k) {
      String[] p = k.split("\u0000", -1);
      return new GroupKey(p[0].equals("\u0001") ? null : p[0], p[1].equals("\u0001") ? null : p[1], null);
    }
  }

  /** The profiles, quality and rows of one group in one window. */
  static final class Group {
    final Map<String, ColumnProfile> profiles = new LinkedHashMap<>();
    Quality quality;
    int[] rows;
    long count;
  }

  private Map<GroupKey, Group> groups(Validation.Resolved r, Frame rows, int[] idx) {
    Map<GroupKey, Group> out = new LinkedHashMap<>();
    boolean cutSlices = false;
    List<Object[]> slices = new ArrayList<>(); // {key, value, int[] rows}
    slices.add(new Object[] {null, null, idx});
    for (Validation.Slice s : r.slices()) {
      if (s.isColumn()) {
        Column c = rows.column(s.column());
        Map<String, List<Integer>> byValue = new HashMap<>();
        for (int i : idx) {
          if (!c.isNull(i)) {
            byValue.computeIfAbsent(String.valueOf(c.get(i)), k -> new ArrayList<>()).add(i);
          }
        }
        if (byValue.size() > MonitorDefinition.MAX_SLICE_VALUES) {
          cutSlices = true;
        }
        byValue.entrySet().stream()
            .sorted(Comparator.<Map.Entry<String, List<Integer>>>comparingInt(e -> -e.getValue().size())
                .thenComparing(Map.Entry::getKey))
            .limit(MonitorDefinition.MAX_SLICE_VALUES)
            .forEach(e -> slices.add(new Object[] {s.text(), e.getKey(),
                e.getValue().stream().mapToInt(Integer::intValue).toArray()}));
      } else {
        List<Integer> t = new ArrayList<>();
        List<Integer> f = new ArrayList<>();
        for (int i : idx) {
          (Boolean.TRUE.equals(s.predicate().eval(rows, i)) ? t : f).add(i);
        }
        if (!t.isEmpty()) {
          slices.add(new Object[] {s.text(), "true", t.stream().mapToInt(Integer::intValue).toArray()});
        }
        if (!f.isEmpty()) {
          slices.add(new Object[] {s.text(), "false", f.stream().mapToInt(Integer::intValue).toArray()});
        }
      }
    }
    InferenceLog il = def.profileType() instanceof InferenceLog x ? x : null;
    boolean hasModel = il != null && rows.hasColumn(il.modelId());
    for (Object[] s : slices) {
      int[] sub = (int[]) s[2];
      if (!hasModel) {
        out.put(new GroupKey((String) s[0], (String) s[1], il == null ? null : ALL_MODELS), group(r, rows, sub, il));
        continue;
      }
      Column mc = rows.column(il.modelId());
      Map<String, List<Integer>> byModel = new TreeMap<>();
      for (int i : sub) {
        byModel.computeIfAbsent(mc.isNull(i) ? "null" : String.valueOf(mc.get(i)), k -> new ArrayList<>()).add(i);
      }
      out.put(new GroupKey((String) s[0], (String) s[1], ALL_MODELS), group(r, rows, sub, il));
      for (Map.Entry<String, List<Integer>> e : byModel.entrySet()) {
        out.put(new GroupKey((String) s[0], (String) s[1], e.getKey()),
            group(r, rows, e.getValue().stream().mapToInt(Integer::intValue).toArray(), il));
      }
    }
    if (cutSlices) {
      truncated.add(out);
    }
    return out;
  }

  private Group group(Validation.Resolved r, Frame rows, int[] idx, InferenceLog il) {
    Group g = new Group();
    g.rows = idx;
    g.count = idx.length;
    for (Field f : r.profiled()) {
      if (!rows.hasColumn(f.name())) {
        continue;
      }
      ColumnProfile p = new ColumnProfile(f.name(), f.type());
      p.add(rows.column(f.name()), idx, idx.length);
      g.profiles.put(f.name(), p);
    }
    if (il != null && il.label().isPresent() && rows.hasColumn(il.label().get())) {
      boolean cls = il.problemType() == InferenceLog.ProblemType.CLASSIFICATION;
      Quality q = new Quality(cls);
      Column lc = rows.column(il.label().get());
      Column pc = rows.column(il.prediction());
      Map<String, Column> probs = new LinkedHashMap<>();
      il.probabilities().forEach((k, c) -> probs.put(k, rows.column(c)));
      for (int i : idx) {
        if (lc.isNull(i) || pc.isNull(i)) {
          continue;
        }
        if (cls) {
          Map<String, Double> p = new LinkedHashMap<>();
          for (Map.Entry<String, Column> e : probs.entrySet()) {
            p.put(e.getKey(), e.getValue().isNull(i) ? null : e.getValue().getDouble(i));
          }
          q.addClass(String.valueOf(lc.get(i)), String.valueOf(pc.get(i)), p);
        } else {
          q.addNumber(lc.getDouble(i), pc.getDouble(i));
        }
      }
      g.quality = q;
    }
    return g;
  }

  private Map<GroupKey, Group> baselineGroups(Validation.Resolved r, long baseVersion) {
    Optional<Map<String, Map<String, ColumnProfile>>> stored = store.readBaseline(baseVersion, def.monitorVersion());
    Map<GroupKey, Group> out = new LinkedHashMap<>();
    if (stored.isPresent()) {
      stored.get().forEach((k, cols) -> {
        Group g = new Group();
        g.profiles.putAll(cols);
        g.count = cols.values().stream().mapToLong(ColumnProfile::count).max().orElse(0);
        out.put(GroupKey.fromStoreKey(k), g);
      });
      return out;
    }
    DeltaTable bt = r.baseline().orElseThrow();
    Frame rows = bt.read().version(baseVersion).load();
    // the baseline is sliced like the table, without model groups
    Map<GroupKey, Group> gs = groupsNoModel(r, rows);
    Map<String, Map<String, ColumnProfile>> toStore = new LinkedHashMap<>();
    gs.forEach((k, g) -> {
      out.put(new GroupKey(k.sliceKey(), k.sliceValue(), null), g);
      toStore.put(k.storeKey(), g.profiles);
    });
    store.writeBaseline(baseVersion, def.monitorVersion(), toStore);
    return out;
  }

  private Map<GroupKey, Group> groupsNoModel(Validation.Resolved r, Frame rows) {
    Map<GroupKey, Group> all = groups(r, rows, all(rows.rowCount()));
    Map<GroupKey, Group> out = new LinkedHashMap<>();
    all.forEach((k, g) -> {
      if (k.model() == null || k.model().equals(ALL_MODELS)) {
        out.put(new GroupKey(k.sliceKey(), k.sliceValue(), null), g);
      }
    });
    return out;
  }

  // ---------------------------------------------------------------- rows

  private void emit(Validation.Resolved r, Frame rows, String granularity, Instant[] window, Map<GroupKey, Group> cur,
      Instant[] prevWindow, Map<GroupKey, Group> prev, Map<GroupKey, Group> baseline, long version,
      List<Map<String, Object>> profileRows, List<Map<String, Object>> driftRows) {
    String modelCol = def.profileType() instanceof InferenceLog il ? il.modelId() : null;
    for (Map.Entry<GroupKey, Group> e : cur.entrySet()) {
      GroupKey k = e.getKey();
      Group g = e.getValue();
      Frame groupRows = null;
      // table-level row
      Map<String, Object> t = keyRow(granularity, window, version, k, CustomMetric.TABLE, null, modelCol);
      t.put("log_type", "INPUT");
      t.put("count", g.count);
      if (g.quality != null) {
        t.putAll(g.quality.metrics());
      }
      groupRows = customAggregates(t, CustomMetric.TABLE, rows, g, groupRows);
      derived(t, CustomMetric.TABLE);
      profileRows.add(t);
      for (ColumnProfile p : g.profiles.values()) {
        Map<String, Object> row = keyRow(granularity, window, version, k, p.column(), p.type(), modelCol);
        row.put("log_type", "INPUT");
        profileValues(row, p);
        groupRows = customAggregates(row, p.column(), rows, g, groupRows);
        derived(row, p.column());
        profileRows.add(row);
      }
      if (prev != null && prev.containsKey(k)) {
        drift(granularity, window, prevWindow, "CONSECUTIVE", k, g, prev.get(k), version, modelCol, profileRows,
            driftRows);
      }
      Group b = baseline.get(new GroupKey(k.sliceKey(), k.sliceValue(), null));
      if (b != null) {
        drift(granularity, window, null, "BASELINE", k, g, b, version, modelCol, profileRows, driftRows);
      }
    }
  }

  private void baselineProfileRows(Validation.Resolved r, Map<GroupKey, Group> baseline, long version,
      List<Map<String, Object>> profileRows) {
    String modelCol = def.profileType() instanceof InferenceLog il ? il.modelId() : null;
    for (Map.Entry<GroupKey, Group> e : baseline.entrySet()) {
      GroupKey k = new GroupKey(e.getKey().sliceKey(), e.getKey().sliceValue(), modelCol == null ? null : ALL_MODELS);
      Map<String, Object> t = keyRow(null, null, version, k, CustomMetric.TABLE, null, modelCol);
      t.put("log_type", "BASELINE");
      t.put("count", e.getValue().count);
      profileRows.add(t);
      for (ColumnProfile p : e.getValue().profiles.values()) {
        Map<String, Object> row = keyRow(null, null, version, k, p.column(), p.type(), modelCol);
        row.put("log_type", "BASELINE");
        profileValues(row, p);
        profileRows.add(row);
      }
    }
  }

  private Map<String, Object> keyRow(String granularity, Instant[] window, long version, GroupKey k, String column,
      DataType type, String modelCol) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("window", window);
    m.put("granularity", granularity);
    m.put("monitor_version", def.monitorVersion());
    m.put("logging_table_commit_version", (int) Math.min(Integer.MAX_VALUE, version));
    m.put("slice_key", k.sliceKey());
    m.put("slice_value", k.sliceValue());
    m.put("column_name", column);
    m.put("data_type", type == null ? null
        : ResultLayout.sparkType(columnTypes.getOrDefault(column, dev.mlops.core.ColumnType.of(type))));
    if (modelCol != null) {
      m.put(modelCol, k.model() == null ? ALL_MODELS : k.model());
    }
    return m;
  }

  private static void profileValues(Map<String, Object> row, ColumnProfile p) {
    long count = p.count();
    long nonNull = count - p.numNulls();
    row.put("count", count);
    row.put("num_nulls", p.numNulls());
    row.put("percent_null", count == 0 ? Double.NaN : (double) p.numNulls() / count);
    row.put("distinct_count", p.distinctCount());
    row.put("percent_distinct", nonNull == 0 ? Double.NaN : (double) p.distinctCount() / nonNull);
    if (p.kind() == ColumnProfile.Kind.NUMERIC) {
      row.put("num_zeros", p.numZeros());
      row.put("num_nan", p.numNan());
      row.put("percent_zeros", count == 0 ? Double.NaN : (double) p.numZeros() / count);
      row.put("percent_nan", count == 0 ? Double.NaN : (double) p.numNan() / count);
      row.put("avg", p.avg());
      row.put("stddev", p.stddev());
      row.put("min", p.min());
      row.put("max", p.max());
      double[] q = p.quantiles(ResultLayout.QUANTILE_LEVELS);
      row.put("median", p.quantile(0.5));
      row.put("quantiles", p.numericCount() == 0 ? null : q);
    } else if (p.kind() == ColumnProfile.Kind.CATEGORICAL) {
      row.put("frequent_items", p.frequentItems(ColumnProfile.TOP_K));
      if (p.type() == DataType.STRING) {
        row.put("min_length", p.minLength());
        row.put("avg_length", p.avgLength());
        row.put("max_length", p.maxLength());
      }
    }
  }

  private Frame customAggregates(Map<String, Object> row, String column, Frame rows, Group g, Frame groupRows) {
    for (CustomMetric m : def.customMetrics()) {
      if (m.type() == CustomMetric.Type.AGGREGATE && m.inputColumns().contains(column)) {
        if (groupRows == null) {
          groupRows = rows.take(g.rows);
        }
        row.put(m.name(), ((CustomMetric.Aggregate) functions.get(m.name())).apply(groupRows, column));
      }
    }
    return groupRows;
  }

  private void derived(Map<String, Object> row, String column) {
    for (CustomMetric m : def.customMetrics()) {
      if (m.type() == CustomMetric.Type.DERIVED && m.inputColumns().contains(column)) {
        row.put(m.name(), ((CustomMetric.Derived) functions.get(m.name())).apply(numbers(row)));
      }
    }
  }

  private static Map<String, Double> numbers(Map<String, Object> row) {
    Map<String, Double> out = new HashMap<>();
    row.forEach((k, v) -> {
      if (v instanceof Number n) {
        out.put(k, n.doubleValue());
      }
    });
    return out;
  }

  private void drift(String granularity, Instant[] window, Instant[] cmpWindow, String type, GroupKey k, Group cur,
      Group cmp, long version, String modelCol, List<Map<String, Object>> profileRows,
      List<Map<String, Object>> driftRows) {
    Map<String, Object> t = keyRow(granularity, window, version, k, CustomMetric.TABLE, null, modelCol);
    t.put("window_cmp", cmpWindow);
    t.put("drift_type", type);
    t.put("count_delta", cur.count - cmp.count);
    int added = 0;
    int missing = 0;
    for (Map.Entry<String, ColumnProfile> e : cur.profiles.entrySet()) {
      ColumnProfile c = cmp.profiles.get(e.getKey());
      boolean nowValues = e.getValue().count() > e.getValue().numNulls();
      boolean thenValues = c != null && c.count() > c.numNulls();
      added += nowValues && !thenValues ? 1 : 0;
      missing += !nowValues && thenValues ? 1 : 0;
    }
    t.put("non_null_columns_delta", new int[] {added, missing});
    driftCustom(t, CustomMetric.TABLE, cur, cmp, null, null);
    driftRows.add(t);
    for (ColumnProfile p : cur.profiles.values()) {
      ColumnProfile q = cmp.profiles.get(p.column());
      if (q == null) {
        continue;
      }
      Map<String, Object> row = keyRow(granularity, window, version, k, p.column(), p.type(), modelCol);
      row.put("window_cmp", cmpWindow);
      row.put("drift_type", type);
      row.put("count_delta", p.count() - q.count());
      Map<String, Object> a = new HashMap<>();
      Map<String, Object> b = new HashMap<>();
      profileValues(a, p);
      profileValues(b, q);
      for (String f : new String[] {"avg", "percent_null", "percent_zeros", "percent_distinct"}) {
        if (a.get(f) instanceof Double x && b.get(f) instanceof Double y) {
          row.put(f + "_delta", x - y);
        }
      }
      DriftThreshold th = def.thresholds().get(p.column());
      if (p.kind() == ColumnProfile.Kind.NUMERIC) {
        Ecdf ref = ecdfs.computeIfAbsent(q, ColumnProfile::ecdf);
        Ecdf now = ecdfs.computeIfAbsent(p, ColumnProfile::ecdf);
        Stats.Ks ks = Stats.ks(ref, now);
        double w = Stats.wasserstein(ref, now);
        double wn = Stats.wassersteinNormalized(w, ref);
        double psi = Stats.psi(ref, now, def.psiBins());
        row.put("ks_test", new double[] {ks.statistic(), ks.pvalue()});
        row.put("wasserstein_distance", w);
        row.put("wasserstein_distance_normalized", wn);
        row.put("population_stability_index", psi);
        if (ref.count() > 0 && now.count() > 0) {
          DriftThreshold use = th != null ? th : DriftThreshold.defaultFor(true, ref.count());
          double stat = switch (use.metric()) {
            case KS_PVALUE -> ks.pvalue();
            case WASSERSTEIN_NORMALIZED -> wn;
            case PSI -> psi;
            default -> Double.NaN;
          };
          decide(row, use, stat);
        }
      } else if (p.kind() == ColumnProfile.Kind.CATEGORICAL) {
        Map<String, Long> rc = q.categoryCounts();
        Map<String, Long> cc = p.categoryCounts();
        TreeSet<String> cats = new TreeSet<>(rc.keySet());
        cats.addAll(cc.keySet());
        long[] ra = new long[cats.size()];
        long[] ca = new long[cats.size()];
        int i = 0;
        long refN = 0;
        for (String c : cats) {
          ra[i] = rc.getOrDefault(c, 0L);
          ca[i] = cc.getOrDefault(c, 0L);
          refN += ra[i];
          i++;
        }
        Stats.Chi2 chi = Stats.chiSquared(ra, ca);
        double js = Stats.jsDistance(ra, ca);
        double tv = Stats.tvDistance(ra, ca);
        double linf = Stats.lInfinity(ra, ca);
        row.put("chi_squared_test", new double[] {chi.statistic(), chi.pvalue()});
        row.put("js_distance", js);
        row.put("tv_distance", tv);
        row.put("l_infinity_distance", linf);
        if (!Double.isNaN(js)) {
          DriftThreshold use = th != null ? th : DriftThreshold.defaultFor(false, refN);
          double stat = switch (use.metric()) {
            case CHI_SQUARED_PVALUE -> chi.pvalue();
            case JS_DISTANCE -> js;
            case TV_DISTANCE -> tv;
            case L_INFINITY_DISTANCE -> linf;
            default -> Double.NaN;
          };
          decide(row, use, stat);
        }
      }
      driftCustom(row, p.column(), cur, cmp, a, b);
      driftRows.add(row);
    }
  }

  private static void decide(Map<String, Object> row, DriftThreshold use, double stat) {
    row.put("drift_detected", use.drifted(stat));
    row.put("drift_statistic", use.metric().name());
    row.put("drift_threshold", use.value());
  }

  private void driftCustom(Map<String, Object> row, String column, Group cur, Group cmp, Map<String, Object> a,
      Map<String, Object> b) {
    for (CustomMetric m : def.customMetrics()) {
      if (m.type() == CustomMetric.Type.DRIFT && m.inputColumns().contains(column)) {
        Map<String, Object> ca = a != null ? a : new HashMap<>(Map.of("count", (Object) cur.count));
        Map<String, Object> cb = b != null ? b : new HashMap<>(Map.of("count", (Object) cmp.count));
        row.put(m.name(), ((CustomMetric.Drift) functions.get(m.name())).apply(numbers(ca), numbers(cb)));
      }
    }
  }

  // ---------------------------------------------------------------- writing

  /**
   * Rewrites one result table in one commit: the old rows minus the replaced windows (and minus all
   * INPUT rows on a full time-series recompute, minus BASELINE rows when the baseline was recomputed),
   * plus the new rows.
   */
  private void write(String name, Schema schema, List<Map<String, Object>> newRows, Set<String> replaced,
      boolean replaceAllInput, boolean dropBaseline, boolean profile) {
    Frame fresh = ResultLayout.toFrame(schema, newRows);
    Optional<DeltaTable> existing = ws.tables().find(name);
    if (existing.isEmpty()) {
      ws.tables().create(name).schema(schema).description("Monitor results of " + def.table()
          + " (mlops-monitor; Databricks Lakehouse Monitoring layout)").ifNotExists().create();
      existing = ws.tables().find(name);
    }
    DeltaTable t = existing.orElseThrow();
    Schema old = t.schema();
    List<Field> add = new ArrayList<>();
    for (Field f : schema.fields()) {
      if (!old.contains(f.name())) {
        add.add(f);
      }
    }
    if (!add.isEmpty()) {
      t.addColumns(add.toArray(new Field[0]));
      old = t.schema();
    }
    Frame before = t.read().load();
    Column gran = before.column("granularity");
    Column ws0 = before.column("window");
    Column logType = profile ? before.column("log_type") : null;
    Frame keep = before.filter(i -> {
      boolean baselineRow = logType != null && "BASELINE".equals(logType.getString(i));
      if (baselineRow) {
        return !dropBaseline;
      }
      if (replaceAllInput) {
        return false;
      }
      Instant start = ResultLayout.windowStart(ws0, i);
      return !replaced.contains(ResultLayout.windowKey(gran.isNull(i) ? null : gran.getString(i), start));
    });
    Frame all = Frame.concat(List.of(align(keep, old), align(fresh, old)));
    t.overwrite(all);
  }

  private static Frame align(Frame f, Schema target) {
    List<Column> cols = new ArrayList<>();
    for (Field fld : target.fields()) {
      cols.add(f.hasColumn(fld.name()) ? f.column(fld.name()) : Column.nulls(fld.name(), fld.type(), f.rowCount()));
    }
    return Frame.of(cols);
  }
}
