package dev.mlops.models.internal;

import dev.mlops.core.Column;
import dev.mlops.core.DataType;
import dev.mlops.core.Frame;
import dev.mlops.models.Preprocessing;
import java.io.Serializable;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The fitted preprocessing: imputation, categorical encoding, date/time parts, standardization.
 * Fitted on training rows only; stored in the model (plain arrays, so the deserialization
 * allow-list stays small) and applied identically at prediction time.
 */
public final class Pipeline implements Serializable {
  private static final long serialVersionUID = 1L;

  static final int NUMERIC = 0;
  static final int TIME = 1;
  static final int CATEGORICAL = 2;
  static final String NULL_LEVEL = "\u0000null";

  private final String[] columns;
  private final int[] kinds;
  private final String[] types; // DataType names
  private final double[][] fills; // per column: fill per produced input (numeric: 1, time: parts)
  private final String[][] levels; // categorical levels (sorted), null for others
  private final int[] mostFrequent; // categorical: index of the most frequent level
  private final boolean oneHot;
  private final boolean unseenError;
  private final double[] mean; // standardization, null when off
  private final double[] std;
  private String[] outputs;
  private int[] keep; // produced inputs kept (constant ones dropped); null = all

  private Pipeline(String[] columns, int[] kinds, String[] types, double[][] fills, String[][] levels,
      int[] mostFrequent, boolean oneHot, boolean unseenError, double[] mean, double[] std, String[] outputs) {
    this.columns = columns;
    this.kinds = kinds;
    this.types = types;
    this.fills = fills;
    this.levels = levels;
    this.mostFrequent = mostFrequent;
    this.oneHot = oneHot;
    this.unseenError = unseenError;
    this.mean = mean;
    this.std = std;
    this.outputs = outputs;
  }

  /** Fits on the given rows and columns. */
  public static Pipeline fit(Frame rows, List<String> features, Preprocessing p) {
    int nc = features.size();
    String[] cols = features.toArray(new String[0]);
    int[] kinds = new int[nc];
    String[] types = new String[nc];
    double[][] fills = new double[nc][];
    String[][] levels = new String[nc][];
    int[] mostFrequent = new int[nc];
    List<String> outputs = new ArrayList<>();
    for (int c = 0; c < nc; c++) {
      Column col = rows.column(cols[c]);
      types[c] = col.type().name();
      switch (col.type()) {
        case LONG, INT, SHORT, BYTE, DOUBLE, FLOAT, DECIMAL, BOOLEAN -> {
          kinds[c] = NUMERIC;
          fills[c] = new double[] {fill(raw(col, -1), p)};
          outputs.add(cols[c]);
        }
        case TIMESTAMP, TIMESTAMP_NTZ, DATE -> {
          kinds[c] = TIME;
          int parts = col.type() == DataType.DATE ? 4 : 5;
          fills[c] = new double[parts];
          for (int k = 0; k < parts; k++) {
            fills[c][k] = fill(raw(col, k), p);
            outputs.add(cols[c] + "_" + PART_NAMES[k]);
          }
        }
        case STRING -> {
          kinds[c] = CATEGORICAL;
          Map<String, Integer> counts = new HashMap<>();
          for (int r = 0; r < col.size(); r++) {
            String v = col.isNull(r) ? NULL_LEVEL : col.getString(r);
            counts.merge(v, 1, Integer::sum);
          }
          String[] lv = new TreeSet<>(counts.keySet()).toArray(new String[0]);
          levels[c] = lv;
          int best = 0;
          for (int i = 1; i < lv.length; i++) {
            if (counts.get(lv[i]) > counts.get(lv[best])) {
              best = i;
            }
          }
          mostFrequent[c] = best;
          if (p.encoding() == Preprocessing.Encoding.ONE_HOT) {
            for (String l : lv) {
              outputs.add(cols[c] + "=" + (l.equals(NULL_LEVEL) ? "null" : l));
            }
          } else {
            outputs.add(cols[c]);
          }
        }
        default -> throw Errors.unusableFeatureType(cols[c], col.columnType().sql());
      }
    }
    Pipeline unscaled = new Pipeline(cols, kinds, types, fills, levels, mostFrequent,
        p.encoding() == Preprocessing.Encoding.ONE_HOT, p.unseen() == Preprocessing.UnseenLevels.ERROR, null, null,
        outputs.toArray(new String[0]));
    // Inputs constant over the training rows carry nothing and make linear solvers singular: drop them.
    double[][] raw = unscaled.transform(rows);
    List<Integer> kept = new ArrayList<>();
    List<String> keptNames = new ArrayList<>();
    for (int j = 0; j < outputs.size(); j++) {
      boolean constant = true;
      for (int r = 1; r < raw.length && constant; r++) {
        constant = raw[r][j] == raw[0][j];
      }
      if (!constant || raw.length < 2) {
        kept.add(j);
        keptNames.add(outputs.get(j));
      }
    }
    if (kept.isEmpty()) {
      throw Errors.allFeaturesConstant(features);
    }
    unscaled.keep = kept.stream().mapToInt(Integer::intValue).toArray();
    outputs = keptNames;
    unscaled.outputs = keptNames.toArray(new String[0]);
    if (!p.standardize()) {
      return unscaled;
    }
    double[][] x = unscaled.transform(rows);
    int np = outputs.size();
    double[] mean = new double[np];
    double[] std = new double[np];
    for (double[] row : x) {
      for (int j = 0; j < np; j++) {
        mean[j] += row[j];
      }
    }
    for (int j = 0; j < np; j++) {
      mean[j] /= Math.max(1, x.length);
    }
    for (double[] row : x) {
      for (int j = 0; j < np; j++) {
        double d = row[j] - mean[j];
        std[j] += d * d;
      }
    }
    for (int j = 0; j < np; j++) {
      std[j] = Math.sqrt(std[j] / Math.max(1, x.length - 1));
      if (!(std[j] > 1e-12)) {
        std[j] = 1;
      }
    }
    Pipeline scaled = new Pipeline(cols, kinds, types, fills, levels, mostFrequent, unscaled.oneHot, unscaled.unseenError,
        mean, std, unscaled.outputs);
    scaled.keep = unscaled.keep;
    return scaled;
  }

