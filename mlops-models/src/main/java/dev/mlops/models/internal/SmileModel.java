package dev.mlops.models.internal;

import dev.mlops.models.Algorithm;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.function.IntConsumer;
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
 * levels, see shared/facts/smile.md); random forests get explicit per-tree seeds; gradient boosting
 * draws from {@code MathEx}'s generator, seeded with {@code MathEx.setSeed} on a thread of its own.
 *
 * <p><b>Global state.</b> Scoring runs on the executor it is given (the common ForkJoinPool by
 * default). Smile's random generator is per thread and only {@code MathEx.setSeed} seeds it, so
 * gradient boosting is trained on a short-lived thread whose generator is seeded: the caller's
 * generator is not touched. What stays global, because Smile 3.1.1 takes no executor: random-forest
 * training builds its trees on Smile's own parallel streams, i.e. on the common ForkJoinPool.
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
    if (a instanceof Algorithm.LogisticRegression l) {
      m = LogisticRegression.fit(x, y, l.lambda(), l.tolerance(), l.maxIterations());
    } else if (a instanceof Algorithm.RandomForest f) {
      DataFrame df = DataFrame.of(x, names).merge(IntVector.of("y", y));
      int mtry = mtry(f, (int) Math.floor(Math.sqrt(names.length)), names.length);
      m = RandomForest.fit(Formula.lhs("y"), df, f.trees(), mtry, SplitRule.GINI, f.maxDepth(), f.maxNodes(),
          f.minLeafSize(), f.subsample(), null, seeds(seed, f.trees()));
    } else if (a instanceof Algorithm.GradientBoosting g) {
      DataFrame df = DataFrame.of(x, names).merge(IntVector.of("y", y));
      m = seeded(seed, () -> GradientTreeBoost.fit(Formula.lhs("y"), df, g.trees(), g.maxDepth(), g.maxNodes(),
          g.minLeafSize(), g.shrinkage(), g.subsample()));
    } else {
      throw Errors.notAClassifier(a.name());
    }
    return new SmileModel(a.name(), true, k, names, m);
  }

  /** Trains a regressor. */
  public static SmileModel regressor(Algorithm a, double[][] x, double[] y, long seed) {
    String[] names = names(x[0].length);
    DataFrame df = DataFrame.of(x, names).merge(DoubleVector.of("y", y));
    Formula f = Formula.lhs("y");
    Object m;
    if (a instanceof Algorithm.RandomForest rf) {
      m = smile.regression.RandomForest.fit(f, df, rf.trees(), mtry(rf, names.length / 3, names.length), rf.maxDepth(),
          rf.maxNodes(), rf.minLeafSize(), rf.subsample(), seeds(seed, rf.trees()));
    } else if (a instanceof Algorithm.GradientBoosting g) {
      m = seeded(seed, () -> smile.regression.GradientTreeBoost.fit(f, df, Loss.ls(), g.trees(), g.maxDepth(),
          g.maxNodes(), g.minLeafSize(), g.shrinkage(), g.subsample()));
    } else if (a instanceof Algorithm.LinearRegression) {
      m = OLS.fit(f, df, "svd", false, false); // SVD: one-hot columns are collinear with the intercept
    } else if (a instanceof Algorithm.Ridge r) {
      m = RidgeRegression.fit(f, df, r.lambda());
    } else if (a instanceof Algorithm.Lasso l) {
      m = LASSO.fit(f, df, l.lambda(), l.tolerance(), l.maxIterations());
    } else {
      throw Errors.notARegressor(a.name());
    }
    return new SmileModel(a.name(), false, 0, names, m);
  }

  /** The forest's mtry: the one set (capped at p), else the automatic one. */
  private static int mtry(Algorithm.RandomForest f, int usual, int p) {
    return f.mtry().isPresent() ? Math.min(f.mtry().getAsInt(), p) : autoMtry(usual, p);
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

  /**
   * Runs a Smile fit that draws from {@code MathEx}'s random generator with that generator seeded. Smile
   * keeps one generator per thread and only {@code MathEx.setSeed} seeds it, so the fit runs on a
   * short-lived thread of its own: the caller's generator (and any Smile code the application runs on
   * its thread) is left as it was.
   */
  static <T> T seeded(long seed, java.util.function.Supplier<T> fit) {
    java.util.concurrent.atomic.AtomicReference<Object> result = new java.util.concurrent.atomic.AtomicReference<>();
    Thread t = new Thread(() -> {
      try {
        MathEx.setSeed(positive(seed));
        result.set(fit.get());
      } catch (RuntimeException | Error e) {
        result.set(e);
      }
    }, "mlops-smile-seeded-fit");
    t.start();
    try {
      t.join();
    } catch (InterruptedException e) {
      t.interrupt();
      Thread.currentThread().interrupt();
      throw Errors.interruptedTraining();
    }
    Object r = result.get();
    if (r instanceof RuntimeException e) {
      throw e;
    }
    if (r instanceof Error e) {
      throw e;
    }
    @SuppressWarnings("unchecked")
    T out = (T) r;
    return out;
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

  /** Rows at or above which prediction is split into chunks run on the executor. */
  private static final int PARALLEL_ROWS = 2_000;
  /** Fewest rows per chunk. */
  private static final int MIN_CHUNK = 1_000;

  /**
   * The executor scoring uses when none is given: the JVM's common ForkJoinPool (what parallel streams
   * use). Pass your own to {@code Predictor.withExecutor} to keep scoring off it.
   */
  public static Executor defaultExecutor() {
    return ForkJoinPool.commonPool();
  }

  /**
   * Runs body for every row: the first row on the calling thread (it binds Smile's formula), then, for
   * large inputs, the rest in chunks on the executor (the caller waits for all of them); small inputs
   * stay on the calling thread.
   */
  private static void forEachRow(int n, Executor executor, IntConsumer body) {
    if (n == 0) {
      return;
    }
    body.accept(0);
    if (n < PARALLEL_ROWS) {
      for (int i = 1; i < n; i++) {
        body.accept(i);
      }
      return;
    }
    int chunks = Math.max(1, Math.min(4 * parallelism(executor), (n - 1) / MIN_CHUNK));
    int size = (n - 1 + chunks - 1) / chunks;
    List<CompletableFuture<Void>> futures = new ArrayList<>(chunks);
    for (int from = 1; from < n; from += size) {
      int start = from;
      int end = Math.min(n, from + size);
      futures.add(CompletableFuture.runAsync(() -> {
        for (int i = start; i < end; i++) {
          body.accept(i);
        }
      }, executor));
    }
    try {
      CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0])).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw e;
    }
  }

  private static int parallelism(Executor executor) {
    if (executor instanceof ForkJoinPool p) {
      return p.getParallelism();
    }
    if (executor instanceof ThreadPoolExecutor t) {
      return Math.max(1, t.getMaximumPoolSize() == Integer.MAX_VALUE ? t.getCorePoolSize() : t.getMaximumPoolSize());
    }
    return Runtime.getRuntime().availableProcessors();
  }

  /** The tree ensemble compiled to flat arrays, once per loaded model: a CompiledForest, or NONE. */
  private transient volatile Object compiled;
  private static final Object NONE = new Object();
  private static volatile boolean compiledTrees = !Boolean.getBoolean("mlops.models.smileTrees");

  /**
   * Whether tree ensembles are scored by their compiled form ({@link CompiledForest}, the default) or
   * by Smile's own tree walk (the system property {@code mlops.models.smileTrees=true} starts with the
   * latter). Both give the same numbers bit for bit; this switch is for benchmarks and diagnosis.
   */
  public static void useCompiledTrees(boolean on) {
    compiledTrees = on;
  }

  /** The compiled ensemble, or null (not a tree model, a shape CompiledForest does not handle, or switched off). */
  public CompiledForest compiled() {
    if (!compiledTrees) {
      return null;
    }
    Object c = compiled;
    if (c == null) {
      CompiledForest f = model instanceof LogisticRegression || model instanceof LinearModel ? null
          : CompiledForest.compile(model, names.length);
      c = f == null ? NONE : f;
      compiled = c;
    }
    return c == NONE ? null : (CompiledForest) c;
  }

  /** Runs body over [0, n) in ranges, split over the executor for large n (the caller waits). */
  private static void forEachRange(int n, Executor executor, java.util.function.BiConsumer<Integer, Integer> body) {
    if (n < PARALLEL_ROWS) {
      body.accept(0, n);
      return;
    }
    int chunks = Math.max(1, Math.min(4 * parallelism(executor), n / MIN_CHUNK));
    int size = (n + chunks - 1) / chunks;
    List<CompletableFuture<Void>> futures = new ArrayList<>(chunks);
    for (int from = 0; from < n; from += size) {
      int start = from;
      int end = Math.min(n, from + size);
      futures.add(CompletableFuture.runAsync(() -> body.accept(start, end), executor));
    }
    try {
      CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0])).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw e;
    }
  }

  /** Class probabilities, one row per input row (classification), on the default executor. */
  public double[][] probabilities(double[][] x) {
    return probabilities(x, defaultExecutor());
  }

  /** Class probabilities, one row per input row (classification); large inputs are split over executor. */
  public double[][] probabilities(double[][] x, Executor executor) {
    double[][] out = new double[x.length][classes];
    if (model instanceof LogisticRegression lr) {
      forEachRow(x.length, executor, i -> lr.predict(x[i], out[i]));
      return out;
    }
    CompiledForest cf = compiled();
    if (cf != null) {
      forEachRange(x.length, executor, (from, to) -> cf.probabilities(x, out, from, to));
      return out;
    }
    smile.data.type.StructType s = schema();
    if (model instanceof RandomForest rf) {
      forEachRow(x.length, executor, i -> rf.predict(smile.data.Tuple.of(x[i], s), out[i]));
    } else {
      GradientTreeBoost gbt = (GradientTreeBoost) model;
      forEachRow(x.length, executor, i -> gbt.predict(smile.data.Tuple.of(x[i], s), out[i]));
    }
    return out;
  }

  /** Class probabilities of one row into out (length {@link #classCount()}), on the calling thread. */
  public void probabilities(double[] x, double[] out) {
    if (model instanceof LogisticRegression lr) {
      lr.predict(x, out);
      return;
    }
    CompiledForest cf = compiled();
    if (cf != null) {
      cf.probabilities(x, out);
    } else if (model instanceof RandomForest rf) {
      rf.predict(smile.data.Tuple.of(x, schema()), out);
    } else {
      ((GradientTreeBoost) model).predict(smile.data.Tuple.of(x, schema()), out);
    }
  }

  /** The predicted value of one row (regression), on the calling thread. */
  public double value(double[] x) {
    if (model instanceof LinearModel lm) {
      return lm.predict(x);
    }
    CompiledForest cf = compiled();
    if (cf != null) {
      return cf.value(x);
    }
    return model instanceof smile.regression.RandomForest rf ? rf.predict(smile.data.Tuple.of(x, schema()))
        : ((smile.regression.GradientTreeBoost) model).predict(smile.data.Tuple.of(x, schema()));
  }

  /** Predicted values (regression), on the default executor. */
  public double[] values(double[][] x) {
    return values(x, defaultExecutor());
  }

  /** Predicted values (regression); large inputs are split over executor. */
  public double[] values(double[][] x, Executor executor) {
    double[] out = new double[x.length];
    if (model instanceof LinearModel lm) {
      forEachRow(x.length, executor, i -> out[i] = lm.predict(x[i]));
      return out;
    }
    CompiledForest cf = compiled();
    if (cf != null) {
      forEachRange(x.length, executor, (from, to) -> cf.values(x, out, from, to));
      return out;
    }
    smile.data.type.StructType s = schema();
    if (model instanceof smile.regression.RandomForest rf) {
      forEachRow(x.length, executor, i -> out[i] = rf.predict(smile.data.Tuple.of(x[i], s)));
    } else {
      smile.regression.GradientTreeBoost gbt = (smile.regression.GradientTreeBoost) model;
      forEachRow(x.length, executor, i -> out[i] = gbt.predict(smile.data.Tuple.of(x[i], s)));
    }
    return out;
  }

  /** Number of classes (classification), 0 for regressors. */
  public int classCount() {
    return classes;
  }

  /**
   * What is inconsistent in this model, or null when it is whole: the algorithm, the Smile object's
   * class and the number of inputs must fit together.
   *
   * @param inputs the number of inputs the preprocessing produces
   */
  public String problem(int inputs) {
    if (algorithm == null || names == null || model == null) {
      return "a field is missing (algorithm " + algorithm + ", input names " + (names == null ? "none" : names.length)
          + ", model " + (model == null ? "none" : model.getClass().getName()) + ")";
    }
    if (names.length != inputs) {
      return "it takes " + names.length + " inputs but the preprocessing produces " + inputs;
    }
    boolean fits = classification
        ? (model instanceof LogisticRegression || model instanceof RandomForest || model instanceof GradientTreeBoost)
            && classes >= 2
        : model instanceof LinearModel || model instanceof smile.regression.RandomForest
            || model instanceof smile.regression.GradientTreeBoost;
    if (!fits) {
      return "a " + model.getClass().getName() + " cannot be a " + (classification ? "classifier of " + classes
          + " classes" : "regressor") + " (algorithm " + algorithm + ")";
    }
    try { // one probe row: a model damaged inside Smile's own objects fails here, at load
      double[][] probe = new double[1][inputs];
      if (classification) {
        probabilities(probe);
      } else {
        values(probe);
      }
    } catch (RuntimeException e) {
      return "it fails on a probe row (" + e + ")";
    }
    return null;
  }

  /** The Smile object (for tests that compare with Smile's own predictions). */
  Object smile() {
    return model;
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
