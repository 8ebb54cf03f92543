package dev.mlops.monitor;

import dev.mlops.monitor.internal.Ecdf;
import dev.mlops.monitor.internal.Stats;
import java.util.Objects;

/**
 * The drift statistics the monitor writes, on plain arrays, with exact definitions (checked against
 * scipy in the tests; the script and its outputs are in the test resources under {@code golden/}).
 *
 * <ul>
 *   <li><b>KS</b> ({@link #ks}): two-sample Kolmogorov-Smirnov D = sup |F_ref - F_cur| (ties handled:
 *       both ECDFs step past all equal values before comparing), two-sided p-value. <b>Exact</b>
 *       (lattice-path count, as scipy's {@code method='exact'}) while n·m &lt;= {@value
 *       #KS_EXACT_MAX_PRODUCT}; above, Kolmogorov's asymptotic law P(K &gt; √(nm/(n+m))·D) (scipy's
 *       {@code kstwobign.sf}). scipy's own {@code method='asymp'} uses the finite-n distribution
 *       {@code kstwo(round(nm/(n+m)))} instead, which differs by a few 1e-3 at n = 1000.
 *   <li><b>χ²</b> ({@link #chiSquared}): Pearson's test of homogeneity on the 2×k table of reference
 *       and current counts (categories = the union, a category with 0 on both sides dropped, dof =
 *       k-1, no Yates correction; unequal totals are normal). scipy:
 *       {@code chi2_contingency(correction=False)}.
 *   <li><b>JS</b> ({@link #jsDistance}): Jensen-Shannon distance, the square root of the divergence,
 *       log base 2, in [0, 1]. scipy: {@code jensenshannon(p, q, base=2)}.
 *   <li><b>Wasserstein</b> ({@link #wasserstein}): W1 = ∫|F_ref - F_cur| dx (scipy
 *       {@code wasserstein_distance}); drift is judged on {@link #wassersteinNormalized} = W1 /
 *       max(std_ref, 1e-3) with the population std (ddof 0), as Evidently does.
 *   <li><b>PSI</b> ({@link #psi}): Σ (a - e)·ln(a/e) over bins (-∞,q1], (q1,q2], …, (q_last,∞) cut at
 *       the reference's quantiles i/B (linear interpolation, numpy's default), duplicates removed, a
 *       share of 0 replaced by ε = {@value #PSI_EPSILON} (no renormalisation). B = 10 by default.
 *   <li><b>TV</b> = ½ Σ |p - q| and <b>L∞</b> = max |p - q| over category shares (a category unseen on
 *       one side has share 0 there).
 * </ul>
 * NaN values of numeric inputs are dropped; a side with no values makes every statistic NaN.
 *
 * <pre>{@code
 * TestResult ks = DriftStatistics.ks(new double[] {1, 2, 3}, new double[] {2, 3, 4, 5});
 * double psi = DriftStatistics.psi(reference, current, 10);
 * double js = DriftStatistics.jsDistance(new long[] {50, 30, 20}, new long[] {30, 30, 40});
 * }</pre>
 */
public final class DriftStatistics {
  private DriftStatistics() {}

  /** KS p-values are exact while n·m is at most this, asymptotic above. */
  public static final long KS_EXACT_MAX_PRODUCT = Stats.KS_EXACT_MAX_PRODUCT;

  /** Smoothing for empty PSI bins. */
  public static final double PSI_EPSILON = Stats.PSI_EPSILON;

  /** Default number of PSI bins. */
  public static final int DEFAULT_PSI_BINS = 10;

  /** Two-sample KS test; see the class documentation for the p-value. */
  public static TestResult ks(double[] reference, double[] current) {
    Stats.Ks r = Stats.ks(Ecdf.of(req(reference, "reference")), Ecdf.of(req(current, "current")));
    return new TestResult(r.statistic(), r.pvalue());
  }

  /** W1 distance between the two samples. */
  public static double wasserstein(double[] reference, double[] current) {
    return Stats.wasserstein(Ecdf.of(req(reference, "reference")), Ecdf.of(req(current, "current")));
  }

  /** W1 / max(population std of the reference, 1e-3). */
  public static double wassersteinNormalized(double[] reference, double[] current) {
    Ecdf ref = Ecdf.of(req(reference, "reference"));
    return Stats.wassersteinNormalized(Stats.wasserstein(ref, Ecdf.of(req(current, "current"))), ref);
  }

  /** PSI with the given number of bins (at least 2). */
  public static double psi(double[] reference, double[] current, int bins) {
    return Stats.psi(Ecdf.of(req(reference, "reference")), Ecdf.of(req(current, "current")), bins);
  }

  /** Pearson χ² homogeneity test on counts aligned by category. */
  public static TestResult chiSquared(long[] reference, long[] current) {
    Stats.Chi2 r = Stats.chiSquared(req(reference, "reference"), req(current, "current"));
    return new TestResult(r.statistic(), r.pvalue());
  }

  /** Jensen-Shannon distance (base 2) of counts aligned by category. */
  public static double jsDistance(long[] reference, long[] current) {
    return Stats.jsDistance(req(reference, "reference"), req(current, "current"));
  }

  /** Total variation distance of counts aligned by category. */
  public static double tvDistance(long[] reference, long[] current) {
    return Stats.tvDistance(req(reference, "reference"), req(current, "current"));
  }

  /** L∞ distance of counts aligned by category. */
  public static double lInfinityDistance(long[] reference, long[] current) {
    return Stats.lInfinity(req(reference, "reference"), req(current, "current"));
  }

  private static <T> T req(T v, String what) {
    return Objects.requireNonNull(v, what);
  }
}
