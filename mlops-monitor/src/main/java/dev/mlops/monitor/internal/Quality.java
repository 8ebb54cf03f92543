package dev.mlops.monitor.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Model quality of one group of inference-log rows with a label. Mergeable by construction
 * (confusion counts, sums, and the (score, label) pairs ROC AUC needs).
 *
 * <p>Classification (labels compared as text): accuracy; precision, recall, F1 per class (0 when
 * undefined, as scikit-learn's default zero_division) averaged over the union of true and predicted
 * classes, macro (plain mean) and weighted (by true count); ROC AUC one-vs-rest (Mann-Whitney with
 * ties), the positive class's AUC for two classes and the macro mean over classes for more; log loss
 * −mean ln p(true class), p clipped to [1e-15, 1 − 1e-15]. Regression: MSE, RMSE, MAE, MAPE (|y − ŷ| /
 * max(|y|, 2.2e-16), as scikit-learn), R² (NaN below 2 rows, 0 when all labels are equal and the
 * predictions are not, 1 when they all match).
 */
public final class Quality {
  final boolean classification;
  long n;
  // classification
  final Map<String, Map<String, Long>> confusion = new TreeMap<>(); // label -> prediction -> count
  final Map<String, List<double[]>> scores = new LinkedHashMap<>(); // class -> (score, isPositive)
  double logLossSum;
  long logLossN;
  boolean logLossUndefined;
  // regression
  double se;
  double ae;
  double ape;
  double sumY;
  double sumY2;

  public Quality(boolean classification) {
    this.classification = classification;
  }

  public long labeled() {
    return n;
  }

  /** One classification row; probs maps class → probability (may be empty). */
  public void addClass(String label, String prediction, Map<String, Double> probs) {
    n++;
    confusion.computeIfAbsent(label, k -> new TreeMap<>()).merge(prediction, 1L, Long::sum);
    if (!probs.isEmpty()) {
      for (Map.Entry<String, Double> e : probs.entrySet()) {
        if (e.getValue() != null && !e.getValue().isNaN()) {
          scores.computeIfAbsent(e.getKey(), k -> new ArrayList<>())
              .add(new double[] {e.getValue(), e.getKey().equals(label) ? 1 : 0});
        }
      }
      Double p = probs.get(label);
      if (p == null || p.isNaN()) {
        logLossUndefined = true;
      } else {
        logLossSum += -Math.log(Math.min(1 - 1e-15, Math.max(1e-15, p)));
        logLossN++;
      }
    }
  }

  /** One regression row. */
  public void addNumber(double label, double prediction) {
    n++;
    double d = label - prediction;
    se += d * d;
    ae += Math.abs(d);
    ape += Math.abs(d) / Math.max(Math.abs(label), 2.220446049250313e-16);
    sumY += label;
    sumY2 += label * label;
  }

  public void merge(Quality o) {
    n += o.n;
    o.confusion.forEach((l, m) -> m.forEach((p, c) ->
        confusion.computeIfAbsent(l, k -> new TreeMap<>()).merge(p, c, Long::sum)));
    o.scores.forEach((c, list) -> scores.computeIfAbsent(c, k -> new ArrayList<>()).addAll(list));
    logLossSum += o.logLossSum;
    logLossN += o.logLossN;
    logLossUndefined |= o.logLossUndefined;
    se += o.se;
    ae += o.ae;
    ape += o.ape;
    sumY += o.sumY;
    sumY2 += o.sumY2;
  }

  /** The metrics by result column name (NaN = NULL; empty when no row had a label). */
  public Map<String, Object> metrics() {
    Map<String, Object> m = new LinkedHashMap<>();
    if (n == 0) {
      return m;
    }
    if (!classification) {
      double mse = se / n;
      m.put("mean_squared_error", mse);
      m.put("root_mean_squared_error", Math.sqrt(mse));
      m.put("mean_absolute_error", ae / n);
      m.put("mean_absolute_percentage_error", ape / n);
      double ssTot = sumY2 - sumY * sumY / n;
      double r2;
      if (n < 2) {
        r2 = Double.NaN;
      } else if (ssTot <= 1e-12 * Math.max(1, sumY2)) {
        r2 = se == 0 ? 1.0 : 0.0;
      } else {
        r2 = 1 - se / ssTot;
      }
      m.put("r2_score", r2);
      return m;
    }
    TreeSet<String> classes = new TreeSet<>(confusion.keySet());
    confusion.values().forEach(x -> classes.addAll(x.keySet()));
    long correct = 0;
    Map<String, Long> support = new TreeMap<>();
    Map<String, Long> predicted = new TreeMap<>();
    Map<String, Long> tp = new TreeMap<>();
    for (Map.Entry<String, Map<String, Long>> e : confusion.entrySet()) {
      for (Map.Entry<String, Long> p : e.getValue().entrySet()) {
        support.merge(e.getKey(), p.getValue(), Long::sum);
        predicted.merge(p.getKey(), p.getValue(), Long::sum);
        if (p.getKey().equals(e.getKey())) {
          correct += p.getValue();
          tp.merge(e.getKey(), p.getValue(), Long::sum);
        }
      }
    }
    m.put("accuracy_score", (double) correct / n);
    double[] pr = new double[2];
    double[] rc = new double[2];
    double[] f1 = new double[2];
    for (String c : classes) {
      double t = tp.getOrDefault(c, 0L);
      double pc = predicted.getOrDefault(c, 0L);
      double sc = support.getOrDefault(c, 0L);
      double prec = pc == 0 ? 0 : t / pc;
      double rec = sc == 0 ? 0 : t / sc;
      double f = prec + rec == 0 ? 0 : 2 * prec * rec / (prec + rec);
      pr[0] += prec / classes.size();
      rc[0] += rec / classes.size();
      f1[0] += f / classes.size();
      pr[1] += prec * sc / n;
      rc[1] += rec * sc / n;
      f1[1] += f * sc / n;
    }
    m.put("precision", pr);
    m.put("recall", rc);
    m.put("f1_score", f1);
    List<Object[]> cm = new ArrayList<>();
    confusion.forEach((l, x) -> x.forEach((p, c) -> cm.add(new Object[] {p, l, c})));
    m.put("confusion_matrix", cm);
    if (!scores.isEmpty()) {
      List<Double> aucs = new ArrayList<>();
      List<String> keys = new ArrayList<>(scores.keySet());
      if (keys.size() == 2) {
        aucs.add(auc(scores.get(keys.get(1))));
      } else {
        for (String k : keys) {
          aucs.add(auc(scores.get(k)));
        }
      }
      double s = 0;
      for (double a : aucs) {
        s += a;
      }
      m.put("roc_auc", s / aucs.size());
      m.put("log_loss", logLossUndefined || logLossN == 0 ? Double.NaN : logLossSum / logLossN);
    }
    return m;
  }

  /** Mann-Whitney AUC with average ranks for ties; NaN without both classes. */
  static double auc(List<double[]> pairs) {
    double[][] a = pairs.toArray(new double[0][]);
    java.util.Arrays.sort(a, (x, y) -> Double.compare(x[0], y[0]));
    long pos = 0;
    long neg = 0;
    double rankSumPos = 0;
    int i = 0;
    while (i < a.length) {
      int j = i;
      while (j + 1 < a.length && a[j + 1][0] == a[i][0]) {
        j++;
      }
      double avgRank = (i + j) / 2.0 + 1;
      for (int k = i; k <= j; k++) {
        if (a[k][1] == 1) {
          pos++;
          rankSumPos += avgRank;
        } else {
          neg++;
        }
      }
      i = j + 1;
    }
    if (pos == 0 || neg == 0) {
      return Double.NaN;
    }
    return (rankSumPos - pos * (pos + 1) / 2.0) / ((double) pos * neg);
  }
}
