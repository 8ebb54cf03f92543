package dev.mlops.models.golden;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.mlops.core.Frame;
import dev.mlops.core.Workspace;
import dev.mlops.core.internal.Json;
import dev.mlops.models.Algorithm;
import dev.mlops.models.Metric;
import dev.mlops.models.ModelRegistry;
import dev.mlops.models.ModelVersion;
import dev.mlops.models.Predictor;
import dev.mlops.models.RunInfo;
import dev.mlops.models.Tracking;
import dev.mlops.models.TrainedModel;
import dev.mlops.models.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Files written by earlier releases keep loading: every release's golden workspace (written by
 * {@link WriteGoldenFiles} and committed under {@code src/test/resources/golden/<release>}) is copied
 * to a temporary directory and read through the public API: the run, its metric history, the
 * registered version and its alias, and the model's predictions, which must equal the ones recorded
 * when the files were written.
 */
class GoldenFilesTest {
  @TempDir Path tmp;

  static Stream<String> releases() throws IOException {
    try (Stream<Path> s = Files.list(Path.of("src/test/resources/golden"))) {
      return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList().stream();
    }
  }

  @ParameterizedTest
  @MethodSource("releases")
  void files_written_by_a_release_load_and_predict_the_same(String release) throws IOException {
    Path golden = Path.of("src/test/resources/golden", release);
    Map<String, Object> expected = Json.MAPPER.readValue(Files.readAllBytes(golden.resolve("expected.json")),
        new TypeReference<Map<String, Object>>() {});
    Path ws = tmp.resolve("workspace");
    copy(golden.resolve("workspace"), ws);

    try (Workspace workspace = Workspace.open(ws)) {
      Tracking tracking = Tracking.of(workspace);
      RunInfo run = tracking.getRun((String) expected.get("runId"));
      assertThat(run.experiment()).isEqualTo("golden");
      assertThat(tracking.metricHistory(run.runId(), "loss")).extracting(Metric::value).containsExactly(0.5, 0.25);

      ModelVersion v = ModelRegistry.of(workspace).getVersion("main.ml.golden", "champion");
      assertThat(v.version()).isEqualTo(expected.get("version"));

      Frame scored = Predictor.load(workspace, "models:/main.ml.golden@champion").predict(WriteGoldenFiles.rows());
      assertThat(scored.schema().names()).isEqualTo(expected.get("predictionColumns"));
      assertThat(scored.column("prediction").toList()).isEqualTo((List<?>) expected.get("predictions"));

      // The training config (algorithm and hyperparameters as that release saved them) trains the same model again.
      TrainedModel again = Trainer.reproduce(workspace, "models:/main.ml.golden@champion");
      assertThat(again.config().algorithm()).isEqualTo(Algorithm.randomForest().trees(5));
      assertThat(again.predict(WriteGoldenFiles.rows()).column("prediction").toList())
          .isEqualTo((List<?>) expected.get("predictions"));
    }
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }
}
