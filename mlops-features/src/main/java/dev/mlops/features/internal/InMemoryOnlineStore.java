package dev.mlops.features.internal;

import dev.mlops.core.internal.KeyIndex;
import dev.mlops.core.Column;
import dev.mlops.core.Frame;
import dev.mlops.features.FeatureStoreException;
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
 */
public final class InMemoryOnlineStore implements OnlineStore {

  private record State(long version, List<String> keys, Frame rows, KeyIndex index, int[] slotOfId, int live) {}

  private final Map<String, State> tables = new ConcurrentHashMap<>();

  @Override
  public OptionalLong publishedVersion(String table) {
    State s = tables.get(table);
    return s == null ? OptionalLong.empty() : OptionalLong.of(s.version());
  }

  @Override
  public synchronized void apply(String table, long version, List<String> keys, Frame upserts, Frame deletedKeys,
      boolean replaceAll) {
    State old = replaceAll ? null : tables.get(table);
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
    tables.put(table, new State(version, List.copyOf(keys), rows, index, slotOfId, live));
  }

  private State state(String table) {
    State s = tables.get(table);
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
    int[] ids = s.index().find(keys, s.keys());
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
    int id = s.index().findValues(key);
    int row = id < 0 ? -1 : s.slotOfId()[id];
    return row < 0 ? s.rows().head(0) : s.rows().take(new int[] {row});
  }

  @Override
  public int size(String table) {
    State s = tables.get(table);
    return s == null ? 0 : s.live();
  }
}
