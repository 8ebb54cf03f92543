package dev.mlops.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bug 1 of issue 8: a delete in one process of a row another process wrote after this process's
 * last write was planned on this process's stale snapshot, found nothing, and returned. Every
 * "nothing to do" is now confirmed against the latest version.
 */
class DeleteAcrossProcessesTest {
  @TempDir Path dir;

  static final String TABLE = "main.x.keys";

  /** The other process: upserts the given id. Args: workspace dir, table, id. */
  public static final class OtherWriter {
    private OtherWriter() {}

    public static void main(String[] args) {
      try (Workspace ws = Workspace.open(Path.of(args[0]))) {
        long id = Long.parseLong(args[2]);
        System.out.println("committed " + ws.tables().get(args[1])
            .upsert(Frame.of(Column.ofLongs("id", id), Column.ofStrings("v", "from-b")), "id").version());
      }
    }
  }

  private void otherProcessUpserts(long id) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path out = dir.resolve("b-" + id + ".out");
    Process p = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        OtherWriter.class.getName(), dir.toString(), TABLE, String.valueOf(id))
        .redirectErrorStream(true).redirectOutput(out.toFile()).start();
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
    String text = Files.readString(out, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as("process B output:%n%s", text).isZero();
    assertThat(text).contains("committed ");
  }

  @Test
  void delete_keys_sees_rows_another_process_wrote_after_our_last_write() throws Exception {
    try (Workspace a = Workspace.open(dir)) {
      DeltaTable t = a.tables().create(TABLE).schema(Schema.of(Field.of("id", DataType.LONG),
          Field.of("v", DataType.STRING))).create();
      t.upsert(Frame.of(Column.ofLongs("id", 1), Column.ofStrings("v", "from-a")), "id");
      otherProcessUpserts(2);
      CommitResult r = t.deleteKeys(Frame.of(Column.ofLongs("id", 2)));
      assertThat(r.rowsDeleted()).isEqualTo(1);
      assertThat(r.version()).isEqualTo(3);
      Frame left = t.read().load();
      assertThat(left.rowCount()).isEqualTo(1);
      assertThat(left.column("id").getLong(0)).isEqualTo(1);
    }
  }

  @Test
  void delete_by_filter_sees_rows_another_process_wrote_after_our_last_write() throws Exception {
    try (Workspace a = Workspace.open(dir)) {
      DeltaTable t = a.tables().create(TABLE).schema(Schema.of(Field.of("id", DataType.LONG),
          Field.of("v", DataType.STRING))).create();
      t.upsert(Frame.of(Column.ofLongs("id", 1), Column.ofStrings("v", "from-a")), "id");
      otherProcessUpserts(2);
      CommitResult r = t.delete(Filter.eq("id", 2L));
      assertThat(r.rowsDeleted()).isEqualTo(1);
      assertThat(t.read().load().rowCount()).isEqualTo(1);
    }
  }
}
