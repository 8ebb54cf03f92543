package dev.mlops.models;

import dev.mlops.core.Column;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Frame;
import dev.mlops.core.Schema;
import dev.mlops.core.Workspace;
import dev.mlops.core.internal.Json;
import dev.mlops.features.FeatureSpec;
import dev.mlops.features.FeatureStore;
import dev.mlops.features.TrainingSet;
import dev.mlops.models.internal.Args;
import dev.mlops.models.internal.Errors;
import dev.mlops.models.internal.Metrics;
import dev.mlops.models.internal.ModelBundle;
import dev.mlops.models.internal.Pipeline;
import dev.mlops.models.internal.SmileModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a Smile model with preprocessing from a {@link TrainingSet} or a {@link Frame}, measures
 * it, and (inside a run) logs params, metrics, the feature spec and the model package.
 *
 * <pre>{@code
 * TrainedModel m = Trainer.on(trainingSet)                  // label taken from the training set
 *     .task(Task.CLASSIFICATION)
 *     .algorithm(Algorithm.randomForest().trees(200).maxDepth(12))
 *     .preprocessing(Preprocessing.defaults().standardize(true))
 *     .validation(Validation.holdout(0.2))
 *     .seed(42)
 *     .run(run)                                             // optional: log everything to this run
 *     .fit();
 * m.evaluation().metric("auc");
 * ModelVersion v = m.register(ModelRegistry.of(ws), "main.ml.churn");
 * }</pre>
 */
public final class Trainer {
  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

  private final Frame frame;
  private final TrainingSet trainingSet;
  private Task task = Task.CLASSIFICATION;
  private String label;
  private List<String> features;
  private final List<String> exclude = new ArrayList<>();
  private Algorithm algorithm;
  private Preprocessing preprocessing = Preprocessing.defaults();
  private Validation validation = Validation.holdout(0.2);
  private long seed = 42;
  private TrainingListener listener;
  private Run run;

  private Trainer(Frame frame, TrainingSet ts) {
    this.frame = frame;
    this.trainingSet = ts;
    this.label = ts == null ? null : ts.label().orElse(null);
  }

  /** Trains on a training set (its label, feature spec and spine are recorded with the model). */
  public static Trainer on(TrainingSet ts) {
    Args.notNull(ts, "The training set", "build one with fs.trainingSet(spine)...build(), or use Trainer.on(frame)");
    return new Trainer(ts.load(), ts);
  }

  /** Trains on a frame. */
  public static Trainer on(Frame rows) {
    return new Trainer(Args.notNull(rows, "The training rows", "pass a Frame, or use Trainer.on(trainingSet)"), null);
  }

  /** Classification (default) or regression. */
  public Trainer task(Task t) {
    this.task = Args.notNull(t, "The task", "pass Task.CLASSIFICATION or Task.REGRESSION");
    return this;
  }

  /** The label column. */
  public Trainer label(String column) {
    this.label = Args.notNull(column, "The label column", "name the column to learn, e.g. \"churned\"");
    return this;
  }

  /** The feature columns (default: all but the label and the training set's key and time columns). */
  public Trainer features(String... columns) {
    this.features = List.copyOf(names(columns, "The list of feature columns", "A feature column name", "name the feature columns, or leave features out to use all"));
    return this;
  }

  /** Columns not to use as features. */
  public Trainer exclude(String... columns) {
    exclude.addAll(names(columns, "The list of excluded columns", "An excluded column name", "name the columns not to use"));
    return this;
  }

  /** The algorithm (default: random forest for classification and regression). */
  public Trainer algorithm(Algorithm a) {
    this.algorithm = Args.notNull(a, "The algorithm", "pass e.g. Algorithm.randomForest(), or leave it out for that default");
    return this;
  }

  /** Preprocessing settings. */
  public Trainer preprocessing(Preprocessing p) {
    this.preprocessing = Args.notNull(p, "The preprocessing", "pass Preprocessing.defaults() or leave it out");
    return this;
  }

  /** Validation (default holdout 20 %). */
  public Trainer validation(Validation v) {
    this.validation = Args.notNull(v, "The validation", "pass Validation.holdout(0.2), kFold(k) or none()");
    return this;
  }

  /** Random seed: same data + seed → identical model. */
  public Trainer seed(long s) {
    this.seed = s;
    return this;
  }

  /** Progress listener (default: a log line at most every 5 s). */
  public Trainer progress(TrainingListener l) {
    this.listener = Args.notNull(l, "The progress listener", "pass a TrainingListener or leave it out for log lines");
    return this;
  }

