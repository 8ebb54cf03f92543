package dev.mlops.models.internal;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import smile.base.cart.CART;
import smile.base.cart.DecisionNode;
import smile.base.cart.InternalNode;
import smile.base.cart.Node;
import smile.base.cart.OrdinalNode;
import smile.base.cart.RegressionNode;
import smile.data.formula.Formula;

/**
 * Smile's tree ensembles compiled to flat primitive arrays and evaluated in a tight loop over dense
 * rows: random forest and gradient boosting, classification and regression (every tree algorithm the
 * trainer offers). The predictions equal Smile 3.1.1's bit for bit: the same comparison at each split
 * ({@code x <= threshold} goes to the true child; NaN goes to the false child), the same leaf values
 * (posteriors computed by Smile's own {@code DecisionNode.posteriori}), and the same floating-point
 * operations in the same order as {@code RandomForest.predict}, {@code GradientTreeBoost.predict}
 * (read from the 3.1.1 bytecode): per row, trees summed in their order, then the same normalization.
 *
 * <p>Layout: all trees' nodes in one pre-order array, so a node's true child is the next node and only
 * the false child is stored. Each node is two longs of one {@code long[]} (16 bytes: four nodes to a
 * cache line, so a walk touches one line per node, not one in each of three arrays): {@code feature << 32
 * | falseChild} and the raw bits of {@code threshold}. A leaf has {@code feature = -1} (the first long is
 * negative); its value is in {@code threshold} (regression trees) or its posterior starts at
 * {@code falseChild * k} in {@code posteriors}.
 *
 * <p>Batches walk each tree for a block of rows (the tree stays in cache); per row the trees are still
 * summed in their order, so the floating-point operations are the same as one row at a time. One row
 * ({@link #probabilities(double[], double[])}, {@link #value}) allocates nothing. Walking four rows (or
 * two trees) in lockstep was tried and measured slower on this machine (extra unpredictable branches,
 * and a tree of a block already sits in L1/L2), so the walk is the plain loop.
 *
 * <p>{@link #compile} returns null (the caller keeps using Smile) for shapes it does not handle:
 * nominal splits ({@code NominalNode}, which Smile only builds for nominal columns; the pipeline gives
 * Smile numeric columns only), trees that carry a formula of their own, an ensemble whose formula is
 * not {@code Formula.lhs("y")}, a split feature outside the inputs, or Smile internals that reflection
 * cannot read (another Smile version).
 */
public final class CompiledForest {
  /** Rows per block: each tree is walked for a block of rows before the next tree (cache locality). */
  private static final int BLOCK = 64;

  enum Kind { RF_CLASS, RF_REG, GBT_BINARY, GBT_MULTI, GBT_REG }

  private final Kind kind;
  private final int k; // classes (classification), 1 otherwise
  /** Per node {@code [feature << 32 | falseChild, doubleToRawLongBits(threshold)]}, see the class comment. */
  private final long[] nodes;
  private final int[] roots; // per tree (for GBT_MULTI: class-major, trees[c * perClass + t])
  private final int perClass; // GBT_MULTI: trees per class
  private final double[] posteriors; // RF_CLASS leaves, k per leaf
  private final double[] weights; // RF_CLASS tree weights
  private final double b; // GBT intercept
  private final double shrinkage;

  private CompiledForest(Kind kind, int k, Flat flat, int[] roots, int perClass, double[] weights, double b,
      double shrinkage) {
    this.kind = kind;
    this.k = k;
    int[] feature = flat.feature.toArray();
    double[] threshold = flat.threshold.toArray();
    int[] falseChild = flat.falseChild.toArray();
    this.nodes = new long[2 * feature.length];
    for (int n = 0; n < feature.length; n++) {
      nodes[2 * n] = ((long) feature[n] << 32) | (falseChild[n] & 0xFFFF_FFFFL);
      nodes[2 * n + 1] = Double.doubleToRawLongBits(threshold[n]);
    }
    this.posteriors = flat.posteriors.toArray();
    this.roots = roots;
    this.perClass = perClass;
    this.weights = weights;
    this.b = b;
    this.shrinkage = shrinkage;
  }

  /** Why the last {@link #compile} call for a model shape returned null (for tests and diagnostics). */
  static final class Unsupported extends Exception {
    private static final long serialVersionUID = 1L;

