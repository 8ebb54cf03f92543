package dev.mlops.features.internal;

import dev.mlops.core.Column;
import dev.mlops.core.DataType;
import dev.mlops.core.DeltaTable;
import dev.mlops.core.Frame;
import dev.mlops.core.Workspace;
import dev.mlops.core.internal.ColumnAccess;
import dev.mlops.core.internal.Values;
import dev.mlops.features.FeatureSpec;
import dev.mlops.features.FeatureStoreException;
import dev.mlops.features.OnDemandFeature;
import dev.mlops.features.OnlineStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The one code path that turns a spine (or scoring keys) plus a {@link FeatureSpec} into features:
 * lookups (from Delta tables at pinned or latest versions, or from an online store), defaults,
 * renames, on-demand functions, exclusions. Training and serving both go through it, so they cannot
 * compute features differently.
 */
public final class Joiner {
  private static final ColumnAccess.Access COLUMNS = ColumnAccess.obtain();

  private Joiner() {}

  /**
   * Feature values for each spine row, which rows matched a feature row (-1 = none), and the matched
   * rows' timestamp key values when the lookup asks for them (else null).
   */
  public record Looked(Frame features, int[] match, Column matchedTimestamp) {}

  /** Where feature rows come from. */
  public interface Source {
    /** Features of one lookup for each row of the spine. */
    Looked lookup(FeatureSpec.Lookup lookup, Frame spine);
  }

  /** Delta tables at the spec's versions (latest=false) or their latest versions (scoring). */
  public static Source offline(Workspace ws, boolean latest) {
    return (l, spine) -> {
      DeltaTable t = ws.tables().get(l.table());
      String tsKey = l.timestampKey().orElse(null);
      String spineTs = l.timestampLookupKey().orElse(null);
      if (tsKey != null && spineTs != null && spine.hasColumn(spineTs)) {
        // streamed over the data files: only the key/time columns, then only the matched values
        Optional<Looked> fast = AsOfJoin.lookup(t, latest ? null : l.tableVersion(), l, renameKeys(spine, l), spineTs);
        if (fast.isPresent()) {
          return fast.get();
        }
      }
      long version = latest ? t.version() : l.tableVersion();
      List<String> cols = new ArrayList<>(l.primaryKeys());
      if (tsKey != null) {
        cols.add(tsKey);
      }
      cols.addAll(l.features());
      Frame feat = t.read().version(version).columns(cols.toArray(new String[0])).load();
      PointInTime idx = PointInTime.index(feat, l.primaryKeys(), tsKey);
      int[] match;
      if (tsKey != null && spineTs != null && spine.hasColumn(spineTs)) {
        match = idx.match(renameKeys(spine, l), l.primaryKeys(), spineTs,
            lookbackInKeyUnits(l, feat.column(tsKey).type()));
      } else {
        match = idx.matchLatest(renameKeys(spine, l), l.primaryKeys());
      }
      List<Column> out = new ArrayList<>();
      for (String f : l.features()) {
        out.add(feat.column(f).take(match));
      }
      Column asOf = l.timestampOutput().isPresent() ? feat.column(tsKey).take(match) : null;
      return new Looked(Frame.of(out), match, asOf);
    };
  }

  /** The lookback window in the timestamp key's unit (days for DATE, microseconds for TIMESTAMP); -1 = none. */
  static long lookbackInKeyUnits(FeatureSpec.Lookup l, DataType tsKeyType) {
    if (l.lookback().isEmpty()) {
      return -1;
    }
    java.time.Duration d = l.lookback().get();
    if (tsKeyType == DataType.DATE) {
      return d.toDays();
    }
    try {
      return Math.addExact(Math.multiplyExact(d.getSeconds(), 1_000_000L), d.getNano() / 1000);
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE; // longer than the microsecond range: every earlier row is inside the window
    }
  }

  /** An online store (latest values per key). */
  public static Source online(OnlineStore store) {
    return (l, spine) -> {
      List<String> want = new ArrayList<>();
      want.add(l.primaryKeys().get(0));
      want.addAll(l.features());
      boolean withTs = l.timestampOutput().isPresent() && l.timestampKey().isPresent()
          && !l.features().contains(l.timestampKey().get());
      if (withTs) {
        want.add(l.timestampKey().get());
      }
      Frame got = store.lookup(l.table(), renameKeys(spine, l), want);
      Column probe = got.column(l.primaryKeys().get(0));
      int[] match = new int[got.rowCount()];
      for (int i = 0; i < match.length; i++) {
        match[i] = probe.isNull(i) ? -1 : i;
      }
      return new Looked(got.select(l.features()), match, withTs ? got.column(l.timestampKey().get()) : null);
    };
  }

