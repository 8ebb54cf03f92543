package dev.mlops.models.internal;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.util.Arrays;

/**
 * What a trained model package serializes: the fitted preprocessing, the Smile model, and how to
 * turn class indexes back into label values. Plain arrays only, so the allow-list stays small.
 *
 * <p>A bundle checks itself when it is deserialized ({@link #problem()}): a file whose checksums were
 * rewritten over damaged bytes then fails at load with a message, not later at prediction with a
 * NullPointerException.
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

  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    String p = problem();
    if (p != null) {
      throw Errors.badTrainedModel(p);
    }
  }

  /** What is inconsistent in this bundle (fields missing or not fitting each other), or null when it is whole. */
  public String problem() {
    if (pipeline == null) {
      return "has no preprocessing pipeline";
    }
    if (model == null) {
      return "has no Smile model";
    }
    if (label == null || label.isEmpty()) {
      return "has no label name";
    }
    if (labelType == null || Arrays.stream(dev.mlops.core.DataType.values()).noneMatch(t -> t.name().equals(labelType))) {
      return "has an unknown label type '" + labelType + "'";
    }
    String pp = pipeline.problem();
    if (pp != null) {
      return "has a damaged preprocessing pipeline: " + pp;
    }
    String mp = model.problem(pipeline.outputNames().size());
    if (mp != null) {
      return "has a damaged Smile model: " + mp;
    }
    if ("CLASSIFICATION".equals(task)) {
      if (!model.isClassifier()) {
        return "is a classification model holding a regressor";
      }
      if (classes == null || classes.length < 2 || Arrays.asList(classes).contains(null)) {
        return "has no usable class values (" + (classes == null ? "none" : Arrays.toString(classes)) + ")";
      }
      if (classes.length != model.classCount()) {
        return "has " + classes.length + " class values but its model predicts " + model.classCount() + " classes";
      }
      for (String c : classes) {
        if (!fits(c, labelType)) {
          return "has the class value '" + c + "', which is not a " + labelType;
        }
      }
    } else if ("REGRESSION".equals(task)) {
      if (model.isClassifier()) {
        return "is a regression model holding a classifier";
      }
    } else {
      return "has an unknown task '" + task + "'";
    }
    return null;
  }

  private static boolean fits(String value, String type) {
    try {
      switch (type) {
        case "BOOLEAN" -> {
          return value.equals("true") || value.equals("false");
        }
        case "LONG" -> Long.parseLong(value);
        case "INT" -> Integer.parseInt(value);
        default -> {
          return true;
        }
      }
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
