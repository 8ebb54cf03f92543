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
 * <p><b>Thresholds as ranks.</b> Each input's split thresholds, over all trees, are kept sorted and
 * distinct ({@code ==}, so -0.0 and 0.0 are one). A row is first turned into ranks: for input j,
 * {@code r[j]} = how many of its thresholds are {@code < x[j]} (NaN: {@code Integer.MAX_VALUE}). Then
 * {@code x[j] <= t} is exactly {@code r[j] <= rank(t)}: an integer comparison, so a node needs no
 * double, and the step to the next node is arithmetic, without a data-dependent branch:
 * {@code n += 1 + (delta & -((rank - r[j]) >>> 31))}.
 *
 * <p><b>Layout.</b> All trees' nodes in one pre-order {@code long[]}, one long (8 bytes) per node, so a
 * node's true child is the next one and only the false child's distance is stored: bit 63 leaf,
 * bits 51..62 the input j (at most 4,094 inputs), bits 32..50 the threshold's rank (at most 524,287
 * distinct thresholds per input), bits 0..31 {@code delta = falseChild - n - 1}. A leaf has bit 63
 * set, input = p (the rank vector's last slot, always {@code Integer.MAX_VALUE}, so the step takes
 * {@code delta}) and {@code delta = -1}; the step stays on a leaf, which lets several trees be walked
 * in lockstep until all reached their leaves. Its bits 32..50 hold the leaf's number in its tree;
 * {@code leafBase[tree] + number} indexes the leaf values (regression trees) or, times k, the
 * posteriors (classification forests).
 *
 * <p>A binary random forest's leaves carry their class counts instead (bits 32..50: count of class 0
 * plus 1, bits 0..31: n + 2, see {@link #inlineLeaf}), when all fit and give Smile's posteriors bit for
 * bit: one row's posteriors are then computed from the leaf nodes the walk just loaded, without a
 * second random load per tree from the posterior table. A leaf's step is masked to 0 by its sign bit,
 * so a walk stays on it whatever its low bits hold.
 *
 * <p>One row ({@link #probabilities(double[], double[])}, {@link #value}) walks four trees at a time:
 * their steps are independent, so the processor overlaps their loads (with no branch per step there is
 * nothing to mispredict, so a row with deep paths is not slowed by one mispredicted branch per node);
 * the leaves are then summed in tree order.
 *
 * <p>Batches walk each tree for a block of rows (the tree stays in cache) over a second, wide copy of
 * the nodes: 16 bytes a node, {@code feature << 32 | falseChild} and the threshold's raw bits, compared
 * as doubles with a branch. With the tree in cache the predicted branch runs ahead of the loads, and
 * this measured faster for blocks than the rank walk (which pays the ranks of every row, then the
 * lockstep's slowest path); the copy costs 16 more bytes a node.
 *
 * <p>{@link #compile} returns null (the caller keeps using Smile) for shapes it does not handle:
 * nominal splits ({@code NominalNode}, which Smile only builds for nominal columns; the pipeline gives
 * Smile numeric columns only), trees that carry a formula of their own, an ensemble whose formula is
 * not {@code Formula.lhs("y")}, a split feature outside the inputs, a NaN threshold, more inputs,
 * thresholds or leaves than the packing holds, or Smile internals that reflection cannot read (another
 * Smile version).
 */
public final class CompiledForest {
  /** Rows per block: each tree is walked for a block of rows before the next tree (cache locality). */
  private static final int BLOCK = 64;
  private static final int MAX_INPUTS = 4094; // input p (the sentinel slot) must fit 12 bits
  private static final int RANK_BITS = 19;
  private static final int RANK_MASK = (1 << RANK_BITS) - 1;
  private static final long LEAF = Long.MIN_VALUE;
  /**
   * One row walks the rank layout (default), or, with {@code -Dmlops.models.rankWalk=false}, the wide
   * layout tree after tree as batches do: kept so the two can be compared on a quiet machine (under
   * load the rank walk's per-row medians had the shorter tail, 15 vs 20 us at p99 of rows).
   */
  private static final boolean RANK_WALK = !"false".equals(System.getProperty("mlops.models.rankWalk"));

  enum Kind { RF_CLASS, RF_REG, GBT_BINARY, GBT_MULTI, GBT_REG }

  private final Kind kind;
  private final int k; // classes (classification), 1 otherwise
  private final int p; // inputs
  /** One long per node, see the class comment. */
  private final long[] nodes;
  /**
   * The same trees for block walks, 16 bytes a node: {@code feature << 32 | falseChild} (absolute)
   * and the threshold's raw bits; a leaf {@code -1L << 32 | its global number}.
   */
  private final long[] wide;
  private final int[] roots; // per tree (for GBT_MULTI: class-major, trees[c * perClass + t])
  private final int[] leafBase; // per tree, its first leaf's number in posteriors / leafValues
  private final double[][] thresholds; // per input, distinct split thresholds, ascending
  private final int perClass; // GBT_MULTI: trees per class
  private final double[] posteriors; // RF_CLASS leaves, k per leaf
  /**
   * RF_CLASS with two classes: every leaf node carries its class counts (see {@link #inlineLeaf}), so one
   * row's posteriors are computed from the leaves it reached, without a load from {@code posteriors}.
   */
  private final boolean countsInLeaves;
  private final double[] leafValues; // regression trees' leaves
  private final double[] weights; // RF_CLASS tree weights
  private final double b; // GBT intercept
  private final double shrinkage;

  private CompiledForest(Kind kind, int k, Flat flat, int[] roots, int perClass, double[] weights, double b,
      double shrinkage) throws Unsupported {
    this(kind, k, flat, roots, perClass, weights, b, shrinkage, true);
  }

  private CompiledForest(Kind kind, int k, Flat flat, int[] roots, int perClass, double[] weights, double b,
      double shrinkage, boolean countsWhereExact) throws Unsupported {
    this.kind = kind;
    this.k = k;
    this.p = flat.p;
    if (p > MAX_INPUTS) {
      throw Errors.layoutLimit("inputs", p, MAX_INPUTS);
    }
    int[] feature = flat.feature.toArray();
    double[] threshold = flat.threshold.toArray();
    int[] falseChild = flat.falseChild.toArray();
    int[] leafNo = flat.leafNo.toArray();
    // distinct thresholds per input
    double[][] th = new double[p][];
    int[] count = new int[p];
    for (int n = 0; n < feature.length; n++) {
      if (feature[n] >= 0) {
        if (Double.isNaN(threshold[n])) {
          throw Errors.nanThreshold(feature[n]);
        }
        count[feature[n]]++;
      }
    }
    for (int j = 0; j < p; j++) {
      th[j] = new double[count[j]];
      count[j] = 0;
    }
    for (int n = 0; n < feature.length; n++) {
      if (feature[n] >= 0) {
        th[feature[n]][count[feature[n]]++] = threshold[n];
      }
    }
    for (int j = 0; j < p; j++) {
      double[] t = th[j];
      java.util.Arrays.sort(t); // -0.0 before 0.0: both kept together, deduplicated by == below
      int m = 0;
      for (int i = 0; i < t.length; i++) {
        if (m == 0 || t[i] != t[m - 1]) {
          t[m++] = t[i];
        }
      }
      if (m > RANK_MASK + 1) {
        throw Errors.layoutLimit("distinct thresholds of input x" + j + ":", m, RANK_MASK + 1);
      }
      th[j] = java.util.Arrays.copyOf(t, m);
    }
    this.thresholds = th;
    this.nodes = new long[feature.length];
    int[] base = flat.leafBase.toArray();
    this.countsInLeaves = countsWhereExact && RANK_WALK && kind == Kind.RF_CLASS && k == 2
        && countsGiveThePosteriors(flat.zeroPlusOne.toArray(), flat.total.toArray(), flat.posteriors.toArray());
    int[] zeroPlusOne = flat.zeroPlusOne.toArray();
    int[] total = flat.total.toArray();
    int tree = -1;
    for (int n = 0; n < feature.length; n++) {
      while (tree + 1 < roots.length && roots[tree + 1] <= n) {
        tree++;
      }
      if (feature[n] < 0) {
        if (leafNo[n] > RANK_MASK) {
          throw Errors.layoutLimit("leaves of one tree:", leafNo[n] + 1L, RANK_MASK + 1L);
        }
        int leaf = base[tree] + leafNo[n];
        nodes[n] = countsInLeaves ? inlineLeaf(zeroPlusOne[leaf], total[leaf])
            : LEAF | ((long) p << 51) | ((long) leafNo[n] << 32) | 0xFFFF_FFFFL;
      } else {
        int rank = rankOf(th[feature[n]], threshold[n]);
        nodes[n] = ((long) feature[n] << 51) | ((long) rank << 32) | ((falseChild[n] - n - 1) & 0xFFFF_FFFFL);
      }
    }
    this.wide = new long[2 * feature.length];
    tree = -1;
    for (int n = 0; n < feature.length; n++) {
      while (tree + 1 < roots.length && roots[tree + 1] <= n) {
        tree++;
      }
      if (feature[n] < 0) {
        wide[2 * n] = (-1L << 32) | (base[tree] + leafNo[n]);
      } else {
        wide[2 * n] = ((long) feature[n] << 32) | (falseChild[n] & 0xFFFF_FFFFL);
        wide[2 * n + 1] = Double.doubleToRawLongBits(threshold[n]);
      }
    }
    this.posteriors = flat.posteriors.toArray();
    this.leafValues = flat.leafValues.toArray();
    this.leafBase = flat.leafBase.toArray();
    this.roots = roots;
    this.perClass = perClass;
    this.weights = weights;
    this.b = b;
    this.shrinkage = shrinkage;
  }

  /** The index of the threshold == t in the distinct sorted t[]. */
  private static int rankOf(double[] t, double v) {
    int lo = 0;
    int hi = t.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (t[mid] < v) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo; // t[lo] == v: v is one of the thresholds
  }

  /**
   * A binary classification leaf carrying its counts: bit 63, the sentinel input p in bits 51..62,
   * count of class 0 + 1 in bits 32..50, n + 2 in bits 0..31. Smile's posteriors of the leaf are
   * {@code (count[j] + 1) / (n + 2)}: exactly {@code zeroPlusOne / total} and
   * {@code (total - zeroPlusOne) / total} in doubles (integers below 2^31 are exact).
   */
  private long inlineLeaf(int zeroPlusOne, int total) {
    return LEAF | ((long) p << 51) | ((long) zeroPlusOne << 32) | (total & 0xFFFF_FFFFL);
  }

  /**
   * True when every leaf's counts fit {@link #inlineLeaf} and give Smile's own posteriors bit for bit
   * (checked, not assumed: a Smile whose posteriori differs keeps the table).
   */
  static boolean countsGiveThePosteriors(int[] zeroPlusOne, int[] total, double[] posteriors) {
    for (int leaf = 0; leaf < zeroPlusOne.length; leaf++) {
      int z = zeroPlusOne[leaf];
      int d = total[leaf];
      if (z < 1 || z > RANK_MASK || d <= z) {
        return false;
      }
      if (Double.doubleToRawLongBits((double) z / d) != Double.doubleToRawLongBits(posteriors[2 * leaf])
          || Double.doubleToRawLongBits((double) (d - z) / d) != Double.doubleToRawLongBits(posteriors[2 * leaf + 1])) {
        return false;
      }
    }
    return true;
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
    return compileOrThrow(model, p, true);
  }

  /**
   * As {@link #compileOrThrow(Object, int)}; with {@code countsInLeaves} false a binary random forest
   * keeps its posteriors in the table as other forests do (for tests and A/B timing).
   */
  static CompiledForest compileOrThrow(Object model, int p, boolean countsInLeaves) throws Unsupported {
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
      return new CompiledForest(Kind.RF_CLASS, k, flat, roots, 0, w, 0, 0, countsInLeaves);
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
    final IntList leafNo = new IntList(); // a leaf's number in its tree, -1 for a split
    final DoubleList posteriors = new DoubleList(); // classification leaves, k each
    final DoubleList leafValues = new DoubleList(); // regression leaves
    final IntList leafBase = new IntList(); // per tree added, its first leaf's number
    /** Binary classification leaves, by global leaf number: count of class 0 + 1, and n + 2 (Smile's posteriori). */
    final IntList zeroPlusOne = new IntList();
    final IntList total = new IntList();
    int leaves;

    Flat(int p) {
      this.p = p;
    }

    /** Adds a tree (iteratively, deep trees do not overflow the stack); returns its root index. */
    int add(Node root) throws Unsupported {
      int start = feature.size;
      int base = leaves;
      leafBase.add(base);
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
          leafNo.add(-1);
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
          leafNo.add(leaves++ - base);
          leafValues.add(r.output());
        } else if (n instanceof DecisionNode d) {
          double[] post = d.posteriori(new double[k]);
          int[] count = d.count();
          long sum = 0;
          for (int c : count) {
            sum += c;
          }
          boolean counted = k == 2 && count.length == 2 && sum + 2 <= Integer.MAX_VALUE;
          zeroPlusOne.add(counted ? count[0] + 1 : -1);
          total.add(counted ? (int) (sum + 2) : -1);
          feature.add(-1);
          threshold.add(0);
          falseChild.add(-1);
          leafNo.add(leaves++ - base);
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

  /** The layout's size, for diagnostics: trees, nodes, bytes. */
  public String describe() {
    long th = 0;
    for (double[] t : thresholds) {
      th += t.length;
    }
    return roots.length + " trees, " + nodes.length + " nodes (" + 8L * nodes.length + " bytes), " + th
        + " distinct thresholds";
  }

  /** Input j's distinct split thresholds, ascending (for tests). */
  double[] thresholds(int j) {
    return thresholds[j].clone();
  }

  /** True when one row's posteriors come from the counts in the leaf nodes (for tests). */
  boolean countsInLeaves() {
    return countsInLeaves;
  }

  /** Number of classes (classification) or 1. */
  public int classes() {
    return k;
  }

  /** True for classifiers. */
  public boolean isClassifier() {
    return kind == Kind.RF_CLASS || kind == Kind.GBT_BINARY || kind == Kind.GBT_MULTI;
  }

  /** x's ranks into r[off, off + p], see the class comment; r[off + p] is the leaves' sentinel. */
  private void ranks(double[] x, int[] r, int off) {
    double[][] th = thresholds;
    for (int j = 0; j < p; j++) {
      r[off + j] = rank(th[j], x[j]);
    }
    r[off + p] = Integer.MAX_VALUE;
  }

  /** How many of t[] are {@code < v}; for NaN, MAX_VALUE (above every rank: NaN takes every false child). */
  private static int rank(double[] t, double v) {
    if (v != v) {
      return Integer.MAX_VALUE;
    }
    int n = t.length;
    if (n == 0) {
      return 0;
    }
    // a fixed number of halvings whatever the data, the choice a select rather than a branch
    int lo = 0;
    while (n > 1) {
      int half = n >>> 1;
      lo = t[lo + half - 1] < v ? lo + half : lo;
      n -= half;
    }
    return t[lo] < v ? lo + 1 : lo;
  }

  /**
   * One step from a node: to the true child (the next node) when the input's rank is at most the
   * threshold's, else by delta to the false child; a leaf stays where it is (the step is masked to 0
   * by its sign bit, so its low bits are free for a payload; its input slot is the sentinel p). No
   * branch.
   */
  private static int step(long a, int[] r, int off) {
    int goFalse = ((((int) (a >>> 32)) & RANK_MASK) - r[off + ((int) (a >>> 51) & 0xFFF)]) >>> 31;
    return (1 + ((int) a & -goFalse)) & ~(int) (a >> 63);
  }

  /** The leaf number (within its tree) of a leaf node. */
  private static int leafNo(long a) {
    return (int) (a >>> 32) & RANK_MASK;
  }

  /** The leaf node the row whose ranks are at r[off..] reaches from the node at n. */
  private static int walk(long[] nodes, int n, int[] r, int off) {
    long a;
    while ((a = nodes[n]) >= 0) {
      n += step(a, r, off);
    }
    return n;
  }

  /**
   * Four walks in lockstep (four trees of one row, or one tree for four rows): from nodes n0..n3 with
   * ranks at r[o0..], ..., the leaf nodes they reach into out[at, at + 4).
   */
  private static void walk4(long[] nodes, int n0, int n1, int n2, int n3, int[] r, int o0, int o1, int o2, int o3,
      int[] out, int at) {
    long a0 = nodes[n0];
    long a1 = nodes[n1];
    long a2 = nodes[n2];
    long a3 = nodes[n3];
    while ((a0 & a1 & a2 & a3) >= 0) {
      n0 += step(a0, r, o0);
      n1 += step(a1, r, o1);
      n2 += step(a2, r, o2);
      n3 += step(a3, r, o3);
      a0 = nodes[n0];
      a1 = nodes[n1];
      a2 = nodes[n2];
      a3 = nodes[n3];
    }
    out[at] = n0;
    out[at + 1] = n1;
    out[at + 2] = n2;
    out[at + 3] = n3;
  }

  /**
   * One row's leaves: buf[0, p] its ranks, then buf[p + 1 + t] the global leaf number tree t reaches
   * (leafBase[t] + its number in the tree; with {@link #countsInLeaves}, the leaf's node instead),
   * trees walked four at a time.
   */
  private int[] rowLeaves(double[] x) {
    int[] roots = this.roots;
    int trees = roots.length;
    int[] buf = scratch(p + 1 + trees);
    if (!RANK_WALK) {
      for (int t = 0; t < trees; t++) {
        buf[p + 1 + t] = wideLeaf(roots[t], x);
      }
      return buf;
    }
    ranks(x, buf, 0);
    long[] nodes = this.nodes;
    int at = p + 1;
    int t = 0;
    for (; t + 4 <= trees; t += 4) {
      walk4(nodes, roots[t], roots[t + 1], roots[t + 2], roots[t + 3], buf, 0, 0, 0, 0, buf, at + t);
    }
    for (; t < trees; t++) {
      buf[at + t] = walk(nodes, roots[t], buf, 0);
    }
    if (!countsInLeaves) {
      for (t = 0; t < trees; t++) {
        buf[at + t] = leafBase[t] + leafNo(nodes[buf[at + t]]);
      }
    }
    return buf;
  }

  /**
   * One row's ranks and leaves go to a per-thread buffer, so scoring one row allocates nothing here
   * (the buffer is used and read within one call, and grows to the largest forest the thread scored).
   */
  private static final ThreadLocal<int[][]> SCRATCH = ThreadLocal.withInitial(() -> new int[1][64]);

  private static int[] scratch(int size) {
    int[][] holder = SCRATCH.get();
    if (holder[0].length < size) {
      holder[0] = new int[size];
    }
    return holder[0];
  }

  /** The global leaf number row x reaches from the node at n, over the wide layout. */
  private int wideLeaf(int n, double[] x) {
    long[] wide = this.wide;
    long a;
    while ((a = wide[2 * n]) >= 0) {
      n = x[(int) (a >>> 32)] <= Double.longBitsToDouble(wide[2 * n + 1]) ? n + 1 : (int) a;
    }
    return (int) a;
  }

  /**
   * The global leaf numbers rows[s, e) reach in tree t, into leaf[0, e - s): one row after the other
   * over the wide layout, with a branch per node (the tree of a block sits in cache, and the predicted
   * branch runs ahead of the loads; measured faster here than the rank walk).
   */
  private void leaves(int t, double[][] x, int s, int e, int[] leaf) {
    long[] wide = this.wide;
    int root = roots[t];
    for (int i = s; i < e; i++) {
      double[] row = x[i];
      int n = root;
      long a;
      while ((a = wide[2 * n]) >= 0) {
        n = row[(int) (a >>> 32)] <= Double.longBitsToDouble(wide[2 * n + 1]) ? n + 1 : (int) a;
      }
      leaf[i - s] = (int) a;
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

  /**
   * Class probabilities of one row into out (length k), the same sums as Smile's; allocates nothing.
   */
  public void probabilities(double[] x, double[] out) {
    int[] leaves = rowLeaves(x);
    int at = p + 1;
    switch (kind) {
      case RF_CLASS -> {
        if (countsInLeaves) {
          countedPosteriors(leaves, at, out);
        } else {
          java.util.Arrays.fill(out, 0, k, 0.0);
          for (int t = 0; t < roots.length; t++) {
            addPosterior(out, t, leaves[at + t]);
          }
        }
        normalize(out);
      }
      case GBT_BINARY -> {
        logistic(boostedSum(leaves, at, b, 0, roots.length), out);
      }
      case GBT_MULTI -> {
        for (int c = 0; c < k; c++) {
          out[c] = boostedSum(leaves, at, 0, c * perClass, (c + 1) * perClass);
        }
        softmax(out);
      }
      default -> throw Errors.regressorHasNoClassProbabilities();
    }
  }

  /**
   * Binary forest, counts in the leaves: out[0], out[1] = the weighted sums of each tree's posteriors,
   * computed from the leaf nodes (already in cache) as Smile computes them, in tree order.
   */
  private void countedPosteriors(int[] leaves, int at, double[] out) {
    long[] nodes = this.nodes;
    double[] weights = this.weights;
    double o0 = 0.0;
    double o1 = 0.0;
    for (int t = 0; t < weights.length; t++) {
      long a = nodes[leaves[at + t]];
      int z = (int) (a >>> 32) & RANK_MASK;
      int d = (int) a;
      double total = d;
      double w = weights[t];
      o0 += w * (z / total);
      o1 += w * ((d - z) / total);
    }
    out[0] = o0;
    out[1] = o1;
  }

  private void addPosterior(double[] out, int tree, int leaf) {
    int off = leaf * k;
    double w = weights[tree];
    for (int j = 0; j < k; j++) {
      out[j] += w * posteriors[off + j];
    }
  }

  /** start + shrinkage * leaf value of trees [from, to), added in tree order. */
  private double boostedSum(int[] leaves, int at, double start, int from, int to) {
    double y = start;
    for (int t = from; t < to; t++) {
      y += shrinkage * leafValues[leaves[at + t]];
    }
    return y;
  }

  /** The predicted value of one row; allocates nothing. */
  public double value(double[] x) {
    int[] leaves = rowLeaves(x);
    int at = p + 1;
    return switch (kind) {
      case RF_REG -> {
        double sum = 0;
        for (int t = 0; t < roots.length; t++) {
          sum += leafValues[leaves[at + t]];
        }
        yield sum / roots.length;
      }
      case GBT_REG -> boostedSum(leaves, at, b, 0, roots.length);
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
      leaves(t, x, s, e, leaf);
      double w = weights[t];
      for (int i = s; i < e; i++) {
        int off = leaf[i - s] * k;
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
    for (int t = 0; t < roots.length; t++) {
      leaves(t, x, s, e, leaf);
      for (int i = s; i < e; i++) {
        out[i] += leafValues[leaf[i - s]];
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
    for (int t = 0; t < roots.length; t++) {
      leaves(t, x, s, e, leaf);
      for (int i = s; i < e; i++) {
        out[i] += shrinkage * leafValues[leaf[i - s]];
      }
    }
  }

  private void gbtBinary(double[][] x, double[][] out, int s, int e, int[] leaf, double[] y) {
    java.util.Arrays.fill(y, 0, e - s, b);
    for (int t = 0; t < roots.length; t++) {
      leaves(t, x, s, e, leaf);
      for (int i = s; i < e; i++) {
        y[i - s] += shrinkage * leafValues[leaf[i - s]];
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
        leaves(c * perClass + t, x, s, e, leaf);
        for (int i = s; i < e; i++) {
          out[i][c] += shrinkage * leafValues[leaf[i - s]];
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