  static final String[] PART_NAMES = {"year", "month", "day", "dow", "hour"};

  /** Values of a numeric column (part = -1) or of a date/time part, NaN where null. */
  private static double[] raw(Column col, int part) {
    int n = col.size();
    double[] out = new double[n];
    for (int r = 0; r < n; r++) {
      out[r] = col.isNull(r) ? Double.NaN : value(col, r, part);
    }
    return out;
  }

  private static double value(Column col, int r, int part) {
    switch (col.type()) {
      case BOOLEAN:
        return col.getBoolean(r) ? 1 : 0;
      case TIMESTAMP:
      case TIMESTAMP_NTZ: {
        Object o = col.get(r);
        ZonedDateTime t = o instanceof Instant i ? i.atZone(ZoneOffset.UTC)
            : ((java.time.LocalDateTime) o).atZone(ZoneOffset.UTC); // a local date-time's own fields
        return switch (part) {
          case 0 -> t.getYear();
          case 1 -> t.getMonthValue();
          case 2 -> t.getDayOfMonth();
          case 3 -> t.getDayOfWeek().getValue();
          default -> t.getHour();
        };
      }
      case DATE: {
        LocalDate d = LocalDate.ofEpochDay(col.getInt(r));
        return switch (part) {
          case 0 -> d.getYear();
          case 1 -> d.getMonthValue();
          case 2 -> d.getDayOfMonth();
          default -> d.getDayOfWeek().getValue();
        };
      }
      default:
        return col.getDouble(r);
    }
  }

  private static double fill(double[] v, Preprocessing p) {
    double[] present = Arrays.stream(v).filter(d -> !Double.isNaN(d)).toArray();
    if (p.imputation() == Preprocessing.Imputation.CONSTANT || present.length == 0) {
      return p.imputation() == Preprocessing.Imputation.CONSTANT ? p.constant() : 0;
    }
    switch (p.imputation()) {
      case MEAN:
        return Arrays.stream(present).average().orElse(0);
      case MEDIAN: {
        Arrays.sort(present);
        int m = present.length / 2;
        return present.length % 2 == 1 ? present[m] : (present[m - 1] + present[m]) / 2;
      }
      default: {
        Map<Double, Integer> counts = new HashMap<>();
        double best = present[0];
        for (double d : present) {
          int c = counts.merge(d, 1, Integer::sum);
          if (c > counts.get(best) || (c == counts.get(best) && d < best)) {
            best = d;
          }
        }
        return best;
      }
    }
  }

