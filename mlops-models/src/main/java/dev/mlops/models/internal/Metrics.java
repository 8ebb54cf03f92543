package dev.mlops.models.internal;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Classification and regression metrics computed directly from predictions. */
public final class Metrics {
  private Metrics() {}

  /** Accuracy, precision, recall, F1, AUC, log loss for classes 0..k-1. */
  public static Map<String, Double> classification(int[] actual, double[][] prob, int k, int[][] confusionOut) {
    int n = actual.length;
    int correct = 0;
    double logLoss = 0;
    for (int i = 0; i < n; i++) {
      int pred = argmax(prob[i]);
      confusionOut[actual[i]][pred]++;
      correct += pred == actual[i] ? 1 : 0;
      logLoss -= Math.log(Math.max(1e-15, Math.min(1 - 1e-15, prob[i][actual[i]])));
    }
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("accuracy", n == 0 ? Double.NaN : (double) correct / n);
    double p;
    double r;
    double auc;
    if (k == 2) {
      p = precision(confusionOut, 1);
      r = recall(confusionOut, 1);
      auc = auc(actual, prob, 1);
    } else {
      p = 0;
      r = 0;
      auc = 0;
      for (int c = 0; c < k; c++) {
        p += precision(confusionOut, c);
        r += recall(confusionOut, c);
        auc += auc(actual, prob, c);
      }
      p /= k;
      r /= k;
      auc /= k;
    }
    m.put("precision", p);
    m.put("recall", r);
    m.put("f1", p + r == 0 ? 0 : 2 * p * r / (p + r));
    m.put("auc", auc);
    m.put("log_loss", n == 0 ? Double.NaN : logLoss / n);
    return m;
  }

  /** RMSE, MAE, R². */
  public static Map<String, Double> regression(double[] actual, double[] predicted) {
    int n = actual.length;
    double se = 0;
    double ae = 0;
    double mean = Arrays.stream(actual).average().orElse(0);
    double ss = 0;
    for (int i = 0; i < n; i++) {
      double d = actual[i] - predicted[i];
      se += d * d;
      ae += Math.abs(d);
      ss += (actual[i] - mean) * (actual[i] - mean);
    }
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("rmse", Math.sqrt(se / Math.max(1, n)));
    m.put("mae", ae / Math.max(1, n));
    m.put("r2", ss == 0 ? Double.NaN : 1 - se / ss);
    return m;
  }

  static int argmax(double[] p) {
    int b = 0;
    for (int j = 1; j < p.length; j++) {
      if (p[j] > p[b]) {
        b = j;
      }
    }
    return b;
  }

  private static double precision(int[][] cm, int c) {
    int tp = cm[c][c];
    int predicted = 0;
    for (int[] row : cm) {
      predicted += row[c];
    }
    return predicted == 0 ? 0 : (double) tp / predicted;
  }

  private static double recall(int[][] cm, int c) {
    int actual = Arrays.stream(cm[c]).sum();
    return actual == 0 ? 0 : (double) cm[c][c] / actual;
  }

  /** Area under the ROC curve of class c against the rest (rank statistic, ties averaged). */
  static double auc(int[] actual, double[][] prob, int c) {
    int n = actual.length;
    Integer[] idx = new Integer[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    Arrays.sort(idx, (a, b) -> Double.compare(prob[a][c], prob[b][c]));
    double rankSum = 0;
    long pos = 0;
    int i = 0;
    while (i < n) {
      int j = i;
      while (j + 1 < n && prob[idx[j + 1]][c] == prob[idx[i]][c]) {
        j++;
      }
      double avgRank = (i + j) / 2.0 + 1;
      for (int t = i; t <= j; t++) {
        if (actual[idx[t]] == c) {
          rankSum += avgRank;
          pos++;
        }
      }
      i = j + 1;
    }
    long neg = n - pos;
    if (pos == 0 || neg == 0) {
      return Double.NaN;
    }
    return (rankSum - pos * (pos + 1) / 2.0) / ((double) pos * neg);
  }
}