    Unsupported(String why) {
      super(why, null, false, false);
    }
  }

  /**
   * Compiles a Smile tree ensemble over p inputs, or returns null when its shape is not supported
   * (see the class comment); {@link #whyNot} says why.
   */
  public static CompiledForest compile(Object model, int p) {
    try {
      return compileOrThrow(model, p);
    } catch (Unsupported e) {
      return null;
    }
  }

  /** Why model cannot be compiled, or null when it can. */
  public static String whyNot(Object model, int p) {
    try {
      compileOrThrow(model, p);
      return null;
    } catch (Unsupported e) {
      return e.getMessage();
    }
  }

  static CompiledForest compileOrThrow(Object model, int p) throws Unsupported {
    Flat flat = new Flat(p);
    if (model instanceof smile.classification.RandomForest rf) {
      checkFormula(rf.formula(), p);
      smile.classification.RandomForest.Model[] models = rf.models();
      int k = classes(rf);
      flat.k = k;
      int[] roots = new int[models.length];
      double[] w = new double[models.length];
      for (int t = 0; t < models.length; t++) {
        checkTree(models[t].tree);
        roots[t] = flat.add(models[t].tree.root());
        w[t] = models[t].weight;
      }
      return new CompiledForest(Kind.RF_CLASS, k, flat, roots, 0, w, 0, 0);
    }
    if (model instanceof smile.regression.RandomForest rf) {
      checkFormula(rf.formula(), p);
      smile.regression.RandomForest.Model[] models = rf.models();
      int[] roots = new int[models.length];
      for (int t = 0; t < models.length; t++) {
        checkTree(models[t].tree);
        roots[t] = flat.add(models[t].tree.root());
      }
      return new CompiledForest(Kind.RF_REG, 1, flat, roots, 0, null, 0, 0);
    }
    if (model instanceof smile.regression.GradientTreeBoost gbt) {
      checkFormula(gbt.formula(), p);
      smile.regression.RegressionTree[] trees = (smile.regression.RegressionTree[]) read(gbt, "trees");
      int[] roots = regressionRoots(flat, trees);
      return new CompiledForest(Kind.GBT_REG, 1, flat, roots, 0, null, (double) read(gbt, "b"),
          (double) read(gbt, "shrinkage"));
    }
    if (model instanceof smile.classification.GradientTreeBoost gbt) {
      checkFormula(gbt.formula(), p);
      int k = (int) read(gbt, "k");
      double shrinkage = (double) read(gbt, "shrinkage");
      if (k == 2) {
        smile.regression.RegressionTree[] trees = (smile.regression.RegressionTree[]) read(gbt, "trees");
        return new CompiledForest(Kind.GBT_BINARY, 2, flat, regressionRoots(flat, trees), 0, null,
            (double) read(gbt, "b"), shrinkage);
      }
      smile.regression.RegressionTree[][] forest = (smile.regression.RegressionTree[][]) read(gbt, "forest");
      if (forest == null || forest.length != k) {
        throw Errors.boostingWithoutTreesPerClass();
      }
      int per = forest[0].length;
      int[] roots = new int[k * per];
      for (int c = 0; c < k; c++) {
        if (forest[c].length != per) {
          throw Errors.unevenTreesPerClass();
        }
        int[] r = regressionRoots(flat, forest[c]);
        System.arraycopy(r, 0, roots, c * per, per);
      }
      return new CompiledForest(Kind.GBT_MULTI, k, flat, roots, per, null, 0, shrinkage);
    }
    throw Errors.notATreeEnsemble(model);
  }

  private static int classes(smile.classification.RandomForest rf) throws Unsupported {
    return (int) read(rf, "k");
  }

  private static int[] regressionRoots(Flat flat, smile.regression.RegressionTree[] trees) throws Unsupported {
    if (trees == null) {
      throw Errors.noTrees();
    }
    int[] roots = new int[trees.length];
    for (int t = 0; t < trees.length; t++) {
      checkTree(trees[t]);
      roots[t] = flat.add(trees[t].root());
    }
    return roots;
  }

  private static final String LHS = Formula.lhs("y").toString();

