package dev.mlops.models;

import dev.mlops.core.NotFoundException;

/**
 * No registered model has the given name; the message names it and lists the models of its schema.
 *
 * <pre>{@code
 * try {
 *   registry.getModel("main.ml.churn");
 * } catch (ModelNotFoundException e) {
 *   String missing = e.name();   // "main.ml.churn"
 * }
 * }</pre>
 */
public class ModelNotFoundException extends NotFoundException {
  private static final long serialVersionUID = 1L;

  private final String name;

  /**
   * An exception naming the missing model.
   *
   * @param message what went wrong, why, and how to fix it
   * @param name the model name that was looked up
   */
  public ModelNotFoundException(String message, String name) {
    super(message);
    this.name = name;
  }

  /**
   * The model name that was looked up.
   *
   * @return e.g. {@code main.ml.churn}
   */
  public String name() {
    return name;
  }
}
