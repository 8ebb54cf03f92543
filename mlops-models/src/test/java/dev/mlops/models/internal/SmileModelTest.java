package dev.mlops.models.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.models.Algorithm;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SmileModelTest {
  /** Smile 3.1.1 ignores negative seeds: a seed that SplittableRandom makes negative must still reproduce. */
  @Test
  void forests_are_reproducible_for_seeds_whose_tree_seeds_would_be_negative() {
    Random r = new Random(1);
    double[][] x = new double[300][4];
    int[] y = new int[300];
    double[] v = new double[300];
    for (int i = 0; i < 300; i++) {
      for (int j = 0; j < 4; j++) {
        x[i][j] = r.nextGaussian();
      }
      y[i] = x[i][0] + r.nextGaussian() * 0.5 > 0 ? 1 : 0;
      v[i] = x[i][1] * 2 + r.nextGaussian();
    }
    for (long seed : new long[] {11, -7, Long.MIN_VALUE}) {
      Algorithm a = Algorithm.randomForest().trees(20);
      assertThat(SmileModel.classifier(a, x, y, 2, seed).probabilities(x))
          .isDeepEqualTo(SmileModel.classifier(a, x, y, 2, seed).probabilities(x));
      assertThat(SmileModel.regressor(a, x, v, seed).values(x)).containsExactly(SmileModel.regressor(a, x, v, seed).values(x));
      Algorithm g = Algorithm.gradientBoosting().trees(20);
      assertThat(SmileModel.classifier(g, x, y, 2, seed).probabilities(x))
          .isDeepEqualTo(SmileModel.classifier(g, x, y, 2, seed).probabilities(x));
    }
  }

  @Test
  void predicting_many_rows_on_all_cores_equals_predicting_them_one_by_one() {
    Random r = new Random(2);
    double[][] x = new double[5000][3];
    int[] y = new int[5000];
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < 3; j++) {
        x[i][j] = r.nextGaussian();
      }
      y[i] = x[i][0] > 0 ? 1 : 0;
    }
    SmileModel m = SmileModel.classifier(Algorithm.randomForest().trees(10), x, y, 2, 3);
    double[][] all = m.probabilities(x);
    for (int i = 0; i < x.length; i += 97) {
      assertThat(m.probabilities(new double[][] {x[i]})[0]).containsExactly(all[i]);
    }
  }
}
