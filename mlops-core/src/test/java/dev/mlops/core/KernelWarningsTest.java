package dev.mlops.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.logging.LogCapture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The common path (create a table, write it a few times, read it back, travel in time) provokes no
 * WARN from Delta Kernel beyond one at creation: Kernel WARNs "Cannot find a complete checkpoint" on
 * every load of a table without a checkpoint, so the SDK checkpoints version 0 of every table it
 * creates. The one WARN left is Kernel's own check that no table exists yet (its create transaction
 * loads the log before anything is written; Kernel 4.4 offers no way around it). Log events are
 * captured by this module's test binding ({@link LogCapture}).
 */
class KernelWarningsTest {
  private static final String NAME = "main.logs.events";
  private static final Schema SCHEMA = Schema.of(Field.of("id", DataType.LONG), Field.of("v", DataType.STRING));

  @TempDir Path dir;

  @BeforeEach
  void the_capturing_binding_is_the_one_slf4j_uses() {
    assertThat(LogCapture.active()).as("LogCapture is SLF4J's binding in this module's tests").isTrue();
  }

  private static Frame rows(long from, int n) {
    long[] ids = new long[n];
    String[] vs = new String[n];
    for (int i = 0; i < n; i++) {
      ids[i] = from + i;
      vs[i] = "v" + (from + i);
    }
    return Frame.of(Column.ofLongs("id", ids), Column.ofStrings("v", vs));
  }

  private static List<LogCapture.Event> kernelEvents(long mark) {
    return LogCapture.since(mark).stream().filter(e -> e.logger().startsWith("io.delta")).toList();
  }

  @Test
  void writing_reading_and_time_travel_log_no_warning_from_kernel_and_creating_one() throws Exception {
    Instant afterFirstWrite;
    long mark;
    try (Workspace ws = Workspace.open(dir)) {
      long beforeCreate = LogCapture.mark();
      assertThat(ws.tables().find(NAME)).isEmpty();
      assertThatThrownBy(() -> ws.tables().snapshot(NAME)).isInstanceOf(TableNotFoundException.class);
      DeltaTable t = ws.tables().create(NAME).schema(SCHEMA).create();
      assertThat(kernelEvents(beforeCreate)).as("only Kernel's check that no table exists yet")
          .extracting(LogCapture.Event::message).containsExactly("Cannot find a complete checkpoint. Listing from"
              + " version 0.");
      mark = LogCapture.mark();
      t.append(rows(0, 3));
      Thread.sleep(10); // commit timestamps are milliseconds: keep version 1 and 2 apart from this instant
      afterFirstWrite = Instant.now();
      Thread.sleep(10);
      t.append(rows(3, 2));
      t.upsert(rows(4, 3), "id");
      t.delete(Filter.eq("id", 0L));
      assertThat(t.read().load().rowCount()).isEqualTo(6);
      assertThat(t.read().version(1).load().rowCount()).isEqualTo(3);
      assertThat(t.read().version(0).load().rowCount()).isZero();
      assertThat(t.read().asOf(afterFirstWrite).load().rowCount()).isEqualTo(3);
      assertThat(t.history()).hasSize(5);
    }
    try (Workspace ws = Workspace.open(dir)) { // another process's first look: nothing remembered
      DeltaTable t = ws.tables().get(NAME);
      assertThat(t.read().load().rowCount()).isEqualTo(6);
      assertThat(t.read().version(2).load().rowCount()).isEqualTo(5);
      t.append(rows(100, 1));
    }
    assertThat(kernelEvents(mark)).isEmpty();
    assertThat(dir.resolve("tables/main/logs/events/_delta_log/00000000000000000000.checkpoint.parquet")).exists();
    assertThat(dir.resolve("tables/main/logs/events/_delta_log/_last_checkpoint")).exists();
  }

  @Test
  void a_table_without_a_checkpoint_does_make_kernel_warn_so_the_capture_can_fail() throws Exception {
    try (Workspace ws = Workspace.open(dir)) {
      ws.tables().create(NAME).schema(SCHEMA).create().append(rows(0, 2));
    }
    // What a table written by an engine that has not checkpointed yet looks like.
    try (Stream<Path> s = Files.list(dir.resolve("tables/main/logs/events/_delta_log"))) {
      for (Path p : s.filter(p -> p.toString().endsWith(".checkpoint.parquet")
          || p.getFileName().toString().equals("_last_checkpoint")).toList()) {
        Files.delete(p);
      }
    }
    long mark = LogCapture.mark();
    try (Workspace ws = Workspace.open(dir)) {
      assertThat(ws.tables().get(NAME).read().load().rowCount()).isEqualTo(2);
    }
    assertThat(kernelEvents(mark)).extracting(LogCapture.Event::message)
        .anyMatch(m -> m.contains("Cannot find a complete checkpoint"));
  }

  @Test
  void the_table_with_the_checkpoint_of_version_0_reads_the_same_as_from_its_commits() throws Exception {
    try (Workspace ws = Workspace.open(dir)) {
      DeltaTable t = ws.tables().create(NAME).schema(SCHEMA).description("events").create();
      t.append(rows(0, 4));
      Frame withCheckpoint = t.read().load();
      Schema schema = t.schema();
      java.util.Map<String, String> properties = t.properties();
      Path log = dir.resolve("tables/main/logs/events/_delta_log");
      Files.delete(log.resolve("00000000000000000000.checkpoint.parquet"));
      Files.delete(log.resolve("_last_checkpoint"));
      try (Workspace other = Workspace.open(dir)) {
        DeltaTable fromCommits = other.tables().get(NAME);
        assertThat(fromCommits.read().load()).isEqualTo(withCheckpoint);
        assertThat(fromCommits.schema()).isEqualTo(schema);
        assertThat(fromCommits.properties()).isEqualTo(properties);
        assertThat(fromCommits.description()).isEqualTo("events");
      }
    }
  }
}
