package dev.mlops.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.Workspace;
import dev.mlops.models.TrainedModel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingSampleTest {
  @TempDir Path dir;

  @Test
  void the_training_scenario_learns_the_churn_rule() {
    try (Workspace ws = Workspace.open(dir)) {
      TrainedModel model = TrainingSample.run(ws, new PrintStream(new ByteArrayOutputStream()));

      assertThat(model.evaluation().method()).isEqualTo("holdout(0.25)");
      assertThat(model.evaluation().metric("accuracy")).isGreaterThan(0.8);
    }
  }
}
