package dev.mlops.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.Column;
import dev.mlops.core.Frame;
import java.util.List;
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
}
