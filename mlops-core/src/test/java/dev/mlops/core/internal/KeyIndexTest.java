package dev.mlops.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.Column;
import dev.mlops.core.Frame;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeyIndexTest {
  @Test
  void the_key_table_grows_past_its_initial_size_and_keeps_every_id() {
    int n = 300_000;
    long[] keys = new long[n];
    for (int i = 0; i < n; i++) {
      keys[i] = (i % 150_000) * 7919L - 5; // 150k distinct keys, each twice, some negative
    }
    KeyIndex idx = KeyIndex.build(Frame.of(Column.ofLongs("k", keys)), List.of("k"));
    assertThat(idx.distinct()).isEqualTo(150_000);
    assertThat(idx.firstDuplicate()).containsExactly(0, 150_000);
    assertThat(KeyIndex.build(Frame.of(Column.ofLongs("k", 1, 2, 3)), List.of("k")).firstDuplicate()).isNull();
    for (int i = 0; i < 150_000; i++) {
      assertThat(idx.id(i + 150_000)).isEqualTo(idx.id(i));
    }
    int[] found = idx.find(Frame.of(Column.ofLongs("k", keys[123_456], 1L, keys[7])), List.of("k"));
    assertThat(found).containsExactly(idx.id(123_456), -1, idx.id(7));
  }

  @Test
  void composite_and_string_keys_use_the_generic_map() {
    Frame f = Frame.of(Column.ofStrings("a", "x", "y", "x"), Column.ofInts("b", 1, 1, 1));
    KeyIndex idx = KeyIndex.build(f, List.of("a", "b"));
    assertThat(idx.distinct()).isEqualTo(2);
    assertThat(idx.id(0)).isEqualTo(idx.id(2));
    assertThat(idx.findValues(new Object[] {"y", 1})).isEqualTo(idx.id(1));
  }

  @Test
  void an_id_and_timestamp_key_gets_the_primitive_pair_table_with_the_ids_a_map_would_give() {
    // 400k rows: 50k entities x 4 timestamps each, every (entity, time) pair twice, some entities negative
    int n = 400_000;
    long[] id = new long[n];
    long[] ts = new long[n];
    for (int r = 0; r < n; r++) {
      int k = r % 200_000;
      id[r] = (k / 4) * 7919L - 1_000;
      ts[r] = 1_700_000_000_000_000L + (k % 4) * 3_600_000_000L;
    }
    Frame f = Frame.of(Column.ofLongs("id", id), Column.ofTimestamps("ts", ts));
    long builds = KeyIndex.buildsOnThisThread();
    long boxed = KeyIndex.boxedBuildsOnThisThread();
    KeyIndex idx = KeyIndex.build(f, List.of("id", "ts"));
    assertThat(KeyIndex.buildsOnThisThread() - builds).isEqualTo(1);
    assertThat(KeyIndex.boxedBuildsOnThisThread() - boxed).isZero();
    assertThat(idx.isPrimitive()).isTrue();
    assertThat(idx.distinct()).isEqualTo(200_000);
    assertThat(idx.firstDuplicate()).containsExactly(0, 200_000);
    // the reference: a map of boxed pairs
    Map<List<Long>, Integer> ref = new HashMap<>();
    for (int r = 0; r < n; r++) {
      Integer prev = ref.putIfAbsent(List.of(id[r], ts[r]), idx.id(r));
      if (prev != null) {
        assertThat(idx.id(r)).as("row %d", r).isEqualTo(prev);
      }
    }
    assertThat(ref.values()).doesNotHaveDuplicates();
    // probing: same id at another time, another id at a known time, and an INT id column
    int[] found = idx.find(Frame.of(Column.ofLongs("id", id[5], id[5], 123_456_789L),
        Column.ofTimestamps("ts", ts[5], ts[5] + 1, ts[5])), List.of("id", "ts"));
    assertThat(found).containsExactly(idx.id(5), -1, -1);
    int[] asInts = idx.find(Frame.of(Column.ofInts("id", (int) id[9]), Column.ofTimestamps("ts", ts[9])),
        List.of("id", "ts"));
    assertThat(asInts).containsExactly(idx.id(9));
    assertThat(idx.findValues(new Object[] {id[9], Instant.ofEpochSecond(0, ts[9] * 1_000)})).isEqualTo(idx.id(9));
    assertThat(idx.findValues(new Object[] {id[9], "not a time"})).isEqualTo(-1);
  }

  @Test
  void a_null_in_either_column_of_a_pair_key_matches_nothing() {
    Frame f = Frame.of(Column.ofLongs("id", new long[] {1, 1, 2}, new boolean[] {false, true, false}),
        Column.ofDates("d", new int[] {10, 10, 11}, new boolean[] {false, false, true}));
    KeyIndex idx = KeyIndex.build(f, List.of("id", "d"));
    assertThat(idx.isPrimitive()).isTrue();
    assertThat(idx.ids()).containsExactly(0, -1, -1);
    assertThat(idx.find(Frame.of(Column.ofLongs("id", new long[] {1, 1}, new boolean[] {false, true}),
        Column.ofDates("d", 10, 10)), List.of("id", "d"))).containsExactly(0, -1);
  }

  @Test
  void three_integral_columns_or_a_string_column_are_boxed_and_counted_as_such() {
    long boxed = KeyIndex.boxedBuildsOnThisThread();
    KeyIndex three = KeyIndex.build(Frame.of(Column.ofLongs("a", 1, 1), Column.ofLongs("b", 2, 2),
        Column.ofLongs("c", 3, 4)), List.of("a", "b", "c"));
    assertThat(three.isPrimitive()).isFalse();
    assertThat(three.distinct()).isEqualTo(2);
    assertThat(KeyIndex.build(Frame.of(Column.ofStrings("s", "x")), List.of("s")).isPrimitive()).isFalse();
    assertThat(KeyIndex.boxedBuildsOnThisThread() - boxed).isEqualTo(2);
  }
}
