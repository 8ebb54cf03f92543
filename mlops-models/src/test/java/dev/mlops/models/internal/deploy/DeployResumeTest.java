package dev.mlops.models.internal.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.TableName;
import dev.mlops.core.Workspace;
import dev.mlops.models.DeploymentJob;
import dev.mlops.models.DeploymentRun;
import dev.mlops.models.DeploymentTask;
import dev.mlops.models.JobRunState;
import dev.mlops.models.ModelPackage;
import dev.mlops.models.ModelRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A runner that died inside the deploy task, at each point between recording its plan and recording
 * its result: the next runner finishes the same alias moves and the history holds the deployment once.
 */
class DeployResumeTest {
  static final String M = "main.ml.resume";
  static final TableName N = TableName.parse(M);

  @TempDir Path dir;

  /** Registers a package through the public path: logged in a run, then registered by its runs:/ URI. */
  private static void register(ModelRegistry registry, String model) {
    try (dev.mlops.models.Run run = dev.mlops.models.Tracking.of(registry.workspace()).experiment("resume").start("r")) {
      run.logModel("model", ModelPackage.builder().model(model).build());
      registry.register(M, run.artifactUri("model"));
    }
  }

  /** Version 1 deployed; version 2's run claimed by a runner "dead" that recorded the deploy plan, then died. */
  private Engine[] setUp(ModelRegistry registry, boolean historyWritten, boolean previousMoved) {
    registry.createModel(M);
    Engine dead = new Engine(registry, "dead", Duration.ofMinutes(10), Map.of());
    dead.attach(M, DeploymentJob.of(DeploymentTask.deploy("champion", "previous")));
    register(registry, "v1");
    dead.runPending();
    register(registry, "v2");
    dead.discover(N);
    int v = dead.claim(N, Set.of()).orElseThrow();
    Store store = new Store(registry.workspace());
    long token = store.readRun(N, v).orElseThrow().leaseToken;
    dead.fenced(N, v, token, d -> { // what the deploy task writes before moving aliases
      Docs.TaskDoc t = d.tasks.get(0);
      t.status = "RUNNING";
      t.attempts = 1;
      t.startedAt = System.currentTimeMillis();
      d.currentTask = t.name;
      t.details.putAll(Map.of("alias", "champion", "from", "1", "to", "2", "previous_alias", "previous", "plan", "planned"));
      return null;
    });
    if (historyWritten) {
      Docs.HistoryDoc h = new Docs.HistoryDoc();
      h.kind = "deploy";
      h.runId = store.readRun(N, v).orElseThrow().runId;
      h.alias = "champion";
      h.from = 1;
      h.to = 2;
      h.previous = 1;
      store.appendHistory(M, h);
    }
    if (previousMoved) {
      registry.setAlias(M, "previous", 1);
    }
    Docs.RunDoc r = store.readRun(N, v).orElseThrow(); // the dead runner's lease runs out
    r.leaseExpiresAt = 0;
    store.writeRun(r);
    return new Engine[] {dead, new Engine(registry, "next", Duration.ofMinutes(10), Map.of())};
  }

  private void check(boolean historyWritten, boolean previousMoved) {
    ModelRegistry registry = ModelRegistry.of(Workspace.open(dir.resolve("ws-" + historyWritten + previousMoved)));
    Engine[] e = setUp(registry, historyWritten, previousMoved);
    assertThat(registry.aliases(M)).containsEntry("champion", 1);

    List<DeploymentRun> resumed = e[1].runPending();

    assertThat(resumed).extracting(DeploymentRun::version).containsExactly(2);
    DeploymentRun run = resumed.get(0);
    assertThat(run.state()).isEqualTo(JobRunState.SUCCEEDED);
    assertThat(run.task("deploy").attempts()).isEqualTo(2);
    assertThat(run.task("deploy").details()).containsEntry("plan", "applied").containsEntry("from", "1");
    assertThat(registry.aliases(M)).containsOnly(Map.entry("champion", 2), Map.entry("previous", 1));
    List<Docs.HistoryDoc> h = e[1].history(M);
    assertThat(h).extracting(x -> x.to).containsExactly(1, 2); // each deployment once
    assertThat(h.get(1).runId).isEqualTo(run.runId());
    // the dead runner cannot write any more, and nothing is left to do
    assertThat(e[1].runPending()).isEmpty();
  }

  @Test
  void died_after_recording_the_plan() {
    check(false, false);
  }

  @Test
  void died_after_writing_the_history() {
    check(true, false);
  }

  @Test
  void died_after_moving_previous() {
    check(true, true);
  }
}
