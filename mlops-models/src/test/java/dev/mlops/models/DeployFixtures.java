package dev.mlops.models;

import dev.mlops.core.Column;
import dev.mlops.core.Frame;
import java.util.Random;

/** Real trained models and labelled rows for the deployment-job tests. */
final class DeployFixtures {
  private DeployFixtures() {}

  /** y = x1 + 0.5 x2 + noise > 0. */
  static Frame rows(int n, long seed) {
    Random r = new Random(seed);
    double[] x1 = new double[n];
    double[] x2 = new double[n];
    double[] noise = new double[n];
    boolean[] y = new boolean[n];
    for (int i = 0; i < n; i++) {
      x1[i] = r.nextGaussian();
      x2[i] = r.nextGaussian();
      noise[i] = r.nextGaussian();
      y[i] = x1[i] + 0.5 * x2[i] + 0.3 * r.nextGaussian() > 0;
    }
    return Frame.of(Column.ofDoubles("x1", x1), Column.ofDoubles("x2", x2), Column.ofDoubles("noise", noise),
        Column.ofBooleans("y", y));
  }

  /** A good model (sees x1 and x2). */
  static TrainedModel strong() {
    return Trainer.on(rows(400, 1)).label("y").features("x1", "x2").algorithm(Algorithm.logisticRegression()).fit();
  }

  /** A weak model (sees only x2). */
  static TrainedModel weak() {
    return Trainer.on(rows(400, 1)).label("y").features("x2", "noise").algorithm(Algorithm.logisticRegression()).fit();
  }

  /** A model that sees only noise. */
  static TrainedModel useless() {
    return Trainer.on(rows(400, 1)).label("y").features("noise").algorithm(Algorithm.logisticRegression()).fit();
  }
}
