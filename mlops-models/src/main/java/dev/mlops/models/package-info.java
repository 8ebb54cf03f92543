/**
 * Experiment tracking, a file-based model registry and model packages, in the workspace and without
 * a server. Entry points: {@link dev.mlops.models.Tracking#of(dev.mlops.core.Workspace)},
 * {@link dev.mlops.models.ModelRegistry#of(dev.mlops.core.Workspace)} and
 * {@link dev.mlops.models.ModelPackage#builder()}.
 *
 * <pre>{@code
 * Workspace ws = Workspace.open(Path.of("lakehouse"));
 * Tracking tracking = Tracking.of(ws);
 * ModelRegistry registry = ModelRegistry.of(ws);
 * RunInfo run = tracking.experiment("churn").run("lr", r -> {
 *   r.logParam("lambda", 0.1);
 *   r.logMetric("auc", 0.87);
 *   r.logModel("model", ModelPackage.builder().flavor("smile").model(lr).build());
 * });
 * ModelVersion v = registry.register("main.ml.churn", run.artifactUri("model"));
 * registry.setAlias("main.ml.churn", "champion", v.version());
 * LogisticRegression champion = registry.load("models:/main.ml.churn@champion")
 *     .deserialize(LogisticRegression.class);
 * }</pre>
 *
 * <p>Every metadata write is atomic (temp file and atomic move) and several processes may share a
 * workspace. Logging: INFO for lifecycle events (experiment created, run started/ended, version
 * registered, alias moved) on loggers {@code dev.mlops.models.*}. Smile logs a line per tree at INFO:
 * set logger {@code smile} to WARN.
 */
package dev.mlops.models;
