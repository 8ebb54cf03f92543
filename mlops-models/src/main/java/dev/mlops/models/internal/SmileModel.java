package dev.mlops.models.internal;

import dev.mlops.models.Algorithm;
import java.io.Serializable;
import java.util.stream.LongStream;
import smile.base.cart.Loss;
import smile.base.cart.SplitRule;
import smile.classification.GradientTreeBoost;
import smile.classification.LogisticRegression;
import smile.classification.RandomForest;
import smile.data.DataFrame;
import smile.data.formula.Formula;
import smile.data.vector.DoubleVector;
import smile.data.vector.IntVector;
import smile.math.MathEx;
import smile.regression.LASSO;
import smile.regression.LinearModel;
import smile.regression.OLS;
import smile.regression.RidgeRegression;

/**
 * A Smile model trained on already-preprocessed inputs, with one way to predict whatever the
 * algorithm. Smile only ever sees dense, imputed, encoded numbers (it mishandles nulls and unseen
 * levels, see shared/facts/smile.md); random forests get explicit per-tree seeds, the other
 * randomised algorithms run after {@code MathEx.setSeed} on the training thread.
 */
public final class SmileModel implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String algorithm;
  private final boolean classification;
  private final int classes;
  private final String[] names;
  private final Object model;

  private SmileModel(String algorithm, boolean classification, int classes, String[] names, Object model) {
    this.algorithm = algorithm;
    this.classification = classification;
    this.classes = classes;
    this.names = names;
    this.model = model;
  }

  private static String[] names(int p) {
    String[] n = new String[p];
    for (int j = 0; j < p; j++) {
      n[j] = "x" + j;
    }
    return n;
  }

  /** Trains a classifier on classes 0..k-1. */
  public static SmileModel classifier(Algorithm a, double[][] x, int[] y, int k, long seed) {
    String[] names = names(x[0].length);
    Object m;
    switch (a.name()) {
      case "logisticRegression" -> m = LogisticRegression.fit(x, y, a.doubleParam("lambda"), a.doubleParam("tolerance"),
          a.intParam("maxIterations"));
      case "randomForest" -> {
        DataFrame df = DataFrame.of(x, names).merge(IntVector.of("y", y));
        int mtry = a.intParam("mtry") == 0 ? autoMtry((int) Math.floor(Math.sqrt(names.length)), names.length)
            : Math.min(a.intParam("mtry"), names.length);
        m = RandomForest.fit(Formula.lhs("y"), df, a.intParam("trees"), mtry, SplitRule.GINI, a.intParam("maxDepth"),
            a.intParam("maxNodes"), a.intParam("minLeafSize"), a.doubleParam("subsample"), null, seeds(seed, a.intParam("trees")));
      }
      case "gradientBoosting" -> {
        DataFrame df = DataFrame.of(x, names).merge(IntVector.of("y", y));
        MathEx.setSeed(positive(seed));
        m = GradientTreeBoost.fit(Formula.lhs("y"), df, a.intParam("trees"), a.intParam("maxDepth"),
            a.intParam("maxNodes"), a.intParam("minLeafSize"), a.doubleParam("shrinkage"), a.doubleParam("subsample"));
      }
      default -> throw new IllegalArgumentException(a.name() + " is not a classifier");
    }
    return new SmileModel(a.name(), true, k, names, m);
  }

  /** Trains a regressor. */
  public static SmileModel regressor(Algorithm a, double[][] x, double[] y, long seed) {
    String[] names = names(x[0].length);
    DataFrame df = DataFrame.of(x, names).merge(DoubleVector.of("y", y));
    Formula f = Formula.lhs("y");
    Object m = switch (a.name()) {
      case "randomForest" -> {
        int mtry = a.intParam("mtry") == 0 ? autoMtry(names.length / 3, names.length) : Math.min(a.intParam("mtry"), names.length);
        yield smile.regression.RandomForest.fit(f, df, a.intParam("trees"), mtry, a.intParam("maxDepth"),
            a.intParam("maxNodes"), a.intParam("minLeafSize"), a.doubleParam("subsample"), seeds(seed, a.intParam("trees")));
      }
      case "gradientBoosting" -> {
        MathEx.setSeed(positive(seed));
        yield smile.regression.GradientTreeBoost.fit(f, df, Loss.ls(), a.intParam("trees"), a.intParam("maxDepth"),
            a.intParam("maxNodes"), a.intParam("minLeafSize"), a.doubleParam("shrinkage"), a.doubleParam("subsample"));
      }
      case "linearRegression" -> OLS.fit(f, df, "svd", false, false); // SVD: one-hot columns are collinear with the intercept
      case "ridge" -> RidgeRegression.fit(f, df, a.doubleParam("lambda"));
      case "lasso" -> LASSO.fit(f, df, a.doubleParam("lambda"), a.doubleParam("tolerance"), a.intParam("maxIterations"));
      default -> throw new IllegalArgumentException(a.name() + " is not a regressor");
    };
    return new SmileModel(a.name(), false, 0, names, m);
  }

  /**
   * Per-tree seeds for a random forest. They must be positive: Smile 3.1.1 ignores a negative seed
   * (the forest is then different on every run), which this project found and tests.
   */
  private static LongStream seeds(long seed, int n) {
    java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
    long[] s = new long[n];
    for (int i = 0; i < n; i++) {
      s[i] = (r.nextLong() & Long.MAX_VALUE) | 1L;
    }
    return LongStream.of(s);
  }

  private static long positive(long seed) {
    return (seed & Long.MAX_VALUE) | 1L;
  }

  /** Input schema for tuples; built once per loaded model (the formula then binds once). */
  private transient volatile smile.data.type.StructType schema;

  private smile.data.type.StructType schema() {
    smile.data.type.StructType s = schema;
    if (s == null) {
      smile.data.type.StructField[] fields = new smile.data.type.StructField[names.length];
      for (int j = 0; j < names.length; j++) {
        fields[j] = new smile.data.type.StructField(names[j], smile.data.type.DataTypes.DoubleType);
      }
      s = smile.data.type.DataTypes.struct(fields);
      schema = s;
    }
    return s;
  }

  /** Rows at or above which prediction runs on all cores. */
  private static final int PARALLEL_ROWS = 2_000;

  /** Runs body for every row; in parallel for large inputs after one sequential call (binds Smile's formula). */
  private static void forEachRow(int n, java.util.function.IntConsumer body) {
    if (n == 0) {
      return;
    }
    body.accept(0);
    java.util.stream.IntStream rest = java.util.stream.IntStream.range(1, n);
    (n >= PARALLEL_ROWS ? rest.parallel() : rest).forEach(body);
  }

  /** Class probabilities, one row per input row (classification). */
  public double[][] probabilities(double[][] x) {
    double[][] out = new double[x.length][classes];
    if (model instanceof LogisticRegression lr) {
      forEachRow(x.length, i -> lr.predict(x[i], out[i]));
      return out;
    }
    smile.data.type.StructType s = schema();
    if (model instanceof RandomForest rf) {
      forEachRow(x.length, i -> rf.predict(smile.data.Tuple.of(x[i], s), out[i]));
    } else {
      GradientTreeBoost gbt = (GradientTreeBoost) model;
      forEachRow(x.length, i -> gbt.predict(smile.data.Tuple.of(x[i], s), out[i]));
    }
    return out;
  }

  /** Predicted values (regression). */
  public double[] values(double[][] x) {
    double[] out = new double[x.length];
    if (model instanceof LinearModel lm) {
      forEachRow(x.length, i -> out[i] = lm.predict(x[i]));
      return out;
    }
    smile.data.type.StructType s = schema();
    if (model instanceof smile.regression.RandomForest rf) {
      forEachRow(x.length, i -> out[i] = rf.predict(smile.data.Tuple.of(x[i], s)));
    } else {
      smile.regression.GradientTreeBoost gbt = (smile.regression.GradientTreeBoost) model;
      forEachRow(x.length, i -> out[i] = gbt.predict(smile.data.Tuple.of(x[i], s)));
    }
    return out;
  }

  /** True for classifiers. */
  public boolean isClassifier() {
    return classification;
  }

  /** The algorithm name. */
  public String algorithm() {
    return algorithm;
  }

  /**
   * The features tried at each split when the user left mtry at 0: the usual rule (√p, p/3), but
   * never fewer than three (or all p when there are fewer). With two or three encoded columns the
   * usual rule gives 1, so most splits look at one random, often useless column: a label that is a
   * threshold of one feature reached 0.75 accuracy.
   */
  static int autoMtry(int usual, int p) {
    return Math.max(usual, Math.min(3, p));
  }
}
