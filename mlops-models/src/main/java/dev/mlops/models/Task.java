package dev.mlops.models;

/** What a model predicts. */
public enum Task {
  /** A class out of a fixed set (boolean, string, int or long label). */
  CLASSIFICATION,
  /** A number (numeric label). */
  REGRESSION
}
