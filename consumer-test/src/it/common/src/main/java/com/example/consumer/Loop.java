package com.example.consumer;

import dev.mlops.core.Column;
import dev.mlops.core.DataType;
import dev.mlops.core.DeltaTable;
import dev.mlops.core.Field;
import dev.mlops.core.Frame;
import dev.mlops.core.Schema;
import dev.mlops.core.Workspace;
import dev.mlops.features.FeatureLookup;
import dev.mlops.features.FeatureStore;
import dev.mlops.features.TrainingSet;
import dev.mlops.models.Algorithm;
import dev.mlops.models.ModelRegistry;
import dev.mlops.models.ModelVersion;
import dev.mlops.models.Predictor;
import dev.mlops.models.Run;
import dev.mlops.models.TrainedModel;
import dev.mlops.models.Trainer;
import dev.mlops.models.Tracking;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Random;

/**
 * A program written as a user of the SDK would write it, built against the installed poms only:
 * table, feature table, point-in-time training set, model in a run, registry, prediction.
 * Exits non-zero (an exception) when any step fails.
 */
public final class Loop {
  private Loop() {}

  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    try (Workspace ws = Workspace.open(dir)) {
      // 1. A plain Delta table.
      Schema people = Schema.of(Field.of("id", DataType.LONG), Field.of("city", DataType.STRING));
      DeltaTable t = ws.tables().create("main.crm.people").schema(people).create();
      t.append(Frame.builder(people).row(1L, "Oslo").row(2L, "Lima").build());
      check(t.read().load().rowCount() == 2, "table rows");

      // 2. A feature table.
      FeatureStore fs = FeatureStore.of(ws);
      Schema schema = Schema.of(Field.of("customer_id", DataType.LONG), Field.of("as_of", DataType.TIMESTAMP),
          Field.of("spend_30d", DataType.DOUBLE), Field.of("plan", DataType.STRING));
      Random rnd = new Random(7);
      Frame.Builder rows = Frame.builder(schema);
      double[] spend = new double[200];
      for (int c = 0; c < 200; c++) {
        spend[c] = rnd.nextDouble() * 200;
        rows.row((long) c, Instant.parse("2026-01-31T00:00:00Z"), spend[c], rnd.nextBoolean() ? "pro" : "free");
      }
      fs.createTable("main.crm.customer_features").primaryKeys("customer_id").timestampKey("as_of")
          .create(rows.build());

      // 3. A point-in-time training set.
      Schema spineSchema = Schema.of(Field.of("customer_id", DataType.LONG),
          Field.of("event_time", DataType.TIMESTAMP), Field.of("churned", DataType.BOOLEAN));
      Frame.Builder spine = Frame.builder(spineSchema);
      for (int c = 0; c < 200; c++) {
        spine.row((long) c, Instant.parse("2026-02-15T00:00:00Z"), spend[c] < 60);
      }
      TrainingSet ts = fs.trainingSet(spine.build())
          .lookup(FeatureLookup.table("main.crm.customer_features").lookupKey("customer_id")
              .timestampLookupKey("event_time"))
          .label("churned").build();

      // 4. A model trained in a run, registered and made champion.
      ModelRegistry registry = ModelRegistry.of(ws);
      ModelVersion version;
      try (Run run = Tracking.of(ws).experiment("churn").start("consumer")) {
        TrainedModel model = Trainer.on(ts).algorithm(Algorithm.randomForest().trees(20)).seed(1)
            .run(run).fit();
        version = model.register(registry, "main.ml.churn");
      }
      registry.setAlias("main.ml.churn", "champion", version.version());

      // 5. Prediction by keys: features are looked up through the registered model's spec.
      Predictor champion = Predictor.load(ws, "models:/main.ml.churn@champion");
      Frame scored = champion.score(Frame.of(Column.ofLongs("customer_id", 1, 2, 3)));
      check(scored.rowCount() == 3, "scored rows");
      System.out.println("CONSUMER LOOP OK: version " + version.version() + ", scored " + scored.rowCount()
          + " keys on Java " + Runtime.version());
    }
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException("consumer loop: " + what + " is wrong");
    }
  }
}
