/**
 * Training, scoring, experiment tracking and a file-based model registry, in the workspace and
 * without a server.
 *
 * <p>The classes most programs need:
 * <ul>
 *   <li>{@link dev.mlops.models.Trainer} fits a Smile model (with preprocessing and validation) on a
 *       training set, logs it into a {@link dev.mlops.models.Run} and registers it;</li>
 *   <li>{@link dev.mlops.models.Predictor} loads a registered model by URI
 *       ({@code models:/name@alias}) and scores rows, or keys whose features it looks up;</li>
 *   <li>{@link dev.mlops.models.Tracking} holds experiments and runs (parameters, metrics,
 *       artifacts, search);</li>
 *   <li>{@link dev.mlops.models.ModelRegistry} holds versions and aliases;
 *       {@link dev.mlops.models.ModelPackage} is the checksummed on-disk form of any model.</li>
 * </ul>
 *
 * <pre>{@code
 * Workspace ws = Workspace.open(Path.of("lakehouse"));
 * TrainingSet ts = FeatureStore.of(ws).trainingSet(labels).lookup(...).label("churned").build();
 * ModelRegistry registry = ModelRegistry.of(ws);
 * try (Run run = Tracking.of(ws).experiment("churn").start("rf")) {
 *   TrainedModel model = Trainer.on(ts).algorithm(Algorithm.randomForest()).run(run).fit();
 *   ModelVersion v = model.register(registry, "main.ml.churn");
 *   registry.setAlias("main.ml.churn", "champion", v.version());
 * }
 * Predictor champion = Predictor.load(ws, "models:/main.ml.churn@champion");
 * Frame scored = champion.score(Frame.of(Column.ofLongs("customer_id", 1, 2, 3)));
 * }</pre>
 *
 * <p>Every metadata write is atomic (temp file and atomic move) and several processes may share a
 * workspace. Logging: INFO for lifecycle events (experiment created, run started/ended, version
 * registered, alias moved) on loggers {@code dev.mlops.models.*}. Smile logs a line per tree at INFO:
 * set logger {@code smile} to WARN.
 */
package dev.mlops.models;