  /**
   * The ensemble must read its inputs as x0..x(p-1) in this order (how SmileModel trains it), so a
   * split on feature j reads row[j]. Smile expands {@code y ~ .} when it binds, so either form is fine.
   */
  private static void checkFormula(Formula f, int p) throws Unsupported {
    StringBuilder expanded = new StringBuilder("y ~ ");
    for (int j = 0; j < p; j++) {
      expanded.append(j == 0 ? "" : " + ").append('x').append(j);
    }
    String s = f == null ? null : f.toString();
    if (!LHS.equals(s) && !expanded.toString().equals(s)) {
      throw Errors.unexpectedFormula(s, LHS, p - 1);
    }
  }

  private static void checkTree(CART tree) throws Unsupported {
    if (read(tree, CART.class, "formula") != null) {
      throw Errors.treeWithOwnFormula();
    }
  }

  private static Object read(Object o, String field) throws Unsupported {
    return read(o, o.getClass(), field);
  }

  private static Object read(Object o, Class<?> c, String field) throws Unsupported {
    try {
      Field f = c.getDeclaredField(field);
      f.setAccessible(true);
      return f.get(o);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw Errors.unreadableField(c.getName(), field, e);
    }
  }

  private static final Field ORDINAL_VALUE;

  static {
    Field f;
    try {
      f = OrdinalNode.class.getDeclaredField("value");
      f.setAccessible(true);
    } catch (ReflectiveOperationException | RuntimeException e) {
      f = null;
    }
    ORDINAL_VALUE = f;
  }

  /** Growable node arrays, filled in pre-order. */
  private static final class Flat {
    final int p;
    int k;
    final DoubleList threshold = new DoubleList();
    final IntList feature = new IntList();
    final IntList falseChild = new IntList();
    final DoubleList posteriors = new DoubleList();
    int leaves;

    Flat(int p) {
      this.p = p;
    }

    /** Adds a tree (iteratively, deep trees do not overflow the stack); returns its root index. */
    int add(Node root) throws Unsupported {
      int start = feature.size;
      List<Node> stack = new ArrayList<>();
      List<Integer> parents = new ArrayList<>(); // node index whose falseChild is this stack entry, or -1
      stack.add(root);
      parents.add(-1);
      while (!stack.isEmpty()) {
        Node n = stack.remove(stack.size() - 1);
        int parent = parents.remove(parents.size() - 1);
        int at = feature.size;
        if (parent >= 0) {
          falseChild.set(parent, at);
        }
        if (n instanceof OrdinalNode o) {
          int f = o.feature();
          if (f < 0 || f >= p) {
            throw Errors.splitOutOfRange(f, p);
          }
          if (ORDINAL_VALUE == null) {
            throw Errors.unreadableOrdinalValue();
          }
          double v;
          try {
            v = ORDINAL_VALUE.getDouble(o);
          } catch (IllegalAccessException e) {
            throw Errors.unreadableOrdinalValue(e);
          }
          feature.add(f);
          threshold.add(v);
          falseChild.add(-1);
          // pre-order: true child next; false child after the whole true subtree
          stack.add(o.falseChild());
          parents.add(at);
          stack.add(o.trueChild());
          parents.add(-1);
        } else if (n instanceof InternalNode i) {
          throw Errors.nonOrdinalSplit(i.getClass().getSimpleName());
        } else if (n instanceof RegressionNode r) {
          feature.add(-1);
          threshold.add(r.output());
          falseChild.add(-1);
        } else if (n instanceof DecisionNode d) {
          double[] post = d.posteriori(new double[k]);
          feature.add(-1);
          threshold.add(0);
          falseChild.add(leaves++);
          for (double x : post) {
            posteriors.add(x);
          }
        } else {
          throw Errors.unknownNode(n);
        }
      }
      return start;
    }
  }

  private static final class IntList {
    int[] a = new int[256];
    int size;

    void add(int v) {
      if (size == a.length) {
        a = java.util.Arrays.copyOf(a, size * 2);
      }
      a[size++] = v;
    }

    void set(int i, int v) {
      a[i] = v;
    }

    int[] toArray() {
      return java.util.Arrays.copyOf(a, size);
    }
  }

  private static final class DoubleList {
    double[] a = new double[256];
    int size;

    void add(double v) {
      if (size == a.length) {
        a = java.util.Arrays.copyOf(a, size * 2);
      }
      a[size++] = v;
    }

    double[] toArray() {
      return java.util.Arrays.copyOf(a, size);
    }
  }

  /** Number of classes (classification) or 1. */
  public int classes() {
    return k;
  }

