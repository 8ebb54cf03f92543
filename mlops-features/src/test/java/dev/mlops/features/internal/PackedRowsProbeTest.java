package dev.mlops.features.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.Column;
import dev.mlops.core.DataType;
import dev.mlops.core.Frame;
import dev.mlops.features.OnlineStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The batch probe that reads each key's packed row while probing ({@link PackedRows#probe}) against the
 * plain path: ids equal to one {@link LongKeyTable#find} per key, and the store's batch lookup equal,
 * value by value (nulls, absent and null keys), to the published frame's columns taken row by row. Batch
 * sizes around the probe's lag, rows wider than two lines with null words, reference-only requests (no
 * words to read) and an empty table.
 */
class PackedRowsProbeTest {
  private static final String T = "main.t.probe";

  /**
   * A table keyed by id of {@code cols} DOUBLE/LONG columns (every third with nulls), a STRING with
   * nulls and one without.
   */
  private static Frame wide(int n, int cols, long seed) {
    Random r = new Random(seed);
    List<Column> cs = new ArrayList<>();
    long[] id = new long[n];
    for (int i = 0; i < n; i++) {
      id[i] = r.nextLong();
    }
    cs.add(Column.ofLongs("id", id));
    for (int c = 0; c < cols; c++) {
      List<Object> v = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        boolean nul = c % 3 == 0 && (i == 0 || r.nextInt(4) == 0);
        v.add(nul ? null : c % 2 == 0 ? (Object) r.nextGaussian() : (Object) r.nextLong());
      }
      cs.add(Column.of("c" + c, c % 2 == 0 ? DataType.DOUBLE : DataType.LONG, v));
    }
    List<Object> s = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      s.add(i % 5 == 0 ? null : "s" + i);
    }
    cs.add(Column.of("s", DataType.STRING, s));
    String[] t = new String[n];
    Arrays.setAll(t, i -> "t" + i);
    cs.add(Column.ofStrings("t", t));
    return Frame.of(cs);
  }

  private static void assertSameValues(Frame want, Frame got, String what) {
    assertThat(got.schema().names()).as(what).isEqualTo(want.schema().names());
    assertThat(got.rowCount()).as(what).isEqualTo(want.rowCount());
    for (String f : want.schema().names()) {
      Column w = want.column(f);
      Column g = got.column(f);
      assertThat(g.hasNulls()).as("%s %s hasNulls", what, f).isEqualTo(w.hasNulls());
      for (int r = 0; r < w.size(); r++) {
        assertThat(g.isNull(r)).as("%s %s row %d null", what, f, r).isEqualTo(w.isNull(r));
        assertThat(g.get(r)).as("%s %s row %d", what, f, r).isEqualTo(w.get(r));
      }
    }
    assertThat(got).as(what).isEqualTo(want);
  }

  @Test
  void probe_finds_what_find_finds_and_the_batch_equals_the_columns_around_its_lag() {
    int n = 2000;
    Frame rows = wide(n, 40, 3); // 40 values + a null word: a row spans six lines
    OnlineStore store = OnlineStore.inMemory();
    store.apply(T, 1, List.of("id"), rows, Frame.empty(rows.schema().select(List.of("id"))), true);
    long[] id = new long[n];
    boolean[] live = new boolean[n];
    for (int i = 0; i < n; i++) {
      id[i] = rows.column("id").getLong(i);
      live[i] = true;
    }
    int[] all = new int[n];
    for (int i = 0; i < n; i++) {
      all[i] = i;
    }
    PackedRows packed = PackedRows.pack(rows, all);
    LongKeyTable table = LongKeyTable.build(id, live, n);
    List<List<String>> requests = List.of(
        List.of("c5"),
        List.of("c0", "c1", "c2"),
        List.of("c39", "c0", "s", "c20", "c3"), // far apart: a middle word is read too
        List.of("t"), // a reference without nulls: nothing to read
        List.of("s", "t"),
        rows.schema().names());
    Random r = new Random(4);
    for (int size : new int[] {0, 1, 2, 15, 16, 17, 31, 33, 1500, 2500}) {
      long[] keys = new long[size];
      int[] at = new int[size];
      List<Object> boxed = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        int pick = r.nextInt(n + 40) - 20;
        keys[i] = pick >= 0 && pick < n ? id[pick] : r.nextLong(); // random ids: absent
        at[i] = pick >= 0 && pick < n ? pick : -1;
        boxed.add(pick == -20 ? null : (Object) keys[i]); // a null key
        if (pick == -20) {
          at[i] = -1;
        }
      }
      for (List<String> req : requests) {
        List<Column> like = new ArrayList<>();
        for (String f : req) {
          like.add(rows.column(f));
        }
        int[] got = new int[size];
        packed.probe(table, keys, size, got, packed.touchWords(like));
        for (int i = 0; i < size; i++) {
          assertThat(got[i]).as("size %d key %d", size, i).isEqualTo(table.find(keys[i]));
        }
        Frame want = rows.take(at).select(req);
        Frame batch = store.lookup(T, Frame.of(Column.of("id", DataType.LONG, boxed)), req);
        assertSameValues(want, batch, "size " + size + " " + req);
      }
    }
  }

  @Test
  void touch_words_cover_the_requested_span_and_refuse_unpacked_columns() {
    Frame rows = wide(10, 40, 5);
    int[] all = new int[10];
    Arrays.setAll(all, i -> i);
    PackedRows packed = PackedRows.pack(rows, all);
    int c0 = packed.off[1]; // "c0" is column 1
    List<Column> two = List.of(rows.column("c0"), rows.column("c1"));
    assertThat(packed.touchWords(two)).containsExactly(0, c0 + 1); // the null word, then c1's value
    assertThat(packed.touchWords(List.of(rows.column("s")))).containsExactly(0); // its null word
    assertThat(packed.touchWords(List.of(rows.column("t")))).isEmpty();
    assertThat(packed.touchWords(List.of(Column.ofDoubles("nope", 1.0)))).isEmpty();
    assertThat(packed.touchWords(List.of(rows.column("c1"), rows.column("c38"))))
        .containsExactly(packed.off[2], packed.off[39]);
    assertThat(packed.touchWords(List.of(rows.column("c37"), rows.column("c1"), rows.column("c19"))))
        .containsExactly(packed.off[2], packed.off[20], packed.off[38]);
  }

  @Test
  void an_empty_table_and_a_table_with_every_key_deleted_give_nulls() {
    Frame rows = wide(0, 12, 6);
    OnlineStore store = OnlineStore.inMemory();
    store.apply(T, 1, List.of("id"), rows, Frame.empty(rows.schema().select(List.of("id"))), true);
    Frame keys = Frame.of(Column.ofLongs("id", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19));
    List<String> req = List.of("c0", "c11", "s");
    List<Object> nulls = Arrays.asList(new Object[19]);
    Frame absent = Frame.of(Column.of("c0", DataType.DOUBLE, nulls), Column.of("c11", DataType.LONG, nulls),
        Column.of("s", DataType.STRING, nulls));
    assertSameValues(absent, store.lookup(T, keys, req), "empty table");
    Frame some = wide(30, 12, 7);
    store.apply(T, 2, List.of("id"), some, Frame.empty(some.schema().select(List.of("id"))), true);
    store.apply(T, 3, List.of("id"), some.head(0), some.select("id"), false);
    assertThat(store.size(T)).isZero();
    int[] none = new int[30];
    Arrays.fill(none, -1);
    assertSameValues(some.take(none).select(req), store.lookup(T, some.select("id"), req), "every key deleted");
  }
}
