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
 * way when a training set is built and when a model scores later (no training/serving skew). The
 * function is registered under its name when created; a feature spec records the name, type and
 * inputs, and scoring finds the function by name, so the application that scores must create (or
 * {@link #register}) the same function at start-up.
 *
 * <pre>{@code
 * OnDemandFeature ratio = OnDemandFeature.of("spend_per_visit", DataType.DOUBLE,
 *     List.of("spend_30d", "visits_7d"),
 *     in -> in[0] == null || in[1] == null || ((Integer) in[1]) == 0 ? null
 *         : (Double) in[0] / (Integer) in[1]);
 * }</pre>
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

  /** Creates and registers an on-demand feature under its name (replacing one of the same name). */
  public static OnDemandFeature of(String name, DataType type, List<String> inputs, Function function) {
    return register(new OnDemandFeature(name, type, inputs, function));
  }

  /** Registers a feature so specs that name it can be computed in this JVM. */
  public static OnDemandFeature register(OnDemandFeature f) {
    REGISTRY.put(f.name(), f);
    return f;
  }

  /** The registered feature of this name. */
  public static Optional<OnDemandFeature> registered(String name) {
    return Optional.ofNullable(REGISTRY.get(name));
  }
}
