package dev.mlops.models;

import java.util.Objects;

/**
 * How raw columns become model inputs. Fitted on the training rows only and stored in the model, so
 * scoring applies exactly the same transformation.
 *
 * <ul>
 *   <li>numeric (long, int, double) and boolean (0/1) columns: missing values imputed;
 *   <li>string columns: categorical, one-hot or ordinal encoded; missing values are their own level
 *       ("null"); levels never seen in training follow {@link UnseenLevels};
 *   <li>timestamp and date columns: derived numeric parts (year, month, day of month, day of week,
 *       and hour for timestamps), then imputed like numbers;
 *   <li>optionally standardized (mean 0, standard deviation 1) after encoding.
 * </ul>
 *
 * <pre>{@code
 * Preprocessing p = Preprocessing.defaults()
 *     .impute(Preprocessing.Imputation.MEDIAN)
 *     .encode(Preprocessing.Encoding.ONE_HOT)
 *     .unseen(Preprocessing.UnseenLevels.IGNORE)
 *     .standardize(true);
 * }</pre>
 *
 * @param imputation how missing numbers are filled
 * @param constant the fill value for {@link Imputation#CONSTANT}
 * @param encoding how strings become numbers
 * @param unseen what a level never seen in training does at prediction time
 * @param standardize whether inputs are scaled to mean 0, standard deviation 1
 */
public record Preprocessing(Imputation imputation, double constant, Encoding encoding, UnseenLevels unseen,
    boolean standardize) {

  /** Missing-number strategies. */
  public enum Imputation {
    /** The training mean. */
    MEAN,
    /** The training median. */
    MEDIAN,
    /** The most frequent training value. */
    MOST_FREQUENT,
    /** A constant. */
    CONSTANT
  }

  /** Categorical encodings. */
  public enum Encoding {
    /** One 0/1 input per level. */
    ONE_HOT,
    /** One input holding the level's index (levels sorted). */
    ORDINAL
  }

  /** Policies for levels that training never saw. */
  public enum UnseenLevels {
    /** Prediction fails naming the column and the level. */
    ERROR,
    /** One-hot: all zeros; ordinal: the most frequent training level. */
    IGNORE
  }

  /** Checks arguments. */
  public Preprocessing {
    Objects.requireNonNull(imputation, "imputation");
    Objects.requireNonNull(encoding, "encoding");
    Objects.requireNonNull(unseen, "unseen");
  }

  /** Mean imputation, one-hot encoding, unseen levels ignored, no standardization. */
  public static Preprocessing defaults() {
    return new Preprocessing(Imputation.MEAN, 0, Encoding.ONE_HOT, UnseenLevels.IGNORE, false);
  }

  /** With this imputation. */
  public Preprocessing impute(Imputation how) {
    return new Preprocessing(how, constant, encoding, unseen, standardize);
  }

  /** With constant imputation of this value. */
  public Preprocessing imputeConstant(double value) {
    return new Preprocessing(Imputation.CONSTANT, value, encoding, unseen, standardize);
  }

  /** With this encoding. */
  public Preprocessing encode(Encoding how) {
    return new Preprocessing(imputation, constant, how, unseen, standardize);
  }

  /** With this unseen-level policy. */
  public Preprocessing unseen(UnseenLevels policy) {
    return new Preprocessing(imputation, constant, encoding, policy, standardize);
  }

  /** With or without standardization. */
  public Preprocessing standardize(boolean on) {
    return new Preprocessing(imputation, constant, encoding, unseen, on);
  }
}
