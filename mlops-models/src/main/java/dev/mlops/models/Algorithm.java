package dev.mlops.models;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import dev.mlops.models.internal.AlgorithmJson;
import dev.mlops.models.internal.Errors;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * A learning algorithm and its hyperparameters: one record per algorithm, each checking its
 * settings in its constructor. The factories give the defaults; each setting has a method that
 * returns a changed copy, so settings chain.
 *
 * <pre>{@code
 * Algorithm rf = Algorithm.randomForest().trees(200).maxDepth(12);
 * Algorithm gbt = Algorithm.gradientBoosting().trees(300).shrinkage(0.1);
 * Algorithm lr = Algorithm.logisticRegression().lambda(0.01);
 *
 * if (config.algorithm() instanceof Algorithm.RandomForest f) { int trees = f.trees(); }
 * }</pre>
 *
 * <table>
 *   <caption>Algorithms</caption>
 *   <tr><th>factory</th><th>tasks</th><th>hyperparameters (default)</th></tr>
 *   <tr><td>logisticRegression</td><td>classification</td><td>lambda ≥ 0 (0.1), tolerance in (0, 1] (1e-5), maxIterations ≥ 1 (500)</td></tr>
 *   <tr><td>randomForest</td><td>both</td><td>trees 1–10000 (100), maxDepth 2–1000 (20), maxNodes ≥ 2 (1000), minLeafSize ≥ 1 (5),
 *       mtry ≥ 1 (automatic: √p for classification, p/3 for regression, but at least min(3, p)), subsample (0, 1] (1.0)</td></tr>
 *   <tr><td>gradientBoosting</td><td>both</td><td>trees 1–10000 (100), maxDepth 2–1000 (20), maxNodes ≥ 2 (6), minLeafSize ≥ 1 (5),
 *       shrinkage (0, 1] (0.05), subsample (0, 1] (0.7)</td></tr>
 *   <tr><td>linearRegression</td><td>regression</td><td>none (ordinary least squares)</td></tr>
 *   <tr><td>ridge</td><td>regression</td><td>lambda ≥ 0 (1.0)</td></tr>
 *   <tr><td>lasso</td><td>regression</td><td>lambda &gt; 0 (1.0), tolerance in (0, 1] (1e-4), maxIterations ≥ 1 (1000)</td></tr>
 * </table>
 *
 * <p>Saved in the training config as {@code {"name": "randomForest", "hyperparameters": {"trees": 100, ...}}}.
 */
