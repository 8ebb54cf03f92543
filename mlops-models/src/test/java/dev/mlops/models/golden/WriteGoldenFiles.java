package dev.mlops.models.golden;

import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Frame;
import dev.mlops.core.Schema;
import dev.mlops.core.Workspace;
import dev.mlops.core.internal.Json;
import dev.mlops.models.Algorithm;
import dev.mlops.models.ModelRegistry;
import dev.mlops.models.ModelVersion;
import dev.mlops.models.Predictor;
import dev.mlops.models.Run;
import dev.mlops.models.TrainedModel;
import dev.mlops.models.Trainer;
import dev.mlops.models.Tracking;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes the golden files of one release: a workspace with a tracked run (params, metrics) and a
 * registered model version with an alias, plus {@code expected.json} (what loading must give).
 * Run once per release into {@code src/test/resources/golden/<version>} and commit the result;
 * {@link GoldenFilesTest} loads every release's files. Never regenerate an older release's files.
 *
 * <pre>
 * java -cp "$(cat cp.txt):mlops-models/target/classes:mlops-models/target/test-classes" \
 *     dev.mlops.models.golden.WriteGoldenFiles mlops-models/src/test/resources/golden/0.1.0
 * </pre>
 */
public final class WriteGoldenFiles {
  private WriteGoldenFiles() {}

  /** The rows the golden model was trained on and is scored on. */
  static Frame rows() {
    Schema schema = Schema.of(Field.of("spend", DataType.DOUBLE), Field.of("plan", DataType.STRING),
        Field.of("churned", DataType.BOOLEAN));
    Frame.Builder b = Frame.builder(schema);
    for (int i = 0; i < 60; i++) {
      double spend = (i * 37) % 200;
      b.row(spend, i % 3 == 0 ? "pro" : "free", spend < 60);
    }
    return b.build();
  }

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args[0]);
    Files.createDirectories(out);
    Map<String, Object> expected = new LinkedHashMap<>();
    try (Workspace ws = Workspace.open(out.resolve("workspace"))) {
      ModelRegistry registry = ModelRegistry.of(ws);
      ModelVersion v;
      String runId;
      try (Run run = Tracking.of(ws).experiment("golden").start("rf")) {
        run.logParam("note", "golden files");
        run.logMetric("loss", 0.5, 0);
        run.logMetric("loss", 0.25, 1);
        TrainedModel model = Trainer.on(rows()).label("churned").algorithm(Algorithm.randomForest().trees(5))
            .seed(7).run(run).fit();
        v = model.register(registry, "main.ml.golden");
        runId = run.id();
      }
      registry.setAlias("main.ml.golden", "champion", v.version());
      Frame scored = Predictor.load(ws, "models:/main.ml.golden@champion").predict(rows());
      expected.put("runId", runId);
      expected.put("version", v.version());
      expected.put("predictionColumns", scored.schema().names());
      expected.put("predictions", scored.column("prediction").toList());
    }
    Files.writeString(out.resolve("expected.json"), Json.write(expected));
  }
}
