package dev.mlops.models;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.Workspace;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import smile.classification.LogisticRegression;

/** The usage example given to the samples module, kept compiling and working. */
class UsageExampleTest {
  @TempDir Path dir;

  @Test
  void track_register_alias_and_load() {
    Workspace ws = Workspace.open(dir);
    LogisticRegression lr = LogisticRegression.fit(TestModels.X, TestModels.Y);

    // ---- usage example (10 lines) ----
    Tracking tracking = Tracking.of(ws);
    ModelRegistry registry = ModelRegistry.of(ws);
    RunInfo run = tracking.experiment("churn").run("logistic", r -> {
      r.logParams(Map.of("model", "logistic", "features", 2));
      r.logMetric("auc", 0.87);
      r.logFeatureSpec(Map.of("tables", List.of(Map.of("name", "main.crm.customer_features", "version", 3))));
      r.logModel("model", ModelPackage.builder().flavor("smile").model(lr).metric("auc", 0.87).build());
    });
    ModelVersion v = registry.register("main.ml.churn", run.artifactUri("model"));
    registry.setAlias("main.ml.churn", "champion", v.version());
    LogisticRegression champion = registry.load("models:/main.ml.churn@champion").deserialize(LogisticRegression.class);
    List<RunInfo> best = tracking.searchRuns(List.of("churn"), "metrics.auc > 0.8", "metrics.auc DESC", 5);
    // ---- end ----

    assertThat(champion.predict(TestModels.X[9])).isEqualTo(lr.predict(TestModels.X[9]));
    assertThat(best).extracting(RunInfo::runId).containsExactly(run.runId());
    assertThat(registry.versionsTrainedOn("main.crm.customer_features")).extracting(ModelVersion::version)
        .containsExactly(1);
  }
}
