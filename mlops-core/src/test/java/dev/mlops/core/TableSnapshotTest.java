package dev.mlops.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.internal.delta.LogLoads;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One immutable snapshot per read; log loads per operation held to their budget. */
class TableSnapshotTest {
  @TempDir Path dir;

  private static long loads(Runnable r) {
    long before = LogLoads.onThisThread();
    r.run();
    return LogLoads.onThisThread() - before;
  }

  private static <T> T counted(Supplier<T> s, long[] out) {
    long before = LogLoads.onThisThread();
    T v = s.get();
    out[0] = LogLoads.onThisThread() - before;
    return v;
  }

  private DeltaTable create(Workspace ws) {
    return ws.tables().create("main.s.t").schema(Schema.of(Field.of("id", DataType.LONG), Field.of("x", DataType.STRING)))
        .description("d").property("delta.checkpointInterval", "100").create();
  }

  @Test
  void snapshot_holds_one_version_while_others_commit() {
    try (Workspace ws = Workspace.open(dir)) {
      DeltaTable t = create(ws);
      t.append(Frame.of(Column.ofLongs("id", 1), Column.ofStrings("x", "a")));
      TableSnapshot s = t.snapshot();
      t.append(Frame.of(Column.ofLongs("id", 2), Column.ofStrings("x", "b")));
      t.addColumns(Field.of("y", DataType.LONG));
      assertThat(s.version()).isEqualTo(1);
      assertThat(s.schema().names()).containsExactly("id", "x");
      assertThat(s.description()).isEqualTo("d");
      assertThat(s.unsupportedColumns()).isEmpty();
      assertThat(s.read().load().rowCount()).isEqualTo(1);
      assertThat(s.read().schema().names()).containsExactly("id", "x");
      assertThat(t.snapshot().version()).isEqualTo(3);
      assertThat(t.read().load().rowCount()).isEqualTo(2);
      assertThat(s.timestamp()).isBeforeOrEqualTo(t.snapshot().timestamp());
    }
  }

  @Test
  void reads_load_the_log_once_and_writes_at_most_twice() {
    try (Workspace ws = Workspace.open(dir)) {
      DeltaTable t = create(ws);
      Frame rows = Frame.of(Column.ofLongs("id", 1, 2, 3), Column.ofStrings("x", "a", "b", "c"));
      assertThat(loads(() -> t.append(rows))).isLessThanOrEqualTo(2);
      assertThat(loads(() -> t.upsert(Frame.of(Column.ofLongs("id", 3, 4), Column.ofStrings("x", "C", "d")), "id")))
          .isLessThanOrEqualTo(2);
      assertThat(loads(() -> t.deleteKeys(Frame.of(Column.ofLongs("id", 1))))).isLessThanOrEqualTo(2);
      assertThat(loads(() -> t.delete(Filter.eq("x", "nothing")))).isLessThanOrEqualTo(2);
      assertThat(loads(() -> t.overwrite(rows))).isLessThanOrEqualTo(2);
      assertThat(loads(() -> t.addColumns(Field.of("y", DataType.LONG)))).isLessThanOrEqualTo(2);
      assertThat(loads(() -> t.read().load())).isEqualTo(1);
      assertThat(loads(() -> t.read().version(1).load())).isEqualTo(1);
      assertThat(loads(() -> t.read().filter(Filter.eq("id", 2L)).columns("x").load())).isEqualTo(1);
      assertThat(loads(t::snapshot)).isEqualTo(1);
      assertThat(loads(t::version)).isEqualTo(1);
      assertThat(loads(t::schema)).isEqualTo(1);
      assertThat(loads(t::properties)).isEqualTo(1);
      TableSnapshot s = t.snapshot();
      assertThat(loads(() -> {
        s.version();
        s.schema();
        s.properties();
        s.partitionColumns();
        s.description();
        s.read().load();
      })).isZero();
      // a write planned on a snapshot the caller holds: no load when nobody else wrote
      assertThat(loads(() -> t.append(rows.withColumn(Column.nulls("y", DataType.LONG, 3)),
          WriteOptions.defaults().basedOn(t.snapshot())))).isLessThanOrEqualTo(2);
    }
  }

