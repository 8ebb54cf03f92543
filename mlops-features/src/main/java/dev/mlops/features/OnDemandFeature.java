package dev.mlops.features;

import dev.mlops.core.DataType;
import dev.mlops.core.internal.Errors;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A feature computed by a named Java function from spine columns and looked-up features, the same
 * way when a training set is built and when a model scores later (no training/serving skew). A
 * feature spec records the name, type and inputs; training and scoring find the function by name in
 * the {@link OnDemandRegistry} of their {@link FeatureStore}, so the application that scores must
 * register the same function at start-up.
 *
 * <pre>{@code
 * OnDemandFeature ratio = OnDemandFeature.of("spend_per_visit", DataType.DOUBLE,
 *     List.of("spend_30d", "visits_7d"),
 *     in -> in[0] == null || in[1] == null || ((Integer) in[1]) == 0 ? null
 *         : (Double) in[0] / (Integer) in[1]);
 * fs.onDemandRegistry().register(ratio);        // or fs.trainingSet(spine).onDemand(ratio), which registers it
 * }</pre>
 *
 * <p><b>Migration.</b> Earlier versions kept every feature in one JVM-wide registry where the last
 * registration silently won. {@link #of} still also records the feature there, and a store that does
 * not know a name falls back to it, so code written that way keeps working; {@link #register} and
 * {@link #registered} are deprecated. Register on the store's registry instead.
 *
 * @param name output column name
 * @param type output type
 * @param inputs input column names (spine columns or looked-up feature outputs)
 * @param function the computation: inputs boxed as in {@code Column.get}, null in, whatever you decide out
 */
public record OnDemandFeature(String name, DataType type, List<String> inputs, Function function) {

  /** A row function over boxed inputs (nulls included); returns a value of the output type or null. */
  @FunctionalInterface
  public interface Function {
    /** Computes the output from the inputs, in the declared order. */
    Object apply(Object[] inputs);
  }

  private static final Map<String, OnDemandFeature> REGISTRY = new ConcurrentHashMap<>();

  /** Checks arguments. */
  public OnDemandFeature {
    Errors.checkColumnName(name);
    Objects.requireNonNull(type, "type");
    inputs = List.copyOf(inputs);
    Objects.requireNonNull(function, "function");
  }

  /**
   * Creates an on-demand feature. (For code written against earlier versions it is also recorded in
   * the deprecated JVM-wide fallback, see the class comment; register it on a store to use it.)
   */
  public static OnDemandFeature of(String name, DataType type, List<String> inputs, Function function) {
    OnDemandFeature f = new OnDemandFeature(name, type, inputs, function);
    REGISTRY.put(f.name(), f);
    return f;
  }

  /**
   * Records a feature in the JVM-wide fallback registry, where the last registration wins.
   *
   * @deprecated register on a store instead: {@code fs.onDemandRegistry().register(f)}, or pass an
   *     {@link OnDemandRegistry} to {@code FeatureStore.of(ws, registry)}
   */
  @Deprecated
  public static OnDemandFeature register(OnDemandFeature f) {
    REGISTRY.put(f.name(), f);
    return f;
  }

  /**
   * The feature of this name in the JVM-wide fallback registry.
   *
   * @deprecated look features up in a store's registry: {@code fs.onDemandRegistry().find(name)}
   */
  @Deprecated
  public static Optional<OnDemandFeature> registered(String name) {
    return Optional.ofNullable(REGISTRY.get(name));
  }
}
