package dev.mlops.models;

import dev.mlops.core.NotFoundException;
import java.util.OptionalInt;

/**
 * A model has no such version (or it is deleted, or no version has the alias); the message names the
 * model, the version or alias, and what exists.
 *
 * <pre>{@code
 * try {
 *   registry.getVersion("main.ml.churn", 7);
 * } catch (ModelVersionNotFoundException e) {
 *   e.name();      // "main.ml.churn"
 *   e.version();   // OptionalInt[7]
 * }
 * }</pre>
 */
public class ModelVersionNotFoundException extends NotFoundException {
  private static final long serialVersionUID = 1L;

  private final String name;
  private final Integer version;

  /**
   * An exception naming the model and the version.
   *
   * @param message what went wrong, why, and how to fix it
   * @param name the model name
   * @param version the version asked for, or empty when none was named (an alias, or "latest")
   */
  public ModelVersionNotFoundException(String message, String name, OptionalInt version) {
    super(message);
    this.name = name;
    this.version = version.isPresent() ? version.getAsInt() : null;
  }

  /**
   * The model name.
   *
   * @return e.g. {@code main.ml.churn}
   */
  public String name() {
    return name;
  }

  /**
   * The version asked for.
   *
   * @return the number, or empty when an alias or "latest" was asked for
   */
  public OptionalInt version() {
    return version == null ? OptionalInt.empty() : OptionalInt.of(version);
  }
}
