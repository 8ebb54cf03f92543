package dev.mlops.features.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.Column;
import dev.mlops.core.DataType;
import dev.mlops.core.Frame;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The streaming key set against a HashSet reference, across batches and table growth. */
class StreamKeysTest {

  @Test
  void id_and_timestamp_keys_use_primitive_pairs_and_find_repeats_across_batches_like_a_hash_set() {
    StreamKeys keys = new StreamKeys(List.of("id", "ts"), List.of(DataType.LONG, DataType.TIMESTAMP));
    assertThat(keys.isPrimitive()).isTrue();
    Set<List<Long>> ref = new HashSet<>();
    Random r = new Random(5);
    for (int batch = 0; batch < 20; batch++) {
      long[] id = new long[5000];
      long[] ts = new long[5000];
      int firstRepeat = -1;
      Set<List<Long>> inBatch = new HashSet<>(ref);
      for (int i = 0; i < id.length; i++) {
        id[i] = r.nextInt(2000) - 1000;
        ts[i] = r.nextInt(60) * 86_400_000_000L;
        if (!inBatch.add(List.of(id[i], ts[i])) && firstRepeat < 0) {
          firstRepeat = i;
        }
      }
      Frame f = Frame.of(Column.ofLongs("id", id), Column.of("ts", DataType.TIMESTAMP, toInstants(ts)));
      int probe = keys.firstPresent(f);
      assertThat(probe >= 0).isEqualTo(ref.stream().anyMatch(k -> contains(id, ts, k)));
      assertThat(keys.addAll(f)).isEqualTo(firstRepeat);
      ref = inBatch;
      assertThat(keys.size()).isEqualTo(ref.size());
    }
  }

