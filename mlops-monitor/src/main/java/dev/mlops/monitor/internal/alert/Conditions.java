package dev.mlops.monitor.internal.alert;

import dev.mlops.core.ColumnType;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Frame;
import dev.mlops.core.Schema;
import dev.mlops.core.Workspace;
import dev.mlops.monitor.Aggregation;
import dev.mlops.monitor.CustomMetric;
import dev.mlops.monitor.InferenceLog;
import dev.mlops.monitor.MonitorDefinition;
import dev.mlops.monitor.internal.Errors;
import dev.mlops.monitor.internal.MonitorStore;
import dev.mlops.monitor.internal.ResultLayout;
import dev.mlops.monitor.AlertDefinition;
import dev.mlops.monitor.AlertOperator;
import dev.mlops.monitor.AlertState;
import dev.mlops.monitor.AlertThreshold;
import dev.mlops.monitor.InvalidAlertException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Checks and evaluates alert conditions. */
public final class Conditions {
  private Conditions() {}

  /** The kinds of values conditions compare. */
  enum Kind { NUMBER, STRING, BOOLEAN, TIME, NESTED, OTHER }

  /** What one evaluation found. */
  public record Result(AlertState state, Optional<Object> value, Optional<Object> threshold, String message) {}

  /** Checks a definition against its table's schema; throws {@link InvalidAlertException} naming the problem. */
  public static void check(Workspace ws, AlertDefinition d) {
    Schema schema;
    try {
      schema = ws.tables().snapshot(d.table()).schema();
    } catch (RuntimeException e) {
      Optional<Schema> expected = monitorResultSchema(ws, d.table());
      if (expected.isPresent()) {
        check(d, expected.get());
        return;
      }
      throw Errors.alertTableReadAlerts(d.name(), d.table(), e.getMessage());
    }
    check(d, schema);
  }

  /**
   * The schema a monitor will write to {@code table} when it is one of its result tables not written
   * yet (an alert may be defined before the first refresh).
   */
  static Optional<Schema> monitorResultSchema(Workspace ws, String table) {
    for (String suffix : List.of("_drift_metrics", "_profile_metrics")) {
      if (!table.endsWith(suffix)) {
        continue;
      }
      String base = table.substring(0, table.length() - suffix.length());
      Optional<MonitorDefinition> md = new MonitorStore(ws, base).readDefinition();
      if (md.isPresent()) {
        String modelCol = md.get().profileType() instanceof InferenceLog il ? il.modelId() : null;
        List<String> row = new ArrayList<>();
        List<String> drift = new ArrayList<>();
        for (CustomMetric m : md.get().customMetrics()) {
          (m.type() == CustomMetric.Type.DRIFT ? drift : row).add(m.name());
        }
        return Optional.of(suffix.equals("_drift_metrics") ? ResultLayout.driftSchema(modelCol, drift)
            : ResultLayout.profileSchema(modelCol, row));
      }
    }
    return Optional.empty();
  }

  private static void check(AlertDefinition d, Schema schema) {
    Kind valueKind = resultKind(d, schema, d.column(), d.aggregation());
    if (d.latestBy().isPresent()) {
      Kind k = kind(type(d, schema, d.latestBy().get(), "latestBy"));
      if (k == Kind.NESTED || k == Kind.OTHER) {
        throw Errors.alertLatestByColumnOrderable(d.name(), d.latestBy().get(), d.table());
      }
    }
    d.filter().ifPresent(f -> {
      for (String c : AlertJson.columns(f)) {
        if (!schema.contains(c)) {
          throw Errors.alertFilterNamesColumn(d.name(), c, d.table(), schema.names());
        }
      }
    });
    if (d.operator().needsThreshold() && (valueKind == Kind.NESTED || valueKind == Kind.OTHER)) {
      throw Errors.alertNestedCompareNull(d.name(), d.column(), d.table());
    }
    if (valueKind == Kind.BOOLEAN && d.operator() != AlertOperator.EQ && d.operator() != AlertOperator.NE
        && d.operator().needsThreshold()) {
      throw Errors.alertBooleanCompares(d.name(), d.column(), d.operator().symbol());
    }
    d.threshold().ifPresent(t -> {
      if (t instanceof AlertThreshold.Value v) {
        Kind tk = kindOf(v.value());
        if (tk != valueKind) {
          throw Errors.alertThresholdFitThreshold(d.name(), String.valueOf(v.value()), v.value(),
              v.value().getClass().getSimpleName(), d.condition().split(" ")[0], valueKind.name().toLowerCase(),
              javaType(valueKind));
        }
      } else if (t instanceof AlertThreshold.ColumnRef c) {
        Kind tk = resultKind(d, schema, c.column(), c.aggregation());
        if (tk != valueKind) {
          throw Errors.alertThresholdColumnValue(d.name(), c.column(), tk.name().toLowerCase(),
              valueKind.name().toLowerCase());
        }
      }
    });
  }