  /** Number of inputs produced before constant ones are dropped. */
  private int width() {
    int w = 0;
    for (int c = 0; c < columns.length; c++) {
      w += kinds[c] == NUMERIC ? 1 : kinds[c] == TIME ? fills[c].length : (oneHot ? levels[c].length : 1);
    }
    return w;
  }

  /**
   * What is inconsistent in this pipeline (a deserialized one may be damaged), or null when it is whole:
   * every per-column array present and as long as the columns, levels sorted, kept indexes and
   * standardization within the produced inputs.
   */
  public String problem() {
    if (columns == null || kinds == null || types == null || fills == null || levels == null || mostFrequent == null
        || outputs == null) {
      return "a field is missing";
    }
    int n = columns.length;
    if (kinds.length != n || types.length != n || fills.length != n || levels.length != n || mostFrequent.length != n) {
      return "its per-column arrays do not have one entry per column (" + n + " columns)";
    }
    for (int c = 0; c < n; c++) {
      if (columns[c] == null || types[c] == null) {
        return "column " + c + " has no name or type";
      }
      switch (kinds[c]) {
        case NUMERIC -> {
          if (fills[c] == null || fills[c].length != 1) {
            return "numeric column '" + columns[c] + "' has no fill value";
          }
        }
        case TIME -> {
          if (fills[c] == null || (fills[c].length != 4 && fills[c].length != 5)) {
            return "date/time column '" + columns[c] + "' has no fill values for its parts";
          }
        }
        case CATEGORICAL -> {
          String[] lv = levels[c];
          if (lv == null || lv.length == 0 || Arrays.asList(lv).contains(null)) {
            return "categorical column '" + columns[c] + "' has no levels";
          }
          for (int i = 1; i < lv.length; i++) {
            if (lv[i - 1].compareTo(lv[i]) >= 0) {
              return "the levels of column '" + columns[c] + "' are not sorted";
            }
          }
          if (mostFrequent[c] < 0 || mostFrequent[c] >= lv.length) {
            return "column '" + columns[c] + "' names a most frequent level that does not exist";
          }
        }
        default -> {
          return "column '" + columns[c] + "' has an unknown kind " + kinds[c];
        }
      }
    }
    int w = width();
    int produced = keep == null ? w : keep.length;
    if (keep != null) {
      for (int k : keep) {
        if (k < 0 || k >= w) {
          return "it keeps input " + k + " of " + w;
        }
      }
    }
    if (outputs.length != produced) {
      return "it names " + outputs.length + " inputs but produces " + produced;
    }
    if ((mean == null) != (std == null) || (mean != null && (mean.length != produced || std.length != produced))) {
      return "its standardization does not fit its " + produced + " inputs";
    }
    return null;
  }

  /** Names of the produced inputs. */
  public List<String> outputNames() {
    return List.of(outputs);
  }

  /** The raw columns this pipeline reads. */
  public List<String> inputColumns() {
    return List.of(columns);
  }

  /** The raw column types (DataType names) in input order. */
  public List<String> inputTypes() {
    return List.of(types);
  }

