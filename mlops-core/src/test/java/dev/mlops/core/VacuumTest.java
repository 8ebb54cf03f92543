package dev.mlops.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 8 bug 8 (core part): vacuum with Delta's semantics, and stale temp files of killed writers. */
class VacuumTest {
  @TempDir Path dir;
  static final String NAME = "main.v.t";

  private Path table() {
    return dir.resolve("tables/main/v/t");
  }

  private Set<Path> dataFiles() throws Exception {
    try (Stream<Path> s = Files.walk(table())) {
      return new HashSet<>(s.filter(p -> p.toString().endsWith(".parquet") && !p.toString().contains("_delta_log")).toList());
    }
  }

  private void age(Path p, Duration d) throws Exception {
    Files.setLastModifiedTime(p, FileTime.from(Instant.now().minus(d)));
  }

  private void ageCommit(long v, Duration d) throws Exception {
    age(table().resolve("_delta_log").resolve(String.format("%020d.json", v)), d);
  }

  @Test
  void vacuum_deletes_only_old_unreferenced_files_and_keeps_versions_in_the_retention_period() throws Exception {
    try (Workspace ws = Workspace.open(dir)) {
      DeltaTable t = ws.tables().create(NAME).schema(Schema.of(Field.of("id", DataType.LONG))).create();
      t.append(Frame.of(Column.ofLongs("id", 1)));          // v1: file A
      Set<Path> a = dataFiles();
      t.overwrite(Frame.of(Column.ofLongs("id", 2)));       // v2: file B replaces A
      Set<Path> b = dataFiles();
      b.removeAll(a);
      t.append(Frame.of(Column.ofLongs("id", 3)));          // v3: file C
      Path orphanOld = table().resolve("part-killed-writer-old.parquet");
      Path orphanNew = table().resolve("part-killed-writer-new.parquet");
      Files.copy(b.iterator().next(), orphanOld);
      Files.copy(b.iterator().next(), orphanNew);
      // v0..v2 were committed 10, 10, 9 days ago; v3 now. Every data file is old except the new orphan.
      ageCommit(0, Duration.ofDays(10));
      ageCommit(1, Duration.ofDays(10));
      ageCommit(2, Duration.ofDays(9));
      for (Path p : dataFiles()) {
        age(p, Duration.ofDays(10));
      }
      age(orphanNew, Duration.ofMinutes(1));
      VacuumResult r = t.vacuum();
      assertThat(r.filesDeleted()).isEqualTo(2); // A (only version 1 needed it) and the old orphan
      assertThat(r.oldestReadableVersion()).isEqualTo(2);
      Set<Path> left = dataFiles();
      assertThat(left).doesNotContainAnyElementsOf(a).doesNotContain(orphanOld).contains(orphanNew).containsAll(b);
      assertThat(t.read().load().rowCount()).isEqualTo(2);
      assertThat(t.read().version(2).load().rowCount()).isEqualTo(1);
      assertThatThrownBy(() -> t.read().version(1).load()).isInstanceOf(CorruptTableException.class)
          .hasMessageContaining("VACUUM");
    }
  }

  @Test
  void a_retention_shorter_than_seven_days_is_refused_unless_forced_and_never_touches_the_latest_files() throws Exception {
    try (Workspace ws = Workspace.open(dir)) {
      DeltaTable t = ws.tables().create(NAME).schema(Schema.of(Field.of("id", DataType.LONG))).create();
      t.append(Frame.of(Column.ofLongs("id", 1)));
      t.overwrite(Frame.of(Column.ofLongs("id", 2)));
      assertThatThrownBy(() -> t.vacuum(Duration.ofHours(1))).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("vacuumForced").hasMessageContaining(NAME);
      assertThat(t.vacuum(Duration.ofDays(8)).filesDeleted()).isZero();
      VacuumResult r = t.vacuumForced(Duration.ZERO);
      assertThat(r.filesDeleted()).isEqualTo(1);
      assertThat(t.read().load().column("id").getLong(0)).isEqualTo(2);
      assertThat(dataFiles()).hasSize(1);
    }
  }

  @Test
  void stale_temp_files_of_killed_writers_are_removed_from_the_log_and_fresh_ones_kept() throws Exception {
    try (Workspace ws = Workspace.open(dir)) {
      DeltaTable t = ws.tables().create(NAME).schema(Schema.of(Field.of("id", DataType.LONG))).create();
      t.append(Frame.of(Column.ofLongs("id", 1)));
      Path log = table().resolve("_delta_log");
      Path stale = log.resolve(".00000000000000000002.json.0d1e-killed.tmp");
      Path fresh = log.resolve(".00000000000000000002.json.77aa-running.tmp");
      Files.writeString(stale, "{\"commitInfo\":{}}");
      Files.writeString(fresh, "{\"commitInfo\":{}}");
      age(stale, Duration.ofHours(2));
      VacuumResult r = t.vacuum();
      assertThat(r.tempFilesDeleted()).isEqualTo(1);
      assertThat(stale).doesNotExist();
      assertThat(fresh).exists();
      assertThat(t.read().load().rowCount()).isEqualTo(1);
      assertThat(List.of(t.version())).containsExactly(1L);
    }
  }
}
