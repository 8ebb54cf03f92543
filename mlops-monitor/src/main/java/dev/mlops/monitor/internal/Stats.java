package dev.mlops.monitor.internal;

import java.util.Arrays;

/**
 * The drift statistics on primitive inputs. Undefined results (an empty side) are NaN, which the
 * result tables write as NULL. The public definitions are in {@code dev.mlops.monitor.DriftStatistics}.
 */
public final class Stats {
  private Stats() {}

  /** Exact KS p-values while n·m is at most this; Kolmogorov's asymptotic law above. */
  public static final long KS_EXACT_MAX_PRODUCT = 1_000_000L;

  /** KS result: D and its p-value. */
  public record Ks(double statistic, double pvalue, boolean exactP) {}

  /** Two-sample Kolmogorov-Smirnov test (two-sided) on two distributions. */
  public static Ks ks(Ecdf a, Ecdf b) {
    long n = a.count();
    long m = b.count();
    if (n == 0 || m == 0) {
      return new Ks(Double.NaN, Double.NaN, false);
    }
    boolean integer = n < (1L << 31) && m < (1L << 31);
    long dnum = 0;
    double dd = 0;
    int i = 0;
    int j = 0;
    long ca = 0;
    long cb = 0;
    while (i < a.values.length || j < b.values.length) {
      double x = i < a.values.length ? (j < b.values.length ? Math.min(a.values[i], b.values[j]) : a.values[i])
          : b.values[j];
      if (i < a.values.length && a.values[i] == x) {
        ca = a.cum[i++];
      }
      if (j < b.values.length && b.values[j] == x) {
        cb = b.cum[j++];
      }
      if (integer) {
        dnum = Math.max(dnum, Math.abs(ca * m - cb * n));
      } else {
        dd = Math.max(dd, Math.abs((double) ca / n - (double) cb / m));
      }
    }
    double d = integer ? (double) dnum / ((double) n * m) : dd;
    boolean exact = integer && a.exact && b.exact && n * m <= KS_EXACT_MAX_PRODUCT;
    double p = exact ? ksExactP(dnum, (int) n, (int) m)
        : SpecialFunctions.kolmogorovSurvival(Math.sqrt((double) n * m / ((double) n + m)) * d);
    return new Ks(d, p, exact);
  }

  /**
   * P(D_{n,m} &gt;= dnum/(n·m)) under H0 (continuous distributions), by counting monotone lattice
   * paths from (0,0) to (n,m) that leave the band |i·m - j·n| &lt; dnum. Paths are weighted so every
   * number stays in [0,1], and the first exits are summed directly so tiny p-values keep their
   * relative precision. O(n·m) time, O(m) memory.
   */
  static double ksExactP(long dnum, int n, int m) {
    if (dnum <= 0) {
      return 1.0;
    }
    double[] logFact = new double[n + m + 1];
    for (int k = 2; k <= n + m; k++) {
      logFact[k] = logFact[k - 1] + Math.log(k);
    }
    double logTotal = logFact[n + m] - logFact[n] - logFact[m];
    // w[j] = (paths from origin to (i,j) staying inside) / C(i+j, i)
    double[] w = new double[m + 1];
    double p = 0;
    for (int i = 0; i <= n; i++) {
      for (int j = 0; j <= m; j++) {
        double reach;
        if (i == 0 && j == 0) {
          reach = 1.0;
        } else {
          double up = i > 0 ? w[j] * i : 0.0; // w[j] still holds row i-1
          double left = j > 0 ? w[j - 1] * j : 0.0;
          reach = (up + left) / (i + j);
        }
        boolean inside = Math.abs((long) i * m - (long) j * n) < dnum;
        if (inside) {
          w[j] = reach;
        } else {
          if (reach > 0) {
            double logPaths = logFact[i + j] - logFact[i] - logFact[j]
                + logFact[n + m - i - j] - logFact[n - i] - logFact[m - j] - logTotal;
            p += reach * Math.exp(logPaths);
          }
          w[j] = 0.0;
        }
      }
    }
    return Math.min(1.0, Math.max(0.0, p));
  }

  /** First Wasserstein distance between the two distributions: ∫ |F_a(x) - F_b(x)| dx. */
  public static double wasserstein(Ecdf a, Ecdf b) {
    long n = a.count();
    long m = b.count();
    if (n == 0 || m == 0) {
      return Double.NaN;
    }
    int i = 0;
    int j = 0;
    double fa = 0;
    double fb = 0;
    double prev = Double.NaN;
    double sum = 0;
    while (i < a.values.length || j < b.values.length) {
      double x = i < a.values.length ? (j < b.values.length ? Math.min(a.values[i], b.values[j]) : a.values[i])
          : b.values[j];
      if (!Double.isNaN(prev)) {
        sum += Math.abs(fa - fb) * (x - prev);
      }
      if (i < a.values.length && a.values[i] == x) {
        fa = (double) a.cum[i++] / n;
      }
      if (j < b.values.length && b.values[j] == x) {
        fb = (double) b.cum[j++] / m;
      }
      prev = x;
    }
    return sum;
  }

  /** W1 / max(population std of the reference, 1e-3). */
  public static double wassersteinNormalized(double w1, Ecdf reference) {
    if (Double.isNaN(w1)) {
      return Double.NaN;
    }
    return w1 / Math.max(reference.populationStd(), 1e-3);
  }

  /** Smoothing for empty PSI bins: a share of 0 becomes this. */
  public static final double PSI_EPSILON = 1e-4;