  @Test
  void a_fresh_workspace_write_is_one_load_to_plan_and_none_more() {
    try (Workspace ws = Workspace.open(dir)) {
      create(ws);
    }
    try (Workspace ws = Workspace.open(dir)) {
      DeltaTable t = ws.tables().get("main.s.t");
      long[] n = new long[1];
      CommitResult r = counted(() -> t.append(Frame.of(Column.ofLongs("id", 1), Column.ofStrings("x", "a"))), n);
      assertThat(r.version()).isEqualTo(1);
      assertThat(n[0]).isEqualTo(1);
      // the next write starts from this workspace's own commit: no log load at all
      assertThat(loads(() -> t.append(Frame.of(Column.ofLongs("id", 2), Column.ofStrings("x", "b"))))).isZero();
    }
  }

  @Test
  void write_options_add_columns_and_rows_in_one_commit_with_tags() {
    try (Workspace ws = Workspace.open(dir)) {
      DeltaTable t = create(ws);
      t.append(Frame.of(Column.ofLongs("id", 1), Column.ofStrings("x", "a")));
      CommitResult r = t.upsert(Frame.of(Column.ofLongs("id", 1, 2), Column.ofStrings("x", "A", "b"),
          Column.ofDoubles("score", 0.5, 0.25)), List.of("id"), WriteOptions.defaults().withNewColumns().tag("job", "n 1"));
      assertThat(r.version()).isEqualTo(2);
      assertThat(t.schema().names()).containsExactly("id", "x", "score");
      Frame all = t.read().load();
      assertThat(all.rowCount()).isEqualTo(2);
      assertThat(t.history().get(0).tags()).containsEntry("job", "n 1");
      assertThat(t.history().get(0).operation()).isEqualTo("UPSERT");
    }
  }

  @Test
  void a_write_that_fails_after_adding_columns_changes_nothing() {
    try (Workspace ws = Workspace.open(dir)) {
      DeltaTable t = create(ws);
      t.append(Frame.of(Column.ofLongs("id", 1), Column.ofStrings("x", "a")));
      // adds "score" but lacks "x": refused as a whole
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> t.upsert(Frame.of(Column.ofLongs("id", 2),
              Column.ofDoubles("score", 1.0)), List.of("id"), WriteOptions.defaults().withNewColumns()))
          .isInstanceOf(SchemaMismatchException.class).hasMessageContaining("x STRING").hasMessageContaining("Nothing was written");
      assertThat(t.version()).isEqualTo(1);
      assertThat(t.schema().names()).containsExactly("id", "x");
    }
  }

  @Test
  void nested_columns_of_a_spark_table_are_held_exactly_and_none_is_reported_unsupported() throws Exception {
    Path src = Path.of(TableSnapshotTest.class.getResource("/spark-tables/nested_types").toURI());
    Path copy = dir.resolve("nested");
    try (java.util.stream.Stream<Path> s = java.nio.file.Files.walk(src)) {
      for (Path p : s.toList()) {
        java.nio.file.Files.copy(p, copy.resolve(src.relativize(p).toString()));
      }
    }
    try (Workspace ws = Workspace.open(dir.resolve("ws"))) {
      TableSnapshot s = ws.tables().atPath(copy.toString()).snapshot();
      assertThat(s.schema().names()).containsExactly("id", "tags", "info", "note");
      assertThat(s.schema().field("tags").columnType().kind()).isEqualTo(DataType.ARRAY);
      assertThat(s.schema().field("info").columnType().kind()).isEqualTo(DataType.STRUCT);
      assertThat(s.unsupportedColumns()).isEmpty();
    }
  }
}
