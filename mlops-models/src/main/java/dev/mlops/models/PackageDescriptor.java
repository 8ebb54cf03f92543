package dev.mlops.models;

import dev.mlops.core.Frame;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a model package says about its model ({@code MLmodel.json}): flavor, class, signature, input
 * example, feature spec, hyperparameters, seed, metrics and provenance.
 *
 * <pre>{@code
 * PackageDescriptor d = registry.load("models:/main.ml.churn@champion").descriptor();
 * d.flavor();                     // "smile"
 * d.signature().inputSchema();
 * d.hyperparameters().get("trees");
 * }</pre>
 *
 * @param formatVersion package format (1)
 * @param flavor which library's model this is, e.g. "smile"; chooses the deserialization allow-list
 * @param modelClass the serialized object's class
 * @param signature input and output columns
 * @param inputExample a few input rows
 * @param featureSpec the training set's feature spec (empty when none)
 * @param hyperparameters training hyperparameters
 * @param seed the random seed, when one was used
 * @param metrics evaluation metrics recorded with the model
 * @param provenance SDK, Java and OS versions (and git state) where it was built
 * @param trainedAt when the package was built (or the time given to the builder)
 * @param trainingDuration how long training took, when given
 */
public record PackageDescriptor(int formatVersion, String flavor, String modelClass, ModelSignature signature,
    Optional<Frame> inputExample, Map<String, Object> featureSpec, Map<String, Object> hyperparameters,
    OptionalLong seed, Map<String, Double> metrics, Provenance provenance, Instant trainedAt,
    Optional<Duration> trainingDuration) {

  /** Validates and copies. */
  public PackageDescriptor {
    Objects.requireNonNull(flavor, "flavor");
    Objects.requireNonNull(modelClass, "modelClass");
    Objects.requireNonNull(signature, "signature");
    Objects.requireNonNull(inputExample, "inputExample");
    Objects.requireNonNull(seed, "seed");
    Objects.requireNonNull(provenance, "provenance");
    Objects.requireNonNull(trainedAt, "trainedAt");
    Objects.requireNonNull(trainingDuration, "trainingDuration");
    featureSpec = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(featureSpec));
    hyperparameters = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(hyperparameters));
    metrics = Map.copyOf(metrics);
  }
}
