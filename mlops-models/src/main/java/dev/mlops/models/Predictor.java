package dev.mlops.models;

import dev.mlops.core.Column;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Frame;
import dev.mlops.core.Workspace;
import dev.mlops.core.internal.Json;
import dev.mlops.features.FeatureSpec;
import dev.mlops.features.FeatureStore;
import dev.mlops.features.OnlineStore;
import dev.mlops.models.internal.Errors;
import dev.mlops.models.internal.Args;
import dev.mlops.models.internal.ModelBundle;
import dev.mlops.models.internal.SmileModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * Predictions from a trained model: on rows that hold the features ({@link #predict}), or on keys
 * whose features are looked up through the model's own feature spec, from the Delta tables
 * ({@link #score}) or an online store ({@link #scoreOnline}) — the same code path either way.
 * Immutable and thread-safe; {@code with…} methods return a copy.
 *
 * <pre>{@code
 * Predictor p = Predictor.load(ws, "models:/main.ml.churn@champion")
 *     .withExecutor(appPool);                                          // optional: where large batches run
 * Frame out = p.score(Frame.of(Column.ofLongs("customer_id", 7, 9)));   // features looked up
 * out.column("prediction");  out.column("probability_true");
 * }</pre>
 *
 * <p><b>Threads.</b> Inputs of 2,000 rows or more are split into chunks that run on the predictor's
 * executor while the caller waits: by default the JVM's common ForkJoinPool, or the one given to
 * {@link #withExecutor} ({@code Runnable::run} keeps scoring on the calling thread). Smaller inputs
 * always run on the calling thread.
 */
public final class Predictor {
  private final ModelBundle bundle;
  private final ModelSignature signature;
  private final Optional<FeatureSpec> spec;
  private final Workspace ws;
  private final Executor executor;
  private final FeatureStore store; // null: FeatureStore.of(ws)

  Predictor(ModelBundle bundle, ModelSignature signature, Optional<FeatureSpec> spec, Workspace ws) {
    this(bundle, signature, spec, ws, SmileModel.defaultExecutor(), null);
  }

  private Predictor(ModelBundle bundle, ModelSignature signature, Optional<FeatureSpec> spec, Workspace ws,
      Executor executor, FeatureStore store) {
    this.bundle = bundle;
    this.signature = signature;
    this.spec = spec;
    this.ws = ws;
    this.executor = executor;
    this.store = store;
  }

  /**
   * A copy that runs large batches on executor instead of the common ForkJoinPool.
   *
   * <pre>{@code
   * ExecutorService pool = Executors.newFixedThreadPool(4);
   * Predictor p = Predictor.load(ws, uri).withExecutor(pool);
   * Predictor sameThread = p.withExecutor(Runnable::run);
   * }</pre>
   */
  public Predictor withExecutor(Executor executor) {
    Args.notNull(executor, "The executor", "give an Executor, e.g. an ExecutorService, or Runnable::run for the "
        + "calling thread");
    return new Predictor(bundle, signature, spec, ws, executor, store);
  }

  /**
   * A copy that looks features up, and computes on-demand features, through the given store (its
   * workspace and its {@link dev.mlops.features.OnDemandRegistry}); by default it is
   * {@code FeatureStore.of(ws)} of the workspace the model was loaded from.
   */
  public Predictor withFeatureStore(FeatureStore featureStore) {
    Args.notNull(featureStore, "The feature store", "give FeatureStore.of(ws) or FeatureStore.of(ws, registry)");
    return new Predictor(bundle, signature, spec, featureStore.workspace(), executor, featureStore);
  }

  /** The executor large batches run on. */
  public Executor executor() {
    return executor;
  }

  /**
   * Loads a registered model (checksums verified before anything is deserialized; classes
   * restricted to an allow-list).
   *
   * @param uri {@code models:/name/3}, {@code models:/name@champion} or {@code runs:/<run-id>/model}
   */
  public static Predictor load(Workspace ws, String uri) {
    Args.notNull(ws, "The workspace", "open the workspace the model is registered in with Workspace.open(dir)");
    LoadedModel m = ModelRegistry.of(ws).load(uri);
    ModelBundle b = m.deserialize(ModelBundle.class, ModelBundle.ALLOWED);
    Map<String, Object> specMap = m.descriptor().featureSpec();
    Optional<FeatureSpec> spec = specMap == null || specMap.isEmpty() ? Optional.empty()
        : Optional.of(Json.MAPPER.convertValue(specMap, FeatureSpec.class));
    return new Predictor(b, m.descriptor().signature(), spec, ws);
  }

  /**
   * A scorer prepared for one row at a time (the online path): no one-row {@code Frame} and no
   * signature lookup per call; same numbers as {@link #predict}.
   *
   * <pre>{@code
   * PreparedPredictor one = Predictor.load(ws, "models:/churn@champion").prepare();
   * Object label = one.predict("pro", 412L, 31.5);   // one.inputs() gives the order
   * }</pre>
   */
  public PreparedPredictor prepare() {
    return new PreparedPredictor(bundle, signature);
  }

  /** The model's input and output columns. */
  public ModelSignature signature() {
    return signature;
  }

  /** The feature spec the model was trained with, if any. */
  public Optional<FeatureSpec> featureSpec() {
    return spec;
  }

  /**
   * The rows with prediction columns added: {@code prediction} (the label's type) and one
   * {@code probability_<class>} per class for classifiers; {@code prediction} (double) for regressors.
   *
   * @throws PredictionInputException listing every missing column, wrong type and unexpected null
   */
  public Frame predict(Frame rows) {
    check(rows);
    double[][] x = bundle.pipeline.transform(rows);
    List<Column> added = new ArrayList<>(1 + (bundle.model.isClassifier() ? bundle.classes.length : 0));
    if (bundle.model.isClassifier()) {
      double[][] p = bundle.model.probabilities(x, executor);
      int[] best = new int[p.length];
      for (int i = 0; i < p.length; i++) {
        double[] row = p[i];
        for (int j = 1; j < row.length; j++) {
          if (row[j] > row[best[i]]) {
            best[i] = j;
          }
        }
      }
      added.add(labels().column(best));
      String[] names = labels().probabilityNames;
      for (int c = 0; c < names.length; c++) {
        double[] col = new double[p.length];
        for (int i = 0; i < p.length; i++) {
          col[i] = p[i][c];
        }
        added.add(Column.ofDoubles(names[c], col));
      }
    } else {
      added.add(Column.ofDoubles("prediction", bundle.model.values(x, executor)));
    }
    return rows.withColumns(added); // one frame, not one per added column (the one-row serving path pays for each)
  }

  /**
   * The class values parsed into the label's type and the probability column names, made once per
   * predictor (parsing and the name regex per call were most of a one-row prediction's cost).
   */
  private static final class Labels {
    final DataType type;
    final Object[] values;
    final String[] probabilityNames;

    Labels(ModelBundle b) {
      type = DataType.valueOf(b.labelType);
      values = new Object[b.classes.length];
      probabilityNames = new String[b.classes.length];
      for (int c = 0; c < values.length; c++) {
        values[c] = parse(b.classes[c], type);
        probabilityNames[c] = "probability_" + Trainer.sanitize(b.classes[c]);
      }
    }

    /** The prediction column: the class value at each row's best index. */
    Column column(int[] best) {
      int n = best.length;
      switch (type) {
        case INT: {
          int[] v = new int[n];
          for (int i = 0; i < n; i++) {
            v[i] = (Integer) values[best[i]];
          }
          return Column.ofInts("prediction", v);
        }
        case LONG: {
          long[] v = new long[n];
          for (int i = 0; i < n; i++) {
            v[i] = (Long) values[best[i]];
          }
          return Column.ofLongs("prediction", v);
        }
        case BOOLEAN: {
          boolean[] v = new boolean[n];
          for (int i = 0; i < n; i++) {
            v[i] = (Boolean) values[best[i]];
          }
          return Column.ofBooleans("prediction", v);
        }
        default: {
          List<Object> v = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            v.add(values[best[i]]);
          }
          return Column.of("prediction", type, v);
        }
      }
    }
  }

  private volatile Labels labels; // made on first use: only classifiers have them

  private Labels labels() {
    Labels l = labels;
    if (l == null) {
      l = new Labels(bundle);
      labels = l;
    }
    return l;
  }

  private static Object parse(String v, DataType t) {
    return switch (t) {
      case BOOLEAN -> Boolean.parseBoolean(v);
      case LONG -> Long.parseLong(v);
      case INT -> Integer.parseInt(v);
      default -> v;
    };
  }

  private void check(Frame rows) {
    List<String> problems = new ArrayList<>();
    for (Field f : signature.inputs()) {
      if (!rows.hasColumn(f.name())) {
        problems.add("missing column '" + f.name() + "' (" + f.type() + ")");
        continue;
      }
      Column c = rows.column(f.name());
      if (c.type() != f.type()) {
        problems.add("column '" + f.name() + "' is " + c.type() + " but the model takes " + f.type());
      } else if (!f.nullable() && c.hasNulls()) {
        int r = c.firstNull();
        problems.add("column '" + f.name() + "' has " + c.nullCount() + " null(s) (first at row " + r
            + ") but had none in training");
      }
    }
    if (!problems.isEmpty()) {
      throw Errors.rowsDoNotFit(problems, signature.inputs());
    }
  }

  /**
   * Batch scoring from keys: the model's feature spec looks features up in the Delta tables (point in
   * time when the keys frame has the spec's timestamp columns, else the latest values), computes
   * on-demand features, applies the fitted preprocessing and predicts. Feature columns already in
   * {@code keys} override looked-up values.
   *
   * @throws PredictionInputException when the model has no feature spec or the keys do not match it
   */
  public Frame score(Frame keys) {
    return predict(featureStore().lookupFeatures(requireSpec(keys), keys));
  }

  /** Like {@link #score} with features from an online store (the serving path). */
  public Frame scoreOnline(Frame keys, OnlineStore online) {
    return predict(featureStore().lookupOnline(requireSpec(keys), keys, online));
  }

  private FeatureSpec requireSpec(Frame keys) {
    FeatureSpec s = spec.orElseThrow(Errors::noFeatureSpec);
    List<String> missing = new ArrayList<>();
    for (FeatureSpec.Lookup l : s.lookups()) {
      for (int i = 0; i < l.lookupKeys().size(); i++) {
        String k = l.lookupKeys().get(i);
        if (!keys.hasColumn(k)) {
          missing.add("'" + k + "' (key of " + l.table() + ")");
        }
      }
    }
    if (!missing.isEmpty()) {
      throw Errors.missingLookupKeys(missing, keys.schema().names());
    }
    return s;
  }

  private FeatureStore featureStore() {
    if (store != null) {
      return store;
    }
    if (ws == null) {
      throw Errors.noWorkspace();
    }
    return FeatureStore.of(ws);
  }
}
