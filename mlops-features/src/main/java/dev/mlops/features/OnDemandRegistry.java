package dev.mlops.features;

import dev.mlops.features.internal.Errors;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The on-demand feature functions a {@link FeatureStore} can compute, by name. A feature spec records
 * only a function's name, type and inputs; training and scoring find the function here, so the
 * application that scores registers the same functions at start-up.
 *
 * <p>Registries are explicit: {@code FeatureStore.of(ws)} uses the registry of that {@code Workspace}
 * object (shared by the stores, predictors and training sets built on it), and
 * {@code FeatureStore.of(ws, registry)} uses the one given, so two libraries in one JVM can register
 * different functions under the same name. Registering a different function under a taken name is
 * refused; {@link #replace} says so on purpose.
 *
 * <pre>{@code
 * OnDemandRegistry functions = OnDemandRegistry.create();
 * functions.register(OnDemandFeature.of("spend_per_visit", DataType.DOUBLE, List.of("spend_30d", "visits_7d"),
 *     in -> in[1] == null || (Integer) in[1] == 0 ? null : (Double) in[0] / (Integer) in[1]));
 * FeatureStore fs = FeatureStore.of(ws, functions);
 * }</pre>
 */
public final class OnDemandRegistry {
  private final Map<String, OnDemandFeature> features = new ConcurrentHashMap<>();

  private OnDemandRegistry() {}

  /** An empty registry. */
  public static OnDemandRegistry create() {
    return new OnDemandRegistry();
  }

  /**
   * Registers a feature under its name; registering the same feature again does nothing.
   *
   * @return the feature
   * @throws FeatureStoreException when another function is already registered under the name
   */
  public OnDemandFeature register(OnDemandFeature feature) {
    if (feature == null) {
      throw Errors.nullOnDemandFeature();
    }
    OnDemandFeature before = features.putIfAbsent(feature.name(), feature);
    if (before != null && !before.equals(feature)) {
      throw Errors.onDemandFeatureAlreadyRegistered(feature.name(), before.type(), before.inputs());
    }
    return feature;
  }

  /** Registers a feature, replacing any function registered under its name. */
  public OnDemandFeature replace(OnDemandFeature feature) {
    if (feature == null) {
      throw Errors.nullOnDemandFeature();
    }
    features.put(feature.name(), feature);
    return feature;
  }

  /** The feature registered under name. */
  public Optional<OnDemandFeature> find(String name) {
    return Optional.ofNullable(features.get(name));
  }

  /** The registered names, sorted. */
  public List<String> names() {
    return features.keySet().stream().sorted().toList();
  }

  @Override
  public String toString() {
    return "OnDemandRegistry" + names();
  }
}
