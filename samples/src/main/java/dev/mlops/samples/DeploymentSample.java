package dev.mlops.samples;

import dev.mlops.core.Column;
import dev.mlops.core.DeltaTable;
import dev.mlops.core.Frame;
import dev.mlops.core.Workspace;
import dev.mlops.models.Algorithm;
import dev.mlops.models.DeploymentJob;
import dev.mlops.models.DeploymentRun;
import dev.mlops.models.DeploymentTask;
import dev.mlops.models.Deployments;
import dev.mlops.models.EvaluationData;
import dev.mlops.models.JobRunState;
import dev.mlops.models.ModelRegistry;
import dev.mlops.models.ModelVersion;
import dev.mlops.models.TaskRun;
import dev.mlops.models.Trainer;
import dev.mlops.serving.Prediction;
import dev.mlops.serving.ServingEndpoint;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Random;

/**
 * A deployment job, end to end: a challenger is registered, the job evaluates it against the
 * champion on a pinned Delta table, waits for a manual approval, is approved from elsewhere (here a
 * second workspace handle in the main thread, standing for another process: the multi-process tests
 * of mlops-models do it from a real second JVM), moves {@code champion} and keeps the old one as
 * {@code previous}; then a rollback puts the old champion back in one call.
 *
 * <p>Run it with {@code java dev.mlops.samples.DeploymentSample <dir>}.
 *
 * <p>The job runs in passes ({@link Deployments#runPending()}) called here in the main thread, so
 * the sample knows where the run stands after each pass without polling; an application runs them in
 * the background with {@link Deployments#startRunner}. Serving: an endpoint bound to
 * {@code models:/main.ml.churn@champion} (the mlops-serving module) picks up the new version through
 * the alias once the deploy task has moved it, and the old one after the rollback.
 */
public final class DeploymentSample {
  private DeploymentSample() {}

  static final String MODEL = "main.ml.churn";

  /** What the sample did, for its test. */
  public record Result(int championBefore, int challenger, DeploymentRun waiting, DeploymentRun finished,
      int championAfterDeploy, int answeredBy, int championAfterRollback, int answeredAfterRollback) {}

  /** Runs the sample in the given directory (default: target/deployment-sample). */
  public static void main(String[] args) {
    run(Path.of(args.length > 0 ? args[0] : "target/deployment-sample"), System.out);
  }