  /** PSI bin edges: the reference's quantiles at i/bins (type 7), deduplicated. */
  public static double[] psiEdges(Ecdf reference, int bins) {
    double[] e = new double[bins - 1];
    for (int i = 1; i < bins; i++) {
      e[i - 1] = reference.quantile((double) i / bins);
    }
    return Arrays.stream(e).distinct().sorted().toArray();
  }

  /** Shares of the bins (-inf,e1], (e1,e2], ..., (e_last, inf), zeros replaced by ε. */
  static double[] psiShares(Ecdf d, double[] edges) {
    double[] s = new double[edges.length + 1];
    double prev = 0;
    for (int k = 0; k < edges.length; k++) {
      double c = d.cdf(edges[k]);
      s[k] = c - prev;
      prev = c;
    }
    s[edges.length] = 1.0 - prev;
    for (int k = 0; k < s.length; k++) {
      if (s[k] <= 1e-15) {
        s[k] = PSI_EPSILON;
      }
    }
    return s;
  }

  /** Population stability index Σ (a - e)·ln(a/e) over bins at reference quantiles. */
  public static double psi(Ecdf reference, Ecdf current, int bins) {
    if (bins < 2) {
      throw Errors.psiNeedsLeastBins(bins);
    }
    if (reference.count() == 0 || current.count() == 0) {
      return Double.NaN;
    }
    double[] edges = psiEdges(reference, bins);
    double[] e = psiShares(reference, edges);
    double[] a = psiShares(current, edges);
    double s = 0;
    for (int k = 0; k < e.length; k++) {
      s += (a[k] - e[k]) * Math.log(a[k] / e[k]);
    }
    return s;
  }

  /** χ² result with its degrees of freedom. */
  public record Chi2(double statistic, double pvalue, int dof) {}

  /**
   * Pearson's χ² test of homogeneity on the 2×k table (reference counts, current counts), no Yates
   * correction; categories with 0 on both sides are dropped; dof = k - 1.
   */
  public static Chi2 chiSquared(long[] ref, long[] cur) {
    check(ref, cur);
    double na = 0;
    double nb = 0;
    int k = 0;
    for (int i = 0; i < ref.length; i++) {
      na += ref[i];
      nb += cur[i];
      if (ref[i] + cur[i] > 0) {
        k++;
      }
    }
    if (na == 0 || nb == 0) {
      return new Chi2(Double.NaN, Double.NaN, Math.max(k - 1, 0));
    }
    double total = na + nb;
    double stat = 0;
    for (int i = 0; i < ref.length; i++) {
      double col = ref[i] + cur[i];
      if (col == 0) {
        continue;
      }
      double ea = na * col / total;
      double eb = nb * col / total;
      stat += (ref[i] - ea) * (ref[i] - ea) / ea + (cur[i] - eb) * (cur[i] - eb) / eb;
    }
    int dof = k - 1;
    if (dof == 0) {
      return new Chi2(0.0, 1.0, 0);
    }
    return new Chi2(stat, SpecialFunctions.chiSquaredSurvival(stat, dof), dof);
  }

  /** Jensen-Shannon distance, log base 2, in [0, 1]. */
  public static double jsDistance(long[] ref, long[] cur) {
    double[][] s = shares(ref, cur);
    if (s == null) {
      return Double.NaN;
    }
    double div = 0;
    for (int i = 0; i < ref.length; i++) {
      double p = s[0][i];
      double q = s[1][i];
      double mid = (p + q) / 2;
      if (p > 0) {
        div += 0.5 * p * Math.log(p / mid);
      }
      if (q > 0) {
        div += 0.5 * q * Math.log(q / mid);
      }
    }
    return Math.sqrt(Math.max(0.0, div / Math.log(2)));
  }

  /** Total variation distance ½ Σ |p - q|. */
  public static double tvDistance(long[] ref, long[] cur) {
    double[][] s = shares(ref, cur);
    if (s == null) {
      return Double.NaN;
    }
    double t = 0;
    for (int i = 0; i < ref.length; i++) {
      t += Math.abs(s[0][i] - s[1][i]);
    }
    return t / 2;
  }

  /** L-infinity distance max |p - q|. */
  public static double lInfinity(long[] ref, long[] cur) {
    double[][] s = shares(ref, cur);
    if (s == null) {
      return Double.NaN;
    }
    double t = 0;
    for (int i = 0; i < ref.length; i++) {
      t = Math.max(t, Math.abs(s[0][i] - s[1][i]));
    }
    return t;
  }

  private static double[][] shares(long[] ref, long[] cur) {
    check(ref, cur);
    double na = 0;
    double nb = 0;
    for (int i = 0; i < ref.length; i++) {
      na += ref[i];
      nb += cur[i];
    }
    if (na == 0 || nb == 0) {
      return null;
    }
    double[][] s = new double[2][ref.length];
    for (int i = 0; i < ref.length; i++) {
      s[0][i] = ref[i] / na;
      s[1][i] = cur[i] / nb;
    }
    return s;
  }

  private static void check(long[] ref, long[] cur) {
    if (ref.length != cur.length) {
      throw Errors.referenceCurrentCountsAligned(ref.length, cur.length);
    }
    for (int i = 0; i < ref.length; i++) {
      if (ref[i] < 0 || cur[i] < 0) {
        throw Errors.categoryCountsNegativeCategory(i, ref[i], cur[i]);
      }
    }
  }
}
