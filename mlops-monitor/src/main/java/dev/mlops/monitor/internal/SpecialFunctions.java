package dev.mlops.monitor.internal;

/** The few special functions the drift tests need, in double precision. */
public final class SpecialFunctions {
  private SpecialFunctions() {}

  private static final double[] LANCZOS = {
    0.99999999999999709182, 57.156235665862923517, -59.597960355475491248, 14.136097974741747174,
    -0.49191381609762019978, .33994649984811888699e-4, .46523628927048575665e-4, -.98374475304879564677e-4,
    .15808870322491248884e-3, -.21026444172410488319e-3, .21743961811521264320e-3, -.16431810653676389022e-3,
    .84418223983852743293e-4, -.26190838401581408670e-4, .36899182659531622704e-5};

  /** ln Γ(x) for x &gt; 0 (Lanczos, g = 607/128; relative error about 1e-15). */
  public static double logGamma(double x) {
    if (x < 0.5) {
      return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
    }
    double g = 607.0 / 128.0;
    double sum = LANCZOS[0];
    for (int i = LANCZOS.length - 1; i > 0; i--) {
      sum += LANCZOS[i] / (x - 1 + i);
    }
    double t = x - 1 + g + 0.5;
    return 0.5 * Math.log(2 * Math.PI) + (x - 0.5) * Math.log(t) - t + Math.log(sum);
  }

  /** Regularized upper incomplete gamma Q(a, x) = Γ(a, x) / Γ(a). */
  public static double gammaQ(double a, double x) {
    if (Double.isNaN(a) || Double.isNaN(x) || a <= 0 || x < 0) {
      return Double.NaN;
    }
    if (x == 0) {
      return 1.0;
    }
    if (Double.isInfinite(x)) {
      return 0.0;
    }
    if (x < a + 1) {
      return 1.0 - series(a, x);
    }
    return continuedFraction(a, x);
  }

  /** P(a, x) by its series (converges fast for x &lt; a + 1). */
  private static double series(double a, double x) {
    double ap = a;
    double sum = 1.0 / a;
    double del = sum;
    for (int n = 0; n < 100_000; n++) {
      ap += 1;
      del *= x / ap;
      sum += del;
      if (Math.abs(del) < Math.abs(sum) * 1e-16) {
        break;
      }
    }
    return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
  }

  /** Q(a, x) by Lentz's continued fraction (x &gt;= a + 1). */
  private static double continuedFraction(double a, double x) {
    double tiny = 1e-300;
    double b = x + 1 - a;
    double c = 1 / tiny;
    double d = 1 / b;
    double h = d;
    for (int i = 1; i < 100_000; i++) {
      double an = -i * (i - a);
      b += 2;
      d = an * d + b;
      if (Math.abs(d) < tiny) {
        d = tiny;
      }
      c = b + an / c;
      if (Math.abs(c) < tiny) {
        c = tiny;
      }
      d = 1 / d;
      double del = d * c;
      h *= del;
      if (Math.abs(del - 1) < 1e-16) {
        break;
      }
    }
    return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
  }

  /** P(χ²_dof &gt; x). */
  public static double chiSquaredSurvival(double x, int dof) {
    return gammaQ(dof / 2.0, x / 2.0);
  }

  /**
   * Kolmogorov's limit law: P(K &gt; x) = 2 Σ_{k&gt;=1} (-1)^(k-1) exp(-2k²x²) (scipy's
   * {@code kstwobign.sf}); for small x the equivalent theta-function form of the CDF is used.
   */
  public static double kolmogorovSurvival(double x) {
    if (Double.isNaN(x)) {
      return Double.NaN;
    }
    if (x <= 0) {
      return 1.0;
    }
    if (x < 1.0) {
      // CDF = sqrt(2π)/x Σ_{k>=1} exp(-(2k-1)²π²/(8x²))
      double s = 0;
      double f = -Math.PI * Math.PI / (8 * x * x);
      for (int k = 1; k < 100; k++) {
        double t = Math.exp(f * (2 * k - 1) * (2 * k - 1));
        s += t;
        if (t < 1e-17 * s) {
          break;
        }
      }
      return 1.0 - Math.sqrt(2 * Math.PI) / x * s;
    }
    double s = 0;
    for (int k = 1; k < 100; k++) {
      double t = Math.exp(-2.0 * k * k * x * x);
      s += (k % 2 == 1 ? t : -t);
      if (t < 1e-17 * Math.abs(s)) {
        break;
      }
    }
    return Math.min(1.0, Math.max(0.0, 2 * s));
  }
}
