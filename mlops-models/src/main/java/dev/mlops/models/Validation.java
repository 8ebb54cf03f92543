package dev.mlops.models;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * How a trainer measures a model on rows it did not learn from: one of three records.
 *
 * <pre>{@code
 * Validation.holdout(0.2);   // train on 80 %, measure on 20 % (random, seeded)
 * Validation.kFold(5);       // 5 models on 4/5 each, measured on the 5th; the final model uses all rows
 * Validation.none();         // no metrics
 *
 * if (config.validation() instanceof Validation.KFold k) { int folds = k.folds(); }
 * }</pre>
 *
 * <p>Saved in the training config as {@code {"kind": "holdout", "fraction": 0.2}},
 * {@code {"kind": "kfold", "folds": 5}} or {@code {"kind": "none"}}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Validation.Holdout.class, name = "holdout"),
    @JsonSubTypes.Type(value = Validation.KFold.class, name = "kfold"),
    @JsonSubTypes.Type(value = Validation.None.class, name = "none")})
public sealed interface Validation permits Validation.Holdout, Validation.KFold, Validation.None {

  /** How the evaluation names it: {@code holdout(0.2)}, {@code kfold(5)} or {@code none}. */
  String describe();

  /**
   * Hold out a random (seeded) fraction of the rows.
   *
   * @param fraction the held-out fraction, between 0 and 1 (exclusive)
   */
  record Holdout(double fraction) implements Validation {
    /** Checks the fraction. */
    public Holdout {
      if (!(fraction > 0 && fraction < 1)) {
        throw dev.mlops.models.internal.Errors.badHoldout(fraction);
      }
    }

    @Override
    public String describe() {
      return "holdout(" + fraction + ")";
    }
  }

  /**
   * k-fold cross-validation; the final model is trained on all rows.
   *
   * @param folds the number of folds, at least 2
   */
  record KFold(int folds) implements Validation {
    /** Checks the number of folds. */
    public KFold {
      if (folds < 2) {
        throw dev.mlops.models.internal.Errors.badFolds(folds);
      }
    }

    @Override
    public String describe() {
      return "kfold(" + folds + ")";
    }
  }

  /** No validation: no metrics. */
  record None() implements Validation {
    @Override
    public String describe() {
      return "none";
    }
  }

  /**
   * Hold out a random fraction of the rows.
   *
   * @param fraction between 0 and 1 (exclusive)
   * @return the validation
   */
  static Validation holdout(double fraction) {
    return new Holdout(fraction);
  }

  /**
   * k-fold cross-validation.
   *
   * @param k the number of folds, at least 2
   * @return the validation
   */
  static Validation kFold(int k) {
    return new KFold(k);
  }

  /**
   * No validation.
   *
   * @return the validation
   */
  static Validation none() {
    return new None();
  }
}
