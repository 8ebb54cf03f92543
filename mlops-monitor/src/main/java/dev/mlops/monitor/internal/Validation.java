package dev.mlops.monitor.internal;

import dev.mlops.core.DataType;
import dev.mlops.core.DeltaTable;
import dev.mlops.core.Field;
import dev.mlops.core.MlopsException;
import dev.mlops.core.Schema;
import dev.mlops.core.TableNotFoundException;
import dev.mlops.core.Workspace;
import dev.mlops.monitor.CustomMetric;
import dev.mlops.monitor.DriftThreshold;
import dev.mlops.monitor.InferenceLog;
import dev.mlops.monitor.InvalidMonitorException;
import dev.mlops.monitor.MonitorDefinition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Checks a definition against its tables; every failure is an {@link InvalidMonitorException}. */
public final class Validation {
  private Validation() {}

  /** A slicing expression, resolved. */
  public record Slice(String text, String column, Expr predicate) {
    public boolean isColumn() {
      return column != null;
    }
  }

  /** The definition resolved against the table's schema. */
  public record Resolved(MonitorDefinition def, DeltaTable table, Schema schema, List<Field> profiled,
      List<Slice> slices, Optional<DeltaTable> baseline) {}

  public static Resolved check(Workspace ws, MonitorDefinition d) {
    String t = d.table();
    DeltaTable table = open(ws, t, "monitored table", t);
    Schema s = table.schema();
    var pt = d.profileType();
    if (pt.timestampCol().isPresent()) {
      String ts = pt.timestampCol().get();
      DataType type = column(s, t, ts, "timestamp");
      if (type != DataType.TIMESTAMP && type != DataType.DATE) {
        throw new InvalidMonitorException(t, ts, "Monitor on " + t + ": timestamp column '" + ts + "' is " + type
            + ", not TIMESTAMP or DATE. Add a TIMESTAMP column (e.g. parsed from the text) and monitor that.");
      }
    }
    if (pt instanceof InferenceLog il) {
      DataType pred = column(s, t, il.prediction(), "prediction");
      DataType mid = column(s, t, il.modelId(), "model id");
      if (mid != DataType.STRING && mid != DataType.LONG && mid != DataType.INT) {
        throw new InvalidMonitorException(t, il.modelId(), "Monitor on " + t + ": model id column '" + il.modelId()
            + "' is " + mid + "; use a STRING, LONG or INT column naming the model (version).");
      }
      boolean regression = il.problemType() == InferenceLog.ProblemType.REGRESSION;
      if (regression && !pred.isNumeric()) {
        throw new InvalidMonitorException(t, il.prediction(), "Monitor on " + t + ": a regression monitor needs a "
            + "numeric prediction column, but '" + il.prediction() + "' is " + pred + ". Use problem type "
            + "classification for class labels.");
      }
      if (!regression && pred != DataType.STRING && pred != DataType.LONG && pred != DataType.INT
          && pred != DataType.BOOLEAN) {
        throw new InvalidMonitorException(t, il.prediction(), "Monitor on " + t + ": a classification monitor needs "
            + "class labels (STRING, LONG, INT or BOOLEAN) in '" + il.prediction() + "', which is " + pred
            + ". Use problem type regression for numeric predictions.");
      }
      if (il.label().isPresent()) {
        String l = il.label().get();
        DataType lt = column(s, t, l, "label");
        boolean ok = regression ? lt.isNumeric() : (lt == pred || (isInteger(lt) && isInteger(pred)));
        if (!ok) {
          throw new InvalidMonitorException(t, l, "Monitor on " + t + ": label column '" + l + "' is " + lt
              + " but prediction '" + il.prediction() + "' is " + pred + "; they must hold the same kind of value.");
        }
      }
      if (!il.probabilities().isEmpty()) {
        if (regression) {
          throw new InvalidMonitorException(t, il.probabilities().values().iterator().next(), "Monitor on " + t
              + ": prediction probabilities " + il.probabilities() + " were given for a regression monitor; they "
              + "apply to classification only. Remove them or use InferenceLog.classification(...).");
        }
        for (Map.Entry<String, String> e : il.probabilities().entrySet()) {
          DataType pt2 = column(s, t, e.getValue(), "probability");
          if (pt2 != DataType.DOUBLE) {
            throw new InvalidMonitorException(t, e.getValue(), "Monitor on " + t + ": probability column '"
                + e.getValue() + "' of class '" + e.getKey() + "' is " + pt2 + ", not DOUBLE.");
          }
        }
      }
    }
    for (String c : d.includeColumns()) {
      column(s, t, c, "included");
    }
    for (String c : d.excludeColumns()) {
      column(s, t, c, "excluded");
    }
    List<Field> profiled = new ArrayList<>();
    for (Field f : s.fields()) {
      if ((d.includeColumns().isEmpty() || d.includeColumns().contains(f.name()))
          && !d.excludeColumns().contains(f.name())) {
        profiled.add(f);
      }
    }
    List<Slice> slices = new ArrayList<>();
    for (String e : d.slicingExprs()) {
      if (Expr.isIdentifier(e)) {
        String c = Expr.identifier(e);
        column(s, t, c, "slicing");
        slices.add(new Slice(e, c, null));
      } else {
        Expr x;
        try {
          x = Expr.parse(e);
        } catch (IllegalArgumentException ex) {
          throw new InvalidMonitorException(t, null, "Monitor on " + t + ": " + ex.getMessage(), ex);
        }
        for (String c : x.columns()) {
          column(s, t, c, "slicing expression \"" + e + "\" reads");
        }
        slices.add(new Slice(e, null, x));
      }
    }
    for (Map.Entry<String, DriftThreshold> e : d.thresholds().entrySet()) {
      DataType ty = column(s, t, e.getKey(), "threshold");
      boolean numeric = ColumnProfile.kindOf(ty) == ColumnProfile.Kind.NUMERIC;
      if (ColumnProfile.kindOf(ty) == ColumnProfile.Kind.OTHER || e.getValue().metric().forNumeric() != numeric) {
        throw new InvalidMonitorException(t, e.getKey(), "Monitor on " + t + ": threshold " + e.getValue().metric()
            + " does not apply to column '" + e.getKey() + "' of type " + ty + ". Numeric columns take KS_PVALUE, "
            + "WASSERSTEIN_NORMALIZED or PSI; string and boolean columns CHI_SQUARED_PVALUE, JS_DISTANCE, "
            + "TV_DISTANCE or L_INFINITY_DISTANCE.");
      }
    }
    Set<String> names = new java.util.HashSet<>();
    for (CustomMetric m : d.customMetrics()) {
      if (!names.add(m.name()) || s.contains(m.name())) {
        throw new InvalidMonitorException(t, m.name(), "Monitor on " + t + ": custom metric name '" + m.name()
            + "' is used twice or equals a table column; give it a unique name.");
      }
      for (String c : m.inputColumns()) {
        if (!c.equals(CustomMetric.TABLE)) {
          column(s, t, c, "custom metric '" + m.name() + "' input");
        }
      }
    }
    Optional<DeltaTable> baseline = Optional.empty();
    if (d.baselineTable().isPresent()) {
      String b = d.baselineTable().get();
      DeltaTable bt = open(ws, b, "baseline table", t);
      Schema bs = bt.schema();
      Map<String, String> problems = new LinkedHashMap<>();
      for (Field f : profiled) {
        Optional<Field> bf = bs.find(f.name());
        if (bf.isEmpty()) {
          problems.put(f.name(), "missing");
        } else if (bf.get().type() != f.type()) {
          problems.put(f.name(), bf.get().type() + " instead of " + f.type());
        }
      }
      if (!problems.isEmpty()) {
        String first = problems.keySet().iterator().next();
        throw new InvalidMonitorException(b, first, "Monitor on " + t + ": baseline table " + b + " does not have "
            + "the monitored columns: " + problems + ". Give the baseline the same columns and types, or exclude "
            + "these columns.");
      }
      String anyColumn = bs.fields().get(0).name();
      if (bt.read().columns(anyColumn).load().rowCount() == 0) {
        throw new InvalidMonitorException(b, null, "Monitor on " + t + ": baseline table " + b + " is empty, so "
            + "there is nothing to compare with. Write the reference rows (e.g. the training set) first.");
      }
      baseline = Optional.of(bt);
    }
    return new Resolved(d, table, s, profiled, slices, baseline);
  }

  private static boolean isInteger(DataType t) {
    return t == DataType.LONG || t == DataType.INT;
  }

  private static DeltaTable open(Workspace ws, String name, String what, String monitored) {
    try {
      return ws.tables().get(name);
    } catch (TableNotFoundException e) {
      throw new InvalidMonitorException(name, null, "Monitor on " + monitored + ": the " + what + " " + name
          + " is not a Delta table of this workspace (" + e.getMessage() + "). Create it, or convert it to Delta.", e);
    } catch (MlopsException e) {
      throw new InvalidMonitorException(name, null, "Monitor on " + monitored + ": the " + what + " " + name
          + " cannot be opened as a Delta table: " + e.getMessage(), e);
    }
  }

  private static DataType column(Schema s, String table, String col, String role) {
    return s.find(col).map(Field::type).orElseThrow(() -> new InvalidMonitorException(table, col, "Monitor on "
        + table + ": " + role + " column '" + col + "' is not in the table; its columns are " + s.names() + "."));
  }
}