  private static String javaType(Kind k) {
    return switch (k) {
      case NUMBER -> "Number";
      case STRING -> "String";
      case BOOLEAN -> "Boolean";
      case TIME -> "Instant";
      default -> "(none)";
    };
  }

  private static Kind resultKind(AlertDefinition d, Schema schema, String column, Optional<Aggregation> agg) {
    ColumnType t = type(d, schema, column, "column");
    Kind k = kind(t);
    Aggregation a = agg.orElse(Aggregation.FIRST);
    switch (a) {
      case COUNT, COUNT_DISTINCT -> {
        return Kind.NUMBER;
      }
      case SUM, AVG, MEDIAN, STDDEV -> {
        if (k != Kind.NUMBER) {
          throw Errors.alertNeedsNumericColumn(d.name(), column, a, d.table(), t.sql());
        }
        return Kind.NUMBER;
      }
      case MIN, MAX -> {
        if (k == Kind.NESTED || k == Kind.OTHER) {
          throw Errors.alertNeedsOrderableColumn(d.name(), column, a, d.table(), t.sql());
        }
        return k;
      }
      default -> {
        return k;
      }
    }
  }

  private static ColumnType type(AlertDefinition d, Schema schema, String path, String what) {
    String[] parts = path.split("\\.");
    Optional<Field> f = schema.find(parts[0]);
    if (f.isEmpty()) {
      throw Errors.alertColumnColumns(d.name(), path, what, d.table(), schema.names());
    }
    ColumnType t = f.get().columnType();
    for (int i = 1; i < parts.length; i++) {
      if (!(t instanceof ColumnType.Struct st)) {
        throw Errors.alertNamesFieldStruct(d.name(), path, String.join(".", Arrays.copyOf(parts, i)), t.sql());
      }
      String name = parts[i];
      Optional<Field> sub = st.fields().stream().filter(x -> x.name().equals(name)).findFirst();
      if (sub.isEmpty()) {
        throw Errors.alertStructFieldFields(d.name(), path, String.join(".", Arrays.copyOf(parts, i)), d.table(), name,
            st.names());
      }
      t = sub.get().columnType();
    }
    return t;
  }

  static Kind kind(ColumnType t) {
    DataType k = t.kind();
    if (k.isNumeric()) {
      return Kind.NUMBER;
    }
    return switch (k) {
      case STRING -> Kind.STRING;
      case BOOLEAN -> Kind.BOOLEAN;
      case TIMESTAMP, TIMESTAMP_NTZ, DATE -> Kind.TIME;
      case STRUCT, ARRAY, MAP -> Kind.NESTED;
      default -> Kind.OTHER;
    };
  }

  static Kind kindOf(Object v) {
    if (v instanceof Number) {
      return Kind.NUMBER;
    } else if (v instanceof String) {
      return Kind.STRING;
    } else if (v instanceof Boolean) {
      return Kind.BOOLEAN;
    } else if (v instanceof Instant || v instanceof LocalDate || v instanceof LocalDateTime) {
      return Kind.TIME;
    }
    return Kind.OTHER;
  }

  /** Evaluates the condition on the table's latest version. Failures give ERROR with the message. */
  public static Result evaluate(Workspace ws, AlertDefinition d) {
    try {
      check(ws, d);
      if (!ws.tables().exists(d.table())) { // a monitor result table before the first refresh
        return new Result(d.emptyResultState(), Optional.empty(), Optional.empty(), "no rows (not refreshed yet)");
      }
      var reader = ws.tables().get(d.table()).read();
      if (d.filter().isPresent()) {
        reader = reader.filter(d.filter().get());
      }
      Frame f = reader.load();
      List<Integer> rows = new ArrayList<>();
      for (int i = 0; i < f.rowCount(); i++) {
        rows.add(i);
      }
      if (d.latestBy().isPresent()) {
        Comparable<Object> best = null;
        for (int i : rows) {
          Comparable<Object> v = comparable(get(f, i, d.latestBy().get()));
          if (v != null && (best == null || v.compareTo(best) > 0)) {
            best = v;
          }
        }
        List<Integer> keep = new ArrayList<>();
        for (int i : rows) {
          Comparable<Object> v = comparable(get(f, i, d.latestBy().get()));
          if (best != null && v != null && v.compareTo(best) == 0) {
            keep.add(i);
          }
        }
        rows = keep;
      }
      if (rows.isEmpty()) {
        return new Result(d.emptyResultState(), Optional.empty(), Optional.empty(), "no rows");
      }
      List<Integer> sel = rows;
      Object value = aggregate(f, sel, d.column(), d.aggregation().orElse(Aggregation.FIRST));
      Optional<Object> threshold = d.threshold().map(t -> t instanceof AlertThreshold.ColumnRef c
          ? aggregate(f, sel, c.column(), c.aggregation().orElse(Aggregation.FIRST))
          : ((AlertThreshold.Value) t).value());
      boolean hit = compare(d.operator(), value, threshold.orElse(null));
      return new Result(hit ? AlertState.TRIGGERED : AlertState.OK, Optional.ofNullable(value), threshold.map(x -> x),
          "");
    } catch (RuntimeException e) {
      return new Result(AlertState.ERROR, Optional.empty(), Optional.empty(), e.getMessage() == null
          ? e.toString() : e.getMessage());
    }
  }

