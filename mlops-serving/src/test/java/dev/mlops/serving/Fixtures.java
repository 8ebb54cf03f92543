package dev.mlops.serving;

import dev.mlops.core.Column;
import dev.mlops.core.DataType;
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
import dev.mlops.models.Task;
import dev.mlops.models.Trainer;
import dev.mlops.models.Validation;
import java.time.Instant;
import java.util.Random;

/** Real models registered in a real workspace. */
final class Fixtures {
  private Fixtures() {}

  static final String LINEAR = "main.ml.linear";
  static final String CHURN = "main.ml.churn";
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  /**
   * Registers a linear regression whose prediction is {@code slope * x1 + x2} (exact on clean data), so a
   * prediction tells which version made it.
   */
  static ModelVersion linear(ModelRegistry registry, double slope) {
    int n = 60;
    double[] x1 = new double[n];
    long[] x2 = new long[n];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      x1[i] = i % 13;
      x2[i] = (i * 7) % 11;
      y[i] = slope * x1[i] + x2[i];
    }
    Frame f = Frame.of(Column.ofDoubles("x1", x1), Column.ofLongs("x2", x2), Column.ofDoubles("y", y));
    return Trainer.on(f).task(Task.REGRESSION).label("y").algorithm(Algorithm.linearRegression())
        .validation(Validation.none()).fit().register(registry, LINEAR);
  }

  static final String ABC = "main.ml.abc";

  /** The columns of MLflow's documentation examples: a (double), b (long), c (int); predicts a + 2b + 3c. */
  static ModelVersion abc(ModelRegistry registry) {
    int n = 40;
    double[] a = new double[n];
    long[] b = new long[n];
    int[] c = new int[n];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      a[i] = i % 9;
      b[i] = (i * 5) % 7;
      c[i] = (i * 3) % 11;
      y[i] = a[i] + 2 * b[i] + 3 * c[i];
    }
    Frame f = Frame.of(Column.ofDoubles("a", a), Column.ofLongs("b", b), Column.ofInts("c", c), Column.ofDoubles("y", y));
    return Trainer.on(f).task(Task.REGRESSION).label("y").algorithm(Algorithm.linearRegression())
        .validation(Validation.none()).fit().register(registry, ABC);
  }

  static final Schema FEATURES = Schema.of(new Field("customer_id", DataType.LONG, false, ""),
      Field.of("spend_30d", DataType.DOUBLE),
      Field.of("visits_7d", DataType.INT), Field.of("plan", DataType.STRING));

  /** A feature table of customers and a classifier trained from a training set over it (has a feature spec). */
  static ModelVersion churn(Workspace ws, Algorithm algorithm) {
    FeatureStore fs = FeatureStore.of(ws);
    if (!ws.tables().exists("main.crm.customer_features")) {
      Random r = new Random(1);
      Frame.Builder b = Frame.builder(FEATURES);
      for (long c = 0; c < 200; c++) {
        b.row(c, r.nextDouble() * 200, r.nextInt(10), r.nextBoolean() ? "pro" : "free");
      }
      fs.createTable("main.crm.customer_features").primaryKeys("customer_id").create(b.build());
    }
    Frame feats = ws.tables().get("main.crm.customer_features").read().load();
    long[] ids = feats.column("customer_id").toLongArray();
    boolean[] y = new boolean[ids.length];
    for (int i = 0; i < ids.length; i++) {
      y[i] = feats.column("spend_30d").getDouble(i) > 100 ^ feats.column("plan").getString(i).equals("pro");
    }
    Frame spine = Frame.of(Column.ofLongs("customer_id", ids), Column.ofBooleans("churned", y));
    TrainingSet ts = fs.trainingSet(spine).lookup(FeatureLookup.table("main.crm.customer_features")
        .lookupKey("customer_id")).label("churned").build();
    return Trainer.on(ts).algorithm(algorithm).seed(3).fit().register(ModelRegistry.of(ws), CHURN);
  }
}
