package dev.mlops.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A writer process SIGKILLed between its data commit and its lineage commit (the window a crash
 * can hit in {@link Lineage#recordWrite}): the data commit carries the lineage, the outbox entry
 * stays, and the next read of the lineage graph, in another process, records the edge.
 */
class LineageKilledWriterTest {
  @TempDir Path dir;

  static final String TABLE = "main.crm.f";

  /**
   * The writer: appends a row through recordWrite, says so on stdout once the data commit is made,
   * then waits (inside recordWrite, before the lineage commit) to be killed. Args: workspace dir.
   */
  public static final class Writer {
    private Writer() {}

    public static void main(String[] args) throws Exception {
      Workspace ws = Workspace.open(Path.of(args[0]));
      DeltaTable t = ws.tables().get(TABLE);
      ws.lineage().recordWrite(TABLE, List.of(Lineage.Node.table("main.raw.orders", 4)), "writes", tags -> {
        WriteOptions o = WriteOptions.defaults();
        for (var e : tags.entrySet()) {
          o = o.tag(e.getKey(), e.getValue());
        }
        CommitResult r = t.append(Frame.of(Column.ofLongs("id", 1)), o);
        System.out.println("COMMITTED " + r.version());
        System.out.flush();
        try {
          Thread.sleep(TimeUnit.MINUTES.toMillis(5)); // killed here; ends on its own if the test is gone
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        throw new IllegalStateException("the test did not kill this writer");
      });
    }
  }

  @Test
  void a_writer_killed_after_its_data_commit_leaves_an_edge_the_next_lineage_read_records() throws Exception {
    try (Workspace ws = Workspace.open(dir)) {
      ws.tables().create(TABLE).schema(Schema.of(Field.of("id", DataType.LONG))).create();
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        Writer.class.getName(), dir.toString()).redirectErrorStream(true).start();
    StringBuilder seen = new StringBuilder();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        seen.append(line).append('\n');
        if (line.startsWith("COMMITTED ")) {
          break;
        }
      }
      assertThat(seen.toString()).as("writer output").contains("COMMITTED 1");
      p.destroyForcibly(); // SIGKILL: no shutdown hook, no finally block runs
      assertThat(p.waitFor(1, TimeUnit.MINUTES)).isTrue();
    } finally {
      p.destroyForcibly();
    }
    assertThat(p.exitValue()).as("killed by SIGKILL (128 + 9)").isEqualTo(137);

    Path outbox = dir.resolve(".mlops/lineage-outbox");
    try (Workspace ws = Workspace.open(dir)) {
      DeltaTable t = ws.tables().get(TABLE);
      assertThat(t.version()).isEqualTo(1);
      assertThat(t.history().get(0).tags()).containsKey(Lineage.TAG_ID)
          .containsEntry(Lineage.TAG_SOURCES, "TABLE:main.raw.orders@4");
      assertThat(ws.tables().exists(Lineage.TABLE)).as("the lineage commit never happened").isFalse();
      try (var entries = Files.list(outbox)) {
        assertThat(entries.count()).as("the killed writer's outbox entry").isEqualTo(1);
      }
    }
    try (Workspace ws = Workspace.open(dir)) { // a later process reads the lineage graph
      List<Lineage.Edge> up = ws.lineage().upstream(Lineage.Node.table(TABLE));
      assertThat(up).hasSize(1);
      assertThat(up.get(0).from()).isEqualTo(Lineage.Node.table("main.raw.orders", 4));
      assertThat(up.get(0).to()).isEqualTo(Lineage.Node.table(TABLE, 1));
      assertThat(outbox).isEmptyDirectory();
    }
    try (Workspace ws = Workspace.open(dir)) { // repaired once: reading again adds nothing
      assertThat(ws.lineage().edges()).hasSize(1);
    }
  }
}
