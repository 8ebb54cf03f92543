package dev.mlops.serving;

import dev.mlops.serving.internal.Errors;
import java.util.Objects;

/**
 * One model version an endpoint serves now.
 *
 * <pre>{@code
 * endpoint.served().get(0).version();   // 3
 * }</pre>
 *
 * @param uri the URI the route is bound to, e.g. {@code models:/main.ml.churn@champion}
 * @param modelName the registered model
 * @param version the version loaded for it
 * @param trafficPercent the share of requests routed to it (0..100)
 * @param inFlight requests being scored by it right now
 */
public record ServedVersion(String uri, String modelName, int version, int trafficPercent, int inFlight) {
  /** Validates. */
  public ServedVersion {
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(modelName, "modelName");
    if (trafficPercent < 0 || trafficPercent > 100) {
      throw Errors.badTrafficPercent(trafficPercent);
    }
  }

  /** {@code <modelName>-<version>}, as in the {@code served-model-name} header. */
  public String servedModelName() {
    return modelName + "-" + version;
  }
}