  /** Log params, metrics, feature spec, training data reference and model package to this run. */
  public Trainer run(Run r) {
    this.run = Args.notNull(r, "The run", "start one with tracking.experiment(name).start(runName), or leave it out");
    return this;
  }

  /**
   * Trains.
   *
   * @throws TrainingException for a missing or all-null label, a single class, a non-numeric
   *     regression label, an unusable column, an algorithm that does not fit the task
   */
  public TrainedModel fit() {
    Algorithm algo = algorithm != null ? algorithm : Algorithm.randomForest();
    if (label == null) {
      throw Errors.noLabel();
    }
    if (!frame.hasColumn(label)) {
      throw Errors.missingColumn("Label", label, frame.schema().names());
    }
    if (!algo.tasks().contains(task)) {
      throw Errors.wrongTask(algo.name(), task, algo.tasks());
    }
    List<String> feats = resolveFeatures();
    TrainingConfig config = new TrainingConfig(task, label, feats, algo, preprocessing, validation, seed);
    Optional<FeatureSpec> spec = trainingSet == null ? Optional.empty() : Optional.of(trainingSet.spec());
    Frame spine = trainingSet == null ? null : trainingSet.spine();
    TrainedModel m = train(frame, config, spec, spine, listener != null ? listener : new LoggingListener());
    if (run != null) {
      m.logTo(run);
    }
    return m;
  }

  private List<String> resolveFeatures() {
    List<String> out;
    if (features != null) {
      out = features;
    } else {
      Set<String> skip = new LinkedHashSet<>(exclude);
      skip.add(label);
      if (trainingSet != null) {
        skip.addAll(trainingSet.spec().keyColumns());
        trainingSet.spec().lookups().forEach(l -> l.timestampOutput().ifPresent(skip::add)); // staleness, not a feature
      }
      out = new ArrayList<>();
      for (String n : frame.schema().names()) {
        if (!skip.contains(n)) {
          out.add(n);
        }
      }
    }
    for (String f : out) {
      if (!frame.hasColumn(f)) {
        throw Errors.missingColumn("Feature", f, frame.schema().names());
      }
      if (f.equals(label)) {
        throw Errors.labelIsFeature(label);
      }
    }
    if (out.isEmpty()) {
      throw Errors.noFeatures(label, exclude);
    }
    return List.copyOf(out);
  }