  /** True for classifiers. */
  public boolean isClassifier() {
    return kind == Kind.RF_CLASS || kind == Kind.GBT_BINARY || kind == Kind.GBT_MULTI;
  }

  /** The leaf a row reaches from the node at root. */
  private int leaf(int root, double[] x) {
    long[] nodes = this.nodes;
    int n = root;
    long a;
    while ((a = nodes[2 * n]) >= 0) {
      n = x[(int) (a >>> 32)] <= Double.longBitsToDouble(nodes[2 * n + 1]) ? n + 1 : (int) a;
    }
    return n;
  }

  /** A leaf's value (regression trees). */
  private double leafValue(int leaf) {
    return Double.longBitsToDouble(nodes[2 * leaf + 1]);
  }

  /** A leaf's posterior offset in {@code posteriors} (classification forests). */
  private int posteriorAt(int leaf) {
    return (int) nodes[2 * leaf] * k;
  }

  /** The leaves rows[s, e) reach in the tree at root, into leaf[0, e - s). */
  private void leaves(int root, double[][] x, int s, int e, int[] leaf) {
    for (int i = s; i < e; i++) {
      leaf[i - s] = leaf(root, x[i]);
    }
  }

  /**
   * Class probabilities of rows[from, to) into out[from, to) (each out row of length k), exactly as
   * Smile's {@code predict(Tuple, double[])} fills its posterior vector.
   */
  public void probabilities(double[][] x, double[][] out, int from, int to) {
    int[] leaf = new int[BLOCK];
    double[] y = new double[BLOCK];
    for (int s = from; s < to; s += BLOCK) {
      int e = Math.min(to, s + BLOCK);
      switch (kind) {
        case RF_CLASS -> rfClass(x, out, s, e, leaf);
        case GBT_BINARY -> gbtBinary(x, out, s, e, leaf, y);
        case GBT_MULTI -> gbtMulti(x, out, s, e, leaf);
        default -> throw Errors.regressorHasNoClassProbabilities();
      }
    }
  }

  /** Predicted values of rows[from, to) into out[from, to), exactly as Smile's {@code predict(Tuple)}. */
  public void values(double[][] x, double[] out, int from, int to) {
    int[] leaf = new int[BLOCK];
    for (int s = from; s < to; s += BLOCK) {
      int e = Math.min(to, s + BLOCK);
      switch (kind) {
        case RF_REG -> rfReg(x, out, s, e, leaf);
        case GBT_REG -> gbtReg(x, out, s, e, leaf);
        default -> throw Errors.classifierHasNoPredictedValues();
      }
    }
  }

  /** Class probabilities of one row into out (length k), allocating nothing (the same sums as Smile's). */
  public void probabilities(double[] x, double[] out) {
    int[] roots = this.roots;
    switch (kind) {
      case RF_CLASS -> {
        java.util.Arrays.fill(out, 0, k, 0.0);
        for (int t = 0; t < roots.length; t++) {
          addPosterior(out, t, leaf(roots[t], x));
        }
        normalize(out);
      }
      case GBT_BINARY -> {
        logistic(boostedSum(x, b, 0, roots.length), out);
      }
      case GBT_MULTI -> {
        for (int c = 0; c < k; c++) {
          out[c] = boostedSum(x, 0, c * perClass, (c + 1) * perClass);
        }
        softmax(out);
      }
      default -> throw Errors.regressorHasNoClassProbabilities();
    }
  }

  private void addPosterior(double[] out, int tree, int leaf) {
    int off = posteriorAt(leaf);
    double w = weights[tree];
    for (int j = 0; j < k; j++) {
      out[j] += w * posteriors[off + j];
    }
  }

  /** start + shrinkage * leaf value of trees [from, to), added in tree order. */
  private double boostedSum(double[] x, double start, int from, int to) {
    double y = start;
    for (int t = from; t < to; t++) {
      y += shrinkage * leafValue(leaf(roots[t], x));
    }
    return y;
  }

  /** The predicted value of one row, allocating nothing. */
  public double value(double[] x) {
    return switch (kind) {
      case RF_REG -> {
        double sum = 0;
        for (int root : roots) {
          sum += leafValue(leaf(root, x));
        }
        yield sum / roots.length;
      }
      case GBT_REG -> boostedSum(x, b, 0, roots.length);
      default -> throw Errors.classifierHasNoPredictedValue();
    };
  }