  static boolean compare(AlertOperator op, Object value, Object threshold) {
    if (op == AlertOperator.IS_NULL) {
      return value == null;
    }
    if (op == AlertOperator.IS_NOT_NULL) {
      return value != null;
    }
    if (value == null || threshold == null) {
      return false; // SQL: a comparison with NULL is not true
    }
    int c;
    if (value instanceof Number a && threshold instanceof Number b) {
      c = Double.compare(a.doubleValue(), b.doubleValue());
    } else {
      c = comparable(value).compareTo(normalize(threshold));
    }
    return switch (op) {
      case GT -> c > 0;
      case GE -> c >= 0;
      case LT -> c < 0;
      case LE -> c <= 0;
      case EQ -> c == 0;
      case NE -> c != 0;
      default -> false;
    };
  }

  private static Object normalize(Object v) {
    if (v instanceof LocalDate ld) {
      return ld.atStartOfDay().toInstant(ZoneOffset.UTC);
    } else if (v instanceof LocalDateTime ldt) {
      return ldt.toInstant(ZoneOffset.UTC);
    } else if (v instanceof Number n && !(v instanceof Double)) {
      return n.doubleValue();
    }
    return v;
  }

  @SuppressWarnings("unchecked")
  private static Comparable<Object> comparable(Object v) {
    Object n = normalize(v);
    return n instanceof Comparable<?> c ? (Comparable<Object>) c : null;
  }

  static Object get(Frame f, int row, String path) {
    String[] parts = path.split("\\.");
    Object v = f.column(parts[0]).get(row);
    for (int i = 1; i < parts.length && v != null; i++) {
      v = v instanceof Map<?, ?> m ? m.get(parts[i]) : null;
    }
    return v;
  }

  static Object aggregate(Frame f, List<Integer> rows, String column, Aggregation a) {
    if (a == Aggregation.FIRST) {
      return get(f, rows.get(0), column);
    }
    List<Object> vals = new ArrayList<>();
    for (int i : rows) {
      Object v = get(f, i, column);
      if (v != null && !(v instanceof Double dd && dd.isNaN())) {
        vals.add(v);
      }
    }
    switch (a) {
      case COUNT:
        return (long) vals.size();
      case COUNT_DISTINCT: {
        Set<Object> s = new HashSet<>();
        for (Object v : vals) {
          s.add(v instanceof byte[] b ? Arrays.toString(b) : v);
        }
        return (long) s.size();
      }
      case MIN:
      case MAX: {
        Object best = null;
        for (Object v : vals) {
          if (best == null || (a == Aggregation.MIN ? cmp(v, best) < 0 : cmp(v, best) > 0)) {
            best = v;
          }
        }
        return best;
      }
      default:
        break;
    }
    if (vals.isEmpty()) {
      return null;
    }
    double[] x = new double[vals.size()];
    for (int i = 0; i < x.length; i++) {
      Object v = vals.get(i);
      x[i] = v instanceof BigDecimal b ? b.doubleValue() : ((Number) v).doubleValue();
    }
    switch (a) {
      case SUM: {
        boolean integral = vals.stream().allMatch(v -> v instanceof Long || v instanceof Integer || v instanceof Short
            || v instanceof Byte);
        if (integral) {
          long s = 0;
          for (Object v : vals) {
            s += ((Number) v).longValue();
          }
          return s;
        }
        double s = 0;
        for (double d : x) {
          s += d;
        }
        return s;
      }
      case AVG: {
        double s = 0;
        for (double d : x) {
          s += d;
        }
        return s / x.length;
      }
      case MEDIAN: {
        double[] y = x.clone();
        Arrays.sort(y);
        int n = y.length;
        return n % 2 == 1 ? y[n / 2] : (y[n / 2 - 1] + y[n / 2]) / 2;
      }
      case STDDEV: {
        if (x.length < 2) {
          return null;
        }
        double mean = 0;
        for (double d : x) {
          mean += d;
        }
        mean /= x.length;
        double ss = 0;
        for (double d : x) {
          ss += (d - mean) * (d - mean);
        }
        return Math.sqrt(ss / (x.length - 1));
      }
      default:
        throw new IllegalStateException(a.name());
    }
  }

  private static int cmp(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) {
      return Double.compare(x.doubleValue(), y.doubleValue());
    }
    return comparable(a).compareTo(normalize(b));
  }

  /** A value as text for states and payloads. */
  public static String text(Object v) {
    if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
      return String.valueOf(d);
    }
    return String.valueOf(v);
  }
}