  /** Trains from a config (used by fit and by reproduce). */
  static TrainedModel train(Frame data, TrainingConfig c, Optional<FeatureSpec> spec, Frame spine, TrainingListener l) {
    Instant start = Instant.now();
    Column y = data.column(c.label());
    if (y.nullCount() == y.size()) {
      throw Errors.labelAllNull(c.label(), y.size());
    }
    Frame rows = y.hasNulls() ? data.filter(i -> !y.isNull(i)) : data;
    if (y.hasNulls()) {
      LOG.warn("Dropped {} rows whose label '{}' is null", y.nullCount(), c.label());
    }
    Column label = rows.column(c.label());
    String[] classes = new String[0];
    int[] yClass = null;
    double[] yValue = null;
    if (c.task() == Task.CLASSIFICATION) {
      if (label.type() == DataType.DOUBLE || label.type() == DataType.TIMESTAMP || label.type() == DataType.DATE) {
        throw Errors.labelNotClass(c.label(), label.type());
      }
      TreeSet<String> distinct = new TreeSet<>(Trainer::compareLabels);
      for (int i = 0; i < label.size(); i++) {
        distinct.add(String.valueOf(label.get(i)));
      }
      classes = distinct.toArray(new String[0]);
      if (classes.length < 2) {
        throw Errors.singleClass(c.label(), classes[0], label.size());
      }
      Map<String, Integer> code = new HashMap<>();
      for (int i = 0; i < classes.length; i++) {
        code.put(classes[i], i);
      }
      yClass = new int[label.size()];
      for (int i = 0; i < yClass.length; i++) {
        yClass[i] = code.get(String.valueOf(label.get(i)));
      }
    } else {
      if (!label.type().isNumeric()) {
        throw Errors.labelNotNumeric(c.label(), label.type());
      }
      yValue = label.toDoubleArray();
    }
    int n = rows.rowCount();
    int[] perm = permutation(n, c.seed());
    Map<String, Double> metrics = new LinkedHashMap<>();
    int[][] confusion = new int[classes.length][classes.length];
    ModelBundle bundle;
    String method = c.validation().describe();
    if (c.validation() instanceof Validation.Holdout holdout) {
      int nValid = Math.max(1, (int) Math.round(n * holdout.fraction()));
      if (n - nValid < 2) {
        throw Errors.tooFewForHoldout(n, holdout.fraction());
      }
      int[] valid = Arrays.copyOfRange(perm, 0, nValid);
      int[] train = Arrays.copyOfRange(perm, nValid, n);
      Arrays.sort(valid);
      Arrays.sort(train);
      l.onProgress("preprocessing", 0.0);
      bundle = fitOne(rows.take(train), c, classes, yClass, yValue, train);
      l.onProgress("evaluation", 0.9);
      evaluate(bundle, rows.take(valid), c, classes, yClass, yValue, valid, metrics, confusion, 1);
    } else if (c.validation() instanceof Validation.KFold kFold) {
      int k = kFold.folds();
      if (n < k) {
        throw Errors.tooFewForFolds(n, k);
      }
      for (int f = 0; f < k; f++) {
        l.onProgress("fold " + (f + 1) + "/" + k, (double) f / (k + 1));
        int lo = (int) ((long) n * f / k);
        int hi = (int) ((long) n * (f + 1) / k);
        int[] valid = Arrays.copyOfRange(perm, lo, hi);
        int[] train = new int[n - (hi - lo)];
        System.arraycopy(perm, 0, train, 0, lo);
        System.arraycopy(perm, hi, train, lo, n - hi);
        Arrays.sort(valid);
        Arrays.sort(train);
        ModelBundle b = fitOne(rows.take(train), c, classes, yClass, yValue, train);
        evaluate(b, rows.take(valid), c, classes, yClass, yValue, valid, metrics, confusion, k);
      }
      l.onProgress("final model", (double) k / (k + 1));
      bundle = fitOne(rows, c, classes, yClass, yValue, null);
    } else {
      l.onProgress("final model", 0.0);
      bundle = fitOne(rows, c, classes, yClass, yValue, null);
    }
    l.onProgress("done", 1.0);
    Evaluation eval = new Evaluation(method, metrics, confusion, List.of(classes));
    return new TrainedModel(bundle, c, eval, spec, spine != null ? spine : data, signature(rows, c, bundle), rows.select(c.features()).head(5),
        start, Duration.between(start, Instant.now()));
  }

  private static int compareLabels(String a, String b) {
    try {
      return Long.compare(Long.parseLong(a), Long.parseLong(b));
    } catch (NumberFormatException e) {
      return a.compareTo(b);
    }
  }

