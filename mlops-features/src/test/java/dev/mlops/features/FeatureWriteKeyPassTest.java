package dev.mlops.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.Column;
import dev.mlops.core.Frame;
import dev.mlops.core.KeyConstraintException;
import dev.mlops.core.Workspace;
import dev.mlops.core.internal.KeyIndex;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11: a time-series feature table keys rows on (entity id + timestamp); a write makes one pass
 * over those keys, into a primitive table (it used to build a boxed key index twice: once in the
 * feature store's checks, once in the upsert).
 */
class FeatureWriteKeyPassTest {
  @TempDir Path dir;
  Workspace ws;
  FeatureStore fs;
  static final String T = "main.crm.ts_features";
  static final long DAY = 86_400_000_000L;

  @BeforeEach
  void open() {
    ws = Workspace.open(dir);
    fs = FeatureStore.of(ws);
    fs.createTable(T).primaryKeys("id").timestampKey("ts").create(rows(0, 1_000, 0, 1.0));
  }

  @AfterEach
  void close() {
    ws.close();
  }

  /** Rows for ids [from, to) at day {@code day}, feature value {@code f}. */
  private static Frame rows(int from, int to, int day, double f) {
    int n = to - from;
    long[] id = new long[n];
    long[] ts = new long[n];
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      id[i] = from + i;
      ts[i] = 1_767_225_600_000_000L + day * DAY;
      v[i] = f;
    }
    return Frame.of(Column.ofLongs("id", id), Column.ofTimestamps("ts", ts), Column.ofDoubles("f", v));
  }

  private record Passes(long all, long boxed) {}

  private static Passes passes(Runnable r) {
    long all = KeyIndex.buildsOnThisThread();
    long boxed = KeyIndex.boxedBuildsOnThisThread();
    r.run();
    return new Passes(KeyIndex.buildsOnThisThread() - all, KeyIndex.boxedBuildsOnThisThread() - boxed);
  }

  @Test
  void a_merge_into_a_time_series_table_makes_one_primitive_key_pass_and_replaces_by_id_and_time() {
    // ids 500..1499 at day 0 (500 replace, 500 new) and ids 0..99 at day 1 (new time, new rows)
    Frame batch = Frame.concat(java.util.List.of(rows(500, 1_500, 0, 2.0), rows(0, 100, 1, 3.0)));
    Passes p = passes(() -> fs.write(T, batch, WriteMode.MERGE));
    assertThat(p.all()).as("key passes of one MERGE").isEqualTo(1);
    assertThat(p.boxed()).as("boxed key passes of one MERGE").isZero();
    Frame all = fs.read(T).load();
    assertThat(all.rowCount()).isEqualTo(1_500 + 100);
    double sum = 0;
    for (int i = 0; i < all.rowCount(); i++) {
      sum += all.column("f").getDouble(i);
    }
    assertThat(sum).isEqualTo(500 * 1.0 + 1_000 * 2.0 + 100 * 3.0);
  }

  @Test
  void append_and_overwrite_make_one_key_pass_each() {
    assertThat(passes(() -> fs.write(T, rows(0, 10, 5, 1.0), WriteMode.APPEND)).all()).isEqualTo(1);
    assertThat(passes(() -> fs.write(T, rows(0, 10, 6, 1.0), WriteMode.OVERWRITE)).all()).isEqualTo(1);
    assertThat(fs.read(T).load().rowCount()).isEqualTo(10);
  }

  @Test
  void a_merge_with_a_repeated_id_and_time_is_refused_naming_the_key_and_writes_nothing() {
    long v = ws.tables().get(T).version();
    Frame twice = Frame.concat(java.util.List.of(rows(2_000, 2_003, 0, 1.0), rows(2_001, 2_002, 0, 9.0)));
    assertThatThrownBy(() -> fs.write(T, twice, WriteMode.MERGE))
        .isInstanceOf(KeyConstraintException.class)
        .hasMessageContaining("id=2001").hasMessageContaining(T).hasMessageContaining("more than once");
    assertThat(ws.tables().get(T).version()).isEqualTo(v);
    assertThat(fs.read(T).load().rowCount()).isEqualTo(1_000);
  }

  @Test
  void a_merge_with_a_null_timestamp_is_refused_by_the_feature_store_naming_the_row() {
    Frame withNull = Frame.of(Column.ofLongs("id", 1, 2),
        Column.ofTimestamps("ts", new long[] {0, 0}, new boolean[] {false, true}), Column.ofDoubles("f", 1, 2));
    assertThatThrownBy(() -> fs.write(T, withNull, WriteMode.MERGE))
        .isInstanceOf(KeyConstraintException.class)
        .hasMessageContaining("'ts'").hasMessageContaining("feature table " + T).hasMessageContaining("row 1");
  }
}
