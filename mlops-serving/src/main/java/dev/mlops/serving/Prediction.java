package dev.mlops.serving;

import dev.mlops.core.Frame;
import dev.mlops.serving.internal.Errors;
import java.util.Objects;

/**
 * The answer of an endpoint to one request: the scored rows and the model version that answered.
 *
 * <pre>{@code
 * Prediction p = endpoint.predict(Frame.of(Column.ofLongs("customer_id", 7)));
 * p.modelVersion();                 // 3
 * p.servedModelName();              // "main.ml.churn-3"
 * p.rows().column("prediction");
 * }</pre>
 *
 * @param requestId the request id (routing is decided by it)
 * @param modelName the registered model's {@code catalog.schema.name}
 * @param modelVersion the version that answered
 * @param servedModelName {@code <modelName>-<modelVersion>}, sent in the {@code served-model-name} header
 * @param rows the rows as scored: inputs, looked-up features, {@code prediction} and {@code probability_<class>} columns
 * @param durationNanos time spent in feature lookup and the model
 */
public record Prediction(String requestId, String modelName, int modelVersion, String servedModelName, Frame rows,
    long durationNanos) {
  /** Validates. */
  public Prediction {
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(modelName, "modelName");
    Objects.requireNonNull(servedModelName, "servedModelName");
    Objects.requireNonNull(rows, "rows");
    if (modelVersion < 1) {
      throw Errors.badModelVersion(modelVersion);
    }
  }
}
