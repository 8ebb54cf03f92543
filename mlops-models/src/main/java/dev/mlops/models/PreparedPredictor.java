package dev.mlops.models;

import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.models.internal.Args;
import dev.mlops.models.internal.Errors;
import dev.mlops.models.internal.ModelBundle;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A predictor prepared for one row at a time (the online path): no one-row {@code Frame}, no lookup of
 * the signature per call; each value's Java type and nullability is checked against arrays built once.
 * The numbers equal {@link Predictor#predict}'s for the same row. Thread-safe; get one with
 * {@link Predictor#prepare()} and keep it.
 *
 * <pre>{@code
 * PreparedPredictor p = Predictor.load(ws, "models:/churn@champion").prepare();
 * p.inputs();                                            // [plan, tenure_days, spend]
 * Object label = p.predict("pro", 412L, 31.5);           // values in inputs() order
 * double[] prob = p.probabilities(Map.of("plan", "pro", "tenure_days", 412L, "spend", 31.5));
 * }</pre>
 *
 * <p>Values are boxed as {@code Column.get} boxes them: {@code Double}, {@code Long}, {@code Integer},
 * {@code Boolean}, {@code String}, {@code Instant} (TIMESTAMP), {@code LocalDate} (DATE); null for a null.
 */
public final class PreparedPredictor {
  private final ModelBundle bundle;
  private final String[] inputs;
  private final DataType[] types;
  private final Class<?>[] javaTypes;
  private final boolean[] nullable;
  private final Map<String, Integer> index = new HashMap<>();
  private final Object[] labels; // parsed class values (classification)
  private final List<String> probabilityColumns;

  PreparedPredictor(ModelBundle bundle, ModelSignature signature) {
    this.bundle = bundle;
    List<String> cols = bundle.pipeline.inputColumns();
    List<String> typeNames = bundle.pipeline.inputTypes();
    int n = cols.size();
    inputs = cols.toArray(new String[0]);
    types = new DataType[n];
    javaTypes = new Class<?>[n];
    nullable = new boolean[n];
    for (int c = 0; c < n; c++) {
      types[c] = DataType.valueOf(typeNames.get(c));
      javaTypes[c] = switch (types[c]) {
        case DOUBLE -> Double.class;
        case LONG -> Long.class;
        case INT -> Integer.class;
        case BOOLEAN -> Boolean.class;
        case STRING -> String.class;
        case TIMESTAMP -> Instant.class;
        case DATE -> LocalDate.class;
        default -> Object.class;
      };
      nullable[c] = true;
      for (Field f : signature.inputs()) {
        if (f.name().equals(inputs[c])) {
          nullable[c] = f.nullable();
        }
      }
      index.put(inputs[c], c);
    }
    if (bundle.model.isClassifier()) {
      DataType lt = DataType.valueOf(bundle.labelType);
      labels = new Object[bundle.classes.length];
      List<String> names = new ArrayList<>();
      for (int c = 0; c < labels.length; c++) {
        labels[c] = switch (lt) {
          case BOOLEAN -> Boolean.parseBoolean(bundle.classes[c]);
          case LONG -> Long.parseLong(bundle.classes[c]);
          case INT -> Integer.parseInt(bundle.classes[c]);
          default -> bundle.classes[c];
        };
        names.add("probability_" + Trainer.sanitize(bundle.classes[c]));
      }
      probabilityColumns = List.copyOf(names);
    } else {
      labels = null;
      probabilityColumns = List.of();
    }
  }

  /** The raw input columns, in the order {@link #predict(Object...)} takes them. */
  public List<String> inputs() {
    return List.of(inputs);
  }

  /** The names {@link Predictor#predict} gives the probabilities (classifiers; empty for regressors). */
  public List<String> probabilityColumns() {
    return probabilityColumns;
  }

  /**
   * The prediction for one row, values in {@link #inputs()} order: the class value (the label's type)
   * for classifiers, a {@code Double} for regressors — what {@link Predictor#predict} puts in its
   * {@code prediction} column.
   *
   * @throws PredictionInputException naming the column when a value is missing, of the wrong type, or null
   *     where training saw none
   */
  public Object predict(Object... row) {
    double[] x = inputsOf(row);
    if (labels == null) {
      return bundle.model.value(x);
    }
    double[] p = new double[labels.length];
    bundle.model.probabilities(x, p);
    int best = 0;
    for (int j = 1; j < p.length; j++) {
      if (p[j] > p[best]) {
        best = j;
      }
    }
    return labels[best];
  }

  /** Like {@link #predict(Object...)} with the values by column name. */
  public Object predict(Map<String, ?> row) {
    return predict(ordered(row));
  }

  /**
   * Class probabilities of one row (values in {@link #inputs()} order), in the order of
   * {@link #probabilityColumns()}.
   *
   * @throws PredictionInputException for a regressor, or as {@link #predict(Object...)}
   */
  public double[] probabilities(Object... row) {
    if (labels == null) {
      throw Errors.regressorHasNoProbabilities();
    }
    double[] x = inputsOf(row);
    double[] p = new double[labels.length];
    bundle.model.probabilities(x, p);
    return p;
  }

  /** Like {@link #probabilities(Object...)} with the values by column name. */
  public double[] probabilities(Map<String, ?> row) {
    return probabilities(ordered(row));
  }

  private Object[] ordered(Map<String, ?> row) {
    Args.notNull(row, "The row", "give a map from input column name to value");
    Object[] values = new Object[inputs.length];
    List<String> missing = null;
    for (int c = 0; c < inputs.length; c++) {
      Object v = row.get(inputs[c]);
      if (v == null && !row.containsKey(inputs[c])) {
        missing = missing == null ? new ArrayList<>() : missing;
        missing.add(inputs[c]);
      }
      values[c] = v;
    }
    if (missing != null) {
      throw Errors.missingInputColumns(missing, inputs());
    }
    return values;
  }

  private double[] inputsOf(Object[] row) {
    if (row == null || row.length != inputs.length) {
      throw Errors.wrongValueCount(row, inputs.length, inputs());
    }
    for (int c = 0; c < row.length; c++) {
      Object v = row[c];
      if (v == null) {
        if (!nullable[c]) {
          throw Errors.unexpectedNull(inputs[c], types[c]);
        }
      } else if (v.getClass() != javaTypes[c]) {
        throw Errors.wrongValueType(inputs[c], v, v.getClass().getSimpleName(), types[c], javaTypes[c].getSimpleName(),
            inputs());
      }
    }
    return bundle.pipeline.transformRow(row);
  }

  @Override
  public String toString() {
    return "PreparedPredictor" + Arrays.toString(inputs);
  }
}
