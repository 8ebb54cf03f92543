package dev.mlops.models;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A learning algorithm and its hyperparameters. Each factory sets the defaults; {@link #with}
 * changes one and checks it against its allowed range at once.
 *
 * <table>
 *   <caption>Algorithms</caption>
 *   <tr><th>factory</th><th>tasks</th><th>hyperparameters (default)</th></tr>
 *   <tr><td>logisticRegression</td><td>classification</td><td>lambda ≥ 0 (0.1), tolerance &gt; 0 (1e-5), maxIterations ≥ 1 (500)</td></tr>
 *   <tr><td>randomForest</td><td>both</td><td>trees 1–10000 (100), maxDepth 2–1000 (20), maxNodes ≥ 2 (1000), minLeafSize ≥ 1 (5 / 1),
 *       mtry ≥ 0 (0 = √p for classification, p/3 for regression, but at least min(3, p)), subsample (0, 1] (1.0)</td></tr>
 *   <tr><td>gradientBoosting</td><td>both</td><td>trees 1–10000 (100), maxDepth 2–1000 (20), maxNodes ≥ 2 (6), minLeafSize ≥ 1 (5),
 *       shrinkage (0, 1] (0.05), subsample (0, 1] (0.7)</td></tr>
 *   <tr><td>linearRegression</td><td>regression</td><td>none (ordinary least squares)</td></tr>
 *   <tr><td>ridge</td><td>regression</td><td>lambda ≥ 0 (1.0)</td></tr>
 *   <tr><td>lasso</td><td>regression</td><td>lambda &gt; 0 (1.0), tolerance &gt; 0 (1e-4), maxIterations ≥ 1 (1000)</td></tr>
 * </table>
 *
 * <pre>{@code
 * Algorithm rf = Algorithm.randomForest().with("trees", 200).with("maxDepth", 12);
 * }</pre>
 *
 * @param name algorithm name
 * @param hyperparameters its hyperparameters
 */
public record Algorithm(String name, Map<String, Object> hyperparameters) {

  private record Range(double min, boolean minInclusive, double max, boolean integer) {}

  private static final Map<String, Map<String, Range>> RANGES = Map.of(
      "logisticRegression", Map.of("lambda", new Range(0, true, Double.MAX_VALUE, false),
          "tolerance", new Range(0, false, 1, false), "maxIterations", new Range(1, true, 1e7, true)),
      "randomForest", Map.of("trees", new Range(1, true, 10000, true), "maxDepth", new Range(2, true, 1000, true),
          "maxNodes", new Range(2, true, 1e9, true), "minLeafSize", new Range(1, true, 1e9, true),
          "mtry", new Range(0, true, 1e6, true), "subsample", new Range(0, false, 1, false)),
      "gradientBoosting", Map.of("trees", new Range(1, true, 10000, true), "maxDepth", new Range(2, true, 1000, true),
          "maxNodes", new Range(2, true, 1e9, true), "minLeafSize", new Range(1, true, 1e9, true),
          "shrinkage", new Range(0, false, 1, false), "subsample", new Range(0, false, 1, false)),
      "linearRegression", Map.of(),
      "ridge", Map.of("lambda", new Range(0, true, Double.MAX_VALUE, false)),
      "lasso", Map.of("lambda", new Range(0, false, Double.MAX_VALUE, false),
          "tolerance", new Range(0, false, 1, false), "maxIterations", new Range(1, true, 1e7, true)));

  /** Checks the name and every hyperparameter. */
  public Algorithm {
    Objects.requireNonNull(name, "name");
    Map<String, Range> ranges = RANGES.get(name);
    if (ranges == null) {
      throw new TrainingException("Unknown algorithm '" + name + "'. Known: " + RANGES.keySet() + ".");
    }
    Map<String, Object> copy = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : hyperparameters.entrySet()) {
      copy.put(e.getKey(), check(name, ranges, e.getKey(), e.getValue()));
    }
    hyperparameters = java.util.Collections.unmodifiableMap(copy);
  }

  private static Object check(String algo, Map<String, Range> ranges, String key, Object value) {
    Range r = ranges.get(key);
    if (r == null) {
      throw new TrainingException("Hyperparameter '" + key + "' does not apply to " + algo + "; it takes "
          + (ranges.isEmpty() ? "none" : ranges.keySet()) + ".");
    }
    if (!(value instanceof Number n)) {
      throw new TrainingException("Hyperparameter '" + key + "' of " + algo + " must be a number, not " + value + ".");
    }
    double d = n.doubleValue();
    boolean ok = !Double.isNaN(d) && (r.minInclusive() ? d >= r.min() : d > r.min()) && d <= r.max()
        && (!r.integer() || d == Math.rint(d));
    if (!ok) {
      throw new TrainingException("Hyperparameter '" + key + "' of " + algo + " is " + value + "; allowed: "
          + (r.integer() ? "an integer " : "") + (r.minInclusive() ? "≥ " : "> ") + fmt(r.min())
          + (r.max() < 1e6 ? " and ≤ " + fmt(r.max()) : "") + ".");
    }
    return r.integer() ? (Object) (int) d : (Object) d;
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
  }

  /** Logistic regression (binary or multinomial) for classification. */
  public static Algorithm logisticRegression() {
    return new Algorithm("logisticRegression", Map.of("lambda", 0.1, "tolerance", 1e-5, "maxIterations", 500));
  }

  /** Random forest for classification or regression. */
  public static Algorithm randomForest() {
    return new Algorithm("randomForest", ordered("trees", 100, "maxDepth", 20, "maxNodes", 1000, "minLeafSize", 5,
        "mtry", 0, "subsample", 1.0));
  }

  /** Gradient-boosted trees for classification or regression. */
  public static Algorithm gradientBoosting() {
    return new Algorithm("gradientBoosting", ordered("trees", 100, "maxDepth", 20, "maxNodes", 6, "minLeafSize", 5,
        "shrinkage", 0.05, "subsample", 0.7));
  }

  /** Ordinary least squares linear regression. */
  public static Algorithm linearRegression() {
    return new Algorithm("linearRegression", Map.of());
  }

  /** Ridge (L2) linear regression. */
  public static Algorithm ridge() {
    return new Algorithm("ridge", Map.of("lambda", 1.0));
  }

  /** LASSO (L1) linear regression. */
  public static Algorithm lasso() {
    return new Algorithm("lasso", ordered("lambda", 1.0, "tolerance", 1e-4, "maxIterations", 1000));
  }

  private static Map<String, Object> ordered(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  /** A copy with one hyperparameter changed (checked against its range). */
  public Algorithm with(String key, Number value) {
    Map<String, Object> m = new LinkedHashMap<>(hyperparameters);
    m.put(key, value);
    return new Algorithm(name, m);
  }

  /** An integer hyperparameter. */
  public int intParam(String key) {
    return ((Number) hyperparameters.get(key)).intValue();
  }

  /** A real hyperparameter. */
  public double doubleParam(String key) {
    return ((Number) hyperparameters.get(key)).doubleValue();
  }

  /** Tasks this algorithm can do. */
  public List<Task> tasks() {
    return switch (name) {
      case "logisticRegression" -> List.of(Task.CLASSIFICATION);
      case "randomForest", "gradientBoosting" -> List.of(Task.CLASSIFICATION, Task.REGRESSION);
      default -> List.of(Task.REGRESSION);
    };
  }
}
