/**
 * Serving: a registered model behind an in-process endpoint bound to {@code models:/name@alias} (hot
 * swapped when the alias moves), MLflow's scoring protocol over HTTP on the JDK's built-in server, and
 * inference and predictions tables in the workspace.
 *
 * <pre>{@code
 * try (ServingEndpoint ep = ServingEndpoint.builder(ws, "models:/main.ml.churn@champion").build();
 *      InferenceLog log = InferenceLog.builder(ws, "main.serving.churn").build();
 *      ScoringServer server = ScoringServer.builder(ep).port(0).inferenceLog(log).start()) {
 *   // POST server.uri() + "invocations" with {"dataframe_records": [{"customer_id": 7}]}
 * }
 * }</pre>
 *
 * <p>Internals live in {@code dev.mlops.serving.internal} and are not API.
 */
package dev.mlops.serving;
