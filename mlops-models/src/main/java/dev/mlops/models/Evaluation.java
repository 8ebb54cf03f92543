package dev.mlops.models;

import dev.mlops.models.internal.Errors;
import java.util.List;
import java.util.Map;

/**
 * A model's quality on rows it did not learn from.
 *
 * <p>Classification: accuracy, precision, recall, f1 (for two classes, of the second class — true,
 * 1, or the later name; for more, macro averages), auc (one-vs-rest macro for more than two classes),
 * log_loss, and the confusion matrix (rows: actual, columns: predicted, in {@link #classes} order).
 * Regression: rmse, mae, r2.
 *
 * @param method "holdout(0.2)", "kfold(5)" or "none"
 * @param metrics metric name → value
 * @param confusion confusion matrix (empty for regression)
 * @param classes class labels in matrix order (empty for regression)
 */
public record Evaluation(String method, Map<String, Double> metrics, int[][] confusion, List<String> classes) {
  /** Copies collections and the matrix (an evaluation never changes). */
  public Evaluation {
    metrics = Map.copyOf(metrics);
    classes = List.copyOf(classes);
    confusion = copy(confusion);
  }

  /** A copy of the confusion matrix: changing it changes nothing here. */
  @Override
  public int[][] confusion() {
    return copy(confusion);
  }

  private static int[][] copy(int[][] m) {
    int[][] c = new int[m.length][];
    for (int i = 0; i < m.length; i++) {
      c[i] = m[i].clone();
    }
    return c;
  }

  /** One metric. */
  public double metric(String name) {
    Double v = metrics.get(name);
    if (v == null) {
      throw Errors.metricNotEvaluated(name, metrics.keySet());
    }
    return v;
  }
}