  /**
   * Batches whose entities' times keep rising (sorted by id then time, by time then id, or written
   * slot by slot with times at random within a slot) are only kept; when that order breaks, the kept
   * keys go into the tables, and a repeat of any earlier key is found at its row as without the run.
   * Checked against a HashSet for the three layouts, breaks at a batch's first row and in its middle,
   * a repeat of the run's first key, falling times without a repeat, and one key column.
   */
  @Test
  void keys_in_rising_order_are_kept_without_hashing_and_repeats_after_the_order_breaks_are_found() {
    Random r = new Random(11);
    for (int order = 0; order < 3; order++) {
      for (int breakAt : new int[] {0, 1_234}) {
        StreamKeys keys = new StreamKeys(List.of("id", "ts"), List.of(DataType.LONG, DataType.TIMESTAMP));
        Set<List<Long>> ref = new HashSet<>();
        int slot = 0;
        long firstId = 0;
        long firstTs = 0;
        for (int batch = 0; batch < 6; batch++) {
          long[] id = new long[3000];
          long[] ts = new long[3000];
          for (int i = 0; i < id.length; i++, slot++) {
            // order 0: by id, then time; order 1: by time, then id (ids 0..99 per time slot)
            long major = slot / 100;
            long minor = slot % 100;
            id[i] = order == 0 ? major : minor;
            ts[i] = (order == 0 ? minor : major) * 1_000_000L + (order == 2 ? 1 + r.nextInt(999_999) : 0);
          }
          if (batch == 0) {
            firstId = id[0];
            firstTs = ts[0];
          }
          int expected = -1;
          if (batch == 4) { // the order breaks: a repeat of an earlier batch's key (and of the very first)
            id[breakAt] = firstId;
            ts[breakAt] = firstTs;
            id[breakAt + 7] = id[breakAt + 3];
            ts[breakAt + 7] = ts[breakAt + 3];
            expected = breakAt;
          }
          if (batch == 5) { // unordered, no repeat: still checked against everything before
            for (int i = id.length - 1; i > 0; i--) {
              int j = r.nextInt(i + 1);
              long t = id[i];
              id[i] = id[j];
              id[j] = t;
              t = ts[i];
              ts[i] = ts[j];
              ts[j] = t;
            }
          }
          Set<List<Long>> next = new HashSet<>(ref);
          int firstRepeat = -1;
          for (int i = 0; i < id.length; i++) {
            if (!next.add(List.of(id[i], ts[i])) && firstRepeat < 0) {
              firstRepeat = i;
            }
          }
          assertThat(firstRepeat).isEqualTo(expected);
          Frame f = Frame.of(Column.ofLongs("id", id), Column.of("ts", DataType.TIMESTAMP, toInstants(ts)));
          assertThat(keys.addAll(f)).as("order %d, batch %d", order, batch).isEqualTo(firstRepeat);
          ref = next;
          assertThat(keys.size()).isEqualTo(ref.size());
        }
        // a probe after the run finds every kept key
        List<Long> kept = ref.iterator().next();
        assertThat(keys.firstPresent(Frame.of(Column.ofLongs("id", -5, kept.get(0)),
            Column.of("ts", DataType.TIMESTAMP, toInstants(new long[] {0, kept.get(1)}))))).isEqualTo(1);
      }
    }
    // an entity's time falls: no repeat, the run just ends
    StreamKeys falls = new StreamKeys(List.of("id", "ts"), List.of(DataType.LONG, DataType.LONG));
    assertThat(falls.addAll(Frame.of(Column.ofLongs("id", 1, 2, 1), Column.ofLongs("ts", 5, 5, 6)))).isEqualTo(-1);
    assertThat(falls.addAll(Frame.of(Column.ofLongs("id", 2, 1, 1), Column.ofLongs("ts", 4, 7, 5)))).isEqualTo(2);
    assertThat(falls.size()).isEqualTo(5);
    // one key column, kept as a run, then probed and repeated
    StreamKeys one = new StreamKeys(List.of("id"), List.of(DataType.LONG));
    assertThat(one.addAll(Frame.of(Column.ofLongs("id", -3, 0, 5)))).isEqualTo(-1);
    assertThat(one.addAll(Frame.of(Column.ofLongs("id", 6, 9)))).isEqualTo(-1);
    assertThat(one.size()).isEqualTo(5);
    assertThat(one.firstPresent(Frame.of(Column.ofLongs("id", 7, 9)))).isEqualTo(1);
    assertThat(one.addAll(Frame.of(Column.ofLongs("id", 10, 0)))).isEqualTo(1);
    assertThat(one.size()).isEqualTo(6);
    // equal keys in a row are no rise: found as repeats
    StreamKeys flat = new StreamKeys(List.of("id", "ts"), List.of(DataType.LONG, DataType.LONG));
    assertThat(flat.addAll(Frame.of(Column.ofLongs("id", 1, 2), Column.ofLongs("ts", 1, 1)))).isEqualTo(-1);
    assertThat(flat.addAll(Frame.of(Column.ofLongs("id", 2, 3), Column.ofLongs("ts", 1, 1)))).isEqualTo(0);
  }