@JsonSerialize(using = AlgorithmJson.Writer.class)
@JsonDeserialize(using = AlgorithmJson.Reader.class)
public sealed interface Algorithm permits Algorithm.LogisticRegression, Algorithm.RandomForest,
    Algorithm.GradientBoosting, Algorithm.LinearRegression, Algorithm.Ridge, Algorithm.Lasso {

  /**
   * The algorithm's name as saved and logged, e.g. {@code randomForest}.
   *
   * @return the name
   */
  String name();

  /**
   * The tasks this algorithm can do.
   *
   * @return classification, regression or both
   */
  List<Task> tasks();

  /**
   * The settings by name, in a fixed order, as logged to a run and written into a model package
   * (an automatic setting, such as a random forest's mtry, is left out).
   *
   * @return an unmodifiable map of numbers
   */
  Map<String, Object> hyperparameters();

  /**
   * Logistic regression (binary or multinomial) with defaults.
   *
   * @return lambda 0.1, tolerance 1e-5, 500 iterations
   */
  static LogisticRegression logisticRegression() {
    return new LogisticRegression(0.1, 1e-5, 500);
  }

  /**
   * A random forest with defaults that work on small data too.
   *
   * @return 100 trees, depth 20, 1000 nodes, leaves of 5, automatic mtry, no subsampling
   */
  static RandomForest randomForest() {
    return new RandomForest(100, 20, 1000, 5, OptionalInt.empty(), 1.0);
  }

  /**
   * Gradient-boosted trees with defaults.
   *
   * @return 100 trees, depth 20, 6 nodes, leaves of 5, shrinkage 0.05, subsample 0.7
   */
  static GradientBoosting gradientBoosting() {
    return new GradientBoosting(100, 20, 6, 5, 0.05, 0.7);
  }

  /**
   * Ordinary least squares linear regression.
   *
   * @return the algorithm (it has no settings)
   */
  static LinearRegression linearRegression() {
    return new LinearRegression();
  }

  /**
   * Ridge (L2) linear regression with defaults.
   *
   * @return lambda 1.0
   */
  static Ridge ridge() {
    return new Ridge(1.0);
  }

  /**
   * LASSO (L1) linear regression with defaults.
   *
   * @return lambda 1.0, tolerance 1e-4, 1000 iterations
   */
  static Lasso lasso() {
    return new Lasso(1.0, 1e-4, 1000);
  }

  /**
   * Logistic regression for classification.
   *
   * @param lambda L2 regularization, ≥ 0
   * @param tolerance convergence tolerance, in (0, 1]
   * @param maxIterations at least 1
   */
  record LogisticRegression(double lambda, double tolerance, int maxIterations) implements Algorithm {
    /** Checks every setting. */
    public LogisticRegression {
      Check.atLeast("logisticRegression", "lambda", lambda, 0);
      Check.unit("logisticRegression", "tolerance", tolerance);
      Check.atLeast("logisticRegression", "maxIterations", maxIterations, 1);
    }

    /**
     * A copy with another lambda.
     *
     * @param value L2 regularization, ≥ 0
     * @return the changed copy
     */
    public LogisticRegression lambda(double value) {
      return new LogisticRegression(value, tolerance, maxIterations);
    }

    /**
     * A copy with another tolerance.
     *
     * @param value in (0, 1]
     * @return the changed copy
     */
    public LogisticRegression tolerance(double value) {
      return new LogisticRegression(lambda, value, maxIterations);
    }

    /**
     * A copy with another iteration limit.
     *
     * @param value at least 1
     * @return the changed copy
     */
    public LogisticRegression maxIterations(int value) {
      return new LogisticRegression(lambda, tolerance, value);
    }

    @Override
    public String name() {
      return "logisticRegression";
    }

    @Override
    public List<Task> tasks() {
      return List.of(Task.CLASSIFICATION);
    }

    @Override
    public Map<String, Object> hyperparameters() {
      return Check.map("lambda", lambda, "tolerance", tolerance, "maxIterations", maxIterations);
    }
  }

  /**
   * A random forest for classification or regression.
   *
   * @param trees number of trees, 1 to 10000
   * @param maxDepth maximum tree depth, 2 to 1000
   * @param maxNodes maximum leaves per tree, ≥ 2
   * @param minLeafSize minimum rows per leaf, ≥ 1
   * @param mtry features tried per split (≥ 1, capped at the number of features); empty for automatic:
   *     √p for classification, p/3 for regression, but at least min(3, p)
   * @param subsample fraction of rows each tree sees, in (0, 1]
   */
  record RandomForest(int trees, int maxDepth, int maxNodes, int minLeafSize, OptionalInt mtry, double subsample)
      implements Algorithm {
    /** Checks every setting. */
    public RandomForest {
      Check.trees("randomForest", trees, maxDepth, maxNodes, minLeafSize, subsample);
      Check.notNull(mtry, "randomForest", "mtry", "OptionalInt.empty() for automatic");
      if (mtry.isPresent()) {
        Check.atLeast("randomForest", "mtry", mtry.getAsInt(), 1);
      }
    }

    /**
     * A copy with another number of trees.
     *
     * @param value 1 to 10000
     * @return the changed copy
     */
    public RandomForest trees(int value) {
      return new RandomForest(value, maxDepth, maxNodes, minLeafSize, mtry, subsample);
    }

    /**
     * A copy with another maximum depth.
     *
     * @param value 2 to 1000
     * @return the changed copy
     */
    public RandomForest maxDepth(int value) {
      return new RandomForest(trees, value, maxNodes, minLeafSize, mtry, subsample);
    }

    /**
     * A copy with another maximum number of leaves per tree.
     *
     * @param value at least 2
     * @return the changed copy
     */
    public RandomForest maxNodes(int value) {
      return new RandomForest(trees, maxDepth, value, minLeafSize, mtry, subsample);
    }

    /**
     * A copy with another minimum leaf size.
     *
     * @param value at least 1
     * @return the changed copy
     */
    public RandomForest minLeafSize(int value) {
      return new RandomForest(trees, maxDepth, maxNodes, value, mtry, subsample);
    }

    /**
     * A copy trying this many features per split (capped at the number of features).
     *
     * @param value at least 1
     * @return the changed copy
     */
    public RandomForest mtry(int value) {
      return new RandomForest(trees, maxDepth, maxNodes, minLeafSize, OptionalInt.of(value), subsample);
    }

    /**
     * A copy with another row fraction per tree.
     *
     * @param value in (0, 1]
     * @return the changed copy
     */
    public RandomForest subsample(double value) {
      return new RandomForest(trees, maxDepth, maxNodes, minLeafSize, mtry, value);
    }

    @Override
    public String name() {
      return "randomForest";
    }

    @Override
    public List<Task> tasks() {
      return List.of(Task.CLASSIFICATION, Task.REGRESSION);
    }

    @Override
    public Map<String, Object> hyperparameters() {
      Map<String, Object> m = new LinkedHashMap<>(Check.map("trees", trees, "maxDepth", maxDepth, "maxNodes", maxNodes,
          "minLeafSize", minLeafSize));
      mtry.ifPresent(v -> m.put("mtry", v));
      m.put("subsample", subsample);
      return java.util.Collections.unmodifiableMap(m);
    }
  }

  /**
   * Gradient-boosted trees for classification or regression.
   *
   * @param trees number of boosting rounds, 1 to 10000
   * @param maxDepth maximum tree depth, 2 to 1000
   * @param maxNodes maximum leaves per tree, ≥ 2
   * @param minLeafSize minimum rows per leaf, ≥ 1
   * @param shrinkage learning rate, in (0, 1]
   * @param subsample fraction of rows per round, in (0, 1]
   */
  record GradientBoosting(int trees, int maxDepth, int maxNodes, int minLeafSize, double shrinkage, double subsample)
      implements Algorithm {
    /** Checks every setting. */
    public GradientBoosting {
      Check.trees("gradientBoosting", trees, maxDepth, maxNodes, minLeafSize, subsample);
      Check.unit("gradientBoosting", "shrinkage", shrinkage);
    }

    /**
     * A copy with another number of trees.
     *
     * @param value 1 to 10000
     * @return the changed copy
     */
    public GradientBoosting trees(int value) {
      return new GradientBoosting(value, maxDepth, maxNodes, minLeafSize, shrinkage, subsample);
    }

    /**
     * A copy with another maximum depth.
     *
     * @param value 2 to 1000
     * @return the changed copy
     */
    public GradientBoosting maxDepth(int value) {
      return new GradientBoosting(trees, value, maxNodes, minLeafSize, shrinkage, subsample);
    }

    /**
     * A copy with another maximum number of leaves per tree.
     *
     * @param value at least 2
     * @return the changed copy
     */
    public GradientBoosting maxNodes(int value) {
      return new GradientBoosting(trees, maxDepth, value, minLeafSize, shrinkage, subsample);
    }

    /**
     * A copy with another minimum leaf size.
     *
     * @param value at least 1
     * @return the changed copy
     */
    public GradientBoosting minLeafSize(int value) {
      return new GradientBoosting(trees, maxDepth, maxNodes, value, shrinkage, subsample);
    }

    /**
     * A copy with another learning rate.
     *
     * @param value in (0, 1]
     * @return the changed copy
     */
    public GradientBoosting shrinkage(double value) {
      return new GradientBoosting(trees, maxDepth, maxNodes, minLeafSize, value, subsample);
    }

    /**
     * A copy with another row fraction per round.
     *
     * @param value in (0, 1]
     * @return the changed copy
     */
    public GradientBoosting subsample(double value) {
      return new GradientBoosting(trees, maxDepth, maxNodes, minLeafSize, shrinkage, value);
    }

    @Override
    public String name() {
      return "gradientBoosting";
    }

    @Override
    public List<Task> tasks() {
      return List.of(Task.CLASSIFICATION, Task.REGRESSION);
    }

    @Override
    public Map<String, Object> hyperparameters() {
      return Check.map("trees", trees, "maxDepth", maxDepth, "maxNodes", maxNodes, "minLeafSize", minLeafSize,
          "shrinkage", shrinkage, "subsample", subsample);
    }
  }

  /** Ordinary least squares linear regression (no settings). */
  record LinearRegression() implements Algorithm {
    @Override
    public String name() {
      return "linearRegression";
    }

    @Override
    public List<Task> tasks() {
      return List.of(Task.REGRESSION);
    }

    @Override
    public Map<String, Object> hyperparameters() {
      return Map.of();
    }
  }

  /**
   * Ridge (L2) linear regression.
   *
   * @param lambda regularization, ≥ 0
   */
  record Ridge(double lambda) implements Algorithm {
    /** Checks lambda. */
    public Ridge {
      Check.atLeast("ridge", "lambda", lambda, 0);
    }

    /**
     * A copy with another lambda.
     *
     * @param value ≥ 0
     * @return the changed copy
     */
    public Ridge lambda(double value) {
      return new Ridge(value);
    }

    @Override
    public String name() {
      return "ridge";
    }

    @Override
    public List<Task> tasks() {
      return List.of(Task.REGRESSION);
    }

    @Override
    public Map<String, Object> hyperparameters() {
      return Check.map("lambda", lambda);
    }
  }

  /**
   * LASSO (L1) linear regression.
   *
   * @param lambda regularization, &gt; 0
   * @param tolerance convergence tolerance, in (0, 1]
   * @param maxIterations at least 1
   */
  record Lasso(double lambda, double tolerance, int maxIterations) implements Algorithm {
    /** Checks every setting. */
    public Lasso {
      Check.above("lasso", "lambda", lambda, 0);
      Check.unit("lasso", "tolerance", tolerance);
      Check.atLeast("lasso", "maxIterations", maxIterations, 1);
    }

    /**
     * A copy with another lambda.
     *
     * @param value &gt; 0
     * @return the changed copy
     */
    public Lasso lambda(double value) {
      return new Lasso(value, tolerance, maxIterations);
    }

    /**
     * A copy with another tolerance.
     *
     * @param value in (0, 1]
     * @return the changed copy
     */
    public Lasso tolerance(double value) {
      return new Lasso(lambda, value, maxIterations);
    }

    /**
     * A copy with another iteration limit.
     *
     * @param value at least 1
     * @return the changed copy
     */
    public Lasso maxIterations(int value) {
      return new Lasso(lambda, tolerance, value);
    }

    @Override
    public String name() {
      return "lasso";
    }

    @Override
    public List<Task> tasks() {
      return List.of(Task.REGRESSION);
    }

    @Override
    public Map<String, Object> hyperparameters() {
      return Check.map("lambda", lambda, "tolerance", tolerance, "maxIterations", maxIterations);
    }
  }
}

