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
 * registry ({@link RegistrySample}) and scoring ({@link ScoringSample}).
 *
 * <p>Run it with {@code mvn -q -Pdemo -DskipTests package} from the repository root (it writes
 * {@code target/lakehouse} under samples/), or {@code java dev.mlops.samples.EndToEnd <dir>}.
 */
public final class EndToEnd {
  private EndToEnd() {}

  /** What the run produced, for the test to check. */
  public record Result(long latestVersion, Frame latest, Frame firstVersion, List<Commit> history,
      TrainingSet trainingSet, Frame online, List<Lineage.Edge> featureUpstream, TrainedModel model,
      ModelVersion champion, Frame scored, Frame scoredOnline) {}

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
      return new Result(tables.latestVersion(), tables.latest(), tables.firstVersion(), tables.history(),
          features.trainingSet(), features.online(), features.featureUpstream(), model, champion,
          scoring.scored(), scoring.scoredOnline());
    }
  }
}
