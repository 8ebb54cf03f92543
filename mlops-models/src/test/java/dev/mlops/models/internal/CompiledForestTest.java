package dev.mlops.models.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.Column;
import dev.mlops.core.DataType;
import dev.mlops.core.Frame;
import dev.mlops.models.Algorithm;
import dev.mlops.models.Preprocessing;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import org.junit.jupiter.api.Test;
import smile.data.Tuple;
import smile.data.type.DataTypes;
import smile.data.type.StructField;
import smile.data.type.StructType;

/**
 * Compiled trees against Smile's own predict, bit for bit, for every tree algorithm the trainer offers
 * (random forest and gradient boosting; binary, multi-class and regression), on inputs the pipeline
 * produces from random rows with nulls, categoricals (one-hot and ordinal, unseen levels), booleans and
 * dates, plus raw rows with NaN and out-of-range values.
 */
class CompiledForestTest {
  private static final String[] CITIES = {"ams", "ber", "cph", "dub", "edi"};

  /** Random raw rows: a numeric column with nulls, a categorical with nulls, a boolean, a date, a long. */
  private static Frame rows(Random r, int n, boolean unseen) {
    List<Object> a = new ArrayList<>();
    List<Object> city = new ArrayList<>();
    List<Object> flag = new ArrayList<>();
    List<Object> day = new ArrayList<>();
    List<Object> count = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      a.add(r.nextInt(10) == 0 ? null : r.nextGaussian() * 3);
      city.add(r.nextInt(12) == 0 ? null : unseen && r.nextInt(8) == 0 ? "zzz" : CITIES[r.nextInt(CITIES.length)]);
      flag.add(r.nextBoolean());
      day.add(r.nextInt(10) == 0 ? null : java.time.LocalDate.ofEpochDay(19000 + r.nextInt(400)));
      count.add((long) r.nextInt(50));
    }
    return Frame.of(Column.of("a", DataType.DOUBLE, a), Column.of("city", DataType.STRING, city),
        Column.of("flag", DataType.BOOLEAN, flag), Column.of("day", DataType.DATE, day),
        Column.of("count", DataType.LONG, count));
  }

  private static int[] labels(double[][] x, Random r, int k) {
    int[] y = new int[x.length];
    for (int i = 0; i < x.length; i++) {
      double s = 0;
      for (int j = 0; j < x[i].length; j++) {
        s += x[i][j] * ((j % 3) - 1);
      }
      s += r.nextGaussian();
      y[i] = Math.floorMod((int) Math.floor(s), k);
    }
    return y;
  }

  private static double[] targets(double[][] x, Random r) {
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = x[i][0] * 2 - x[i][x[i].length - 1] + r.nextGaussian();
    }
    return y;
  }

  private static StructType schema(int p) {
    StructField[] f = new StructField[p];
    for (int j = 0; j < p; j++) {
      f[j] = new StructField("x" + j, DataTypes.DoubleType);
    }
    return DataTypes.struct(f);
  }

  /** Test inputs: pipeline output of fresh rows (with unseen levels), plus rows with NaN and extreme values. */
  private static double[][] testInputs(Pipeline pipe, Random r, double[][] train) {
    double[][] fresh = pipe.transform(rows(r, 400, true));
    int p = fresh[0].length;
    List<double[]> all = new ArrayList<>(List.of(fresh));
    all.addAll(List.of(train).subList(0, 200));
    for (int i = 0; i < 100; i++) {
      double[] x = fresh[i].clone();
      x[r.nextInt(p)] = Double.NaN;
      x[r.nextInt(p)] = r.nextBoolean() ? 1e300 : -1e300;
      all.add(x);
    }
    return all.toArray(new double[0][]);
  }

  private static void checkClassifier(SmileModel m, double[][] x) {
    CompiledForest cf = m.compiled();
    assertThat(cf).as("compiled %s", CompiledForest.whyNot(m.smile(), x[0].length)).isNotNull();
    double[][] fast = m.probabilities(x, Runnable::run);
    StructType s = schema(x[0].length);
    int k = m.classCount();
    for (int i = 0; i < x.length; i++) {
      double[] slow = new double[k];
      int label;
      if (m.smile() instanceof smile.classification.RandomForest rf) {
        label = rf.predict(Tuple.of(x[i], s), slow);
      } else {
        label = ((smile.classification.GradientTreeBoost) m.smile()).predict(Tuple.of(x[i], s), slow);
      }
      assertThat(fast[i]).as("row %d", i).containsExactly(slow);
      assertThat(cf.label(fast[i])).as("label of row %d", i).isEqualTo(label);
      double[] one = new double[k];
      cf.probabilities(x[i], one);
      assertThat(one).containsExactly(slow);
    }
  }

  private static void checkRegressor(SmileModel m, double[][] x) {
    CompiledForest cf = m.compiled();
    assertThat(cf).as("compiled %s", CompiledForest.whyNot(m.smile(), x[0].length)).isNotNull();
    double[] fast = m.values(x, Runnable::run);
    StructType s = schema(x[0].length);
    for (int i = 0; i < x.length; i++) {
      double slow = m.smile() instanceof smile.regression.RandomForest rf ? rf.predict(Tuple.of(x[i], s))
          : ((smile.regression.GradientTreeBoost) m.smile()).predict(Tuple.of(x[i], s));
      assertThat(Double.doubleToRawLongBits(fast[i])).as("row %d: %s vs %s", i, fast[i], slow)
          .isEqualTo(Double.doubleToRawLongBits(slow));
      assertThat(Double.doubleToRawLongBits(cf.value(x[i]))).isEqualTo(Double.doubleToRawLongBits(slow));
    }
  }

  @Test
  void every_tree_algorithm_predicts_exactly_what_smile_predicts() {
    Random r = new Random(16);
    for (Preprocessing.Encoding enc : Preprocessing.Encoding.values()) {
      for (boolean standardize : new boolean[] {false, true}) {
        Frame train = rows(r, 600, false);
        Pipeline pipe = Pipeline.fit(train, List.of("a", "city", "flag", "day", "count"),
            Preprocessing.defaults().encode(enc).standardize(standardize));
        double[][] x = pipe.transform(train);
        double[][] test = testInputs(pipe, r, x);
        long seed = r.nextLong();
        for (Algorithm a : List.of(Algorithm.randomForest().trees(15), Algorithm.randomForest().trees(7)
                .maxNodes(50).subsample(0.6), Algorithm.gradientBoosting().trees(25),
            Algorithm.gradientBoosting().trees(10).maxNodes(30).shrinkage(0.3))) {
          for (int k : new int[] {2, 3, 5}) {
            checkClassifier(SmileModel.classifier(a, x, labels(x, r, k), k, seed), test);
          }
          checkRegressor(SmileModel.regressor(a, x, targets(x, r), seed), test);
        }
      }
    }
  }

  /**
   * Batches walk blocks of 64 rows: every range start and length (single rows, short ranges, a block
   * boundary inside the range) gives, row for row, the bits Smile gives for that row.
   */
  @Test
  void block_walks_over_any_range_equal_smile_row_by_row() {
    Random r = new Random(77);
    Frame train = rows(r, 500, false);
    Pipeline pipe = Pipeline.fit(train, List.of("a", "city", "flag", "day", "count"), Preprocessing.defaults());
    double[][] x = pipe.transform(train);
    double[][] test = testInputs(pipe, r, x);
    StructType s = schema(x[0].length);
    int[][] ranges = {{0, 1}, {1, 3}, {2, 7}, {5, 69}, {63, 130}, {1, test.length}};
    for (Algorithm a : List.of(Algorithm.randomForest().trees(9), Algorithm.gradientBoosting().trees(12))) {
      for (int k : new int[] {2, 4}) {
        SmileModel m = SmileModel.classifier(a, x, labels(x, r, k), k, 9);
        CompiledForest cf = m.compiled();
        for (int[] range : ranges) {
          double[][] out = new double[test.length][k];
          cf.probabilities(test, out, range[0], range[1]);
          for (int i = 0; i < test.length; i++) {
            double[] slow = new double[k];
            if (i >= range[0] && i < range[1]) {
              if (m.smile() instanceof smile.classification.RandomForest rf) {
                rf.predict(Tuple.of(test[i], s), slow);
              } else {
                ((smile.classification.GradientTreeBoost) m.smile()).predict(Tuple.of(test[i], s), slow);
              }
            }
            assertThat(out[i]).as("%s k=%d range %d..%d row %d", a, k, range[0], range[1], i).containsExactly(slow);
          }
        }
      }
      SmileModel reg = SmileModel.regressor(a, x, targets(x, r), 9);
      CompiledForest cf = reg.compiled();
      for (int[] range : ranges) {
        double[] out = new double[test.length];
        cf.values(test, out, range[0], range[1]);
        for (int i = 0; i < test.length; i++) {
          double slow = 0;
          if (i >= range[0] && i < range[1]) {
            slow = reg.smile() instanceof smile.regression.RandomForest rf ? rf.predict(Tuple.of(test[i], s))
                : ((smile.regression.GradientTreeBoost) reg.smile()).predict(Tuple.of(test[i], s));
          }
          assertThat(Double.doubleToRawLongBits(out[i])).as("%s range %d..%d row %d", a, range[0], range[1], i)
              .isEqualTo(Double.doubleToRawLongBits(slow));
        }
      }
    }
  }

  @Test
  void large_batches_split_over_an_executor_equal_smile() throws Exception {
    Random r = new Random(61);
    Frame train = rows(r, 3000, false);
    Pipeline pipe = Pipeline.fit(train, List.of("a", "city", "flag", "day", "count"), Preprocessing.defaults());
    double[][] x = pipe.transform(train);
    SmileModel rf = SmileModel.classifier(Algorithm.randomForest().trees(20), x, labels(x, r, 2), 2, 5);
    SmileModel gbt = SmileModel.regressor(Algorithm.gradientBoosting().trees(20), x, targets(x, r), 5);
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      double[][] p = rf.probabilities(x, pool);
      double[] v = gbt.values(x, pool);
      SmileModel.useCompiledTrees(false);
      try {
        assertThat(rf.compiled()).isNull();
        assertThat(rf.probabilities(x, pool)).isDeepEqualTo(p);
        assertThat(gbt.values(x, pool)).containsExactly(v);
      } finally {
        SmileModel.useCompiledTrees(true);
      }
      assertThat(rf.compiled()).isNotNull();
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void non_tree_models_and_foreign_objects_are_not_compiled_and_say_why() {
    assertThat(CompiledForest.compile("not a model", 3)).isNull();
    assertThat(CompiledForest.whyNot("not a model", 3)).contains("not a Smile tree ensemble");
    Random r = new Random(3);
    double[][] x = new double[200][3];
    for (double[] row : x) {
      for (int j = 0; j < 3; j++) {
        row[j] = r.nextGaussian();
      }
    }
    SmileModel lr = SmileModel.classifier(Algorithm.logisticRegression(), x, labels(x, r, 2), 2, 1);
    assertThat(lr.compiled()).isNull();
    SmileModel rf = SmileModel.classifier(Algorithm.randomForest().trees(3), x, labels(x, r, 2), 2, 1);
    assertThat(CompiledForest.whyNot(rf.smile(), 3)).isNull();
    // read as a model over other inputs than it was trained on: refused, not mis-indexed
    assertThat(CompiledForest.whyNot(rf.smile(), 2)).contains("formula");
  }

  /**
   * Splits compare ranks, not doubles: an input equal to a threshold, one ulp above or below it, -0.0
   * against a 0.0 threshold, infinities and NaN all take the branch Smile takes, for every algorithm,
   * one row at a time and in blocks.
   */
  @Test
  void inputs_at_every_threshold_and_one_ulp_around_it_take_smiles_branch() {
    Random r = new Random(5);
    int p = 4;
    double[][] x = new double[300][p];
    for (double[] row : x) {
      row[0] = r.nextBoolean() ? -1 : 1; // the only split on x0 is at (-1 + 1) / 2 = 0.0
      row[1] = r.nextInt(7) - 3;
      row[2] = r.nextGaussian();
      row[3] = r.nextGaussian() * 1e-3;
    }
    long seed = r.nextLong();
    for (Algorithm a : List.of(Algorithm.randomForest().trees(9), Algorithm.gradientBoosting().trees(12))) {
      List<SmileModel> models = new ArrayList<>();
      for (int k : new int[] {2, 3}) {
        models.add(SmileModel.classifier(a, x, labels(x, r, k), k, seed));
      }
      models.add(SmileModel.regressor(a, x, targets(x, r), seed));
      for (SmileModel m : models) {
        CompiledForest cf = m.compiled();
        assertThat(cf).as(CompiledForest.whyNot(m.smile(), p)).isNotNull();
        List<double[]> in = new ArrayList<>();
        for (int j = 0; j < p; j++) {
          double[] th = cf.thresholds(j);
          for (double t : th) {
            for (double v : new double[] {t, Math.nextUp(t), Math.nextDown(t)}) {
              double[] row = x[r.nextInt(x.length)].clone();
              row[j] = v;
              in.add(row);
            }
          }
          for (double v : new double[] {-0.0, 0.0, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, Double.NaN,
              -Double.MIN_VALUE, Double.MIN_VALUE}) {
            double[] row = x[r.nextInt(x.length)].clone();
            row[j] = v;
            in.add(row);
          }
        }
        assertThat(cf.thresholds(0)).as("the split on x0").containsExactly(0.0);
        double[][] test = in.toArray(new double[0][]);
        if (m.isClassifier()) {
          checkClassifier(m, test);
        } else {
          checkRegressor(m, test);
        }
      }
    }
  }

  /**
   * A binary forest's one-row posteriors come from the class counts in its leaf nodes: equal to Smile's
   * bit for bit, and to the posterior-table walk, for deep trees, stumps, single-leaf trees (a minimum
   * leaf size larger than the data), NaN and infinite inputs, and inputs exactly at every threshold;
   * the two probabilities sum as Smile's do. Counts that do not fit, or do not give Smile's posteriors,
   * keep the table.
   */
  @Test
  void binary_forests_compute_one_row_posteriors_from_the_counts_in_their_leaves_as_smile_does() throws Exception {
    Random r = new Random(21);
    int p = 5;
    double[][] x = new double[2000][p];
    int[] y = new int[x.length];
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < p; j++) {
        x[i][j] = j == 4 ? r.nextInt(3) : r.nextGaussian();
      }
      y[i] = x[i][0] + 0.5 * x[i][1] * x[i][2] + 0.3 * r.nextGaussian() > 0 ? 1 : 0;
    }
    List<double[]> in = new ArrayList<>(List.of(x).subList(0, 300));
    for (int i = 0; i < 200; i++) {
      double[] row = new double[p];
      for (int j = 0; j < p; j++) {
        row[j] = switch (r.nextInt(6)) {
          case 0 -> Double.NaN;
          case 1 -> r.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
          case 2 -> r.nextBoolean() ? -0.0 : 0.0;
          default -> r.nextGaussian() * 2;
        };
      }
      in.add(row);
    }
    for (Algorithm a : List.of(Algorithm.randomForest().trees(50), Algorithm.randomForest().trees(8).maxNodes(2),
        Algorithm.randomForest().trees(6).minLeafSize(x.length), Algorithm.randomForest().trees(30).maxDepth(3)
            .subsample(0.5))) {
      SmileModel m = SmileModel.classifier(a, x, y, 2, 3);
      CompiledForest cf = m.compiled();
      assertThat(cf).as(CompiledForest.whyNot(m.smile(), p)).isNotNull();
      assertThat(cf.countsInLeaves()).as("%s: counts in the leaves", a).isTrue();
      CompiledForest table = CompiledForest.compileOrThrow(m.smile(), p, false);
      assertThat(table.countsInLeaves()).isFalse();
      List<double[]> rows = new ArrayList<>(in);
      for (int j = 0; j < p; j++) {
        for (double t : cf.thresholds(j)) {
          double[] row = x[r.nextInt(x.length)].clone();
          row[j] = t;
          rows.add(row);
        }
      }
      double[][] test = rows.toArray(new double[0][]);
      checkClassifier(m, test);
      StructType s = schema(p);
      smile.classification.RandomForest rf = (smile.classification.RandomForest) m.smile();
      for (double[] row : test) {
        double[] slow = new double[2];
        rf.predict(Tuple.of(row, s), slow);
        double[] fromCounts = new double[2];
        double[] fromTable = new double[2];
        cf.probabilities(row, fromCounts);
        table.probabilities(row, fromTable);
        assertThat(fromCounts).containsExactly(slow).containsExactly(fromTable);
        assertThat(fromCounts[0] + fromCounts[1]).isEqualTo(slow[0] + slow[1]);
      }
    }
    // leaves whose counts do not fit the node, or whose posteriors are not (count + 1) / (n + 2): the table
    assertThat(CompiledForest.countsGiveThePosteriors(new int[] {2}, new int[] {5}, new double[] {0.4, 0.6})).isTrue();
    assertThat(CompiledForest.countsGiveThePosteriors(new int[] {2}, new int[] {5}, new double[] {0.4, 0.6000000000000001}))
        .isFalse();
    assertThat(CompiledForest.countsGiveThePosteriors(new int[] {1 << 19}, new int[] {(1 << 19) + 1},
        new double[] {(double) (1 << 19) / ((1 << 19) + 1), 1.0 / ((1 << 19) + 1)})).isFalse();
    assertThat(CompiledForest.countsGiveThePosteriors(new int[] {0}, new int[] {2}, new double[] {0.0, 1.0})).isFalse();
  }

  /** Scoring one row through a compiled forest allocates nothing (classifier, table or counts, and regressor). */
  @Test
  void one_row_through_a_compiled_forest_allocates_nothing() throws Exception {
    Random r = new Random(4);
    int p = 6;
    double[][] x = new double[800][p];
    for (double[] row : x) {
      for (int j = 0; j < p; j++) {
        row[j] = r.nextGaussian();
      }
    }
    SmileModel binary = SmileModel.classifier(Algorithm.randomForest().trees(20), x, labels(x, r, 2), 2, 1);
    CompiledForest counts = binary.compiled();
    CompiledForest table = CompiledForest.compileOrThrow(binary.smile(), p, false);
    CompiledForest three = SmileModel.classifier(Algorithm.gradientBoosting().trees(10), x, labels(x, r, 3), 3, 1)
        .compiled();
    CompiledForest reg = SmileModel.regressor(Algorithm.randomForest().trees(10), x, targets(x, r), 1).compiled();
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    double[] two = new double[2];
    double[] k3 = new double[3];
    double sink = 0;
    for (int round = 0; round < 2; round++) { // the first round pays the per-thread buffer and class loading
      long before = threads.getThreadAllocatedBytes(id);
      for (int i = 0; i < 2000; i++) {
        double[] row = x[i % x.length];
        counts.probabilities(row, two);
        sink += two[0];
        table.probabilities(row, two);
        sink += two[1];
        three.probabilities(row, k3);
        sink += k3[2];
        sink += reg.value(row);
      }
      long allocated = threads.getThreadAllocatedBytes(id) - before;
      if (round == 1) {
        assertThat(allocated).as("bytes allocated by 8,000 one-row calls (sink %s)", sink).isLessThan(1000);
      }
    }
  }

  /** More inputs than the node packing holds: not compiled (Smile's walk is used), and whyNot says so. */
  @Test
  void more_inputs_than_the_packing_holds_fall_back_to_smile() {
    Random r = new Random(9);
    int p = 4095;
    double[][] x = new double[40][p];
    for (double[] row : x) {
      for (int j = 0; j < p; j++) {
        row[j] = r.nextGaussian();
      }
    }
    SmileModel m = SmileModel.regressor(Algorithm.randomForest().trees(2), x, targets(x, r), 1);
    assertThat(m.compiled()).isNull();
    assertThat(CompiledForest.whyNot(m.smile(), p)).contains("inputs 4095").contains("limit of 4094");
  }
}
