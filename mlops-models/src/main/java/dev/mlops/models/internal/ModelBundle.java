package dev.mlops.models.internal;

import java.io.Serializable;

/**
 * What a trained model package serializes: the fitted preprocessing, the Smile model, and how to
 * turn class indexes back into label values. Plain arrays only, so the allow-list stays small.
 */
public final class ModelBundle implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Classes the deserialization allow-list must admit besides Smile's. */
  public static final String[] ALLOWED = {"dev.mlops.models.internal.ModelBundle",
      "dev.mlops.models.internal.Pipeline", "dev.mlops.models.internal.SmileModel"};

  /** Preprocessing. */
  public final Pipeline pipeline;
  /** The model. */
  public final SmileModel model;
  /** "CLASSIFICATION" or "REGRESSION". */
  public final String task;
  /** Label column name. */
  public final String label;
  /** Label type (DataType name). */
  public final String labelType;
  /** Class values as text, in index order (classification). */
  public final String[] classes;

  /** All fields. */
  public ModelBundle(Pipeline pipeline, SmileModel model, String task, String label, String labelType, String[] classes) {
    this.pipeline = pipeline;
    this.model = model;
    this.task = task;
    this.label = label;
    this.labelType = labelType;
    this.classes = classes;
  }
}
