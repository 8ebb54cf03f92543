package dev.mlops.models;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.Workspace;
import dev.mlops.core.internal.Json;
import dev.mlops.models.internal.Files2;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deployment jobs across real JVMs: several runner processes start each version's run once and deploy
 * it at most once; a runner killed with SIGKILL mid-task is resumed at that task by another process;
 * an approval given in another process lets the run go on.
 */
class MultiProcessDeploymentTest {
  static final String M = "main.ml.shared";

  @TempDir Path dir;

  private Path ws() {
    return dir.resolve("ws");
  }

  private ChildJvm runner(String id, long leaseMs) throws Exception {
    return new ChildJvm(DeploymentChild.class, java.util.Map.of(), "runner", ws().toString(), id, Long.toString(leaseMs), dir.resolve("stop").toString(),
        dir.resolve("count.log").toString());
  }

  private Deployments attach(DeploymentTask... tasks) {
    Workspace w = Workspace.open(ws());
    ModelRegistry.of(w).createModel(M);
    return Deployments.of(w).attach(M, DeploymentJob.of(tasks));
  }

  private static DeploymentChild.Count count() {
    return new DeploymentChild.Count(Path.of("unused"), "test");
  }

  /** Waits until the model has n runs, all final. */
  private List<DeploymentRun> awaitFinal(Deployments d, int n, int seconds, List<ChildJvm> children)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    while (true) {
      List<DeploymentRun> runs = d.listRuns(M);
      if (runs.size() == n && runs.stream().allMatch(r -> r.state().isFinal())) {
        return runs;
      }
      if (System.nanoTime() > deadline) {
        StringBuilder out = new StringBuilder();
        children.forEach(c -> out.append(String.join("\n", c.output())).append("\n---\n"));
        throw new AssertionError("Runs not final after " + seconds + " s: " + runs.stream().map(r -> r.version() + ":"
            + r.state() + "@" + r.currentTask().orElse("")).collect(Collectors.toList()) + "\n" + out);
      }
      Thread.sleep(100);
    }
  }

  /** version -> number of times the count step started, from the shared log. */
  private Map<Integer, Integer> countStarts() {
    Map<Integer, Integer> m = new HashMap<>();
    for (String l : Files2.completeLines(dir.resolve("count.log"))) {
      int v = Integer.parseInt(l.substring(2, l.indexOf(' ')));
      m.merge(v, 1, Integer::sum);
    }
    return m;
  }

  private List<JsonNode> history() {
    List<JsonNode> out = new ArrayList<>();
    for (String l : Files2.completeLines(ws().resolve("registry/main/ml/shared/deployment/history.jsonl"))) {
      out.add(Json.tree(l));
    }
    return out;
  }

  /** Each deployment is in the history once; returns the deployed versions. */
  private List<Integer> assertEachDeploymentOnce() {
    List<JsonNode> h = history();
    List<String> runIds = h.stream().map(n -> n.get("runId").asText()).collect(Collectors.toList());
    assertThat(runIds).doesNotHaveDuplicates();
    List<Integer> deployed = h.stream().filter(n -> n.get("kind").asText().equals("deploy"))
        .map(n -> n.get("to").asInt()).collect(Collectors.toList());
    assertThat(deployed).doesNotHaveDuplicates();
    return deployed;
  }

  private static void assertOnlySupersededFailures(List<DeploymentRun> runs) {
    for (DeploymentRun r : runs) {
      if (r.state() == JobRunState.FAILED) {
        assertThat(r.currentTask()).hasValue("deploy");
        assertThat(r.task("deploy").error().orElseThrow()).contains("superseded");
      }
    }
  }

  @Test
  void three_runner_processes_start_each_version_once_and_deploy_it_at_most_once() throws Exception {
    Deployments d = attach(count(), DeploymentTask.deploy("champion", "previous"));
    List<ChildJvm> children = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        children.add(runner("r" + i, 10_000));
      }
      for (int i = 0; i < 2; i++) {
        children.add(new ChildJvm(DeploymentChild.class, java.util.Map.of(), "register", ws().toString(), M, "6", dir.resolve("go").toString()));
      }
      for (ChildJvm c : children) {
        c.await("started", 60);
      }
      Files.createFile(dir.resolve("go"));
      List<DeploymentRun> runs = awaitFinal(d, 12, 120, children);
      Files.createFile(dir.resolve("stop"));
      for (ChildJvm c : children) {
        assertThat(c.waitFor(60)).as(String.join("\n", c.output())).isZero();
      }

      Map<Integer, Integer> starts = countStarts();
      assertThat(starts).hasSize(12);
      assertThat(starts.values()).as("the count step of each version started once").containsOnly(1);
      assertThat(runs).allSatisfy(r -> assertThat(r.task("count").attempts()).isEqualTo(1));
      List<Integer> deployed = assertEachDeploymentOnce();
      assertThat(deployed).contains(12);
      assertOnlySupersededFailures(runs);
      assertThat(ModelRegistry.of(Workspace.open(ws())).aliases(M)).containsEntry("champion", 12);
      // several runners did the work
      assertThat(runs.stream().flatMap(r -> r.log().stream()).filter(e -> e.event().equals("claimed"))
          .map(DeploymentRun.AuditEntry::runner).distinct().count()).isGreaterThan(1);
    } finally {
      children.forEach(ChildJvm::close);
    }
  }

  @Test
  void a_runner_killed_mid_task_is_resumed_at_that_task_by_another_process_and_deploys_once() throws Exception {
    Deployments d = attach(count(), new DeploymentChild.Hang(), DeploymentTask.deploy("champion", "previous"));
    ModelRegistry registry = d.registry();
    List<ChildJvm> children = new ArrayList<>();
    try {
      ChildJvm a = runner("a", 1500);
      children.add(a);
      registry.register(M, TestModels.placeholderPackage(1), null);
      a.await("in-task v=1", 60);
      a.process.destroyForcibly(); // SIGKILL in the middle of task "hang"
      a.waitFor(30);
      DeploymentRun stuck = d.getRun(M, 1);
      assertThat(stuck.state()).isEqualTo(JobRunState.RUNNING);
      assertThat(stuck.currentTask()).hasValue("hang");
      assertThat(stuck.task("count").status()).isEqualTo(JobRunState.SUCCEEDED);

      ChildJvm b = runner("b", 1500);
      children.add(b);
      DeploymentRun run = awaitFinal(d, 1, 60, children).get(0);
      Files.createFile(dir.resolve("stop"));
      assertThat(b.waitFor(60)).isZero();

      assertThat(run.state()).isEqualTo(JobRunState.SUCCEEDED);
      assertThat(run.task("count").attempts()).as("a finished task is not run again").isEqualTo(1);
      assertThat(run.task("hang").attempts()).isEqualTo(2);
      assertThat(run.task("hang").decision()).hasValue("attempt 2");
      assertThat(run.task("deploy").attempts()).isEqualTo(1);
      assertThat(countStarts()).containsOnly(Map.entry(1, 1));
      assertThat(run.log()).anySatisfy(e -> {
        assertThat(e.event()).isEqualTo("claimed");
        assertThat(e.runner()).isEqualTo("b");
        assertThat(e.detail()).isEqualTo("lease of a expired; resuming at task hang");
      });
      assertThat(run.log()).anySatisfy(e -> assertThat(e.event()).isEqualTo("resumed"));
      assertThat(assertEachDeploymentOnce()).containsExactly(1);
      assertThat(registry.aliases(M)).containsOnly(Map.entry("champion", 1));
    } finally {
      children.forEach(ChildJvm::close);
    }
  }

  @Test
  void runners_killed_at_random_moments_never_repeat_a_deployment() throws Exception {
    killRandomly(3, 6, new Random(3));
  }

  @Test
  @Tag("stress")
  void many_random_kills_never_repeat_a_deployment() throws Exception {
    killRandomly(20, 30, new Random());
  }

  private void killRandomly(int kills, int versions, Random random) throws Exception {
    Deployments d = attach(count(), DeploymentTask.deploy("champion", "previous"));
    ModelRegistry registry = d.registry();
    List<ChildJvm> all = new ArrayList<>();
    try {
      int registered = 0;
      for (int k = 0; k < kills; k++) {
        ChildJvm r = runner("k" + k, 800);
        all.add(r);
        r.await("started", 60);
        for (int i = 0; i < versions / kills + 1 && registered < versions; i++, registered++) {
          registry.register(M, TestModels.placeholderPackage(registered), null);
        }
        Thread.sleep(random.nextInt(600));
        r.process.destroyForcibly();
        r.waitFor(30);
      }
      while (registered < versions) {
        registry.register(M, TestModels.placeholderPackage(registered++), null);
      }
      ChildJvm last = runner("last", 800);
      all.add(last);
      List<DeploymentRun> runs = awaitFinal(d, versions, 120, all);
      Files.createFile(dir.resolve("stop"));
      assertThat(last.waitFor(60)).isZero();

      assertThat(countStarts().keySet()).hasSize(versions); // every version's run started
      List<Integer> deployed = assertEachDeploymentOnce();
      assertThat(deployed).contains(versions);
      assertOnlySupersededFailures(runs);
      for (DeploymentRun r : runs) {
        assertThat(r.task("deploy").attempts()).isLessThanOrEqualTo(2);
        if (r.state() == JobRunState.SUCCEEDED) {
          assertThat(deployed).contains(r.version());
        }
      }
      assertThat(registry.aliases(M)).containsEntry("champion", versions);
    } finally {
      all.forEach(ChildJvm::close);
    }
  }

  @Test
  void an_approval_from_another_process_lets_the_run_deploy() throws Exception {
    Workspace w = Workspace.open(ws());
    ModelRegistry registry = ModelRegistry.of(w);
    ModelVersion v1 = DeployFixtures.weak().register(registry, M);
    registry.setAlias(M, "champion", v1.version());
    Deployments d = Deployments.of(w).attach(M, DeploymentJob.of(
        DeploymentTask.evaluate(EvaluationData.rows(DeployFixtures.rows(200, 5))),
        DeploymentTask.manualApproval(),
        DeploymentTask.deploy("champion", "previous")));
    DeployFixtures.strong().register(registry, M);
    d.runPending();
    assertThat(d.getRun(M, 2).state()).isEqualTo(JobRunState.APPROVAL);

    try (ChildJvm wrong = new ChildJvm(DeploymentChild.class, java.util.Map.of(), "approve", ws().toString(), M, "1", "ana", "-")) {
      assertThat(wrong.waitFor(60)).isZero();
      assertThat(wrong.output()).anySatisfy(l -> assertThat(l).startsWith("error NoPendingApprovalException"));
    }
    try (ChildJvm approver = new ChildJvm(DeploymentChild.class, java.util.Map.of(), "approve", ws().toString(), M, "2", "ana", "auc up 4 points")) {
      assertThat(approver.waitFor(60)).isZero();
      assertThat(approver.output()).contains("approved");
    }
    d.runPending();
    DeploymentRun run = d.getRun(M, 2);
    assertThat(run.state()).isEqualTo(JobRunState.SUCCEEDED);
    assertThat(run.task("approval").approver()).hasValue("ana");
    assertThat(run.task("approval").comment()).hasValue("auc up 4 points");
    assertThat(registry.aliases(M)).containsEntry("champion", 2).containsEntry("previous", 1);
  }
}
