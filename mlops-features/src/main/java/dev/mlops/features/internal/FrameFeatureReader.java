package dev.mlops.features.internal;

import dev.mlops.core.Frame;
import dev.mlops.features.FeatureReader;
import dev.mlops.features.MutableFeatureRow;
import dev.mlops.features.OnlineStore;
import java.util.List;

/**
 * The reader of an {@link OnlineStore} that has none of its own: each read is a
 * {@link OnlineStore#lookup(String, Object...)} whose one-row frame is packed into the row. Correct for
 * any store, not fast; the embedded store has its own.
 */
public final class FrameFeatureReader implements FeatureReader {
  private static final RowAccess.Access ROWS = RowAccess.get();

  private final OnlineStore store;
  private final String table;
  private final List<String> columns; // null: all columns of each read
  private volatile List<String> seen = List.of();

  private FrameFeatureReader(OnlineStore store, String table, List<String> columns) {
    this.store = store;
    this.table = table;
    this.columns = columns;
  }

  /**
   * A reader over store's lookups.
   *
   * @param store the store
   * @param table table name
   * @param columns the columns to read, or null for all
   * @return the reader
   */
  public static FeatureReader of(OnlineStore store, String table, List<String> columns) {
    return new FrameFeatureReader(store, table, columns);
  }

  @Override
  public String table() {
    return table;
  }

  @Override
  public List<String> columns() {
    return columns != null ? columns : seen;
  }

  @Override
  public boolean read(long key, MutableFeatureRow into) {
    return fill(store.lookup(table, key), into);
  }

  @Override
  public boolean read(MutableFeatureRow into, Object... key) {
    return fill(store.lookup(table, key), into);
  }

  private boolean fill(Frame f, MutableFeatureRow into) {
    Frame sel = columns == null ? f : f.select(columns);
    List<String> names = sel.schema().names();
    seen = names;
    PackedRows packed = PackedRows.pack(sel, new int[] {sel.rowCount() == 0 ? -1 : 0});
    ROWS.point(into, packed.layout(names, table), sel.rowCount() == 0 ? -1 : 0);
    return sel.rowCount() > 0;
  }
}