  /** The spine's lookup key columns under the table's primary key names. */
  private static Frame renameKeys(Frame spine, FeatureSpec.Lookup l) {
    List<Column> cols = new ArrayList<>();
    for (int i = 0; i < l.lookupKeys().size(); i++) {
      cols.add(spine.column(l.lookupKeys().get(i)).rename(l.primaryKeys().get(i)));
    }
    l.timestampLookupKey().filter(spine::hasColumn).ifPresent(ts -> cols.add(spine.column(ts)));
    return Frame.of(cols);
  }

  /** Spine + features per the spec. Columns already in the spine are kept (they override lookups). */
  @SuppressWarnings("deprecation") // the JVM-wide registry is the migration fallback
  public static Frame join(Frame spine, FeatureSpec spec, Source source, dev.mlops.features.OnDemandRegistry registry) {
    Frame out = spine;
    for (FeatureSpec.Lookup l : spec.lookups()) {
      List<String> outputs = l.outputColumns();
      boolean wantTs = l.timestampOutput().filter(o -> !spine.hasColumn(o)).isPresent();
      boolean anyMissing = wantTs || outputs.stream().anyMatch(o -> !spine.hasColumn(o));
      if (!anyMissing) {
        continue;
      }
      Looked r = source.lookup(l, out);
      for (int i = 0; i < l.features().size(); i++) {
        String f = l.features().get(i);
        String name = outputs.get(i);
        if (spine.hasColumn(name)) {
          continue; // given by the caller: overrides the looked-up value
        }
        Column c = r.features().column(f);
        Object dflt = l.defaults().get(f);
        if (dflt != null) {
          c = withDefault(c, r.match(), dflt);
        }
        out = out.withColumn(c.rename(name));
      }
      if (wantTs && r.matchedTimestamp() != null) {
        out = out.withColumn(r.matchedTimestamp().rename(l.timestampOutput().get()));
      }
    }
    for (FeatureSpec.Function fn : spec.onDemand()) {
      if (out.hasColumn(fn.name())) {
        continue;
      }
      OnDemandFeature f = registry.find(fn.name()).or(() -> OnDemandFeature.registered(fn.name()))
          .orElseThrow(() -> Errors.onDemandFeatureRegisteredFeature(fn.name(), fn.type(), fn.inputs(),
              registry.names()));
      out = out.withColumn(compute(f, fn, out));
    }
    if (!spec.exclude().isEmpty()) {
      out = out.drop(spec.exclude().toArray(new String[0]));
    }
    return out;
  }

  private static Column compute(OnDemandFeature f, FeatureSpec.Function fn, Frame in) {
    List<Column> inputs = new ArrayList<>();
    for (String c : fn.inputs()) {
      inputs.add(in.column(c));
    }
    Object[] row = new Object[inputs.size()];
    Object[] values = new Object[in.rowCount()];
    for (int r = 0; r < in.rowCount(); r++) {
      for (int i = 0; i < row.length; i++) {
        row[i] = inputs.get(i).get(r);
      }
      try {
        values[r] = f.function().apply(row.clone());
      } catch (RuntimeException e) {
        throw Errors.onDemandFeatureFailedRow(fn.name(), r, Arrays.toString(row), e);
      }
    }
    try {
      return Column.of(fn.name(), fn.type(), Arrays.asList(values));
    } catch (RuntimeException e) {
      throw Errors.onDemandFeatureReturnedValue(fn.name(), fn.type(), e.getMessage());
    }
  }

  private static Column withDefault(Column c, int[] match, Object dflt) {
    DataType t = c.type();
    Object one = Values.newArray(t, 1);
    Values.set(one, t, 0, dflt, c.name()); // the spec holds the canonical value of the column's type
    int n = c.size();
    Object arr = Values.newArray(t, n);
    boolean[] nulls = new boolean[n];
    for (int i = 0; i < n; i++) {
      if (match[i] < 0) {
        Values.copy(one, 0, arr, i);
      } else if (c.isNull(i)) {
        nulls[i] = true;
      } else {
        Values.copy(COLUMNS.values(c), i, arr, i);
      }
    }
    return COLUMNS.wrap(c.name(), t, arr, nulls, n);
  }
}
