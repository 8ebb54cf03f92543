package dev.mlops.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.NotFoundException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvaluationTest {

  @Test
  void the_confusion_matrix_cannot_be_changed_from_outside() {
    int[][] m = {{3, 1}, {0, 4}};
    Evaluation e = new Evaluation("holdout(0.2)", Map.of("accuracy", 0.875), m, List.of("false", "true"));

    m[0][0] = 99;
    e.confusion()[1][1] = 99;

    assertThat(e.confusion()).isEqualTo(new int[][] {{3, 1}, {0, 4}});
  }

  @Test
  void a_missing_metric_names_the_ones_that_exist() {
    Evaluation e = new Evaluation("none", Map.of("rmse", 1.0), new int[0][0], List.of());

    assertThatThrownBy(() -> e.metric("auc")).isInstanceOf(TrainingException.class).hasMessageContaining("rmse");
  }

  @Test
  void every_not_found_case_shares_one_parent() {
    assertThat(NotFoundException.class)
        .isAssignableFrom(ModelNotFoundException.class)
        .isAssignableFrom(ModelVersionNotFoundException.class)
        .isAssignableFrom(AliasNotFoundException.class)
        .isAssignableFrom(RunNotFoundException.class)
        .isAssignableFrom(ExperimentNotFoundException.class)
        .isAssignableFrom(ArtifactNotFoundException.class)
        .isAssignableFrom(dev.mlops.core.TableNotFoundException.class)
        .isAssignableFrom(dev.mlops.core.ColumnNotFoundException.class)
        .isAssignableFrom(dev.mlops.core.VersionNotFoundException.class);
  }
}
