package dev.mlops.monitor.internal.report;

import dev.mlops.monitor.DriftImpact;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Everything a report shows, already reduced to what is drawn. */
public record ReportData(String table, String generatedAt, Map<String, String> summary, Map<String, String> settings,
    List<ColumnData> columns, List<Series> quality, List<DriftImpact> impact) {

  /** A point of a time series. */
  public record Point(Instant at, double value) {}

  /** A named series (quality metric). */
  public record Series(String name, List<Point> points) {}

  /** A histogram bar: label, baseline share, current share (NaN = none). */
  public record Bar(String label, double baseline, double current) {}

  /**
   * One column.
   *
   * @param name the column
   * @param type its data type
   * @param drifted drifted in the latest window
   * @param statistic the deciding statistic's name
   * @param threshold its threshold
   * @param pValue true when drift means below the threshold
   * @param bars baseline vs current histogram
   * @param drift the statistic over windows
   */
  public record ColumnData(String name, String type, boolean drifted, String statistic, double threshold,
      boolean pValue, List<Bar> bars, List<Point> drift) {}
}
