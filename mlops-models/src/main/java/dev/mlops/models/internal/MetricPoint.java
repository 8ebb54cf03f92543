package dev.mlops.models.internal;

/** One metric value as stored: value, step, timestamp (epoch millis). Short names keep files small. */
public record MetricPoint(double v, long s, long t) {

  /** True when this point replaces {@code previous} as the latest: higher step, or same step logged later. */
  public boolean supersedes(MetricPoint previous) {
    return previous == null || s >= previous.s;
  }

  /** The JSON line of this point. */
  public String toJsonLine() {
    return "{\"v\":" + v + ",\"s\":" + s + ",\"t\":" + t + "}";
  }
}
