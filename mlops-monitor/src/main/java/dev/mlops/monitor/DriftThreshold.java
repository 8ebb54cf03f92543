package dev.mlops.monitor;

import dev.mlops.monitor.internal.Errors;
import java.util.Objects;

/**
 * When a column counts as drifted: one statistic and its threshold. P-value tests flag drift when
 * p &lt; value; distances when the distance &gt;= value.
 *
 * <p>The default, used for every column without its own threshold: while the reference has at most
 * {@value #P_VALUE_MAX_REFERENCE_ROWS} rows, KS p &lt; 0.05 (numeric) or χ² p &lt; 0.05
 * (categorical); above, normalized Wasserstein &gt;= 0.1 (numeric) or JS distance &gt;= 0.1
 * (categorical), because at large n p-value tests flag even negligible differences.
 *
 * <pre>{@code
 * DriftThreshold t = DriftThreshold.of(DriftThreshold.Metric.PSI, 0.25);
 * }</pre>
 *
 * @param metric the statistic
 * @param value the threshold
 */
public record DriftThreshold(Metric metric, double value) {

  /** Reference sizes up to this use p-value tests by default. */
  public static final long P_VALUE_MAX_REFERENCE_ROWS = 1000;

  /** The statistics a threshold can use. */
  public enum Metric {
    /** KS p-value (numeric); drift when p &lt; value. */
    KS_PVALUE(true, true),
    /** χ² p-value (categorical); drift when p &lt; value. */
    CHI_SQUARED_PVALUE(true, false),
    /** W1 / max(std_ref, 1e-3) (numeric). */
    WASSERSTEIN_NORMALIZED(false, true),
    /** PSI (numeric). */
    PSI(false, true),
    /** Jensen-Shannon distance (categorical). */
    JS_DISTANCE(false, false),
    /** Total variation distance (categorical). */
    TV_DISTANCE(false, false),
    /** L∞ distance (categorical). */
    L_INFINITY_DISTANCE(false, false);

    private final boolean pvalue;
    private final boolean numeric;

    Metric(boolean pvalue, boolean numeric) {
      this.pvalue = pvalue;
      this.numeric = numeric;
    }

    /** True for p-value tests (drift below the threshold). */
    public boolean isPValue() {
      return pvalue;
    }

    /** True when the statistic applies to numeric columns, false for categorical ones. */
    public boolean forNumeric() {
      return numeric;
    }
  }

  /** Checks the value. */
  public DriftThreshold {
    Objects.requireNonNull(metric, "metric");
    if (!(value >= 0) || Double.isInfinite(value) || (metric.isPValue() && value > 1)) {
      throw Errors.driftThresholdOutOfRange(value, metric, metric.isPValue());
    }
  }

  /** A threshold. */
  public static DriftThreshold of(Metric metric, double value) {
    return new DriftThreshold(metric, value);
  }

  /** The default for a column kind and reference size (see the class documentation). */
  public static DriftThreshold defaultFor(boolean numeric, long referenceRows) {
    if (referenceRows <= P_VALUE_MAX_REFERENCE_ROWS) {
      return numeric ? of(Metric.KS_PVALUE, 0.05) : of(Metric.CHI_SQUARED_PVALUE, 0.05);
    }
    return numeric ? of(Metric.WASSERSTEIN_NORMALIZED, 0.1) : of(Metric.JS_DISTANCE, 0.1);
  }

  /** True when the statistic's value means drift (NaN never does). */
  public boolean drifted(double statistic) {
    if (Double.isNaN(statistic)) {
      return false;
    }
    return metric.isPValue() ? statistic < value : statistic >= value;
  }
}