  @Test
  void the_pair_that_marks_free_slots_is_a_key_like_any_other() {
    long min = Long.MIN_VALUE;
    StreamKeys keys = new StreamKeys(List.of("id", "ts"), List.of(DataType.LONG, DataType.LONG));
    assertThat(keys.firstPresent(Frame.of(Column.ofLongs("id", min), Column.ofLongs("ts", min)))).isEqualTo(-1);
    assertThat(keys.addAll(Frame.of(Column.ofLongs("id", min, min, 0, min), Column.ofLongs("ts", 0, min, min, 1))))
        .isEqualTo(-1);
    assertThat(keys.size()).isEqualTo(4);
    assertThat(keys.firstPresent(Frame.of(Column.ofLongs("id", 7, min), Column.ofLongs("ts", 7, min)))).isEqualTo(1);
    assertThat(keys.addAll(Frame.of(Column.ofLongs("id", 1, min), Column.ofLongs("ts", 1, min)))).isEqualTo(1);
    assertThat(keys.size()).isEqualTo(5);
    // one key column: the second of the pair is 0, so (MIN) is not the free-slot pair but must work too
    StreamKeys one = new StreamKeys(List.of("id"), List.of(DataType.LONG));
    assertThat(one.addAll(Frame.of(Column.ofLongs("id", min, 0, min)))).isEqualTo(2);
    // free slots hold (0, 0): that pair, and keys next to it, are keys too
    StreamKeys zero = new StreamKeys(List.of("id", "ts"), List.of(DataType.LONG, DataType.LONG));
    assertThat(zero.firstPresent(Frame.of(Column.ofLongs("id", 0), Column.ofLongs("ts", 0)))).isEqualTo(-1);
    assertThat(zero.addAll(Frame.of(Column.ofLongs("id", 0, 0, 1, 0), Column.ofLongs("ts", 1, 0, 0, 0))))
        .isEqualTo(3);
    assertThat(zero.size()).isEqualTo(3);
    assertThat(zero.firstPresent(Frame.of(Column.ofLongs("id", 2, 0), Column.ofLongs("ts", 2, 0)))).isEqualTo(1);
    assertThat(zero.addAll(Frame.of(Column.ofLongs("id", 2, 0), Column.ofLongs("ts", 2, 0)))).isEqualTo(1);
    assertThat(zero.size()).isEqualTo(4);
    StreamKeys oneZero = new StreamKeys(List.of("id"), List.of(DataType.INT));
    assertThat(oneZero.addAll(Frame.of(Column.ofInts("id", 3, 0, 7)))).isEqualTo(-1);
    assertThat(oneZero.addAll(Frame.of(Column.ofInts("id", 8, 0)))).isEqualTo(1);
    assertThat(oneZero.firstPresent(Frame.of(Column.ofInts("id", 9, 0)))).isEqualTo(1);
  }

  @Test
  void a_million_distinct_pairs_grow_the_table_and_stay_found() {
    StreamKeys keys = new StreamKeys(List.of("id", "ts"), List.of(DataType.LONG, DataType.LONG));
    int n = 1_000_000;
    long[] id = new long[n];
    long[] ts = new long[n];
    for (int i = 0; i < n; i++) {
      id[i] = i % 1000;
      ts[i] = i / 1000;
    }
    assertThat(keys.addAll(Frame.of(Column.ofLongs("id", id), Column.ofLongs("ts", ts)))).isEqualTo(-1);
    assertThat(keys.size()).isEqualTo(n);
    assertThat(keys.firstPresent(Frame.of(Column.ofLongs("id", 5, 999), Column.ofLongs("ts", 1000, 999))))
        .isEqualTo(1);
    assertThat(keys.firstPresent(Frame.of(Column.ofLongs("id", 1000), Column.ofLongs("ts", 0)))).isEqualTo(-1);
  }

  @Test
  void string_keys_use_tuples() {
    StreamKeys keys = new StreamKeys(List.of("shop"), List.of(DataType.STRING));
    assertThat(keys.isPrimitive()).isFalse();
    assertThat(keys.addAll(Frame.of(Column.ofStrings("shop", "a", "b")))).isEqualTo(-1);
    assertThat(keys.addAll(Frame.of(Column.ofStrings("shop", "c", "a")))).isEqualTo(1);
    assertThat(keys.firstPresent(Frame.of(Column.ofStrings("shop", "z", "c")))).isEqualTo(1);
  }

  private static boolean contains(long[] id, long[] ts, List<Long> k) {
    for (int i = 0; i < id.length; i++) {
      if (id[i] == k.get(0) && ts[i] == k.get(1)) {
        return true;
      }
    }
    return false;
  }

  private static List<Object> toInstants(long[] micros) {
    List<Object> out = new java.util.ArrayList<>();
    for (long m : micros) {
      out.add(java.time.Instant.EPOCH.plusSeconds(m / 1_000_000));
    }
    return out;
  }
}
