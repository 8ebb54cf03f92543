package dev.mlops.samples;

import dev.mlops.core.Commit;
import dev.mlops.core.Frame;
import dev.mlops.core.Lineage;
import dev.mlops.core.Workspace;
import dev.mlops.features.TrainingSet;
import dev.mlops.models.ModelVersion;
import dev.mlops.models.TrainedModel;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * The main job: every scenario sample in order, on one embedded local workspace — tables
 * ({@link TablesSample}), features ({@link FeaturesSample}), training ({@link TrainingSample}),
 * registry ({@link RegistrySample}) and scoring ({@link ScoringSample}); then the second half of the
 * loop, each scenario in a workspace of its own under {@code <dir>/.scenarios/}: deployment jobs
 * ({@link DeploymentSample}), serving over HTTP with inference tables ({@link ServingSample}) and
 * monitoring with drift and late labels ({@link MonitoringSample}), and an alert on the drift table that
 * notifies a webhook with the models it affects, with an HTML report per refresh ({@link AlertsSample}).
 *
 * <p>Run it with {@code mvn -q -Pdemo -DskipTests package} from the repository root (it writes
 * {@code target/lakehouse} under samples/), or {@code java dev.mlops.samples.EndToEnd <dir>}.
 */
public final class EndToEnd {
  private EndToEnd() {}

  /** What the run produced, for the test to check. */
  public record Result(long latestVersion, Frame latest, Frame firstVersion, List<Commit> history,
      TrainingSet trainingSet, Frame online, List<Lineage.Edge> featureUpstream, TrainedModel model,
      ModelVersion champion, Frame scored, Frame scoredOnline, DeploymentSample.Result deployment,
      ServingSample.Result serving, MonitoringSample.Result monitoring, AlertsSample.Result alerts) {}

  /** Runs the sample in the given directory (default: target/lakehouse). */
  public static void main(String[] args) {
    Path dir = Path.of(args.length > 0 ? args[0] : "target/lakehouse");
    run(dir, System.out);
  }

  /** Runs the whole loop in {@code dir}, printing what it does. */
  public static Result run(Path dir, PrintStream out) {
    try (Workspace ws = Workspace.open(dir)) {
      out.println("== Workspace " + ws.root());
      TablesSample.Result tables = TablesSample.run(ws, out);
      FeaturesSample.Result features = FeaturesSample.run(ws, out);
      TrainedModel model = TrainingSample.run(ws, out);
      ModelVersion champion = RegistrySample.run(ws, out, model);
      ScoringSample.Result scoring = ScoringSample.run(ws, out);
      // The second half of the loop: each scenario builds its own data, in a workspace of its own
      // (a name starting with '.' is never read as a catalog of the main workspace).
      Path scenarios = dir.resolve(".scenarios");
      deleteTree(scenarios); // a second run starts fresh, like the tables above
      out.println("== Deployment job");
      DeploymentSample.Result deployment = DeploymentSample.run(scenarios.resolve("deployment"), out);
      out.println("== Serving");
      ServingSample.Result serving = ServingSample.run(scenarios.resolve("serving"), out);
      out.println("== Monitoring");
      MonitoringSample.Result monitoring = MonitoringSample.run(scenarios.resolve("monitoring"), out);
      out.println("== Alerts and report");
      AlertsSample.Result alerts = AlertsSample.run(scenarios.resolve("alerts"), out);
      return new Result(tables.latestVersion(), tables.latest(), tables.firstVersion(), tables.history(),
          features.trainingSet(), features.online(), features.featureUpstream(), model, champion,
          scoring.scored(), scoring.scoredOnline(), deployment, serving, monitoring, alerts);
    }
  }

  private static void deleteTree(Path root) {
    if (!java.nio.file.Files.exists(root)) {
      return;
    }
    try (java.util.stream.Stream<Path> s = java.nio.file.Files.walk(root)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        java.nio.file.Files.delete(p);
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("Cannot clear " + root + " before the scenarios run", e);
    }
  }
}
