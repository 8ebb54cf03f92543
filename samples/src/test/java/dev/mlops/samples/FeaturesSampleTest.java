package dev.mlops.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.Frame;
import dev.mlops.core.Workspace;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeaturesSampleTest {
  @TempDir Path dir;

  @Test
  void the_feature_scenario_joins_as_of_each_label_and_serves_the_same_features() {
    FeaturesSample.Result r;
    try (Workspace ws = Workspace.open(dir)) {
      r = FeaturesSample.run(ws, new PrintStream(new ByteArrayOutputStream()));
      Frame train = r.trainingSet().load();

      assertThat(train.column("spend_30d").toList()).containsExactly(120.0, 80.0, null);
      assertThat(train.column("visits_7d").toList()).containsExactly(4, 2, 0);
    }
    assertThat(r.online().column("spend_30d").toList()).containsExactly(80.0, 130.0, null);
    assertThat(r.featureUpstream()).extracting(e -> e.from().name()).contains("monthly-aggregation");
  }
}
