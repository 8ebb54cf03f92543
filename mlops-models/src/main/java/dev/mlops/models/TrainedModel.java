package dev.mlops.models;

import dev.mlops.core.Frame;
import dev.mlops.core.Lineage;
import dev.mlops.core.Workspace;
import dev.mlops.core.internal.Json;
import dev.mlops.features.FeatureSpec;
import dev.mlops.models.internal.Args;
import dev.mlops.models.internal.ModelBundle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A model fresh from {@link Trainer#fit()}: fitted preprocessing + Smile model, its evaluation, the
 * config and data references that reproduce it. Predict in-process, log it to a run, register it.
 *
 * <pre>{@code
 * Frame scored = model.predict(newRows);                 // input + prediction (+ probability_*) columns
 * ModelVersion v = model.register(registry, "main.ml.churn");
 * }</pre>
 */
public final class TrainedModel {
  static final String CONFIG_ARTIFACT = "training/config.json";
  static final String SPINE_ARTIFACT = "training/spine.csv";
  static final String SPINE_SCHEMA_ARTIFACT = "training/spine-schema.json";
  static final String MODEL_ARTIFACT = "model";

  private final ModelBundle bundle;
  private final TrainingConfig config;
  private final Evaluation evaluation;
  private final Optional<FeatureSpec> spec;
  private final Frame spine;
  private final ModelSignature signature;
  private final Frame inputExample;
  private final Instant trainedAt;
  private final Duration duration;
  private final Predictor predictor;
  private Run loggedTo;

  TrainedModel(ModelBundle bundle, TrainingConfig config, Evaluation evaluation, Optional<FeatureSpec> spec, Frame spine,
      ModelSignature signature, Frame inputExample, Instant trainedAt, Duration duration) {
    this.bundle = bundle;
    this.config = config;
    this.evaluation = evaluation;
    this.spec = spec;
    this.spine = spine;
    this.signature = signature;
    this.inputExample = inputExample;
    this.trainedAt = trainedAt;
    this.duration = duration;
    this.predictor = new Predictor(bundle, signature, spec, null);
  }

  /** Quality on held-out rows. */
  public Evaluation evaluation() {
    return evaluation;
  }

  /** How it was trained. */
  public TrainingConfig config() {
    return config;
  }

  /** Input columns and types, and output columns. */
  public ModelSignature signature() {
    return signature;
  }

  /** The training set's feature spec, when trained from one. */
  public Optional<FeatureSpec> featureSpec() {
    return spec;
  }

  /** Training time. */
  public Duration trainingDuration() {
    return duration;
  }

  /** Predicts for rows holding the feature columns; see {@link Predictor#predict}. */
  public Frame predict(Frame rows) {
    Args.notNull(rows, "The rows to predict", "pass a Frame holding the feature columns");
    return predictor.predict(rows);
  }

  /** An in-process predictor for this model. */
  public Predictor predictor() {
    return predictor;
  }

  /** The model package (descriptor, serialized model, checksums when written). */
  public ModelPackage toPackage() {
    Map<String, Object> hp = new LinkedHashMap<>(config.algorithm().hyperparameters());
    ModelPackage.Builder b = ModelPackage.builder().flavor("smile").model(bundle).signature(signature)
        .inputExample(inputExample).hyperparameters(hp).hyperparameter("algorithm", config.algorithm().name())
        .hyperparameter("task", config.task().name()).seed(config.seed()).metrics(evaluation.metrics())
        .trainedAt(trainedAt).trainingDuration(duration);
    spec.ifPresent(s -> b.featureSpec(specMap(s)));
    return b.build();
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> specMap(FeatureSpec s) {
    return Json.MAPPER.convertValue(s, Map.class);
  }

  /** Logs params, metrics, feature spec, training data references and the package to a run. */
  public TrainedModel logTo(Run run) {
    Args.notNull(run, "The run", "start one with tracking.experiment(name).start(runName)");
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("algorithm", config.algorithm().name());
    config.algorithm().hyperparameters().forEach((k, v) -> params.put(k, v));
    params.put("task", config.task().name());
    params.put("label", config.label());
    params.put("seed", config.seed());
    params.put("features", String.join(",", config.features()));
    params.put("imputation", config.preprocessing().imputation().name());
    params.put("encoding", config.preprocessing().encoding().name());
    params.put("standardize", config.preprocessing().standardize());
    params.put("validation", evaluation.method());
    run.logParams(params);
    evaluation.metrics().forEach((k, v) -> {
      if (!v.isNaN() && !v.isInfinite()) {
        run.logMetric(k, v);
      }
    });
    spec.ifPresent(s -> run.logFeatureSpec(specMap(s)));
    Path tmp = null;
    try {
      tmp = Files.createTempDirectory("mlops-training");
      Path dir = Files.createDirectories(tmp.resolve("training"));
      Files.writeString(dir.resolve("config.json"), Json.write(config));
      Frame data = spine;
      if (data != null) {
        data.writeCsv(dir.resolve("spine.csv"));
        Files.writeString(dir.resolve("spine-schema.json"), Json.write(data.schema()));
      }
      run.logArtifacts(dir, "training");
      run.logModel(MODEL_ARTIFACT, toPackage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      if (tmp != null) {
        dev.mlops.core.internal.FileTrees.deleteQuietly(tmp);
      }
    }
    this.loggedTo = run;
    return this;
  }

  /**
   * Registers this model as a new version: from the run it was logged to ({@code runs:/<run-id>/model},
   * so the version knows its run, training data and feature spec) or, when not logged, from its package
   * alone. Lineage edges from each feature table version to the model version are written to the
   * workspace. The other way to register is {@link ModelRegistry#register(String, String)} with a
   * {@code runs:/} URI of a package logged in a run.
   *
   * <pre>{@code
   * TrainedModel model = Trainer.on(ts).run(run).fit();
   * ModelVersion v = model.register(registry, "main.ml.churn");
   * }</pre>
   *
   * @param registry the registry
   * @param name the model name, {@code catalog.schema.model}
   * @return the new version
   */
  public ModelVersion register(ModelRegistry registry, String name) {
    Args.notNull(registry, "The registry", "pass ModelRegistry.of(ws)");
    Args.notNull(name, "The model name", "pass catalog.schema.model, e.g. \"main.ml.churn\"");
    ModelVersion v = loggedTo != null
        ? registry.register(name, "runs:/" + loggedTo.id() + "/" + MODEL_ARTIFACT)
        : registry.register(name, toPackage(), null);
    spec.ifPresent(s -> {
      Workspace ws = registry.workspace();
      List<Lineage.Edge> edges = new ArrayList<>();
      for (FeatureSpec.Lookup l : s.lookups()) {
        edges.add(new Lineage.Edge(Lineage.Node.table(l.table(), l.tableVersion()),
            new Lineage.Node("MODEL", v.name(), (long) v.version()), "trained_on", null, String.join(",", l.features())));
      }
      ws.lineage().record(edges);
    });
    return v;
  }
}
