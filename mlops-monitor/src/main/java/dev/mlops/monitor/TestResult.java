package dev.mlops.monitor;

import dev.mlops.monitor.internal.Errors;

/**
 * A statistic and its p-value, as the result tables store {@code ks_test} and
 * {@code chi_squared_test} (struct&lt;statistic,pvalue&gt;). Both are NaN when the test is undefined
 * (one side has no values); the result tables write NaN as NULL.
 *
 * <pre>{@code
 * TestResult ks = DriftStatistics.ks(reference, current);
 * if (ks.pvalue() < 0.05) { ... }
 * }</pre>
 *
 * @param statistic the test statistic (KS D, Pearson's χ²)
 * @param pvalue the probability of a statistic at least this large under "same distribution"
 */
public record TestResult(double statistic, double pvalue) {
  /** Checks the p-value is a probability (or NaN). */
  public TestResult {
    if (!Double.isNaN(pvalue) && (pvalue < 0 || pvalue > 1)) {
      throw Errors.pValueLieGot(pvalue);
    }
  }

  /** True when both values are defined. */
  public boolean isDefined() {
    return !Double.isNaN(statistic) && !Double.isNaN(pvalue);
  }
}
