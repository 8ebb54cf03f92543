package dev.mlops.features.internal;

import dev.mlops.core.internal.KeyIndex;
import dev.mlops.core.Column;
import dev.mlops.core.Frame;
import dev.mlops.features.FeatureReader;
import dev.mlops.features.MutableFeatureRow;
import dev.mlops.features.OnlineStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The embedded online store: per table an immutable snapshot (rows as a columnar frame, a key
 * index, the version), swapped atomically on publish so lookups never block or see half a publish.
 *
 * <p>For one-key reads each snapshot also holds the live rows packed row by row ({@link PackedRows},
 * indexed by key id) and, for a single integral primary key, a {@link LongKeyTable} from key to id:
 * a read is one probe (one cache line) and one packed row (one or two lines), where the columnar frame
 * costs a line per column. Batch lookups probe the key index (its batch probe) and gather the packed
 * rows chunk by chunk ({@link PackedRows#gather}); columns that are not fixed-width are taken from the
 * columnar frame.
 */
public final class InMemoryOnlineStore implements OnlineStore {
  private static final RowAccess.Access ROWS = RowAccess.get();
  private static final dev.mlops.core.internal.ColumnAccess.Access COLUMNS = dev.mlops.core.internal.ColumnAccess.obtain();

  /**
   * One published table.
   *
   * @param packed live rows by key id, or null when too large for one array
   * @param keyTable single integral key to id, or null (other keys, or too large): then the key index
   */
  private record State(long version, List<String> keys, Frame rows, KeyIndex index, int[] slotOfId, int live,
      PackedRows packed, LongKeyTable keyTable) {

    /** The key id of one key's values, live keys only, or -1 (as lookup finds it). */
    int idOf(Object[] key) {
      if (keyTable != null) {
        Object v = key[0];
        long k;
        if (v instanceof Number num) {
          k = num.longValue();
        } else if (v instanceof java.time.Instant t) {
          k = dev.mlops.core.internal.Values.instantToMicros(t);
        } else if (v instanceof java.time.LocalDateTime t) {
          k = dev.mlops.core.internal.Values.localToMicros(t);
        } else if (v instanceof java.time.LocalDate d) {
          k = d.toEpochDay();
        } else {
          return -1;
        }
        return keyTable.find(k);
      }
      int id = index.findValues(key);
      return id < 0 || slotOfId[id] < 0 ? -1 : id;
    }

    /**
     * The key id of each row of a frame of key columns (live keys only), or -1, in order: through the
     * one-line key table when there is one (a probe reads one cache line; the key index keeps keys,
     * ids and used flags in three arrays), else the key index's batch probe. With the columns a
     * gather will take ({@code like}, or null), the key table's probe also brings their packed rows
     * into cache ({@link PackedRows#probe}).
     */
    int[] liveIds(Frame keyFrame, List<Column> like) {
      if (keyTable != null) {
        Column c = keyFrame.column(keys.get(0));
        int n = keyFrame.rowCount();
        int[] ids = new int[n];
        boolean[] nulls = COLUMNS.nulls(c);
        Object values = COLUMNS.values(c);
        LongKeyTable t = keyTable;
        long[] v;
        if (values instanceof long[] l) {
          v = l;
        } else {
          int[] small = (int[]) values;
          v = new long[n];
          for (int i = 0; i < n; i++) {
            v[i] = small[i];
          }
        }
        if (packed != null && like != null) {
          // the rows of the keys are read while probing: gather finds them in cache
          packed.probe(t, v, n, ids, packed.touchWords(like));
        } else {
          for (int i = 0; i < n; i++) {
            ids[i] = t.find(v[i]);
          }
        }
        if (nulls != null) {
          for (int i = 0; i < n; i++) {
            if (nulls[i]) {
              ids[i] = -1;
            }
          }
        }
        return ids;
      }
      int[] ids = index.find(keyFrame, keys);
      for (int i = 0; i < ids.length; i++) {
        if (ids[i] >= 0 && slotOfId[ids[i]] < 0) {
          ids[i] = -1;
        }
      }
      return ids;
    }
  }

  /** A table's current state: readers keep the holder and see each publish. */
  private static final class Holder {
    volatile State state;
  }

  private final Map<String, Holder> tables = new ConcurrentHashMap<>();

  private State current(String table) {
    Holder h = tables.get(table);
    return h == null ? null : h.state;
  }

  @Override
  public OptionalLong publishedVersion(String table) {
    State s = current(table);
    return s == null ? OptionalLong.empty() : OptionalLong.of(s.version());
  }

  @Override
  public synchronized void apply(String table, long version, List<String> keys, Frame upserts, Frame deletedKeys,
      boolean replaceAll) {
    State old = replaceAll ? null : current(table);
    Frame rows;
    boolean[] dead;
    if (old == null) {
      rows = upserts;
      dead = new boolean[rows.rowCount()];
    } else {
      // Keep the old rows whose keys are neither upserted nor deleted, then add the upserts.
      KeyIndex changed = KeyIndex.build(Frame.concat(List.of(upserts.select(keys), deletedKeys.select(keys))), keys);
      int[] hit = changed.find(old.rows(), keys);
      int[] keep = new int[old.rows().rowCount()];
      int k = 0;
      for (int r = 0; r < hit.length; r++) {
        if (hit[r] < 0 && old.slotOfId()[old.index().id(r)] == r) {
          keep[k++] = r;
        }
      }
      Frame kept = old.rows().take(Arrays.copyOf(keep, k));
      rows = Frame.concat(List.of(kept, upserts.select(kept.schema().names())));
      dead = new boolean[rows.rowCount()];
    }
    KeyIndex index = KeyIndex.build(rows, keys);
    int[] slotOfId = new int[index.distinct()];
    Arrays.fill(slotOfId, -1);
    for (int r = 0; r < rows.rowCount(); r++) {
      int id = index.id(r);
      if (id >= 0 && !dead[r]) {
        slotOfId[id] = r; // the last row of a key wins
      }
    }
    int live = 0;
    for (int s : slotOfId) {
      live += s >= 0 ? 1 : 0;
    }
    PackedRows packed = PackedRows.pack(rows, slotOfId);
    LongKeyTable keyTable = null;
    List<dev.mlops.core.DataType> keyTypes = new ArrayList<>();
    for (String key : keys) {
      keyTypes.add(rows.column(key).type());
    }
    if (keys.size() == 1 && KeyIndex.primitive(keyTypes)) {
      Column kc = rows.column(keys.get(0));
      long[] keyOfId = new long[slotOfId.length];
      boolean[] isLive = new boolean[slotOfId.length];
      for (int id = 0; id < slotOfId.length; id++) {
        int r = slotOfId[id];
        if (r >= 0) {
          keyOfId[id] = kc.getLong(r);
          isLive[id] = true;
        }
      }
      keyTable = LongKeyTable.build(keyOfId, isLive, live);
    }
    tables.computeIfAbsent(table, t -> new Holder()).state =
        new State(version, List.copyOf(keys), rows, index, slotOfId, live, packed, keyTable);
  }

  private State state(String table) {
    State s = current(table);
    if (s == null) {
      throw Errors.tableNeverPublishedOnline(table);
    }
    return s;
  }

  @Override
  public Frame lookup(String table, Frame keys, List<String> features) {
    State s = state(table);
    for (String k : s.keys()) {
      if (!keys.hasColumn(k)) {
        throw Errors.onlineLookupNeedsKey(table, k, keys.schema().names(), s.keys());
      }
      if (keys.column(k).type() != s.rows().column(k).type()) {
        throw Errors.keyColumnStoresConvert(k, keys.column(k).type(), table, s.rows().column(k).type());
      }
    }
    List<Column> like = null;
    if (s.packed() != null) {
      like = new ArrayList<>(features.size());
      for (String f : features) {
        like.add(s.rows().column(f));
      }
    }
    int[] ids = s.liveIds(keys, like);
    if (like != null) {
      // packed rows by key id: a key's values are one or two cache lines, not a line per column
      List<Column> cols = s.packed().gather(ids, like);
      if (cols != null) {
        return Frame.of(cols);
      }
    }
    int[] rows = new int[ids.length];
    for (int i = 0; i < ids.length; i++) {
      rows[i] = ids[i] < 0 ? -1 : s.slotOfId()[ids[i]];
    }
    List<Column> cols = new ArrayList<>(features.size());
    for (String f : features) {
      cols.add(s.rows().column(f).take(rows));
    }
    return Frame.of(cols);
  }

  @Override
  public Frame lookup(String table, Object... key) {
    State s = state(table);
    if (key.length != s.keys().size()) {
      throw Errors.tablePrimaryKeyColumn(table, s.keys(), s.keys().size(), key.length);
    }
    int id = s.idOf(key);
    return id < 0 ? s.rows().head(0) : s.rows().take(new int[] {s.slotOfId()[id]});
  }

  @Override
  public int size(String table) {
    State s = current(table);
    return s == null ? 0 : s.live();
  }

  @Override
  public FeatureReader reader(String table) {
    return new Reader(table, holder(table), null);
  }

  @Override
  public FeatureReader reader(String table, List<String> columns) {
    return new Reader(table, holder(table), List.copyOf(columns));
  }

  private Holder holder(String table) {
    state(table); // never published: the same message as a lookup
    return tables.get(table);
  }

  /** The columns of a reader resolved against one state. */
  private record Resolved(State state, PackedRows.Layout layout) {}

  /** Reads packed rows of the holder's current state. */
  private static final class Reader implements FeatureReader {
    private final String table;
    private final Holder holder;
    private final List<String> columns;
    /** The last resolution (a record of final fields: safe to share between threads without locks). */
    private Resolved resolved;

    Reader(String table, Holder holder, List<String> columns) {
      this.table = table;
      this.holder = holder;
      this.columns = columns == null ? holder.state.rows().schema().names() : columns;
      this.resolved = resolve(holder.state);
    }

    private Resolved resolve(State s) {
      PackedRows.Layout layout = s.packed() == null ? null : s.packed().layout(columns, table);
      if (layout == null) {
        for (String c : columns) {
          s.rows().column(c); // the same ColumnNotFoundException as a packed table
        }
      }
      return new Resolved(s, layout);
    }

    private Resolved current() {
      State s = holder.state;
      Resolved r = resolved;
      if (r.state() != s) {
        r = resolve(s);
        resolved = r;
      }
      return r;
    }

    @Override
    public String table() {
      return table;
    }

    @Override
    public List<String> columns() {
      return columns;
    }

    @Override
    public boolean read(long key, MutableFeatureRow into) {
      Resolved r = current();
      State s = r.state();
      if (s.keyTable() == null) {
        if (s.keys().size() != 1 || !KeyIndex.integral(s.rows().column(s.keys().get(0)).type())) {
          throw Errors.notOneIntegralKey(table, s.keys());
        }
        return fill(r, into, s.idOf(new Object[] {key}));
      }
      return fill(r, into, s.keyTable().find(key));
    }

    @Override
    public boolean read(MutableFeatureRow into, Object... key) {
      Resolved r = current();
      State s = r.state();
      if (key.length != s.keys().size()) {
        throw Errors.tablePrimaryKeyColumn(table, s.keys(), s.keys().size(), key.length);
      }
      return fill(r, into, s.idOf(key));
    }

    private boolean fill(Resolved r, MutableFeatureRow into, int id) {
      if (r.layout() != null) {
        ROWS.point(into, r.layout(), id);
        return id >= 0;
      }
      // too large to pack: pack this one row from the columns
      Frame one = id < 0 ? r.state().rows().head(0) : r.state().rows().take(new int[] {r.state().slotOfId()[id]});
      Frame sel = one.select(columns);
      PackedRows p = PackedRows.pack(sel, new int[] {id < 0 ? -1 : 0});
      ROWS.point(into, p.layout(columns, table), id < 0 ? -1 : 0);
      return id >= 0;
    }
  }
}
