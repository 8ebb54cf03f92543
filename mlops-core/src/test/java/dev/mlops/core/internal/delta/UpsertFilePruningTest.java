package dev.mlops.core.internal.delta;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.Column;
import dev.mlops.core.CommitResult;
import dev.mlops.core.DataType;
import dev.mlops.core.DeltaTable;
import dev.mlops.core.Field;
import dev.mlops.core.Frame;
import dev.mlops.core.Schema;
import dev.mlops.core.TableName;
import dev.mlops.core.Workspace;
import io.delta.kernel.Scan;
import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.utils.CloseableIterator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An upsert probes and rewrites only the files whose key statistics can hold a key of its batch,
 * also when the batch's keys span the whole table (old and new time slots): a file is skipped when
 * no key value of the batch lies in its [min, max] of some key column. Timestamp statistics are
 * truncated to milliseconds, so keys with sub-millisecond parts at a file's bounds must still find
 * the file (else the upsert would insert a second row with the same key).
 */
class UpsertFilePruningTest {
  @TempDir Path dir;

  static final long DAY = 86_400_000_000L;
  static final long BASE = 1_700_000_000_000_000L;
  static final Schema SCHEMA = Schema.of(Field.of("id", DataType.LONG), Field.of("ts", DataType.TIMESTAMP),
      Field.of("v", DataType.DOUBLE));

  /** File k: ids 0..49 at ts = BASE + 10k days + i tenths of a day + 999 µs (sub-millisecond bounds). */
  static long ts(int file, int i) {
    return BASE + file * 10 * DAY + i * (DAY / 10) + 999;
  }

  static Frame file(int k) {
    long[] id = new long[50];
    long[] ts = new long[50];
    double[] v = new double[50];
    for (int i = 0; i < 50; i++) {
      id[i] = i;
      ts[i] = ts(k, i);
      v[i] = k * 100 + i;
    }
    return Frame.of(Column.ofLongs("id", id), Column.ofTimestamps("ts", ts), Column.ofDoubles("v", v));
  }

  static Frame batch(long[] id, long[] ts) {
    return Frame.of(Column.ofLongs("id", id), Column.ofTimestamps("ts", ts), Column.ofDoubles("v", new double[id.length]));
  }

  @Test
  void files_are_kept_out_by_the_key_values_of_the_batch_not_only_its_range() throws Exception {
    try (Workspace ws = Workspace.open(dir.resolve("ws"))) {
      DeltaTable t = ws.tables().create("main.p.ev").schema(SCHEMA).create();
      for (int k = 0; k < 4; k++) {
        t.append(file(k));
      }
      DeltaStore store = new DeltaStore(ws.root(), dir.resolve("ws"), Map.of());
      Snapshot snap = TableManager.loadSnapshot(store.location(TableName.parse("main.p.ev"))).build(store.engine());
      List<Row> files = scanFiles(store.engine(), snap);
      assertThat(files).hasSize(4);
      List<String> keys = List.of("id", "ts");
      // the last key of file 1 (its max has 999 µs the statistics do not keep) and a key after all files
      assertThat(holding(snap, files, batch(new long[] {49, 3}, new long[] {ts(1, 49), ts(9, 0)}), keys)).isEqualTo(1);
      // the first key of file 2 and the last of file 0
      assertThat(holding(snap, files, batch(new long[] {0, 49}, new long[] {ts(2, 0), ts(0, 49)}), keys)).isEqualTo(2);
      // between the files' time ranges: none, although the batch's range covers three files
      assertThat(holding(snap, files, batch(new long[] {1, 2}, new long[] {ts(0, 49) + DAY, ts(2, 49) + DAY}), keys))
          .isZero();
      // a millisecond past a file's last key is outside its statistics' (widened) bounds only after it
      assertThat(holding(snap, files, batch(new long[] {1}, new long[] {ts(3, 49) + 2_000}), keys)).isZero();
    }
  }

  @Test
  void upserts_at_the_sub_millisecond_bounds_of_files_replace_the_row_and_touch_one_file() {
    try (Workspace ws = Workspace.open(dir.resolve("ws"))) {
      DeltaTable t = ws.tables().create("main.p.ev").schema(SCHEMA).create();
      for (int k = 0; k < 4; k++) {
        t.append(file(k));
      }
      // the last key of file 1 and a new key after every file: the batch's range covers all four
      CommitResult c = t.upsert(batch(new long[] {49, 7}, new long[] {ts(1, 49), ts(9, 0)}), "id", "ts");
      assertThat(c.rowsUpdated()).isEqualTo(1);
      assertThat(c.rowsInserted()).isEqualTo(1);
      assertThat(c.filesRemoved()).isEqualTo(1);
      // the first key of file 2
      c = t.upsert(batch(new long[] {0}, new long[] {ts(2, 0)}), "id", "ts");
      assertThat(c.rowsUpdated()).isEqualTo(1);
      assertThat(c.filesRemoved()).isEqualTo(1);
      Frame all = t.read().load();
      assertThat(all.rowCount()).isEqualTo(201);
      assertThat(all.filter(i -> all.column("v").getDouble(i) == 0.0).rowCount()).isEqualTo(4); // file 0's first + 3 written
    }
  }

  @Test
  void int_and_date_keys_find_the_files_at_their_bounds() {
    try (Workspace ws = Workspace.open(dir.resolve("ws"))) {
      Schema s = Schema.of(Field.of("n", DataType.INT), Field.of("day", DataType.DATE), Field.of("v", DataType.DOUBLE));
      DeltaTable t = ws.tables().create("main.p.days").schema(s).create();
      for (int k = 0; k < 3; k++) {
        int[] n = new int[20];
        int[] day = new int[20];
        for (int i = 0; i < 20; i++) {
          n[i] = i;
          day[i] = 19_000 + k * 100 + i;
        }
        t.append(Frame.of(Column.ofInts("n", n), Column.ofDates("day", day), Column.ofDoubles("v", new double[20])));
      }
      CommitResult c = t.upsert(Frame.of(Column.ofInts("n", 19, 0), Column.ofDates("day", 19_119, 19_500),
          Column.ofDoubles("v", 1.0, 2.0)), "n", "day");
      assertThat(c.rowsUpdated()).isEqualTo(1);
      assertThat(c.rowsInserted()).isEqualTo(1);
      assertThat(c.filesRemoved()).isEqualTo(1);
      assertThat(t.read().load().rowCount()).isEqualTo(61);
    }
  }

  private static int holding(Snapshot snap, List<Row> files, Frame batch, List<String> keys) {
    WritePlanner.KeyValues kv = WritePlanner.KeyValues.of(snap, batch, keys);
    int n = 0;
    for (Row f : files) {
      n += kv.mayHold(f) ? 1 : 0;
    }
    return n;
  }

  private static List<Row> scanFiles(Engine engine, Snapshot s) throws Exception {
    List<Row> out = new ArrayList<>();
    Scan scan = s.getScanBuilder().build();
    try (CloseableIterator<FilteredColumnarBatch> it = scan.getScanFiles(engine, true)) {
      while (it.hasNext()) {
        try (CloseableIterator<Row> rows = it.next().getRows()) {
          rows.forEachRemaining(out::add);
        }
      }
    }
    return out;
  }
}
