package dev.mlops.models;

import dev.mlops.core.NotFoundException;

/**
 * An experiment name that does not exist was searched or read; the message names it and lists the experiments.
 *
 * <pre>{@code
 * try {
 *   tracking.searchRuns(List.of("churn"), "");
 * } catch (ExperimentNotFoundException e) {
 *   e.name();   // "churn"
 * }
 * }</pre>
 */
public class ExperimentNotFoundException extends NotFoundException {
  private static final long serialVersionUID = 1L;

  private final String name;

  /**
   * An exception naming the experiment.
   *
   * @param message what went wrong, why, and how to fix it
   * @param name the experiment name that was looked up
   */
  public ExperimentNotFoundException(String message, String name) {
    super(message);
    this.name = name;
  }

  /**
   * The experiment name that was looked up.
   *
   * @return the name as given
   */
  public String name() {
    return name;
  }
}