/** Range checks shared by the algorithm records; messages come from {@link Errors}. */
final class Check {
  private Check() {}

  static void atLeast(String algo, String key, double value, double min) {
    if (Double.isNaN(value) || value < min) {
      throw Errors.hyperparameter(algo, key, value, "≥ " + fmt(min));
    }
  }

  static void above(String algo, String key, double value, double min) {
    if (Double.isNaN(value) || value <= min) {
      throw Errors.hyperparameter(algo, key, value, "> " + fmt(min));
    }
  }

  static void unit(String algo, String key, double value) {
    if (!(value > 0 && value <= 1)) {
      throw Errors.hyperparameter(algo, key, value, "> 0 and ≤ 1");
    }
  }

  static void range(String algo, String key, int value, int min, int max) {
    if (value < min || value > max) {
      throw Errors.hyperparameter(algo, key, value, "an integer ≥ " + min + " and ≤ " + max);
    }
  }

  static void trees(String algo, int trees, int maxDepth, int maxNodes, int minLeafSize, double subsample) {
    range(algo, "trees", trees, 1, 10_000);
    range(algo, "maxDepth", maxDepth, 2, 1000);
    atLeast(algo, "maxNodes", maxNodes, 2);
    atLeast(algo, "minLeafSize", minLeafSize, 1);
    unit(algo, "subsample", subsample);
  }

  static void notNull(Object value, String algo, String key, String fix) {
    if (value == null) {
      throw Errors.hyperparameter(algo, key, null, fix);
    }
  }

  static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return java.util.Collections.unmodifiableMap(m);
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
  }
}
