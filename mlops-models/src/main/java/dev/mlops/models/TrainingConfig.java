package dev.mlops.models;

import java.util.List;

/**
 * Everything a training used besides the data, recorded with the model so it can be trained again
 * ({@link Trainer#reproduce}).
 *
 * @param task classification or regression
 * @param label label column
 * @param features raw feature columns, in order
 * @param algorithm algorithm and hyperparameters
 * @param preprocessing preprocessing settings
 * @param validation validation settings
 * @param seed random seed
 */
public record TrainingConfig(Task task, String label, List<String> features, Algorithm algorithm,
    Preprocessing preprocessing, Validation validation, long seed) {
  /** Copies the list. */
  public TrainingConfig {
    features = List.copyOf(features);
  }
}
