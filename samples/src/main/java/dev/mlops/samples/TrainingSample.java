package dev.mlops.samples;

import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Frame;
import dev.mlops.core.Lineage;
import dev.mlops.core.Schema;
import dev.mlops.core.Workspace;
import dev.mlops.features.FeatureLookup;
import dev.mlops.features.FeatureStore;
import dev.mlops.features.TrainingSet;
import dev.mlops.models.Algorithm;
import dev.mlops.models.Run;
import dev.mlops.models.TrainedModel;
import dev.mlops.models.Trainer;
import dev.mlops.models.Tracking;
import dev.mlops.models.Validation;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Random;

/**
 * Scenario: a random forest trained from a point-in-time training set inside a tracked run.
 *
 * <p>Run alone with {@code java dev.mlops.samples.TrainingSample [workspace-dir]} (default
 * {@code target/lakehouse}); {@link EndToEnd} runs every scenario in order.
 */
public final class TrainingSample {
  private TrainingSample() {}

  /** The feature table the model learns from (600 customers, so there is something to learn). */
  public static final String ACTIVITY = "main.crm.activity_features";

  /**
   * Writes the activity features and their labels, builds the training set and trains a random
   * forest with a 25 % holdout inside a run of experiment "churn" (the run is closed on return).
   */
  public static TrainedModel run(Workspace ws, PrintStream out) {
    FeatureStore fs = FeatureStore.of(ws);
    fs.dropTable(ACTIVITY);
    Schema aschema = Schema.of(Field.of("customer_id", DataType.LONG), Field.of("as_of", DataType.TIMESTAMP),
        Field.of("spend_30d", DataType.DOUBLE), Field.of("visits_7d", DataType.INT), Field.of("plan", DataType.STRING));
    Schema labels = Schema.of(Field.of("customer_id", DataType.LONG), Field.of("event_time", DataType.TIMESTAMP),
        Field.of("churned", DataType.BOOLEAN));
    Instant jan = Instant.parse("2026-01-31T00:00:00Z");
    Random rnd = new Random(42);
    Frame.Builder act = Frame.builder(aschema);
    Frame.Builder lab = Frame.builder(labels);
    for (long c = 100; c < 700; c++) {
      double spend = rnd.nextDouble() * 200;
      int visits = rnd.nextInt(8);
      String plan = rnd.nextBoolean() ? "pro" : "free";
      act.row(c, jan, spend, visits, plan);
      boolean churn = (spend < 60 && visits < 4) ^ (rnd.nextDouble() < 0.05);
      lab.row(c, Instant.parse("2026-02-20T00:00:00Z"), churn);
    }
    fs.createTable(ACTIVITY).primaryKeys("customer_id").timestampKey("as_of")
        .description("Activity aggregates for churn").create(act.build(), Lineage.Node.job("activity-aggregation"));
    TrainingSet churnSet = fs.trainingSet(lab.build())
        .lookup(FeatureLookup.table(ACTIVITY).lookupKey("customer_id").timestampLookupKey("event_time"))
        .label("churned").build();
    TrainedModel model;
    try (Run run = Tracking.of(ws).experiment("churn").start("random-forest")) {
      model = Trainer.on(churnSet).algorithm(Algorithm.randomForest().trees(50))
          .validation(Validation.holdout(0.25)).seed(7).run(run).fit();
    }
    out.printf("%nTrained %s: accuracy %.3f, AUC %.3f%n", model.config().algorithm().name(),
        model.evaluation().metric("accuracy"), model.evaluation().metric("auc"));
    return model;
  }

  /** Runs this scenario in the given workspace directory (default target/lakehouse). */
  public static void main(String[] args) {
    try (Workspace ws = Workspace.open(Path.of(args.length > 0 ? args[0] : "target/lakehouse"))) {
      run(ws, System.out);
    }
  }
}
