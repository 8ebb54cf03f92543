package dev.mlops.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeltaTableTest {
  @TempDir Path dir;
  Workspace ws;

  static final Schema SCHEMA = Schema.of(
      Field.of("id", DataType.LONG), Field.of("city", DataType.STRING), Field.of("spend", DataType.DOUBLE));

  @BeforeEach
  void open() {
    ws = Workspace.open(dir);
  }

  @AfterEach
  void close() {
    ws.close();
  }

  static Frame rows(Object[]... rows) {
    Frame.Builder b = Frame.builder(SCHEMA);
    for (Object[] r : rows) {
      b.row(r);
    }
    return b.build();
  }

  static Object[] r(Object... v) {
    return v;
  }

  DeltaTable table() {
    return ws.tables().create("main.crm.customers").schema(SCHEMA).description("Customers").create();
  }

  @Test
  void create_append_and_read_back_the_same_rows() {
    DeltaTable t = table();
    Frame in = rows(r(1L, "Oslo", 9.5), r(2L, null, 3.0), r(3L, "Lima", null));
    CommitResult c = t.append(in);
    assertThat(c.version()).isEqualTo(1);
    assertThat(c.rowsInserted()).isEqualTo(3);
    assertThat(t.read().load()).isEqualTo(in);
    assertThat(t.description()).isEqualTo("Customers");
    assertThat(ws.tables().list("main", "crm")).containsExactly(TableName.parse("main.crm.customers"));
  }

  @Test
  void data_files_are_zstd_compressed_parquet() throws Exception {
    DeltaTable t = table();
    t.append(rows(r(1L, "Oslo", 9.5)));
    Path tdir = dir.resolve("tables/main/crm/customers");
    try (Stream<Path> s = Files.walk(tdir)) {
      List<Path> parquet = s.filter(p -> p.toString().endsWith(".parquet") && !p.toString().contains("_delta_log")).toList();
      assertThat(parquet).hasSize(1);
      try (var r = org.apache.parquet.hadoop.ParquetFileReader.open(new org.apache.parquet.io.LocalInputFile(parquet.get(0)))) {
        assertThat(r.getFooter().getBlocks().get(0).getColumns().get(0).getCodec().name()).isEqualTo("ZSTD");
      }
    }
  }

  @Test
  void upsert_replaces_rows_with_same_key_and_inserts_new_ones() {
    DeltaTable t = table();
    t.append(rows(r(1L, "Oslo", 1.0), r(2L, "Lima", 2.0)));
    CommitResult c = t.upsert(rows(r(2L, "Lima", 20.0), r(3L, "Rome", 3.0)), "id");
    assertThat(c.rowsUpdated()).isEqualTo(1);
    assertThat(c.rowsInserted()).isEqualTo(1);
    Frame now = t.read().load();
    assertThat(now.rowCount()).isEqualTo(3);
    assertThat(now.filter(i -> now.column("id").getLong(i) == 2).column("spend").getDouble(0)).isEqualTo(20.0);
    assertThat(t.read().version(1).load().rowCount()).isEqualTo(2);
  }

  @Test
  void upsert_rewrites_only_files_that_hold_affected_keys() {
    DeltaTable t = table();
    t.append(rows(r(1L, "a", 1.0), r(2L, "b", 2.0)));
    t.append(rows(r(100L, "c", 1.0), r(200L, "d", 2.0)));
    CommitResult c = t.upsert(rows(r(150L, "x", 0.0), r(200L, "y", 0.0)), "id");
    assertThat(c.filesRemoved()).isEqualTo(1);
    assertThat(t.read().load().rowCount()).isEqualTo(5);
  }

  @Test
  void history_lists_operations_newest_first() {
    DeltaTable t = table();
    t.append(rows(r(1L, "Oslo", 1.0), r(2L, "Lima", 2.0)));
    t.upsert(rows(r(2L, "Lima", 20.0), r(3L, "Rome", 3.0)), "id");
    t.delete(Filter.eq("id", 1L));
    List<Commit> h = t.history();
    assertThat(h).extracting(Commit::operation).containsExactly("DELETE", "UPSERT", "APPEND", "CREATE");
    assertThat(h.get(1).rowsAdded()).isEqualTo(2);
    assertThat(h.get(1).rowsRemoved()).isEqualTo(1);
    assertThat(h.get(0).rowsRemoved()).isEqualTo(1);
  }

  /**
   * Commits in the same second on S3 (times in seconds) or the same millisecond on a fast disk have
   * equal log-file times; time travel raises each to the one before + 1 ms, and history must report
   * those same times, or {@code asOf(commit.timestamp())} reads the version before (seen on S3).
   */
  @Test
  void history_times_are_the_times_time_travel_reads_even_when_commit_files_share_one() throws Exception {
    DeltaTable t = table();
    Frame first = rows(r(1L, "Oslo", 1.0));
    t.append(first);
    t.append(rows(r(2L, "Lima", 2.0)));
    Path log = Path.of(java.net.URI.create(t.location())).resolve("_delta_log");
    java.nio.file.attribute.FileTime same = Files.getLastModifiedTime(log.resolve("00000000000000000000.json"));
    Files.setLastModifiedTime(log.resolve("00000000000000000001.json"), same);
    Files.setLastModifiedTime(log.resolve("00000000000000000002.json"), same);

    List<Commit> h = t.history();
    assertThat(h).extracting(Commit::version).containsExactly(2L, 1L, 0L);
    assertThat(h.get(0).timestamp()).isAfter(h.get(1).timestamp());
    assertThat(h.get(1).timestamp()).isAfter(h.get(2).timestamp());
    assertThat(h.get(2).timestamp().toEpochMilli()).isEqualTo(same.toMillis());
    assertThat(t.read().asOf(h.get(1).timestamp()).load()).isEqualTo(first);
    assertThat(t.read().asOf(h.get(0).timestamp()).load().rowCount()).isEqualTo(2);
    assertThat(t.read().asOf(h.get(2).timestamp()).load().rowCount()).isZero();
  }

  @Test
  void read_with_filter_and_projection() {
    DeltaTable t = table();
    t.append(rows(r(1L, "Oslo", 1.0), r(2L, "Lima", 2.0), r(3L, null, 3.0)));
    Frame f = t.read().columns("id").filter(Filter.ne("city", "Oslo")).load();
    assertThat(f.schema().names()).containsExactly("id");
    assertThat(f.column("id").toLongArray()).containsExactly(2L);
  }

  @Test
  void add_columns_keeps_old_rows_as_null() {
    DeltaTable t = table();
    t.append(rows(r(1L, "Oslo", 1.0)));
    t.addColumns(Field.of("visits", DataType.INT));
    Frame next = Frame.builder(SCHEMA.plus(List.of(Field.of("visits", DataType.INT)))).row(2L, "Lima", 2.0, 7).build();
    t.append(next);
    Frame all = t.read().load();
    assertThat(all.rowCount()).isEqualTo(2);
    Frame old = all.filter(i -> all.column("id").getLong(i) == 1L);
    Frame fresh = all.filter(i -> all.column("id").getLong(i) == 2L);
    assertThat(old.column("visits").isNull(0)).isTrue();
    assertThat(fresh.column("visits").getInt(0)).isEqualTo(7);
    assertThat(t.read().version(1).load().schema().names()).containsExactly("id", "city", "spend");
  }

  @Test
  void missing_version_is_a_typed_error() {
    DeltaTable t = table();
    assertThatThrownBy(() -> t.read().version(5).load()).isInstanceOf(VersionNotFoundException.class)
        .hasMessageContaining("main.crm.customers").hasMessageContaining("5");
    assertThatThrownBy(() -> t.read().asOf(Instant.parse("2000-01-01T00:00:00Z")).load())
        .isInstanceOf(VersionNotFoundException.class).hasMessageContaining("main.crm.customers");
  }

  @Test
  void partitioned_table_round_trips() {
    DeltaTable t = ws.tables().create("main.crm.p").schema(SCHEMA).partitionBy("city").create();
    Frame in = rows(r(1L, "Oslo", 1.0), r(2L, "Lima", 2.0), r(3L, null, 3.0));
    t.append(in);
    t.upsert(rows(r(2L, "Lima", 5.0)), "id");
    Frame out = t.read().load();
    assertThat(out.rowCount()).isEqualTo(3);
    assertThat(out.filter(i -> out.column("id").getLong(i) == 3).column("city").isNull(0)).isTrue();
    assertThat(t.partitionColumns()).containsExactly("city");
  }

  @Test
  void changes_since_a_version_show_rows_of_added_and_removed_files() {
    DeltaTable t = table();
    t.append(rows(r(1L, "Oslo", 1.0), r(2L, "Lima", 2.0)));
    t.append(rows(r(3L, "Rome", 3.0)));
    long v = t.version();
    t.upsert(rows(r(2L, "Lima", 20.0)), "id");
    t.deleteKeys(Frame.of(Column.ofLongs("id", 3)));
    TableChanges c = t.changesSince(v);
    assertThat(c.fromVersion()).isEqualTo(v);
    assertThat(c.toVersion()).isEqualTo(t.version());
    assertThat(c.added().column("id").toLongArray()).containsExactlyInAnyOrder(1L, 2L);
    assertThat(c.removed().column("id").toLongArray()).containsExactlyInAnyOrder(1L, 2L, 3L);
    assertThat(t.changesSince(t.version()).added().rowCount()).isZero();
  }

  @Test
  void a_large_write_is_split_across_threads_and_reads_back_whole_and_in_order() {
    DeltaTable t = ws.tables().create("main.crm.big").schema(Schema.of(Field.of("id", DataType.LONG),
        Field.of("v", DataType.DOUBLE))).create();
    int n = 520_000;
    long[] ids = new long[n];
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      ids[i] = i;
      v[i] = i * 0.5;
    }
    CommitResult c = t.append(Frame.of(Column.ofLongs("id", ids), Column.ofDoubles("v", v)));
    assertThat(c.filesAdded()).isGreaterThanOrEqualTo(Runtime.getRuntime().availableProcessors() > 1 ? 2 : 1);
    Frame back = t.read().load();
    assertThat(back.rowCount()).isEqualTo(n);
    long[] got = back.column("id").toLongArray();
    java.util.Arrays.sort(got);
    assertThat(got).isEqualTo(ids);
    assertThat(t.read().filter(Filter.eq("id", 400_000L)).load().column("v").getDouble(0)).isEqualTo(200_000.0);
  }

  @Test
  void a_writer_whose_last_commit_is_stale_replans_on_the_latest_snapshot() {
    DeltaTable mine = table();
    mine.append(rows(r(1L, "Oslo", 1.0)));
    try (Workspace other = Workspace.open(dir)) { // another process: its own engine and memory
      DeltaTable theirs = other.tables().get("main.crm.customers");
      theirs.append(rows(r(2L, "Lima", 2.0)));
      theirs.addColumns(Field.of("visits", DataType.INT));
    }
    // planned on our remembered snapshot, this upsert would miss key 2 and the new column
    Schema wider = SCHEMA.plus(List.of(Field.of("visits", DataType.INT)));
    CommitResult c = mine.upsert(Frame.builder(wider).row(2L, "Lima", 20.0, 5).build(), "id");
    assertThat(c.rowsUpdated()).isEqualTo(1);
    Frame all = mine.read().load();
    assertThat(all.rowCount()).isEqualTo(2);
    assertThat(all.filter(i -> all.column("id").getLong(i) == 2L).column("visits").getInt(0)).isEqualTo(5);
  }

  @Test
  void a_row_with_a_null_key_in_the_table_is_not_taken_for_key_zero() {
    DeltaTable t = table();
    t.append(rows(r(null, "Nowhere", 1.0), r(-3L, "Rome", 0.5), r(5L, "Oslo", 2.0)));
    CommitResult c = t.upsert(rows(r(0L, "Lima", 3.0)), "id");
    assertThat(c.rowsUpdated()).isZero();
    assertThat(c.rowsInserted()).isEqualTo(1);
    Frame all = t.read().load();
    assertThat(all.rowCount()).isEqualTo(4);
    assertThat(all.column("city").toList()).contains("Nowhere");
    assertThat(t.deleteKeys(Frame.of(Column.ofLongs("id", 0))).rowsDeleted()).isEqualTo(1);
    assertThat(t.read().load().column("city").toList()).containsExactlyInAnyOrder("Nowhere", "Rome", "Oslo");
  }
}
