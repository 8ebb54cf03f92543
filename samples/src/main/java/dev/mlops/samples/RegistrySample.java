package dev.mlops.samples;

import dev.mlops.core.Workspace;
import dev.mlops.models.ModelRegistry;
import dev.mlops.models.ModelVersion;
import dev.mlops.models.TrainedModel;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Scenario: a trained model registered as a new version (with the run and feature lineage it was
 * trained from) and made champion by alias.
 *
 * <p>Run alone with {@code java dev.mlops.samples.RegistrySample [workspace-dir]} (default
 * {@code target/lakehouse}): it trains first ({@link TrainingSample}). {@link EndToEnd} runs every
 * scenario in order.
 */
public final class RegistrySample {
  private RegistrySample() {}

  /** The registered model's name. */
  public static final String MODEL = "main.ml.churn";

  /** Registers the model under {@link #MODEL} and points the alias "champion" at the new version. */
  public static ModelVersion run(Workspace ws, PrintStream out, TrainedModel model) {
    ModelRegistry registry = ModelRegistry.of(ws);
    ModelVersion version = model.register(registry, MODEL);
    registry.setAlias(MODEL, "champion", version.version());
    out.printf("Registered %s version %d (run %s) as champion%n", MODEL, version.version(),
        version.runId().orElse("?"));
    return version;
  }

  /** Trains, then runs this scenario in the given workspace directory (default target/lakehouse). */
  public static void main(String[] args) {
    try (Workspace ws = Workspace.open(Path.of(args.length > 0 ? args[0] : "target/lakehouse"))) {
      run(ws, System.out, TrainingSample.run(ws, System.out));
    }
  }
}