  /** Runs the scenario in {@code dir}, printing what happens. */
  public static Result run(Path dir, PrintStream out) {
    Workspace ws = Workspace.open(dir);
    ModelRegistry registry = ModelRegistry.of(ws);

    // 1. Today's champion: a model that sees one weak signal.
    ModelVersion champion = Trainer.on(rows(600, 1)).label("churned").features("tenure")
        .algorithm(Algorithm.logisticRegression()).fit().register(registry, MODEL);
    registry.setAlias(MODEL, "champion", champion.version());
    out.printf("Champion: %s version %d%n", MODEL, champion.version());

    // 2. Held-out rows as a Delta table; the job reads it at this version, whatever is appended later.
    DeltaTable eval = ws.tables().create("main.ml.churn_eval").ifNotExists().create(rows(400, 2));
    long evalVersion = eval.version();

    // 3. The deployment job, attached to the model: it runs for every version registered from now on.
    Deployments deployments = Deployments.of(ws);
    deployments.attach(MODEL, DeploymentJob.of(
        DeploymentTask.evaluate(EvaluationData.table("main.ml.churn_eval", evalVersion)),
        DeploymentTask.manualApproval(),
        DeploymentTask.deploy("champion", "previous")));
    out.printf("Attached deployment job to %s: %s%n", MODEL, deployments.job(MODEL).orElseThrow().taskNames());

    // 4. A challenger that sees both signals is registered (by any process).
    ModelVersion challenger = Trainer.on(rows(600, 1)).label("churned").features("tenure", "support_calls")
        .algorithm(Algorithm.logisticRegression()).fit().register(registry, MODEL);
    out.printf("Registered challenger: version %d%n", challenger.version());

    // 5. A pass of the job runner in this thread: it creates the challenger's run and advances it until it
    //    waits for the approval. An application would run passes in the background with
    //    deployments.startRunner(interval); calling a pass directly needs no polling to know where it is.
    deployments.runPending();
    DeploymentRun waiting = expect(deployments, challenger.version(), JobRunState.APPROVAL);
    TaskRun evaluation = waiting.task("evaluate");
    out.printf("Evaluated on %s: challenger auc %.3f, champion (version %s) auc %.3f -> %s, waiting for tag '%s'%n",
        evaluation.details().get("data"), evaluation.metrics().get("auc"), evaluation.details().get("champion_version"),
        evaluation.metrics().get("champion.auc"), waiting.state(), waiting.currentTask().orElseThrow());

    // 6. A reviewer approves from elsewhere: another Workspace handle (in production, another process).
    try (Workspace elsewhere = Workspace.open(dir)) {
      Deployments.of(elsewhere).approve(MODEL, challenger.version(), "ana@example.com",
          "auc is clearly better; slices checked");
    }
    out.println("Approved by ana@example.com");

    // The next pass continues the approved run to the end.
    deployments.runPending();
    DeploymentRun finished = expect(deployments, challenger.version(), JobRunState.SUCCEEDED);
    out.printf("Deployment run %s: %s%n", finished.state(), finished.task("deploy").decision().orElse(""));
    int championAfterDeploy = registry.getVersion(MODEL, "champion").version();

    // 7. The serving endpoint bound to @champion (opened before the job ran) swaps to the deployed version.
    int answeredBy;
    int answeredAfterRollback;
    ModelVersion back;
    try (ServingEndpoint endpoint = ServingEndpoint.builder(ws, "models:/" + MODEL + "@champion").build()) {
      endpoint.refresh(); // it also polls the alias on its own; refresh() checks at once
      Prediction answer = endpoint.predict(rows(3, 3));
      answeredBy = answer.modelVersion();
      out.printf("models:/%s@champion answered with version %d (%d rows)%n", MODEL, answeredBy, answer.rows().rowCount());

      // 8. Something looks wrong in production: roll back in one call; the endpoint follows.
      back = deployments.rollback(MODEL);
      endpoint.refresh();
      answeredAfterRollback = endpoint.predict(rows(3, 3)).modelVersion();
      out.printf("Rolled back: champion is version %d again (the endpoint answers with %d); aliases %s%n",
          back.version(), answeredAfterRollback, registry.aliases(MODEL));
    }
    for (DeploymentRun.AuditEntry e : finished.log()) {
      out.printf("  audit %s %-9s %-10s %s%n", e.time(), e.task().orElse("-"), e.event(), e.detail());
    }
    return new Result(champion.version(), challenger.version(), waiting, finished, championAfterDeploy, answeredBy,
        back.version(), answeredAfterRollback);
  }

  /** The version's run, which must be in the given state after a pass. */
  private static DeploymentRun expect(Deployments d, int version, JobRunState state) {
    DeploymentRun r = d.getRun(MODEL, version);
    if (r.state() != state) {
      throw new IllegalStateException("The deployment run of version " + version + " is " + r.state() + " at task "
          + r.currentTask().orElse("-") + ", not " + state + ": " + r.tasks());
    }
    return r;
  }

  /** Churn when tenure is short and support calls many, with noise. */
  static Frame rows(int n, long seed) {
    Random r = new Random(seed);
    double[] tenure = new double[n];
    double[] calls = new double[n];
    boolean[] churned = new boolean[n];
    for (int i = 0; i < n; i++) {
      tenure[i] = r.nextGaussian();
      calls[i] = r.nextGaussian();
      churned[i] = -0.6 * tenure[i] + calls[i] + 0.4 * r.nextGaussian() > 0;
    }
    return Frame.of(Column.ofDoubles("tenure", tenure), Column.ofDoubles("support_calls", calls),
        Column.ofBooleans("churned", churned));
  }
}
