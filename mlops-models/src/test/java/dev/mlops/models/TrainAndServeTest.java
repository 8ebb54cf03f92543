package dev.mlops.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.Column;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Frame;
import dev.mlops.core.Lineage;
import dev.mlops.core.Schema;
import dev.mlops.core.Workspace;
import dev.mlops.features.FeatureLookup;
import dev.mlops.features.FeatureStore;
import dev.mlops.features.OnlineStore;
import dev.mlops.features.TrainingSet;
import dev.mlops.features.WriteMode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** From feature tables to a registered champion that scores keys, and back to the same model by reproduction. */
class TrainAndServeTest {
  @TempDir Path dir;

  static final Schema FEATURES = Schema.of(Field.of("customer_id", DataType.LONG), Field.of("as_of", DataType.TIMESTAMP),
      Field.of("spend_30d", DataType.DOUBLE), Field.of("visits_7d", DataType.INT), Field.of("plan", DataType.STRING));
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  static void seed(FeatureStore fs, int customers, long seed) {
    Random r = new Random(seed);
    Frame.Builder b = Frame.builder(FEATURES);
    for (long c = 0; c < customers; c++) {
      for (int m = 0; m < 3; m++) {
        b.row(c, T0.plusSeconds(86400L * 30 * m), r.nextDouble() * 200, r.nextInt(10), r.nextBoolean() ? "pro" : "free");
      }
    }
    fs.createTable("main.crm.customer_features").primaryKeys("customer_id").timestampKey("as_of").create(b.build());
  }

  static Frame spine(int customers, long seed) {
    Random r = new Random(seed);
    Schema s = Schema.of(Field.of("customer_id", DataType.LONG), Field.of("event_time", DataType.TIMESTAMP),
        Field.of("churned", DataType.BOOLEAN));
    Frame.Builder b = Frame.builder(s);
    for (long c = 0; c < customers; c++) {
      b.row(c, T0.plusSeconds(86400L * (35 + r.nextInt(40))), r.nextDouble() < 0.5);
    }
    return b.build();
  }

  @Test
  void train_in_a_run_register_champion_and_score_keys_offline_and_online_then_reproduce() {
    try (Workspace ws = Workspace.open(dir)) {
      FeatureStore fs = FeatureStore.of(ws);
      seed(fs, 300, 1);
      Frame labels = spine(300, 2);
      // the label follows spend and plan at the spine's time, so a model can learn it
      TrainingSet raw = fs.trainingSet(labels).lookup(FeatureLookup.table("main.crm.customer_features")
          .lookupKey("customer_id").timestampLookupKey("event_time")).label("churned").build();
      Frame joined = raw.load();
      boolean[] y = new boolean[joined.rowCount()];
      for (int i = 0; i < y.length; i++) {
        y[i] = joined.column("spend_30d").getDouble(i) > 100 ^ joined.column("plan").getString(i).equals("pro");
      }
      Frame spine = labels.withColumn(Column.ofBooleans("churned", y));
      TrainingSet ts = fs.trainingSet(spine).lookup(FeatureLookup.table("main.crm.customer_features")
          .lookupKey("customer_id").timestampLookupKey("event_time")).label("churned").build();

      Tracking tracking = Tracking.of(ws);
      ModelRegistry registry = ModelRegistry.of(ws);
      TrainedModel model;
      ModelVersion v;
      try (Run run = tracking.experiment("churn").start("rf")) {
        model = Trainer.on(ts).algorithm(Algorithm.randomForest().trees(30)).seed(5).run(run).fit();
        v = model.register(registry, "main.ml.churn");
      }
      assertThat(model.evaluation().metric("accuracy")).isGreaterThan(0.8);
      assertThat(model.config().features()).containsExactly("spend_30d", "visits_7d", "plan");
      registry.setAlias("main.ml.churn", "champion", v.version());
      RunInfo info = tracking.getRun(v.runId().orElseThrow());
      assertThat(info.params()).containsEntry("algorithm", "randomForest").containsKey("trees");
      assertThat(info.metrics()).containsKey("auc");
      assertThat(ws.lineage().downstream(Lineage.Node.table("main.crm.customer_features")))
          .anyMatch(e -> e.to().type().equals("MODEL") && e.to().name().equals("main.ml.churn"));

      Predictor p = Predictor.load(ws, "models:/main.ml.churn@champion");
      Frame keys = Frame.of(Column.ofLongs("customer_id", 3, 4, 5));
      Frame offline = p.score(keys);
      assertThat(offline.schema().names()).contains("prediction", "probability_true", "spend_30d");
      OnlineStore online = OnlineStore.inMemory();
      fs.publish("main.crm.customer_features", online);
      Frame served = p.scoreOnline(keys, online);
      assertThat(served.column("probability_true").toDoubleArray())
          .containsExactly(offline.column("probability_true").toDoubleArray());
      // a feature given by the caller overrides the looked-up one
      Frame overridden = p.score(keys.withColumn(Column.ofStrings("plan", "pro", "pro", "pro")));
      assertThat(overridden.column("plan").toList()).containsOnly("pro");
      assertThatThrownBy(() -> p.score(Frame.of(Column.ofLongs("user", 1))))
          .isInstanceOf(PredictionInputException.class).hasMessageContaining("'customer_id'");

      // later merges change the table; the version is still reproducible from its recorded spec
      Frame probe = ts.load().head(50);
      fs.write("main.crm.customer_features", Frame.builder(FEATURES)
          .row(3L, T0.plusSeconds(86400L * 30), 999.0, 1, "pro").build(), WriteMode.MERGE);
      TrainedModel again = Trainer.reproduce(ws, "models:/main.ml.churn/" + v.version());
      assertThat(again.predict(probe).column("probability_true").toDoubleArray())
          .containsExactly(p.predict(probe).column("probability_true").toDoubleArray());
      assertThat(again.evaluation().metrics()).isEqualTo(model.evaluation().metrics());
    }
  }
}
