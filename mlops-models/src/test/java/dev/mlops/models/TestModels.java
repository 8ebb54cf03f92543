package dev.mlops.models;

import dev.mlops.core.Column;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Frame;
import dev.mlops.core.Schema;
import java.io.Serializable;
import java.util.Map;
import smile.classification.LogisticRegression;

/** Small real models for tests. */
final class TestModels {
  private TestModels() {}

  /** A plain serializable placeholder model. */
  record ThresholdModel(String feature, double threshold) implements Serializable {
    private static final long serialVersionUID = 1L;

    int predict(double x) {
      return x > threshold ? 1 : 0;
    }
  }

  /** A model holding an arbitrary object (used to smuggle foreign classes into a stream). */
  record Wrapper(Object payload) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  static final double[][] X = {
      {0.1, 1.0}, {0.3, 0.8}, {0.2, 1.2}, {0.4, 0.9}, {0.5, 0.4},
      {0.9, 0.2}, {0.7, 0.1}, {0.8, 0.3}, {1.0, 0.0}, {0.6, 0.5}};
  static final int[] Y = {0, 0, 0, 0, 1, 1, 1, 1, 1, 0};

  static LogisticRegression logistic() {
    return LogisticRegression.fit(X, Y);
  }

  static Frame inputs() {
    double[] a = new double[X.length];
    double[] b = new double[X.length];
    for (int i = 0; i < X.length; i++) {
      a[i] = X[i][0];
      b[i] = X[i][1];
    }
    return Frame.of(Column.ofDoubles("x1", a), Column.ofDoubles("x2", b));
  }

  static ModelPackage smilePackage() {
    return ModelPackage.builder().flavor("smile").model(logistic())
        .signature(ModelSignature.of(inputs().schema(), Schema.of(Field.of("label", DataType.INT))))
        .inputExample(inputs().head(3)).hyperparameters(Map.of("lambda", 0.0)).seed(7).metric("auc", 0.9)
        .build();
  }

  static ModelPackage placeholderPackage(double threshold) {
    return ModelPackage.builder().model(new ThresholdModel("x1", threshold)).build();
  }
}
