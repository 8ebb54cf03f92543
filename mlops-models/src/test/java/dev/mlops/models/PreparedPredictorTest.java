package dev.mlops.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.Frame;
import dev.mlops.core.Workspace;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The prepared one-row path gives exactly what predict(Frame) gives, for every algorithm. */
class PreparedPredictorTest {
  @TempDir Path dir;

  private static Object[] row(Frame f, List<String> inputs, int r) {
    Object[] v = new Object[inputs.size()];
    for (int c = 0; c < v.length; c++) {
      v[c] = f.column(inputs.get(c)).get(r);
    }
    return v;
  }

  @Test
  void one_row_predictions_equal_the_frame_path_for_every_algorithm() {
    Workspace ws = Workspace.open(dir);
    Frame train = TrainerTest.data(500, 1);
    Frame probe = TrainerTest.data(300, 2); // nulls in x1 and city, a timestamp, a boolean
    int n = 0;
    for (Algorithm a : List.of(Algorithm.randomForest().trees(20), Algorithm.gradientBoosting().trees(30),
        Algorithm.logisticRegression())) {
      TrainedModel m = Trainer.on(train).label("churned").exclude("spend").algorithm(a).seed(3).fit();
      Predictor p = Predictor.load(ws, m.register(ModelRegistry.of(ws), "main.ml.c" + n++).uri());
      PreparedPredictor one = p.prepare();
      Frame out = p.predict(probe);
      assertThat(one.probabilityColumns()).containsExactly("probability_false", "probability_true");
      for (int r = 0; r < probe.rowCount(); r++) {
        Object[] v = row(probe, one.inputs(), r);
        assertThat(one.predict(v)).as("%s row %d", a.name(), r).isEqualTo(out.column("prediction").get(r));
        double[] prob = one.probabilities(v);
        for (int c = 0; c < prob.length; c++) {
          assertThat(prob[c]).isEqualTo(out.column(one.probabilityColumns().get(c)).getDouble(r));
        }
        Map<String, Object> byName = new HashMap<>();
        for (int c = 0; c < v.length; c++) {
          byName.put(one.inputs().get(c), v[c]);
        }
        assertThat(one.probabilities(byName)).containsExactly(prob);
      }
    }
    for (Algorithm a : List.of(Algorithm.randomForest().trees(20), Algorithm.gradientBoosting().trees(30),
        Algorithm.linearRegression())) {
      TrainedModel m = Trainer.on(train).label("spend").task(Task.REGRESSION).exclude("churned").algorithm(a).seed(3).fit();
      Predictor p = Predictor.load(ws, m.register(ModelRegistry.of(ws), "main.ml.r" + n++).uri());
      PreparedPredictor one = p.prepare();
      Frame out = p.predict(probe);
      for (int r = 0; r < probe.rowCount(); r++) {
        assertThat(one.predict(row(probe, one.inputs(), r))).as("%s row %d", a.name(), r)
            .isEqualTo(out.column("prediction").get(r));
      }
      assertThatThrownBy(() -> one.probabilities(row(probe, one.inputs(), 0)))
          .isInstanceOf(PredictionInputException.class).hasMessageContaining("regressor");
    }
  }

  @Test
  void bad_rows_get_typed_errors_naming_the_column() {
    Workspace ws = Workspace.open(dir);
    TrainedModel m = Trainer.on(TrainerTest.data(300, 1)).label("churned").exclude("spend")
        .algorithm(Algorithm.randomForest().trees(5)).fit();
    PreparedPredictor one = Predictor.load(ws, m.register(ModelRegistry.of(ws), "main.ml.bad").uri()).prepare();
    Frame probe = TrainerTest.data(5, 2);
    Object[] ok = row(probe, one.inputs(), 0);
    assertThatThrownBy(() -> one.predict(new Object[] {1.0})).isInstanceOf(PredictionInputException.class)
        .hasMessageContaining("has 1 values").hasMessageContaining(one.inputs().get(0));
    int x2 = one.inputs().indexOf("x2");
    Object[] wrong = ok.clone();
    wrong[x2] = "seven";
    assertThatThrownBy(() -> one.predict(wrong)).isInstanceOf(PredictionInputException.class)
        .hasMessageContaining("'x2'").hasMessageContaining("LONG");
    Object[] nulled = ok.clone();
    nulled[x2] = null; // x2 had no nulls in training
    assertThatThrownBy(() -> one.predict(nulled)).isInstanceOf(PredictionInputException.class)
        .hasMessageContaining("'x2' is null");
    assertThatThrownBy(() -> one.predict(Map.of("x1", 1.0))).isInstanceOf(PredictionInputException.class)
        .hasMessageContaining("lacks the input column(s)").hasMessageContaining("x2");
  }
}
