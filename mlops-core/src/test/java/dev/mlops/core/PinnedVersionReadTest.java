package dev.mlops.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.internal.delta.LogLoads;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Look at the latest version, then read exactly that version" (how training sets pin a feature
 * table, and how scoring reads the latest) is one log load, and {@code tables().get} checks that a
 * local table exists without loading its log.
 */
class PinnedVersionReadTest {
  @TempDir Path dir;
  static final String T = "main.x.t";

  private static long loads(Runnable r) {
    long before = LogLoads.onThisThread();
    r.run();
    return LogLoads.onThisThread() - before;
  }

  private static DeltaTable create(Workspace ws, long... ids) {
    DeltaTable t = ws.tables().create(T).schema(Schema.of(Field.of("id", DataType.LONG))).create();
    t.append(Frame.of(Column.ofLongs("id", ids)));
    return t;
  }

  @Test
  void get_then_version_then_a_read_of_that_version_loads_the_log_once() {
    try (Workspace ws = Workspace.open(dir)) {
      create(ws, 1, 2);
      Frame[] rows = new Frame[1];
      assertThat(loads(() -> {
        DeltaTable t = ws.tables().get(T);
        long v = t.version();
        rows[0] = t.read().version(v).load();
      })).isEqualTo(1);
      assertThat(rows[0].rowCount()).isEqualTo(2);
      // a snapshot taken through another handle pins the same version for a second handle
      assertThat(loads(() -> {
        long v = ws.tables().snapshot(T).version();
        rows[0] = ws.tables().get(T).read().version(v).columns("id").load();
      })).isEqualTo(1);
      // an older version is loaded
      assertThat(loads(() -> ws.tables().get(T).read().version(0).load())).isEqualTo(1);
    }
  }

  @Test
  void a_table_dropped_and_re_created_elsewhere_under_the_same_name_is_not_read_from_the_old_snapshot()
      throws Exception {
    try (Workspace a = Workspace.open(dir); Workspace b = Workspace.open(dir)) {
      create(a, 1, 2);
      assertThat(a.tables().get(T).version()).isEqualTo(1); // a remembers version 1 of the first table
      b.tables().drop(T);
      Thread.sleep(5); // a commit file of another time (the size alone might match)
      create(b, 7);
      Frame v1 = a.tables().get(T).read().version(1).load();
      assertThat(v1.rowCount()).isEqualTo(1);
      assertThat(v1.column("id").getLong(0)).isEqualTo(7);
    }
  }

  @Test
  void get_still_refuses_a_missing_table_and_a_folder_that_is_not_a_delta_table() throws Exception {
    try (Workspace ws = Workspace.open(dir)) {
      assertThatThrownBy(() -> ws.tables().get(T)).isInstanceOf(TableNotFoundException.class)
          .hasMessageContaining("does not exist");
      Path folder = dir.resolve("tables/main/x/t");
      Files.createDirectories(folder.resolve("_delta_log"));
      Files.writeString(folder.resolve("part-0.parquet"), "not delta");
      assertThatThrownBy(() -> ws.tables().get(T)).isInstanceOf(TableNotFoundException.class)
          .hasMessageContaining("no Delta log");
    }
  }
}
