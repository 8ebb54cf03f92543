package dev.mlops.monitor;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An inference log: one row per prediction with its time, the model that made it, and (possibly
 * later) the true label. Quality metrics are computed per window, per model id and for all models
 * ({@code '*'}). Build it with {@link #classification} or {@link #regression} and the wither methods.
 *
 * <pre>{@code
 * InferenceLog log = InferenceLog.classification("ts", "prediction", "model_version")
 *     .label("label")                                          // may arrive later, by upsert
 *     .probabilities(Map.of("0", "proba_0", "1", "proba_1"))   // enables roc_auc and log_loss
 *     .granularities("1 hour", "1 day");
 * }</pre>
 *
 * @param timestamp the TIMESTAMP column of the prediction time
 * @param windows granularities (default "1 day")
 * @param prediction the prediction column (a class label or a number)
 * @param label the ground-truth column, if any
 * @param modelId the column naming the model (version) that predicted
 * @param probabilities for classification: class label → DOUBLE column with that class's probability
 * @param problemType classification or regression
 */
public record InferenceLog(String timestamp, List<Granularity> windows, String prediction, Optional<String> label,
    String modelId, Map<String, String> probabilities, ProblemType problemType) implements ProfileType {

  /** What the model predicts; decides the quality metrics. */
  public enum ProblemType {
    /** Class labels: accuracy, precision/recall/F1 (macro, weighted), confusion matrix, ROC AUC, log loss. */
    CLASSIFICATION,
    /** Numbers: MSE, RMSE, MAE, MAPE, R². */
    REGRESSION
  }

  /** Checks columns are named and that probabilities go with classification. */
  public InferenceLog {
    Objects.requireNonNull(timestamp, "timestamp column");
    Objects.requireNonNull(prediction, "prediction column");
    Objects.requireNonNull(modelId, "model id column");
    Objects.requireNonNull(problemType, "problem type");
    label = label == null ? Optional.empty() : label;
    windows = ProfileType.checkGranularities(windows);
    probabilities = ProfileType.orderedCopy(probabilities == null ? Map.of() : probabilities);
  }

  /** A classification log with daily windows and no label yet. */
  public static InferenceLog classification(String timestamp, String prediction, String modelId) {
    return new InferenceLog(timestamp, List.of(Granularity.parse("1 day")), prediction, Optional.empty(), modelId,
        Map.of(), ProblemType.CLASSIFICATION);
  }

  /** A regression log with daily windows and no label yet. */
  public static InferenceLog regression(String timestamp, String prediction, String modelId) {
    return new InferenceLog(timestamp, List.of(Granularity.parse("1 day")), prediction, Optional.empty(), modelId,
        Map.of(), ProblemType.REGRESSION);
  }

  /** With a label column. */
  public InferenceLog label(String column) {
    return new InferenceLog(timestamp, windows, prediction, Optional.of(column), modelId, probabilities, problemType);
  }

  /** With these granularities. */
  public InferenceLog granularities(String... texts) {
    return new InferenceLog(timestamp, ProfileType.parse(List.of(texts)), prediction, label, modelId, probabilities,
        problemType);
  }

  /** With per-class probability columns (classification only; checked when the monitor is created). */
  public InferenceLog probabilities(Map<String, String> classToColumn) {
    return new InferenceLog(timestamp, windows, prediction, label, modelId, classToColumn, problemType);
  }

  @Override
  public List<Granularity> granularities() {
    return windows;
  }

  @Override
  public Optional<String> timestampCol() {
    return Optional.of(timestamp);
  }
}
