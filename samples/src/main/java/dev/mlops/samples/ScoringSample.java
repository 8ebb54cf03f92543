package dev.mlops.samples;

import dev.mlops.core.Column;
import dev.mlops.core.Frame;
import dev.mlops.core.Workspace;
import dev.mlops.features.FeatureStore;
import dev.mlops.features.OnlineStore;
import dev.mlops.models.Predictor;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Scenario: the champion loaded by alias scores new keys; its feature spec looks their features up
 * in the Delta tables (batch) and in an online store (serving) alike.
 *
 * <p>Run alone with {@code java dev.mlops.samples.ScoringSample [workspace-dir]} (default
 * {@code target/lakehouse}): it trains and registers first. {@link EndToEnd} runs every scenario in
 * order.
 */
public final class ScoringSample {
  private ScoringSample() {}

  /** What the scenario produced: the same keys scored in batch and online. */
  public record Result(Frame scored, Frame scoredOnline) {}

  /** Scores three customers with {@code models:/main.ml.churn@champion}, batch and online. */
  public static Result run(Workspace ws, PrintStream out) {
    Predictor champion = Predictor.load(ws, "models:/" + RegistrySample.MODEL + "@champion");
    Frame newKeys = Frame.of(Column.ofLongs("customer_id", 101, 102, 103));
    Frame scored = champion.score(newKeys);
    OnlineStore online = OnlineStore.inMemory();
    FeatureStore.of(ws).publish(TrainingSample.ACTIVITY, online);
    Frame scoredOnline = champion.scoreOnline(newKeys, online);
    out.println("\nChampion scores (batch):");
    out.println(scored.select("customer_id", "spend_30d", "visits_7d", "prediction", "probability_true"));
    return new Result(scored, scoredOnline);
  }

  /** Trains and registers, then runs this scenario (default directory target/lakehouse). */
  public static void main(String[] args) {
    try (Workspace ws = Workspace.open(Path.of(args.length > 0 ? args[0] : "target/lakehouse"))) {
      RegistrySample.run(ws, System.out, TrainingSample.run(ws, System.out));
      run(ws, System.out);
    }
  }
}
