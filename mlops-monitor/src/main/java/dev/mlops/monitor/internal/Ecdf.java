package dev.mlops.monitor.internal;

import java.util.Arrays;

/**
 * A numeric distribution as a right-continuous step function: sorted distinct values and the
 * cumulative count at each (values &lt;= x). Built exactly from raw values, or from a KLL sketch's
 * sorted view (then the counts are the sketch's weights and every statistic is approximate).
 */
public final class Ecdf {
  final double[] values;
  final long[] cum;
  final boolean exact;

  Ecdf(double[] values, long[] cum, boolean exact) {
    this.values = values;
    this.cum = cum;
    this.exact = exact;
  }

  /** An exact distribution of the values, NaN dropped (the array is not changed). */
  public static Ecdf of(double[] raw) {
    double[] v = new double[raw.length];
    int n = 0;
    for (double x : raw) {
      if (!Double.isNaN(x)) {
        v[n++] = x;
      }
    }
    v = Arrays.copyOf(v, n);
    Arrays.sort(v);
    return ofSorted(v, n);
  }

  /** An exact distribution of the first n values of a sorted array without NaN. */
  public static Ecdf ofSorted(double[] sorted, int n) {
    double[] vals = new double[n];
    long[] cum = new long[n];
    int k = 0;
    for (int i = 0; i < n; i++) {
      double x = sorted[i] == 0.0 ? 0.0 : sorted[i]; // -0.0 and 0.0 are one value
      if (k > 0 && vals[k - 1] == x) {
        cum[k - 1] = i + 1;
      } else {
        vals[k] = x;
        cum[k] = i + 1;
        k++;
      }
    }
    return new Ecdf(Arrays.copyOf(vals, k), Arrays.copyOf(cum, k), true);
  }

  /** From (possibly repeated) sorted values and their cumulative weights, e.g. a sketch's sorted view. */
  public static Ecdf ofWeighted(double[] sortedValues, long[] cumulativeWeights, boolean exact) {
    int n = sortedValues.length;
    double[] vals = new double[n];
    long[] cum = new long[n];
    int k = 0;
    for (int i = 0; i < n; i++) {
      double x = sortedValues[i];
      if (k > 0 && vals[k - 1] == x) {
        cum[k - 1] = cumulativeWeights[i];
      } else {
        vals[k] = x;
        cum[k] = cumulativeWeights[i];
        k++;
      }
    }
    return new Ecdf(Arrays.copyOf(vals, k), Arrays.copyOf(cum, k), exact);
  }

  /** Total count (0 when empty). */
  public long count() {
    return cum.length == 0 ? 0 : cum[cum.length - 1];
  }

  /** True when built from every value (not from a sketch). */
  public boolean exact() {
    return exact;
  }

  /** Distinct values held. */
  public int size() {
    return values.length;
  }

  /** Share of values &lt;= x. */
  public double cdf(double x) {
    long total = count();
    if (total == 0) {
      return Double.NaN;
    }
    int i = upperIndex(x);
    return i < 0 ? 0.0 : (double) cum[i] / total;
  }

  /** Index of the last value &lt;= x, or -1. */
  int upperIndex(double x) {
    int lo = 0;
    int hi = values.length - 1;
    int ans = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (values[mid] <= x) {
        ans = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return ans;
  }

  /** The value at 0-based rank r (0 &lt;= r &lt; count) of the sorted sample. */
  double valueAtRank(long r) {
    int lo = 0;
    int hi = values.length - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (cum[mid] > r) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return values[lo];
  }

  /**
   * Quantile with linear interpolation between order statistics (numpy's default, Hyndman-Fan type
   * 7): h = (n-1)p, x[floor h] + (h - floor h)(x[floor h + 1] - x[floor h]).
   */
  public double quantile(double p) {
    long n = count();
    if (n == 0) {
      return Double.NaN;
    }
    double h = (n - 1) * p;
    long lo = (long) Math.floor(h);
    double a = valueAtRank(lo);
    if (lo + 1 >= n) {
      return a;
    }
    double b = valueAtRank(lo + 1);
    return a + (h - lo) * (b - a);
  }

  /** The smallest value whose cumulative share is at least p (a sketch's "inclusive" quantile). */
  public double quantileInclusive(double p) {
    long n = count();
    if (n == 0) {
      return Double.NaN;
    }
    double target = p * n;
    for (int i = 0; i < values.length; i++) {
      if (cum[i] >= target && cum[i] > 0) {
        return values[i];
      }
    }
    return values[values.length - 1];
  }

  /** Mean of the values. */
  public double mean() {
    long n = count();
    if (n == 0) {
      return Double.NaN;
    }
    double s = 0;
    long prev = 0;
    for (int i = 0; i < values.length; i++) {
      s += values[i] * (cum[i] - prev);
      prev = cum[i];
    }
    return s / n;
  }

  /** Population standard deviation (divides by n). */
  public double populationStd() {
    long n = count();
    if (n == 0) {
      return Double.NaN;
    }
    double m = mean();
    double s = 0;
    long prev = 0;
    for (int i = 0; i < values.length; i++) {
      double d = values[i] - m;
      s += d * d * (cum[i] - prev);
      prev = cum[i];
    }
    return Math.sqrt(s / n);
  }
}
