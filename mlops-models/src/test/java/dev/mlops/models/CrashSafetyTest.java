package dev.mlops.models;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.Workspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Processes killed with SIGKILL at random moments while logging runs and registering versions leave a
 * workspace that opens and lists cleanly, with every version whole.
 */
class CrashSafetyTest {
  static final String NAME = "main.ml.crashy";

  @TempDir Path dir;

  @Test
  void sigkill_during_logging_and_registration_leaves_a_clean_registry() throws Exception {
    killRepeatedly(3, new Random(1));
  }

  @Test
  @Tag("stress")
  void many_sigkills_at_random_moments_leave_a_clean_registry() throws Exception {
    killRepeatedly(25, new Random());
  }

  private void killRepeatedly(int kills, Random random) throws Exception {
    Path ws = dir.resolve("ws");
    int lastPrinted = 0;
    for (int k = 0; k < kills; k++) {
      try (ChildJvm child = new ChildJvm("churn", ws.toString(), NAME)) {
        lastPrinted = Integer.parseInt(child.await("v=", 60).substring(2)); // it is in its loop now
        Thread.sleep(random.nextInt(400)); // then kill it at a random moment of a later iteration
        child.process.destroyForcibly();
        child.waitFor(30);
        for (String l : child.output()) {
          if (l.startsWith("v=")) {
            lastPrinted = Math.max(lastPrinted, Integer.parseInt(l.substring(2)));
          }
        }
      }
      assertCleanWorkspace(ws, lastPrinted);
    }
    // and the workspace keeps working: the next registration takes the next number
    ModelRegistry registry = ModelRegistry.of(Workspace.open(ws));
    int n = registry.listVersions(NAME).size();
    assertThat(registry.register(NAME, TestModels.placeholderPackage(1), null).version()).isEqualTo(n + 1);
  }

  private static void assertCleanWorkspace(Path wsDir, int atLeast) throws Exception {
    Workspace ws = Workspace.open(wsDir);
    ModelRegistry registry = ModelRegistry.of(ws);
    Tracking tracking = Tracking.of(ws);

    List<ModelVersion> versions = registry.listVersions(NAME, true);
    assertThat(versions).extracting(ModelVersion::version)
        .isEqualTo(IntStream.rangeClosed(1, versions.size()).boxed().collect(Collectors.toList()));
    assertThat(versions.size()).isGreaterThanOrEqualTo(atLeast);
    for (ModelVersion v : versions) { // every version is whole: verified and deserializable
      TestModels.ThresholdModel m = registry.load(v.uri()).deserialize(TestModels.ThresholdModel.class);
      assertThat(v.runId()).isPresent();
      assertThat(tracking.getRun(v.runId().get()).params()).containsEntry("i", Integer.toString((int) m.threshold()));
    }
    for (Integer alias : registry.aliases(NAME).values()) {
      assertThat(alias).isBetween(1, versions.size());
    }

    List<RunInfo> runs = tracking.searchRuns(List.of("crash"), "", "", Integer.MAX_VALUE);
    try (Stream<Path> dirs = Files.list(wsDir.resolve("experiments/crash/runs"))) {
      List<String> complete = dirs.filter(d -> Files.exists(d.resolve("meta.json")))
          .map(d -> d.getFileName().toString()).collect(Collectors.toList());
      assertThat(runs).extracting(RunInfo::runId).containsExactlyInAnyOrderElementsOf(complete);
    }
    for (RunInfo r : runs) {
      RunInfo again = tracking.getRun(r.runId());
      assertThat(tracking.metricHistory(r.runId(), "loss")).allSatisfy(m -> assertThat(m.value()).isPositive());
      if (r.status() == RunStatus.FINISHED) { // a killed run may hold part of its params and metrics
        assertThat(again.params()).containsOnlyKeys("i", "algorithm");
        assertThat(tracking.metricHistory(r.runId(), "loss")).hasSize(20);
      }
    }
    long running = runs.stream().filter(r -> r.status() == RunStatus.RUNNING).count();
    assertThat(running).isLessThanOrEqualTo(1); // at most the run the kill interrupted
    runs.stream().filter(r -> r.status() == RunStatus.RUNNING)
        .forEach(r -> assertThat(tracking.endRun(r.runId(), RunStatus.KILLED).status()).isEqualTo(RunStatus.KILLED));
    assertThat(tracking.searchRuns(List.of("crash"), "status = 'FINISHED'", "", 1000)).isNotEmpty();
    Map<String, Integer> unused = registry.aliases(NAME);
    assertThat(unused).containsKey("champion");
  }
}
