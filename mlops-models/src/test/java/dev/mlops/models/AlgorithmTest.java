package dev.mlops.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.internal.Json;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class AlgorithmTest {
  @Test
  void settings_chain_into_changed_copies_and_leave_the_original_alone() {
    Algorithm.RandomForest base = Algorithm.randomForest();
    Algorithm.RandomForest rf = base.trees(200).maxDepth(12).mtry(4).subsample(0.8);
    assertThat(rf).isEqualTo(new Algorithm.RandomForest(200, 12, 1000, 5, OptionalInt.of(4), 0.8));
    assertThat(base.trees()).isEqualTo(100);
    assertThat(base.mtry()).isEmpty();
    assertThat(Algorithm.gradientBoosting().trees(30).shrinkage(0.2).shrinkage()).isEqualTo(0.2);
    assertThat(Algorithm.lasso().lambda(0.5).maxIterations(10)).isEqualTo(new Algorithm.Lasso(0.5, 1e-4, 10));
    assertThat(Algorithm.ridge().lambda(0)).isEqualTo(new Algorithm.Ridge(0));
    assertThat(Algorithm.logisticRegression().tolerance(1e-3).tolerance()).isEqualTo(1e-3);
  }

  @Test
  void each_out_of_range_setting_is_refused_naming_the_setting_the_value_and_the_range() {
    assertThatThrownBy(() -> Algorithm.randomForest().trees(0)).isInstanceOf(TrainingException.class)
        .hasMessageContaining("'trees'").hasMessageContaining("is 0").hasMessageContaining("≥ 1 and ≤ 10000");
    assertThatThrownBy(() -> Algorithm.randomForest().mtry(0)).isInstanceOf(TrainingException.class)
        .hasMessageContaining("'mtry'").hasMessageContaining("≥ 1");
    assertThatThrownBy(() -> Algorithm.randomForest().subsample(0)).hasMessageContaining("'subsample'");
    assertThatThrownBy(() -> Algorithm.gradientBoosting().maxDepth(1)).hasMessageContaining("'maxDepth'");
    assertThatThrownBy(() -> Algorithm.gradientBoosting().shrinkage(Double.NaN)).hasMessageContaining("NaN");
    assertThatThrownBy(() -> Algorithm.lasso().lambda(0)).hasMessageContaining("'lambda'").hasMessageContaining("> 0");
    assertThatThrownBy(() -> Algorithm.ridge().lambda(-1)).hasMessageContaining("≥ 0");
    assertThatThrownBy(() -> Algorithm.logisticRegression().maxIterations(0)).hasMessageContaining("'maxIterations'");
    assertThatThrownBy(() -> new Algorithm.RandomForest(10, 5, 10, 1, null, 1.0)).isInstanceOf(TrainingException.class)
        .hasMessageContaining("'mtry'");
  }

  @Test
  void tasks_and_logged_hyperparameters_follow_the_algorithm() {
    assertThat(Algorithm.logisticRegression().tasks()).containsExactly(Task.CLASSIFICATION);
    assertThat(Algorithm.ridge().tasks()).containsExactly(Task.REGRESSION);
    assertThat(Algorithm.randomForest().hyperparameters()).containsOnlyKeys("trees", "maxDepth", "maxNodes",
        "minLeafSize", "subsample"); // automatic mtry is not a number to log
    assertThat(Algorithm.randomForest().mtry(3).hyperparameters()).containsEntry("mtry", 3);
    assertThat(Algorithm.linearRegression().hyperparameters()).isEmpty();
  }

  @Test
  void every_algorithm_round_trips_through_its_saved_json() {
    for (Algorithm a : List.of(Algorithm.logisticRegression().lambda(0.3), Algorithm.randomForest().trees(7).mtry(2),
        Algorithm.randomForest(), Algorithm.gradientBoosting().subsample(0.5), Algorithm.linearRegression(),
        Algorithm.ridge().lambda(2), Algorithm.lasso().tolerance(0.01))) {
      String json = Json.write(a);
      assertThat(Json.tree(json).get("name").asText()).isEqualTo(a.name());
      assertThat(Json.read(json, Algorithm.class)).as(json).isEqualTo(a);
    }
  }

  @Test
  void the_form_release_0_1_0_saved_loads_with_mtry_0_meaning_automatic() {
    String saved = "{\"name\":\"randomForest\",\"hyperparameters\":{\"maxDepth\":20,\"maxNodes\":1000,"
        + "\"minLeafSize\":5,\"mtry\":0,\"subsample\":1.0,\"trees\":5}}";
    assertThat(Json.read(saved, Algorithm.class)).isEqualTo(Algorithm.randomForest().trees(5));
  }

  @Test
  void a_saved_setting_that_does_not_apply_or_an_unknown_algorithm_is_refused_by_name() {
    assertThat(refusal("{\"name\":\"logisticRegression\",\"hyperparameters\":{\"trees\":3}}"))
        .hasMessageContaining("'trees'").hasMessageContaining("does not apply to logisticRegression");
    assertThat(refusal("{\"name\":\"svm\",\"hyperparameters\":{}}")).hasMessageContaining("Unknown algorithm 'svm'");
    assertThat(refusal("{\"name\":\"ridge\",\"hyperparameters\":{\"lambda\":-2}}"))
        .hasMessageContaining("'lambda'").hasMessageContaining("-2");
  }

  /** The TrainingException reading this JSON throws (wherever Jackson wrapped it). */
  private static Throwable refusal(String json) {
    Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> Json.read(json, Algorithm.class));
    while (t != null && !(t instanceof TrainingException)) {
      t = t.getCause();
    }
    assertThat(t).as("a TrainingException reading " + json).isNotNull();
    return t;
  }
}
