package dev.mlops.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.Workspace;
import dev.mlops.models.ModelRegistry;
import dev.mlops.models.ModelVersion;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RegistrySample and ScoringSample (scoring needs a registered champion, so one workspace serves both). */
class RegistryAndScoringSampleTest {
  @TempDir Path dir;

  @Test
  void the_registered_champion_scores_the_same_keys_in_batch_and_online() {
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
    try (Workspace ws = Workspace.open(dir)) {
      ModelVersion v = RegistrySample.run(ws, quiet, TrainingSample.run(ws, quiet));

      assertThat(ModelRegistry.of(ws).getVersion(RegistrySample.MODEL, "champion").version()).isEqualTo(v.version());
      assertThat(v.runId()).isPresent();

      ScoringSample.Result r = ScoringSample.run(ws, quiet);
      assertThat(r.scored().rowCount()).isEqualTo(3);
      assertThat(r.scoredOnline().column("probability_true").toDoubleArray())
          .containsExactly(r.scored().column("probability_true").toDoubleArray());
    }
  }

  @Test
  void the_scoring_main_trains_and_registers_first_when_run_alone() {
    ScoringSample.main(new String[] {dir.resolve("alone").toString()});

    try (Workspace ws = Workspace.open(dir.resolve("alone"))) {
      assertThat(ModelRegistry.of(ws).getVersion(RegistrySample.MODEL, "champion").version()).isEqualTo(1);
    }
  }
}
