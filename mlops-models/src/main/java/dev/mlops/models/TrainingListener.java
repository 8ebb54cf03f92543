package dev.mlops.models;

/**
 * Progress of a training: stages ("preprocessing", "fold 2/5", "final model", "evaluation") and the
 * fraction of the whole work done. The default listener logs a line at most every 5 seconds.
 *
 * <pre>{@code
 * trainer.progress((stage, done) -> System.out.printf("%s %.0f%%%n", stage, done * 100));
 * }</pre>
 */
@FunctionalInterface
public interface TrainingListener {
  /** Called at each stage boundary; {@code done} runs from 0 to 1. */
  void onProgress(String stage, double done);
}
