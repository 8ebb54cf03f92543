package dev.mlops.models.internal.deploy;

import dev.mlops.models.TaskContext;
import java.util.function.Function;

/** What the built-in steps see beyond {@link TaskContext}: the run's record and fenced writes to it. */
interface EngineContext extends TaskContext {
  /** The run as it was when the task started. */
  Docs.RunDoc run();

  /** The runner's id. */
  String runnerId();

  /** The store. */
  Store store();

  /**
   * Runs body under the model's deployment lock, only while this runner still holds the run's lease;
   * the run record body changes is written back before the lock is released.
   */
  <T> T underLease(Function<Docs.RunDoc, T> body);
}
