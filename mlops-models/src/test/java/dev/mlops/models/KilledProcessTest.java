package dev.mlops.models;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.Workspace;
import dev.mlops.core.internal.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a SIGKILLed process leaves behind is cleaned up by the next reader, and nothing a live process uses. */
class KilledProcessTest {
  @TempDir Path dir;

  @Test
  void a_run_whose_process_was_killed_is_failed_when_next_read() throws Exception {
    Path wsDir = dir.resolve("ws");
    Workspace ws = Workspace.open(wsDir);
    Tracking tracking = Tracking.of(ws);
    String runId;
    long pid;
    try (ChildJvm child = new ChildJvm("hang-run", wsDir.toString())) {
      runId = child.await("run=", 60).substring(4);
      pid = child.process.pid();
      assertThat(tracking.getRun(runId).status()).isEqualTo(RunStatus.RUNNING); // alive: left alone
      assertThat(tracking.searchRuns("killed", "status = 'RUNNING'")).extracting(RunInfo::runId).containsExactly(runId);
      child.process.destroyForcibly(); // SIGKILL
      child.waitFor(30);
    }
    RunInfo r = tracking.getRun(runId);
    assertThat(r.status()).isEqualTo(RunStatus.FAILED);
    assertThat(r.endTime()).isPresent();
    assertThat(r.tags().get("mlops.failure")).contains("pid " + pid).contains("killed or crashed");
    assertThat(r.metric("loss")).contains(0.5); // what it logged is kept
    assertThat(tracking.searchRuns("killed", "status = 'FAILED'")).extracting(RunInfo::runId).containsExactly(runId);
    try (var files = Files.walk(wsDir.resolve("experiments/killed/runs/" + runId + "/artifacts"))) {
      assertThat(files.filter(Files::isRegularFile).map(f -> f.getFileName().toString()))
          .containsExactly(tracking.listArtifacts(runId).get(0).substring(6)); // the temp leftovers are gone
    }
    assertThat(tracking.listArtifacts(runId)).hasSize(1).allMatch(a -> a.startsWith("files/kept"));
    assertThat(tracking.searchRuns("killed", "status = 'RUNNING'")).isEmpty();
  }

  @Test
  void a_running_run_of_another_machine_or_of_an_old_sdk_is_left_running() throws Exception {
    Workspace ws = Workspace.open(dir.resolve("ws"));
    Tracking tracking = Tracking.of(ws);
    Run elsewhere = tracking.experiment("e").start("elsewhere");
    Run old = tracking.experiment("e").start("old");
    Path runs = ws.localRoot().orElseThrow().resolve("experiments/e/runs");
    ObjectNode m1 = (ObjectNode) Json.tree(Files.readString(runs.resolve(elsewhere.id()).resolve("meta.json")));
    ((ObjectNode) m1.get("process")).put("host", "another-machine").put("pid", 1L << 40);
    Files.writeString(runs.resolve(elsewhere.id()).resolve("meta.json"), Json.write(m1));
    ObjectNode m2 = (ObjectNode) Json.tree(Files.readString(runs.resolve(old.id()).resolve("meta.json")));
    m2.remove("process");
    Files.writeString(runs.resolve(old.id()).resolve("meta.json"), Json.write(m2));
    assertThat(tracking.getRun(elsewhere.id()).status()).isEqualTo(RunStatus.RUNNING);
    assertThat(tracking.getRun(old.id()).status()).isEqualTo(RunStatus.RUNNING);
    assertThat(tracking.searchRuns("e", "status = 'RUNNING'")).hasSize(2);
  }

  @Test
  void a_pid_reused_by_another_process_does_not_keep_a_dead_run_running() throws Exception {
    Workspace ws = Workspace.open(dir.resolve("ws"));
    Tracking tracking = Tracking.of(ws);
    Run run = tracking.experiment("e").start("reused");
    Path meta = ws.localRoot().orElseThrow().resolve("experiments/e/runs/" + run.id() + "/meta.json");
    ObjectNode m = (ObjectNode) Json.tree(Files.readString(meta));
    // this JVM's pid, but a start time an hour earlier: the run's process was another one that had this pid
    long start = m.get("process").get("startMillis").asLong();
    ((ObjectNode) m.get("process")).put("startMillis", start - 3_600_000L);
    Files.writeString(meta, Json.write(m));
    assertThat(tracking.getRun(run.id()).status()).isEqualTo(RunStatus.FAILED);
  }

  @Test
  void a_staging_directory_is_removed_only_once_its_writer_is_gone() throws Exception {
    Path wsDir = dir.resolve("ws");
    Workspace ws = Workspace.open(wsDir);
    ModelRegistry registry = ModelRegistry.of(ws);
    String name = "main.ml.staged";
    Path staging;
    try (ChildJvm child = new ChildJvm("hold-staging", wsDir.toString(), name)) {
      staging = Path.of(child.await("staging=", 60).substring(8));
      Instant old = Instant.now().minusSeconds(3 * 3600); // older than any age rule: only liveness protects it
      Files.setLastModifiedTime(staging, FileTime.from(old));
      Files.setLastModifiedTime(staging.resolve("partial"), FileTime.from(old));
      registry.register(name, TestModels.placeholderPackage(1), null); // cleans staging on the way
      assertThat(staging.resolve("partial")).exists(); // its writer is alive: untouched
      child.process.destroyForcibly(); // SIGKILL mid-registration
      child.waitFor(30);
    }
    assertThat(staging).exists();
    registry.register(name, TestModels.placeholderPackage(2), null);
    assertThat(staging).doesNotExist();
    try (var s = Files.list(staging.getParent())) {
      assertThat(s.map(p -> p.getFileName().toString()).filter(f -> !f.startsWith("."))).isEmpty();
    }
    assertThat(registry.listVersions(name)).extracting(ModelVersion::version).containsExactly(1, 2);
  }

  @Test
  void a_staging_directory_held_by_another_thread_of_this_process_is_not_removed() {
    ModelRegistry registry = ModelRegistry.of(Workspace.open(dir.resolve("ws")));
    try (ModelRegistry.Staging held = registry.openStaging("main.ml.staged")) {
      registry.register("main.ml.staged", TestModels.placeholderPackage(1), null);
      assertThat(held.dir()).exists();
    }
    registry.register("main.ml.staged", TestModels.placeholderPackage(2), null);
    assertThat(List.of(dir.resolve("ws/registry/main/ml/staged/staging").toFile().list())).isEmpty();
  }
}
