package dev.mlops.models;

import dev.mlops.models.internal.Errors;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One immutable model package registered under a model name, with a number 1, 2, 3…
 *
 * <pre>{@code
 * ModelVersion v = registry.register("main.ml.churn", run.artifactUri("model"));
 * v.version();   // 4
 * v.uri();       // "models:/main.ml.churn/4"
 * v.runId();     // the training run, for lineage
 * }</pre>
 *
 * @param name the model's {@code catalog.schema.name}
 * @param version the number (from 1, contiguous)
 * @param runId the training run, when given
 * @param source where the package was registered from (a path or a {@code runs:/} URI)
 * @param description free text
 * @param tags tags
 * @param status READY or DELETED (soft delete)
 * @param createdAt registration time
 * @param updatedAt last change of description, tags or status
 * @param aliases the aliases pointing at this version
 * @param packageDigest SHA-256 of the package's checksums.json (identifies the package content)
 * @param featureSpec the training set's feature spec (from the package, else from the run), empty if none
 * @param flavor the package's flavor
 * @param packageDir the package directory
 */
public record ModelVersion(String name, int version, Optional<String> runId, String source, String description,
    Map<String, String> tags, ModelVersionStatus status, Instant createdAt, Instant updatedAt,
    List<String> aliases, String packageDigest, Map<String, Object> featureSpec, String flavor,
    Path packageDir) {
  /** Validates and copies. */
  public ModelVersion {
    Objects.requireNonNull(name, "name");
    if (version < 1) {
      throw Errors.badVersionNumber(version);
    }
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
    Objects.requireNonNull(packageDigest, "packageDigest");
    Objects.requireNonNull(flavor, "flavor");
    Objects.requireNonNull(packageDir, "packageDir");
    tags = Map.copyOf(tags);
    aliases = List.copyOf(aliases);
    featureSpec = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(featureSpec));
  }

  /** {@code models:/<name>/<version>}. */
  public String uri() {
    return "models:/" + name + "/" + version;
  }
}
