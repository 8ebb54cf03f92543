/**
 * Monitoring of Delta tables, as Databricks Lakehouse Monitoring does it: per-window and per-slice
 * profiles, drift statistics and model quality, written as the Delta tables
 * {@code <table>_profile_metrics} and {@code <table>_drift_metrics}.
 *
 * <pre>{@code
 * Monitors monitors = Monitors.of(ws);
 * Monitor m = monitors.create("main.ml.scores_log")
 *     .inferenceLog(InferenceLog.classification("ts", "prediction", "model_version")
 *         .label("label").granularities("1 day"))
 *     .slicingExprs("country", "amount > 100")
 *     .create();
 * RefreshInfo r = m.refresh();
 * }</pre>
 */
package dev.mlops.monitor;
