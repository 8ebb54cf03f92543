package dev.mlops.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.Column;
import dev.mlops.core.Frame;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Utf8ValuesTest {
  private static final ColumnAccess.Access COLUMNS = ColumnAccess.obtain();

  @Test
  void bytes_are_valid_utf8_exactly_when_the_jdk_decodes_and_encodes_them_back_unchanged() {
    Random r = new Random(3);
    int valid = 0;
    for (int k = 0; k < 200_000; k++) {
      byte[] b = new byte[1 + r.nextInt(6)];
      for (int i = 0; i < b.length; i++) {
        // lead and continuation bytes, with the edges of each range, more often than chance gives them
        int[] edges = {0x00, 0x7f, 0x80, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff, 0x9f,
            0xa0, 0x8f, 0x90};
        b[i] = (byte) (r.nextBoolean() ? edges[r.nextInt(edges.length)] : r.nextInt(256));
      }
      boolean jdk = Arrays.equals(new String(b, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8), b);
      assertThat(Utf8Values.validUtf8(b, 0, b.length)).as(Arrays.toString(b)).isEqualTo(jdk);
      valid += jdk ? 1 : 0;
    }
    assertThat(valid).isBetween(10_000, 190_000); // both answers were exercised
  }

  @Test
  void a_cleared_builder_reuses_its_chunks_and_a_value_longer_than_a_chunk_gets_its_own() {
    Utf8Values.Builder b = new Utf8Values.Builder(4);
    String big = "é".repeat(Utf8Values.Builder.CHUNK); // two chunks' worth of UTF-8
    b.add("a");
    b.add(big);
    b.add("b".repeat(Utf8Values.Builder.CHUNK - 10)); // does not fit behind "a": the next chunk
    b.add(null);
    Utf8Values v = b.values();
    assertThat(v.get(1)).isEqualTo(big);
    assertThat(v.chunk(1).length).isEqualTo(2 * Utf8Values.Builder.CHUNK);
    assertThat(v.chunk(2)).isNotSameAs(v.chunk(0)).isNotSameAs(v.chunk(1));
    assertThat(v.isNull(3)).isTrue();
    assertThat(b.nulls()).containsExactly(false, false, false, true);
    byte[] first = v.chunk(0);
    b.clear();
    b.add("c");
    b.add("d");
    Utf8Values again = b.values();
    assertThat(again.size()).isEqualTo(2);
    assertThat(again.chunk(0)).isSameAs(first);
    assertThat(again.get(0)).isEqualTo("c");
    assertThat(b.nulls()).isNull();
    b.repeatLast(); // "d" again, the same bytes
    assertThat(b.values().get(2)).isEqualTo("d");
    assertThat(b.values().offset(2)).isEqualTo(b.values().offset(1));
    b.clear();
    b.repeatLast(); // nothing to repeat: a null
    assertThat(b.values().isNull(0)).isTrue();
    b.clear();
    b.add("c");
    b.add("d");
    b.add("e".repeat(Utf8Values.Builder.CHUNK)); // the next chunk: the oversized one is not kept
    assertThat(b.values().chunk(2).length).isEqualTo(Utf8Values.Builder.CHUNK);
  }

  @Test
  void a_utf8_column_is_the_column_of_its_strings_to_every_reader() {
    String[] s = {"Oslo", null, "Åland ✓", "", "Oslo", "𝄞"};
    Utf8Values.Builder b = new Utf8Values.Builder(2);
    for (String x : s) {
      b.add(x);
    }
    Column u = COLUMNS.wrapUtf8("city", b.values(), b.nulls(), s.length);
    Column plain = Column.ofStrings("city", s);
    assertThat(u).isEqualTo(plain).hasSameHashCodeAs(plain);
    assertThat(u.toStringArray()).containsExactly(s);
    assertThat(u.getString(2)).isEqualTo("Åland ✓");
    assertThat(u.isNull(1)).isTrue();
    assertThat(u.take(new int[] {5, -1, 0})).isEqualTo(plain.take(new int[] {5, -1, 0}));
    assertThat(u.slice(1, 4)).isEqualTo(plain.slice(1, 4));
    assertThat(Frame.concat(java.util.List.of(Frame.of(u), Frame.of(plain))))
        .isEqualTo(Frame.concat(java.util.List.of(Frame.of(plain), Frame.of(plain))));
    Column renamed = u.rename("town");
    assertThat(COLUMNS.utf8(renamed)).isNotNull(); // still bytes for the Parquet writer
    assertThat(renamed.toStringArray()).containsExactly(s);
    assertThat(COLUMNS.values(u)).isSameAs(COLUMNS.values(u)); // decoded once
  }

  /** The inference log's path: a table append writes the bytes; nothing on the way decodes them into strings. */
  @Test
  void a_table_append_writes_utf8_columns_without_decoding_them(@TempDir java.nio.file.Path dir) throws Exception {
    int n = 5_000;
    Utf8Values.Builder ids = new Utf8Values.Builder(n);
    Utf8Values.Builder bodies = new Utf8Values.Builder(n);
    String[] id = new String[n];
    String[] body = new String[n];
    for (int i = 0; i < n; i++) {
      id[i] = "req-" + i;
      body[i] = i % 10 == 0 ? null : i % 2 == 0 ? "{\"same\": 1}" : "{\"ü\": " + i + "}";
      ids.add(id[i]);
      bodies.add(body[i]);
    }
    Column a = COLUMNS.wrapUtf8("id", ids.values(), ids.nulls(), n);
    Column b = COLUMNS.wrapUtf8("body", bodies.values(), bodies.nulls(), n);
    try (dev.mlops.core.Workspace ws = dev.mlops.core.Workspace.open(dir)) {
      ws.tables().create("main.t.logs").schema(dev.mlops.core.Schema.of(
          dev.mlops.core.Field.of("id", dev.mlops.core.DataType.STRING),
          dev.mlops.core.Field.of("body", dev.mlops.core.DataType.STRING))).create();
      ws.tables().get("main.t.logs").append(Frame.of(a, b));
      java.lang.reflect.Field decoded = Column.class.getDeclaredField("decoded");
      decoded.setAccessible(true);
      assertThat(decoded.get(a)).isNull();
      assertThat(decoded.get(b)).isNull();
      assertThat(ws.tables().get("main.t.logs").read().load())
          .isEqualTo(Frame.of(Column.ofStrings("id", id), Column.ofStrings("body", body)));
    }
  }
}
