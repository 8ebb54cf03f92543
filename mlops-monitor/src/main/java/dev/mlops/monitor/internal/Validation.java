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
        throw Errors.monitorTimestampColumnTimestamp(t, ts, type);
      }
    }
    if (pt instanceof InferenceLog il) {
      DataType pred = column(s, t, il.prediction(), "prediction");
      DataType mid = column(s, t, il.modelId(), "model id");
      if (mid != DataType.STRING && mid != DataType.LONG && mid != DataType.INT) {
        throw Errors.monitorModelIdColumn(t, il.modelId(), mid);
      }
      boolean regression = il.problemType() == InferenceLog.ProblemType.REGRESSION;
      if (regression && !pred.isNumeric()) {
        throw Errors.monitorRegressionMonitorNeeds(t, il.prediction(), pred);
      }
      if (!regression && pred != DataType.STRING && pred != DataType.LONG && pred != DataType.INT
          && pred != DataType.BOOLEAN) {
        throw Errors.monitorClassificationMonitorNeeds(t, il.prediction(), pred);
      }
      if (il.label().isPresent()) {
        String l = il.label().get();
        DataType lt = column(s, t, l, "label");
        boolean ok = regression ? lt.isNumeric() : (lt == pred || (isInteger(lt) && isInteger(pred)));
        if (!ok) {
          throw Errors.monitorLabelColumnPrediction(t, l, lt, il.prediction(), pred);
        }
      }
      if (!il.probabilities().isEmpty()) {
        if (regression) {
          throw Errors.monitorPredictionProbabilitiesGiven(t, il.probabilities().values().iterator().next(),
              il.probabilities());
        }
        for (Map.Entry<String, String> e : il.probabilities().entrySet()) {
          DataType pt2 = column(s, t, e.getValue(), "probability");
          if (pt2 != DataType.DOUBLE) {
            throw Errors.monitorProbabilityColumnClass(t, e.getValue(), e.getKey(), pt2);
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
          throw Errors.badMonitor(t, ex.getMessage(), ex);
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
        throw Errors.monitorThresholdApplyColumn(t, e.getKey(), e.getValue().metric(), ty);
      }
    }
    Set<String> names = new java.util.HashSet<>();
    for (CustomMetric m : d.customMetrics()) {
      if (!names.add(m.name()) || s.contains(m.name())) {
        throw Errors.monitorCustomMetricName(t, m.name());
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
        throw Errors.monitorBaselineTableMonitored(b, first, t, problems);
      }
      String anyColumn = bs.fields().get(0).name();
      if (bt.read().columns(anyColumn).load().rowCount() == 0) {
        throw Errors.monitorBaselineTableEmpty(b, t);
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
      throw Errors.notADeltaTable(name, monitored, what, e.getMessage(), e);
    } catch (MlopsException e) {
      throw Errors.cannotOpenTable(name, monitored, what, e.getMessage(), e);
    }
  }

  private static DataType column(Schema s, String table, String col, String role) {
    return s.find(col).map(Field::type)
        .orElseThrow(() -> Errors.monitorColumnTableColumns(table, col, role, s.names()));
  }
}