  /**
   * The class index Smile's {@code predict(Tuple, double[])} returns for these probabilities (before its
   * IntSet maps it back to a label): the first maximum, as {@code Predictor} also picks it. For binary
   * boosting Smile tests the raw score &gt; 0 instead; the two agree except for a score within about
   * 1e-16 of 0, where p0 and p1 both round to 0.5 and this returns class 0.
   */
  public int label(double[] probabilities) {
    int best = 0;
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < probabilities.length; j++) {
      if (probabilities[j] > max) {
        max = probabilities[j];
        best = j;
      }
    }
    return best;
  }

  private void rfClass(double[][] x, double[][] out, int s, int e, int[] leaf) {
    int k = this.k;
    for (int i = s; i < e; i++) {
      java.util.Arrays.fill(out[i], 0.0);
    }
    for (int t = 0; t < roots.length; t++) {
      leaves(roots[t], x, s, e, leaf);
      double w = weights[t];
      for (int i = s; i < e; i++) {
        int off = posteriorAt(leaf[i - s]);
        double[] o = out[i];
        for (int j = 0; j < k; j++) {
          o[j] += w * posteriors[off + j];
        }
      }
    }
    for (int i = s; i < e; i++) {
      normalize(out[i]);
    }
  }

  /** Divides by the sum of absolute values, as Smile's RandomForest.predict does. */
  private void normalize(double[] o) {
    double norm = 0;
    for (int j = 0; j < k; j++) {
      norm += Math.abs(o[j]);
    }
    for (int j = 0; j < k; j++) {
      o[j] /= norm;
    }
  }

  private void rfReg(double[][] x, double[] out, int s, int e, int[] leaf) {
    for (int i = s; i < e; i++) {
      out[i] = 0;
    }
    for (int root : roots) {
      leaves(root, x, s, e, leaf);
      for (int i = s; i < e; i++) {
        out[i] += leafValue(leaf[i - s]);
      }
    }
    double n = roots.length;
    for (int i = s; i < e; i++) {
      out[i] /= n;
    }
  }

  private void gbtReg(double[][] x, double[] out, int s, int e, int[] leaf) {
    for (int i = s; i < e; i++) {
      out[i] = b;
    }
    for (int root : roots) {
      leaves(root, x, s, e, leaf);
      for (int i = s; i < e; i++) {
        out[i] += shrinkage * leafValue(leaf[i - s]);
      }
    }
  }

  private void gbtBinary(double[][] x, double[][] out, int s, int e, int[] leaf, double[] y) {
    java.util.Arrays.fill(y, 0, e - s, b);
    for (int root : roots) {
      leaves(root, x, s, e, leaf);
      for (int i = s; i < e; i++) {
        y[i - s] += shrinkage * leafValue(leaf[i - s]);
      }
    }
    for (int i = s; i < e; i++) {
      logistic(y[i - s], out[i]);
    }
  }

  /** Binary boosting's probabilities from the raw score, as Smile's GradientTreeBoost.predict. */
  private static void logistic(double y, double[] o) {
    o[0] = 1.0 / (1.0 + Math.exp(2 * y));
    o[1] = 1.0 - o[0];
  }

  private void gbtMulti(double[][] x, double[][] out, int s, int e, int[] leaf) {
    int k = this.k;
    for (int c = 0; c < k; c++) {
      for (int i = s; i < e; i++) {
        out[i][c] = 0;
      }
      for (int t = 0; t < perClass; t++) {
        leaves(roots[c * perClass + t], x, s, e, leaf);
        for (int i = s; i < e; i++) {
          out[i][c] += shrinkage * leafValue(leaf[i - s]);
        }
      }
    }
    for (int i = s; i < e; i++) {
      softmax(out[i]);
    }
  }

  /** Softmax with the maximum subtracted first, as Smile's multi-class GradientTreeBoost.predict. */
  private void softmax(double[] o) {
    int k = this.k;
    double max = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < k; c++) {
      if (o[c] > max) {
        max = o[c];
      }
    }
    double sum = 0;
    for (int c = 0; c < k; c++) {
      o[c] = Math.exp(o[c] - max);
      sum += o[c];
    }
    for (int c = 0; c < k; c++) {
      o[c] /= sum;
    }
  }
}
