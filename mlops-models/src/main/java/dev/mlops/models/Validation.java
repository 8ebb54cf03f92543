package dev.mlops.models;

/**
 * How a trainer measures a model on rows it did not learn from.
 *
 * <pre>{@code
 * Validation.holdout(0.2);   // train on 80 %, measure on 20 % (random, seeded)
 * Validation.kFold(5);       // 5 models on 4/5 each, measured on the 5th; the final model uses all rows
 * Validation.none();         // no metrics
 * }</pre>
 *
 * @param kind "holdout", "kfold" or "none"
 * @param fraction the held-out fraction for holdout
 * @param folds the number of folds for k-fold
 */
public record Validation(String kind, double fraction, int folds) {
  /** Checks arguments. */
  public Validation {
    switch (kind) {
      case "holdout" -> {
        if (!(fraction > 0 && fraction < 1)) {
          throw new TrainingException("Holdout fraction " + fraction + " must be between 0 and 1 (exclusive), e.g. 0.2.");
        }
      }
      case "kfold" -> {
        if (folds < 2) {
          throw new TrainingException("k-fold validation needs at least 2 folds, not " + folds + ".");
        }
      }
      case "none" -> { }
      default -> throw new TrainingException("Unknown validation '" + kind + "': use holdout, kfold or none.");
    }
  }

  /** Hold out a random fraction of the rows. */
  public static Validation holdout(double fraction) {
    return new Validation("holdout", fraction, 0);
  }

  /** k-fold cross-validation. */
  public static Validation kFold(int k) {
    return new Validation("kfold", 0, k);
  }

  /** No validation. */
  public static Validation none() {
    return new Validation("none", 0, 0);
  }
}