  /** Model inputs for the rows (one row per frame row). */
  public double[][] transform(Frame rows) {
    int n = rows.rowCount();
    double[][] x = new double[n][width()];
    int at = 0;
    for (int c = 0; c < columns.length; c++) {
      Column col = rows.column(columns[c]);
      switch (kinds[c]) {
        case NUMERIC -> {
          for (int r = 0; r < n; r++) {
            double v = col.isNull(r) ? Double.NaN : value(col, r, -1);
            x[r][at] = Double.isNaN(v) ? fills[c][0] : v;
          }
          at++;
        }
        case TIME -> {
          int parts = fills[c].length;
          for (int r = 0; r < n; r++) {
            for (int k = 0; k < parts; k++) {
              x[r][at + k] = col.isNull(r) ? fills[c][k] : value(col, r, k);
            }
          }
          at += parts;
        }
        default -> {
          String[] lv = levels[c];
          for (int r = 0; r < n; r++) {
            String v = col.isNull(r) ? NULL_LEVEL : col.getString(r);
            int idx = Arrays.binarySearch(lv, v);
            if (idx < 0 && unseenError) {
              throw Errors.unseenLevel(columns[c], col.isNull(r) ? null : v, r, lv);
            }
            if (oneHot) {
              if (idx >= 0) {
                x[r][at + idx] = 1;
              }
            } else {
              x[r][at] = idx >= 0 ? idx : mostFrequent[c];
            }
          }
          at += oneHot ? lv.length : 1;
        }
      }
    }
    if (keep != null && keep.length != width()) {
      for (int r = 0; r < n; r++) {
        double[] full = x[r];
        double[] sel = new double[keep.length];
        for (int j = 0; j < keep.length; j++) {
          sel[j] = full[keep[j]];
        }
        x[r] = sel;
      }
    }
    if (mean != null) {
      for (double[] row : x) {
        for (int j = 0; j < row.length; j++) {
          row[j] = (row[j] - mean[j]) / std[j];
        }
      }
    }
    return x;
  }

  /**
   * Model inputs for one row given as raw values in {@link #inputColumns()} order, boxed as
   * {@code Column.get} boxes them (null for a null): the same numbers {@link #transform} gives for a
   * one-row frame, without building one. The caller has checked each value's type.
   */
  public double[] transformRow(Object[] raw) {
    double[] x = new double[width()];
    int at = 0;
    for (int c = 0; c < columns.length; c++) {
      Object v = raw[c];
      switch (kinds[c]) {
        case NUMERIC -> {
          double d = v == null ? Double.NaN : v instanceof Boolean b ? (b ? 1 : 0) : ((Number) v).doubleValue();
          x[at++] = Double.isNaN(d) ? fills[c][0] : d;
        }
        case TIME -> {
          int parts = fills[c].length;
          for (int k = 0; k < parts; k++) {
            x[at + k] = v == null ? fills[c][k] : timePart(v, k);
          }
          at += parts;
        }
        default -> {
          String[] lv = levels[c];
          String sv = v == null ? NULL_LEVEL : (String) v;
          int idx = Arrays.binarySearch(lv, sv);
          if (idx < 0 && unseenError) {
            throw Errors.unseenLevel(columns[c], v == null ? null : sv, lv);
          }
          if (oneHot) {
            if (idx >= 0) {
              x[at + idx] = 1;
            }
          } else {
            x[at] = idx >= 0 ? idx : mostFrequent[c];
          }
          at += oneHot ? lv.length : 1;
        }
      }
    }
    if (keep != null && keep.length != x.length) {
      double[] sel = new double[keep.length];
      for (int j = 0; j < keep.length; j++) {
        sel[j] = x[keep[j]];
      }
      x = sel;
    }
    if (mean != null) {
      for (int j = 0; j < x.length; j++) {
        x[j] = (x[j] - mean[j]) / std[j];
      }
    }
    return x;
  }

  private static double timePart(Object v, int part) {
    if (v instanceof Instant || v instanceof java.time.LocalDateTime) {
      ZonedDateTime t = v instanceof Instant i ? i.atZone(ZoneOffset.UTC)
          : ((java.time.LocalDateTime) v).atZone(ZoneOffset.UTC);
      return switch (part) {
        case 0 -> t.getYear();
        case 1 -> t.getMonthValue();
        case 2 -> t.getDayOfMonth();
        case 3 -> t.getDayOfWeek().getValue();
        default -> t.getHour();
      };
    }
    LocalDate d = (LocalDate) v;
    return switch (part) {
      case 0 -> d.getYear();
      case 1 -> d.getMonthValue();
      case 2 -> d.getDayOfMonth();
      default -> d.getDayOfWeek().getValue();
    };
  }
}
