package dev.mlops.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.Column;
import dev.mlops.core.ColumnNotFoundException;
import dev.mlops.core.ColumnType;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Frame;
import dev.mlops.core.Schema;
import dev.mlops.core.SchemaMismatchException;
import dev.mlops.core.Workspace;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The prepared one-key reader against the one-row Frame of {@link OnlineStore#lookup(String, Object...)}:
 * every value and every typed getter (or its exception) equal, for every column type with nulls, for
 * missing and deleted keys, integral, composite and string keys, selected columns, after incremental
 * and full republishes, and for a store that has no reader of its own.
 */
class FeatureReaderTest {
  private static final String T = "main.t.all_types";

  /** Typed getters of a Column at row 0 and of a row, by name. */
  private static final Map<String, Getter> GETTERS = new LinkedHashMap<>();

  private record Getter(BiFunction<Column, Integer, Object> column, BiFunction<MutableFeatureRow, Integer, Object> row) {}

  static {
    GETTERS.put("get", new Getter((c, r) -> c.get(r), (w, i) -> w.get(i)));
    GETTERS.put("isNull", new Getter((c, r) -> c.isNull(r), (w, i) -> w.isNull(i)));
    GETTERS.put("getLong", new Getter((c, r) -> c.getLong(r), (w, i) -> w.getLong(i)));
    GETTERS.put("getInt", new Getter((c, r) -> c.getInt(r), (w, i) -> w.getInt(i)));
    GETTERS.put("getDouble", new Getter((c, r) -> c.getDouble(r), (w, i) -> w.getDouble(i)));
    GETTERS.put("getFloat", new Getter((c, r) -> c.getFloat(r), (w, i) -> w.getFloat(i)));
    GETTERS.put("getBoolean", new Getter((c, r) -> c.getBoolean(r), (w, i) -> w.getBoolean(i)));
    GETTERS.put("getString", new Getter((c, r) -> c.getString(r), (w, i) -> w.getString(i)));
    GETTERS.put("getDecimal", new Getter((c, r) -> c.getDecimal(r), (w, i) -> w.getDecimal(i)));
    GETTERS.put("getBinary", new Getter((c, r) -> c.getBinary(r), (w, i) -> w.getBinary(i)));
  }

  private static Object outcome(java.util.function.Supplier<Object> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      return e.getClass();
    }
  }

  /** The row the reader filled equals the frame lookup returned, getter by getter. */
  private static void assertSame(Frame expected, boolean found, MutableFeatureRow row, List<String> columns,
      String what) {
    assertThat(found).as("%s: found", what).isEqualTo(expected.rowCount() == 1);
    assertThat(row.found()).as("%s: found()", what).isEqualTo(found);
    if (!found) {
      assertThatThrownBy(() -> row.get(0)).isInstanceOf(FeatureStoreException.class)
          .hasMessageContaining("found no row");
      return;
    }
    assertThat(row.columns()).as(what).isEqualTo(columns);
    assertSameMap(row.toMap(), expected.select(columns).row(0), what);
    for (int i = 0; i < columns.size(); i++) {
      Column c = expected.column(columns.get(i));
      int at = i;
      assertThat(row.type(i)).isEqualTo(c.type());
      for (Map.Entry<String, Getter> g : GETTERS.entrySet()) {
        Object want = outcome(() -> g.getValue().column().apply(c, 0));
        Object got = outcome(() -> g.getValue().row().apply(row, at));
        assertThat(got).as("%s: %s of column %s (%s)", what, g.getKey(), c.name(), c.type()).isEqualTo(want);
      }
    }
  }

  /** Same keys in the same order, values deeply equal (NaN equals NaN, arrays by content). */
  private static void assertSameMap(Map<String, Object> got, Map<String, Object> want, String what) {
    assertThat(List.copyOf(got.keySet())).as(what).isEqualTo(List.copyOf(want.keySet()));
    for (String k : want.keySet()) {
      assertThat(java.util.Objects.deepEquals(got.get(k), want.get(k))).as("%s: %s is %s, expected %s", what, k,
          got.get(k), want.get(k)).isTrue();
    }
  }

  private static final ColumnType STRUCT = ColumnType.struct(Field.of("a", DataType.LONG), Field.of("b", DataType.STRING));

  /** n rows with key id (LONG, i * 7 + 1) and every column type, each with nulls (but not the key). */
  private static Frame everyType(int n, long seed) {
    Random r = new Random(seed);
    long[] id = new long[n];
    List<Object> ints = new ArrayList<>();
    List<Object> shorts = new ArrayList<>();
    List<Object> bytes = new ArrayList<>();
    List<Object> doubles = new ArrayList<>();
    List<Object> floats = new ArrayList<>();
    List<Object> bools = new ArrayList<>();
    List<Object> strings = new ArrayList<>();
    List<Object> ts = new ArrayList<>();
    List<Object> ntz = new ArrayList<>();
    List<Object> dates = new ArrayList<>();
    List<Object> decimals = new ArrayList<>();
    List<Object> binaries = new ArrayList<>();
    List<Object> arrays = new ArrayList<>();
    List<Object> maps = new ArrayList<>();
    List<Object> structs = new ArrayList<>();
    List<Object> longs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      id[i] = i * 7L + 1;
      boolean nul = r.nextInt(4) == 0;
      ints.add(nul ? null : r.nextInt());
      shorts.add(r.nextInt(5) == 0 ? null : (short) r.nextInt());
      bytes.add(r.nextInt(5) == 0 ? null : (byte) r.nextInt());
      doubles.add(r.nextInt(5) == 0 ? null : r.nextInt(7) == 0 ? Double.NaN : r.nextGaussian());
      floats.add(r.nextInt(5) == 0 ? null : r.nextFloat() - 0.5f);
      bools.add(r.nextInt(5) == 0 ? null : r.nextBoolean());
      strings.add(r.nextInt(5) == 0 ? null : "s" + r.nextInt(100));
      ts.add(r.nextInt(5) == 0 ? null : java.time.Instant.ofEpochSecond(r.nextInt(), r.nextInt(1000) * 1000L));
      ntz.add(r.nextInt(5) == 0 ? null : java.time.LocalDateTime.of(2020, 1, 1, 0, 0).plusSeconds(r.nextInt(1 << 20)));
      dates.add(r.nextInt(5) == 0 ? null : java.time.LocalDate.ofEpochDay(r.nextInt(40000) - 20000));
      decimals.add(r.nextInt(5) == 0 ? null : BigDecimal.valueOf(r.nextInt(1_000_000) - 500_000, 2));
      binaries.add(r.nextInt(5) == 0 ? null : new byte[] {(byte) i, (byte) r.nextInt()});
      arrays.add(r.nextInt(5) == 0 ? null : Arrays.asList((long) i, null, 3L));
      maps.add(r.nextInt(5) == 0 ? null : Map.of("k" + (i % 3), (long) i));
      structs.add(r.nextInt(5) == 0 ? null : Map.of("a", (long) i, "b", "x" + i));
      longs.add(r.nextInt(5) == 0 ? null : r.nextLong());
    }
    return Frame.of(Column.ofLongs("id", id), Column.of("i", DataType.INT, ints), Column.of("sh", DataType.SHORT, shorts),
        Column.of("by", DataType.BYTE, bytes), Column.of("d", DataType.DOUBLE, doubles),
        Column.of("f", DataType.FLOAT, floats), Column.of("b", DataType.BOOLEAN, bools),
        Column.of("s", DataType.STRING, strings), Column.of("ts", DataType.TIMESTAMP, ts),
        Column.of("ntz", DataType.TIMESTAMP_NTZ, ntz), Column.of("day", DataType.DATE, dates),
        Column.of("dec", ColumnType.decimal(12, 2), decimals), Column.of("bin", DataType.BINARY, binaries),
        Column.of("arr", ColumnType.array(DataType.LONG), arrays),
        Column.of("map", ColumnType.map(ColumnType.of(DataType.STRING), ColumnType.of(DataType.LONG)), maps),
        Column.of("st", STRUCT, structs), Column.of("l", DataType.LONG, longs));
  }

  private static Frame noKeys(Frame f, String... keys) {
    return Frame.empty(f.schema().select(List.of(keys)));
  }

  private static void checkAll(OnlineStore store, String table, FeatureReader reader, long maxKey) {
    MutableFeatureRow row = new MutableFeatureRow();
    List<String> cols = reader.columns();
    for (long k = -1; k <= maxKey; k++) {
      Frame want = store.lookup(table, k);
      assertSame(want, reader.read(k, row), row, cols, "key " + k + " read(long)");
      assertSame(want, reader.read(row, k), row, cols, "key " + k + " read(Object...)");
    }
  }

  @Test
  void every_type_with_nulls_reads_what_lookup_returns_and_missing_keys_read_nothing() {
    Frame rows = everyType(300, 1);
    OnlineStore store = OnlineStore.inMemory();
    store.apply(T, 1, List.of("id"), rows, noKeys(rows, "id"), true);
    FeatureReader all = store.reader(T);
    assertThat(all.table()).isEqualTo(T);
    assertThat(all.columns()).isEqualTo(rows.schema().names());
    checkAll(store, T, all, 300 * 7 + 3);
    // a selection, in another order, with the key among the columns
    FeatureReader some = store.reader(T, List.of("dec", "id", "d", "s"));
    checkAll(store, T, some, 100);
    MutableFeatureRow row = new MutableFeatureRow();
    assertThat(some.read(8L, row)).isTrue();
    assertThat(row.indexOf("d")).isEqualTo(2);
    assertThat(row.getDouble("d")).isEqualTo(store.lookup(T, 8L).column("d").getDouble(0));
    assertThatThrownBy(() -> row.indexOf("i")).isInstanceOf(ColumnNotFoundException.class).hasMessageContaining("'i'");
    assertThatThrownBy(() -> row.getString(1)).isInstanceOf(SchemaMismatchException.class)
        .hasMessageContaining("'id' is LONG");
    assertThatThrownBy(() -> row.get(4)).isInstanceOf(IndexOutOfBoundsException.class);
    // other key kinds of the right values find the same rows, as lookup does
    assertThat(some.read(row, 8)).isTrue();
    assertThat(some.read(row, "8")).isEqualTo(store.lookup(T, "8").rowCount() == 1).isFalse();
    assertThat(some.read(row, (Object) null)).isFalse();
    assertThatThrownBy(() -> some.read(row, 1L, 2L)).isInstanceOf(FeatureStoreException.class)
        .hasMessageContaining("primary key [id]");
    assertThatThrownBy(() -> store.reader(T, List.of("nope"))).isInstanceOf(ColumnNotFoundException.class)
        .hasMessageContaining("'nope'").hasMessageContaining(T);
    assertThatThrownBy(() -> store.reader("main.t.never")).isInstanceOf(FeatureStoreException.class)
        .hasMessageContaining("never published");
    assertThatThrownBy(() -> new MutableFeatureRow().getDouble(0)).isInstanceOf(FeatureStoreException.class)
        .hasMessageContaining("never filled");
  }

  /** Two columns hold the same name, type and, row by row, the same outcome of every getter. */
  private static void assertSameColumn(Column want, Column got, String what) {
    assertThat(got.name()).isEqualTo(want.name());
    assertThat(got.columnType()).isEqualTo(want.columnType());
    assertThat(got.size()).isEqualTo(want.size());
    assertThat(got.hasNulls()).as(what).isEqualTo(want.hasNulls());
    for (int r = 0; r < want.size(); r++) {
      int row = r;
      for (Map.Entry<String, Getter> g : GETTERS.entrySet()) {
        Object a = outcome(() -> g.getValue().column().apply(want, row));
        Object b = outcome(() -> g.getValue().column().apply(got, row));
        assertThat(b).as("%s: %s of %s row %d", what, g.getKey(), want.name(), row).isEqualTo(a);
      }
    }
  }

  @Test
  void batch_lookup_gathers_what_the_columns_hold_for_every_type_and_key_kind() {
    Frame rows = everyType(300, 6);
    OnlineStore store = OnlineStore.inMemory();
    store.apply(T, 1, List.of("id"), rows, noKeys(rows, "id"), true);
    Random r = new Random(8);
    List<Object> keys = new ArrayList<>();
    int[] at = new int[500];
    for (int i = 0; i < at.length; i++) {
      int pick = r.nextInt(400) - 50; // some absent, some null
      keys.add(pick == -50 ? null : pick < 0 || pick >= 300 ? (Object) (pick * 7L + 3) : (Object) (pick * 7L + 1));
      at[i] = pick >= 0 && pick < 300 ? pick : -1;
    }
    List<String> features = new ArrayList<>(rows.schema().names());
    java.util.Collections.reverse(features);
    Frame got = store.lookup(T, Frame.of(Column.of("id", DataType.LONG, keys)), features);
    Frame want = rows.take(at).select(features);
    assertThat(got).isEqualTo(want);
    for (String f : features) {
      assertSameColumn(want.column(f), got.column(f), "batch " + f);
    }
    // after an incremental publish: deleted keys give nulls
    store.apply(T, 2, List.of("id"), rows.take(new int[] {3}), Frame.of(Column.ofLongs("id", 1, 8)), false);
    Frame after = store.lookup(T, Frame.of(Column.ofLongs("id", 1, 8, 15, 22)), List.of("d", "s", "id"));
    Frame expect = rows.take(new int[] {-1, -1, 2, 3}).select("d", "s", "id");
    for (String f : List.of("d", "s", "id")) {
      assertSameColumn(expect.column(f), after.column(f), "after publish " + f);
    }
    // composite keys
    Frame comp = Frame.of(Column.of("region", DataType.STRING, Arrays.asList("eu", "us", "eu")), Column.ofLongs("n", 1, 1, 2),
        Column.ofDoubles("v", 0.5, 1.5, 2.5));
    store.apply("main.t.comp", 1, List.of("region", "n"), comp, noKeys(comp, "region", "n"), true);
    Frame ck = Frame.of(Column.of("region", DataType.STRING, Arrays.asList("us", "eu", "xx", null)), Column.ofLongs("n", 1, 2, 1, 1));
    assertSameColumn(comp.take(new int[] {1, 2, -1, -1}).column("v"), store.lookup("main.t.comp", ck, List.of("v")).column("v"),
        "composite");
  }

  /**
   * Batch lookups gather packed rows 1,024 keys at a time: a batch over several chunks (absent, null,
   * deleted and repeated keys), every column type, and an INT key, equal the columns taken row by row.
   */
  @Test
  void batch_lookups_across_gather_chunks_and_int_keys_equal_the_columns() {
    Frame rows = everyType(3000, 9);
    OnlineStore store = OnlineStore.inMemory();
    store.apply(T, 1, List.of("id"), rows, noKeys(rows, "id"), true);
    // delete two keys: their rows read as absent
    store.apply(T, 2, List.of("id"), rows.take(new int[] {5}), Frame.of(Column.ofLongs("id", 1, 7L * 2999 + 1)), false);
    Random r = new Random(10);
    List<Object> keys = new ArrayList<>();
    int n = 2600;
    int[] at = new int[n];
    for (int i = 0; i < n; i++) {
      int pick = r.nextInt(3100) - 50;
      keys.add(pick == -50 ? null : pick < 0 || pick >= 3000 ? (Object) (pick * 7L + 3) : (Object) (pick * 7L + 1));
      at[i] = pick >= 0 && pick < 3000 && pick != 0 && pick != 2999 ? pick : -1;
    }
    List<String> features = rows.schema().names();
    Frame got = store.lookup(T, Frame.of(Column.of("id", DataType.LONG, keys)), features);
    Frame want = rows.take(at);
    for (String f : features) {
      assertSameColumn(want.column(f), got.column(f), "chunked batch " + f);
    }
    // fixed-width columns only, one without nulls, in another order
    Frame some = store.lookup(T, Frame.of(Column.of("id", DataType.LONG, keys)), List.of("d", "id", "f", "day"));
    for (String f : List.of("d", "id", "f", "day")) {
      assertSameColumn(want.column(f), some.column(f), "fixed-width batch " + f);
    }
    // an INT key
    int m = 1500;
    int[] k = new int[m];
    double[] v = new double[m];
    for (int i = 0; i < m; i++) {
      k[i] = i * 3 - 700;
      v[i] = r.nextGaussian();
    }
    Frame ints = Frame.of(Column.ofInts("k", k), Column.ofDoubles("v", v));
    store.apply("main.t.ik", 1, List.of("k"), ints, noKeys(ints, "k"), true);
    List<Object> ik = new ArrayList<>();
    int[] iat = new int[n];
    for (int i = 0; i < n; i++) {
      int pick = r.nextInt(m + 20) - 10;
      ik.add(pick == -10 ? null : pick < 0 || pick >= m ? (Object) (pick * 3 - 699) : (Object) (pick * 3 - 700));
      iat[i] = pick >= 0 && pick < m ? pick : -1;
    }
    Frame gotInts = store.lookup("main.t.ik", Frame.of(Column.of("k", DataType.INT, ik)), List.of("v", "k"));
    for (String f : List.of("v", "k")) {
      assertSameColumn(ints.take(iat).column(f), gotInts.column(f), "INT key " + f);
    }
  }

  @Test
  void composite_string_and_int_keys_read_what_lookup_returns() {
    Random r = new Random(5);
    int n = 200;
    List<Object> region = new ArrayList<>();
    long[] id = new long[n];
    int[] small = new int[n];
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      region.add(i % 2 == 0 ? "eu" : "us");
      id[i] = i / 2;
      small[i] = i * 3;
      v[i] = r.nextGaussian();
    }
    Frame rows = Frame.of(Column.of("region", DataType.STRING, region), Column.ofLongs("id", id),
        Column.ofInts("small", small), Column.ofDoubles("v", v));
    OnlineStore store = OnlineStore.inMemory();
    // composite (STRING, LONG)
    store.apply("main.t.c", 1, List.of("region", "id"), rows, noKeys(rows, "region", "id"), true);
    FeatureReader c = store.reader("main.t.c");
    MutableFeatureRow row = new MutableFeatureRow();
    for (String reg : List.of("eu", "us", "xx")) {
      for (long k = -1; k <= n / 2; k++) {
        assertSame(store.lookup("main.t.c", reg, k), c.read(row, reg, k), row, c.columns(), reg + "/" + k);
      }
    }
    assertThatThrownBy(() -> c.read(3L, row)).isInstanceOf(FeatureStoreException.class)
        .hasMessageContaining("[region, id]").hasMessageContaining("read(row, keyValues...)");
    // two integral columns (LONG, INT)
    store.apply("main.t.p", 1, List.of("id", "small"), rows, noKeys(rows, "id", "small"), true);
    FeatureReader p = store.reader("main.t.p");
    for (int i = 0; i < n; i += 7) {
      assertSame(store.lookup("main.t.p", id[i], small[i]), p.read(row, id[i], small[i]), row, p.columns(), "pair " + i);
      assertSame(store.lookup("main.t.p", id[i], small[i] + 1), p.read(row, id[i], small[i] + 1), row, p.columns(), "no pair");
    }
    // one INT key: a long beyond the int range is no key, as for lookup
    store.apply("main.t.i", 1, List.of("small"), rows, noKeys(rows, "small"), true);
    FeatureReader ik = store.reader("main.t.i", List.of("v", "region"));
    checkAll(store, "main.t.i", ik, 3L * n);
    long far = (1L << 32) + 3;
    assertSame(store.lookup("main.t.i", far), ik.read(far, row), row, ik.columns(), "far");
    assertThat(ik.read(far, row)).isFalse();
    // one STRING key
    Frame s = rows.select("region", "v").head(2);
    store.apply("main.t.s", 1, List.of("region"), s, noKeys(s, "region"), true);
    FeatureReader sk = store.reader("main.t.s");
    assertSame(store.lookup("main.t.s", "us"), sk.read(row, "us"), row, sk.columns(), "string key");
    assertSame(store.lookup("main.t.s", "zz"), sk.read(row, "zz"), row, sk.columns(), "string key absent");
  }

  @Test
  void a_reader_made_before_a_republish_reads_the_new_rows() {
    Frame rows = everyType(100, 2);
    OnlineStore store = OnlineStore.inMemory();
    store.apply(T, 1, List.of("id"), rows, noKeys(rows, "id"), true);
    FeatureReader all = store.reader(T);
    FeatureReader some = store.reader(T, List.of("d", "s"));
    MutableFeatureRow row = new MutableFeatureRow();
    assertThat(some.read(1L, row)).isTrue();
    MutableFeatureRow kept = new MutableFeatureRow();
    some.read(8L, kept);
    Map<String, Object> before = kept.toMap();
    // incremental: new values for some keys (from another random frame), keys 1 and 15 deleted, new keys
    Frame changed = everyType(120, 3).take(new int[] {1, 5, 104, 110});
    Frame deleted = Frame.of(Column.ofLongs("id", 1, 15));
    store.apply(T, 2, List.of("id"), changed, deleted, false);
    assertThat(some.read(1L, row)).isFalse();
    checkAll(store, T, all, 120 * 7);
    checkAll(store, T, some, 120 * 7);
    // a row filled before the publish keeps what it read then
    assertSameMap(kept.toMap(), before, "kept");
    // full republish with another schema: dropped column refused, the others read
    Frame next = Frame.of(Column.ofLongs("id", 1, 2, 3), Column.ofDoubles("d", 0.5, Double.NaN, 2.5),
        Column.ofInts("extra", 1, 2, 3));
    store.apply(T, 3, List.of("id"), next, noKeys(next, "id"), true);
    assertThatThrownBy(() -> some.read(1L, row)).isInstanceOf(ColumnNotFoundException.class).hasMessageContaining("'s'");
    FeatureReader d = store.reader(T, List.of("d"));
    checkAll(store, T, d, 5);
    checkAll(store, T, store.reader(T), 5);
    assertThat(store.reader(T).columns()).containsExactly("id", "d", "extra");
  }

  @Test
  void a_store_without_its_own_reader_reads_through_lookup() {
    OnlineStore inner = OnlineStore.inMemory();
    OnlineStore plain = new OnlineStore() {
      @Override
      public OptionalLong publishedVersion(String table) {
        return inner.publishedVersion(table);
      }

      @Override
      public void apply(String table, long version, List<String> keys, Frame upserts, Frame deletedKeys, boolean all) {
        inner.apply(table, version, keys, upserts, deletedKeys, all);
      }

      @Override
      public Frame lookup(String table, Frame keys, List<String> features) {
        return inner.lookup(table, keys, features);
      }

      @Override
      public Frame lookup(String table, Object... key) {
        return inner.lookup(table, key);
      }

      @Override
      public int size(String table) {
        return inner.size(table);
      }
    };
    Frame rows = everyType(60, 4);
    plain.apply(T, 1, List.of("id"), rows, noKeys(rows, "id"), true);
    checkAll(plain, T, plain.reader(T, rows.schema().names()), 60 * 7);
    checkAll(plain, T, plain.reader(T, List.of("s", "l")), 60 * 7);
    FeatureReader all = plain.reader(T);
    MutableFeatureRow row = new MutableFeatureRow();
    assertThat(all.read(8L, row)).isTrue();
    assertThat(all.columns()).isEqualTo(rows.schema().names());
  }

  @Test
  void publish_from_a_delta_table_then_read(@TempDir Path dir) {
    try (Workspace ws = Workspace.open(dir)) {
      FeatureStore fs = FeatureStore.of(ws);
      Schema s = Schema.of(Field.of("id", DataType.LONG), Field.of("v", DataType.DOUBLE), Field.of("tag", DataType.STRING));
      fs.createTable("main.t.kv").primaryKeys("id").create(Frame.builder(s).row(1L, 1.0, "a").row(2L, null, null).build());
      OnlineStore online = OnlineStore.inMemory();
      fs.publish("main.t.kv", online);
      FeatureReader reader = online.reader("main.t.kv", List.of("v", "tag"));
      MutableFeatureRow row = new MutableFeatureRow();
      assertThat(reader.read(1L, row)).isTrue();
      assertThat(row.getDouble(0)).isEqualTo(1.0);
      assertThat(row.getString(1)).isEqualTo("a");
      assertThat(reader.read(2L, row)).isTrue();
      assertThat(row.isNull(0)).isTrue();
      assertThat(row.getDouble(0)).isNaN();
      assertThat(row.get(1)).isNull();
      fs.write("main.t.kv", Frame.builder(s).row(2L, 5.0, "b").build(), WriteMode.MERGE);
      fs.publish("main.t.kv", online);
      assertThat(reader.read(2L, row)).isTrue();
      assertThat(row.toMap()).containsEntry("v", 5.0).containsEntry("tag", "b");
      assertThat(reader.read(3L, row)).isFalse();
    }
  }
}
