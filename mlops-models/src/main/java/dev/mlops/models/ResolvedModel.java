package dev.mlops.models;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a model URI points: the package directory and, for {@code models:/} URIs, the version.
 * Nothing is verified or deserialized; use {@link ModelRegistry#load(String)} for that.
 *
 * <pre>{@code
 * ResolvedModel r = registry.resolve("models:/main.ml.churn@champion");
 * r.version().orElseThrow().version();   // 3
 * }</pre>
 *
 * @param uri the URI as parsed
 * @param packageDir the package directory
 * @param version the registry version (empty for {@code runs:/} URIs)
 */
public record ResolvedModel(ModelUri uri, Path packageDir, Optional<ModelVersion> version) {
  /** Validates. */
  public ResolvedModel {
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(packageDir, "packageDir");
    Objects.requireNonNull(version, "version");
  }
}