  private static int[] permutation(int n, long seed) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    Random r = new Random(seed);
    for (int i = n - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  private static ModelBundle fitOne(Frame rows, TrainingConfig c, String[] classes, int[] yClass, double[] yValue,
      int[] idx) {
    Pipeline pipe = Pipeline.fit(rows, c.features(), c.preprocessing());
    double[][] x = pipe.transform(rows);
    SmileModel m;
    if (c.task() == Task.CLASSIFICATION) {
      int[] y = idx == null ? yClass : pick(yClass, idx);
      Set<Integer> present = new java.util.HashSet<>();
      for (int v : y) {
        present.add(v);
      }
      if (present.size() < 2) {
        throw Errors.singleClassInPart(c.label());
      }
      m = SmileModel.classifier(c.algorithm(), x, y, classes.length, c.seed());
    } else {
      double[] y = idx == null ? yValue : pick(yValue, idx);
      m = SmileModel.regressor(c.algorithm(), x, y, c.seed());
    }
    return new ModelBundle(pipe, m, c.task().name(), c.label(), rows.column(c.label()).type().name(), classes);
  }

  private static void evaluate(ModelBundle b, Frame valid, TrainingConfig c, String[] classes, int[] yClass,
      double[] yValue, int[] idx, Map<String, Double> acc, int[][] confusion, int folds) {
    double[][] x = b.pipeline.transform(valid);
    Map<String, Double> m;
    if (c.task() == Task.CLASSIFICATION) {
      m = Metrics.classification(pick(yClass, idx), b.model.probabilities(x), classes.length, confusion);
    } else {
      m = Metrics.regression(pick(yValue, idx), b.model.values(x));
    }
    m.forEach((k, v) -> acc.merge(k, v / folds, Double::sum));
  }

  private static int[] pick(int[] a, int[] idx) {
    int[] o = new int[idx.length];
    for (int i = 0; i < idx.length; i++) {
      o[i] = a[idx[i]];
    }
    return o;
  }

  private static double[] pick(double[] a, int[] idx) {
    double[] o = new double[idx.length];
    for (int i = 0; i < idx.length; i++) {
      o[i] = a[idx[i]];
    }
    return o;
  }

  private static ModelSignature signature(Frame rows, TrainingConfig c, ModelBundle b) {
    List<Field> in = new ArrayList<>();
    for (String f : c.features()) {
      Column col = rows.column(f);
      in.add(new Field(f, col.columnType(), col.hasNulls(), ""));
    }
    List<Field> out = new ArrayList<>();
    if (c.task() == Task.CLASSIFICATION) {
      out.add(Field.of("prediction", DataType.valueOf(b.labelType)));
      for (String cl : b.classes) {
        out.add(Field.of("probability_" + sanitize(cl), DataType.DOUBLE));
      }
    } else {
      out.add(Field.of("prediction", DataType.DOUBLE));
    }
    return ModelSignature.of(new Schema(in), new Schema(out));
  }

  private static final java.util.regex.Pattern UNSAFE = java.util.regex.Pattern.compile("[^A-Za-z0-9_]");

  static String sanitize(String s) {
    return UNSAFE.matcher(s).replaceAll("_");
  }

  /**
   * Trains a registered model version again from what was recorded: its training set is rebuilt from
   * the feature spec (each table read at its recorded Delta version) and the recorded spine, then the
   * same algorithm, hyperparameters, preprocessing and seed are applied. Predictions equal the
   * original's.
   *
   * @param ws the workspace holding the registry, runs and feature tables
   * @param modelUri e.g. {@code models:/main.ml.churn/3} or {@code models:/main.ml.churn@champion}
   */
  public static TrainedModel reproduce(Workspace ws, String modelUri) {
    Args.notNull(ws, "The workspace", "open one with Workspace.open(dir)");
    Args.notNull(modelUri, "The model URI", "pass models:/name/version or models:/name@alias");
    ModelRegistry registry = ModelRegistry.of(ws);
    ResolvedModel resolved = registry.resolve(modelUri);
    ModelVersion v = resolved.version().orElseThrow(() -> Errors.notRegisteredVersion(modelUri));
    String runId = v.runId().orElseThrow(() -> Errors.versionWithoutRun(v.name(), v.version()));
    Tracking tracking = Tracking.of(ws);
    Path configFile = tracking.artifact(runId, TrainedModel.CONFIG_ARTIFACT);
    TrainingConfig config;
    try {
      config = Json.read(Files.readString(configFile), TrainingConfig.class);
    } catch (java.io.IOException e) {
      throw Errors.unreadableTrainingFile("training config", runId, e);
    }
    Optional<FeatureSpec> spec = tracking.featureSpec(runId).map(m -> Json.MAPPER.convertValue(m, FeatureSpec.class));
    Frame data;
    Frame spine = null;
    if (spec.isPresent()) {
      Path spineFile = tracking.artifact(runId, TrainedModel.SPINE_ARTIFACT);
      Path schemaFile = tracking.artifact(runId, TrainedModel.SPINE_SCHEMA_ARTIFACT);
      try {
        Schema schema = Json.read(Files.readString(schemaFile), Schema.class);
        spine = Frame.readCsv(spineFile, schema);
      } catch (java.io.IOException e) {
        throw Errors.unreadableTrainingFile("training spine", runId, e);
      }
      data = FeatureStore.of(ws).trainingSet(spine, spec.get()).load();
    } else {
      Path dataFile = tracking.artifact(runId, TrainedModel.SPINE_ARTIFACT);
      Path schemaFile = tracking.artifact(runId, TrainedModel.SPINE_SCHEMA_ARTIFACT);
      try {
        data = Frame.readCsv(dataFile, Json.read(Files.readString(schemaFile), Schema.class));
      } catch (java.io.IOException e) {
        throw Errors.unreadableTrainingFile("training data", runId, e);
      }
    }
    return train(data, config, spec, spine, new LoggingListener());
  }

  private static List<String> names(String[] columns, String list, String element, String fix) {
    Args.notNull(columns, list, fix);
    for (String c : columns) {
      Args.notNull(c, element, fix);
    }
    return List.of(columns);
  }

  /** Logs stage changes at INFO at most every 5 seconds (and always the end). */
  static final class LoggingListener implements TrainingListener {
    private long last;

    @Override
    public void onProgress(String stage, double done) {
      long now = System.nanoTime();
      if (done >= 1.0 || now - last > 5_000_000_000L) {
        last = now;
        LOG.info("Training: {} ({}%)", stage, Math.round(done * 100));
      }
    }
  }
}
