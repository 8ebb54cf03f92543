package dev.mlops.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.Column;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Frame;
import dev.mlops.core.Schema;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TrainerTest {

  static final Schema S = Schema.of(Field.of("x1", DataType.DOUBLE), Field.of("x2", DataType.LONG),
      Field.of("city", DataType.STRING), Field.of("vip", DataType.BOOLEAN), Field.of("seen", DataType.TIMESTAMP),
      Field.of("churned", DataType.BOOLEAN), Field.of("spend", DataType.DOUBLE));

  /** A learnable data set: churn when x1 is high and the city is "Oslo", with noise; nulls in x1 and city. */
  static Frame data(int n, long seed) {
    Random r = new Random(seed);
    Frame.Builder b = Frame.builder(S);
    String[] cities = {"Oslo", "Lima", "Rome"};
    for (int i = 0; i < n; i++) {
      double x1 = r.nextGaussian();
      long x2 = r.nextInt(100);
      String city = cities[r.nextInt(3)];
      boolean vip = r.nextBoolean();
      boolean churn = (x1 > 0.3 && !city.equals("Rome")) ^ (r.nextDouble() < 0.05);
      double spend = 3 * x1 + 0.1 * x2 + (vip ? 5 : 0) + r.nextGaussian() * 0.1;
      b.row(r.nextDouble() < 0.05 ? null : x1, x2, r.nextDouble() < 0.05 ? null : city, vip,
          Instant.parse("2026-01-01T00:00:00Z").plusSeconds(r.nextInt(86400 * 60)), churn, spend);
    }
    return b.build();
  }

  @Test
  void classifiers_learn_and_predict_with_probabilities() {
    Frame train = data(800, 1);
    Frame probe = data(200, 2);
    for (Algorithm a : List.of(Algorithm.randomForest().trees(40), Algorithm.gradientBoosting().trees(60),
        Algorithm.logisticRegression())) {
      TrainedModel m = Trainer.on(train).label("churned").exclude("spend").algorithm(a).seed(7).fit();
      assertThat(m.evaluation().metric("accuracy")).as(a.name()).isGreaterThan(0.75);
      assertThat(m.evaluation().metric("auc")).as(a.name()).isGreaterThan(0.8);
      assertThat(m.evaluation().confusion()).hasDimensions(2, 2);
      Frame out = m.predict(probe);
      assertThat(out.column("prediction").type()).isEqualTo(DataType.BOOLEAN);
      for (int i = 0; i < out.rowCount(); i++) {
        assertThat(out.column("probability_false").getDouble(i) + out.column("probability_true").getDouble(i))
            .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
      }
      long correct = java.util.stream.IntStream.range(0, probe.rowCount())
          .filter(i -> out.column("prediction").getBoolean(i) == probe.column("churned").getBoolean(i)).count();
      assertThat(correct).as(a.name()).isGreaterThan(150);
    }
  }

  @Test
  void same_seed_gives_identical_models_and_another_seed_differs() {
    Frame train = data(500, 3);
    Frame probe = data(100, 4);
    for (Algorithm a : List.of(Algorithm.randomForest().trees(20), Algorithm.gradientBoosting().trees(30))) {
      double[] p1 = Trainer.on(train).label("churned").exclude("spend").algorithm(a).seed(11).fit().predict(probe)
          .column("probability_true").toDoubleArray();
      double[] p2 = Trainer.on(train).label("churned").exclude("spend").algorithm(a).seed(11).fit().predict(probe)
          .column("probability_true").toDoubleArray();
      double[] p3 = Trainer.on(train).label("churned").exclude("spend").algorithm(a).seed(12).fit().predict(probe)
          .column("probability_true").toDoubleArray();
      assertThat(p2).as(a.name()).containsExactly(p1);
      assertThat(Arrays.equals(p1, p3)).as(a.name() + " with another seed").isFalse();
    }
  }

  @Test
  void regressors_fit_a_linear_target() {
    Frame train = data(600, 5);
    for (Algorithm a : List.of(Algorithm.linearRegression(), Algorithm.ridge().lambda(0.01),
        Algorithm.lasso().lambda(0.01), Algorithm.randomForest().trees(40),
        Algorithm.gradientBoosting().trees(200).shrinkage(0.1))) {
      TrainedModel m = Trainer.on(train).task(Task.REGRESSION).label("spend").exclude("churned")
          .algorithm(a).preprocessing(Preprocessing.defaults().impute(Preprocessing.Imputation.MEDIAN).standardize(true))
          .validation(Validation.kFold(3)).fit();
      assertThat(m.evaluation().metric("r2")).as(a.name()).isGreaterThan(0.8);
      assertThat(m.evaluation().metrics()).containsKeys("rmse", "mae");
      assertThat(m.predict(data(10, 6)).column("prediction").type()).isEqualTo(DataType.DOUBLE);
    }
  }

  @Test
  void unseen_levels_follow_the_policy() {
    Frame train = data(300, 8);
    Frame probe = Frame.builder(S).row(1.0, 5L, "Paris", true, Instant.parse("2026-02-01T00:00:00Z"), true, 1.0).build();
    TrainedModel ignore = Trainer.on(train).label("churned").exclude("spend")
        .algorithm(Algorithm.logisticRegression()).fit();
    assertThat(ignore.predict(probe).rowCount()).isEqualTo(1);
    TrainedModel strict = Trainer.on(train).label("churned").exclude("spend").algorithm(Algorithm.logisticRegression())
        .preprocessing(Preprocessing.defaults().unseen(Preprocessing.UnseenLevels.ERROR).encode(Preprocessing.Encoding.ORDINAL))
        .fit();
    assertThatThrownBy(() -> strict.predict(probe)).isInstanceOf(PredictionInputException.class)
        .hasMessageContaining("'city'").hasMessageContaining("'Paris'");
  }

  @Test
  void bad_training_input_is_rejected_with_the_reason() {
    Frame d = data(100, 9);
    assertThatThrownBy(() -> Trainer.on(d).label("nope").fit()).isInstanceOf(TrainingException.class)
        .hasMessageContaining("'nope'").hasMessageContaining("missing");
    Frame allNull = d.withColumn(Column.nulls("churned", DataType.BOOLEAN, d.rowCount()));
    assertThatThrownBy(() -> Trainer.on(allNull).label("churned").fit()).isInstanceOf(TrainingException.class)
        .hasMessageContaining("null in all");
    Frame oneClass = d.withColumn(Column.ofBooleans("churned", new boolean[d.rowCount()]));
    assertThatThrownBy(() -> Trainer.on(oneClass).label("churned").fit()).isInstanceOf(TrainingException.class)
        .hasMessageContaining("single class");
    assertThatThrownBy(() -> Trainer.on(d).task(Task.REGRESSION).label("city").fit()).isInstanceOf(TrainingException.class)
        .hasMessageContaining("numeric");
    assertThatThrownBy(() -> Trainer.on(d).label("spend").fit()).isInstanceOf(TrainingException.class)
        .hasMessageContaining("REGRESSION");
    assertThatThrownBy(() -> Algorithm.randomForest().trees(0)).isInstanceOf(TrainingException.class)
        .hasMessageContaining("'trees'").hasMessageContaining("≥ 1");
    assertThatThrownBy(() -> Algorithm.gradientBoosting().shrinkage(1.5)).isInstanceOf(TrainingException.class)
        .hasMessageContaining("'shrinkage'").hasMessageContaining("≤ 1");
    assertThatThrownBy(() -> Trainer.on(d).label("churned").algorithm(Algorithm.lasso()).fit())
        .isInstanceOf(TrainingException.class).hasMessageContaining("does not do CLASSIFICATION");
  }

  @Test
  void prediction_input_is_checked_against_the_signature_listing_every_problem() {
    Frame train = data(200, 10).withColumn(Column.ofDoubles("x1", new Random(1).doubles(200).toArray()));
    TrainedModel m = Trainer.on(train).label("churned").exclude("spend").algorithm(Algorithm.logisticRegression()).fit();
    Frame bad = Frame.builder(Schema.of(Field.of("x1", DataType.DOUBLE), Field.of("x2", DataType.STRING),
        Field.of("vip", DataType.BOOLEAN), Field.of("seen", DataType.TIMESTAMP)))
        .row(null, "7", true, Instant.now()).build();
    assertThatThrownBy(() -> m.predict(bad)).isInstanceOf(PredictionInputException.class)
        .hasMessageContaining("missing column 'city'").hasMessageContaining("'x2' is STRING")
        .hasMessageContaining("'x1' has 1 null");
  }

  @Test
  void progress_is_reported_from_start_to_done() {
    List<String> stages = new java.util.ArrayList<>();
    List<Double> done = new java.util.ArrayList<>();
    Trainer.on(data(200, 12)).label("churned").exclude("spend").algorithm(Algorithm.logisticRegression())
        .validation(Validation.kFold(3)).progress((stage, d) -> {
          stages.add(stage);
          done.add(d);
        }).fit();
    assertThat(stages).containsExactly("fold 1/3", "fold 2/3", "fold 3/3", "final model", "done");
    assertThat(done).isSorted().last().isEqualTo(1.0);
  }
}
