package dev.mlops.models;

import dev.mlops.core.internal.Json;
import dev.mlops.models.internal.Formats;
import dev.mlops.models.internal.Errors;
import dev.mlops.models.internal.Args;
import dev.mlops.models.internal.ExperimentMeta;
import dev.mlops.core.internal.FileStore;
import dev.mlops.models.internal.Names;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A named group of runs with tags. Obtained from {@link Tracking#experiment(String)}, which creates it on
 * first use. A handle: {@link #tags()} reads the current tags each time.
 *
 * <pre>{@code
 * Experiment churn = Tracking.of(ws).experiment("churn").setTag("team", "growth");
 * try (Run run = churn.start("baseline")) {
 *   run.logMetric("auc", 0.81);
 * }
 * }</pre>
 */
public final class Experiment {
  private final Tracking tracking;
  private final String name;
  private final FileStore dir;

  Experiment(Tracking tracking, String name, FileStore dir) {
    this.tracking = tracking;
    this.name = name;
    this.dir = dir;
  }

  /** The (lower-case) name. */
  public String name() {
    return name;
  }

  /** A stable id (32 hex digits) assigned at creation. */
  public String id() {
    return meta().id();
  }

  /** When the experiment was created. */
  public Instant createdAt() {
    return Instant.ofEpochMilli(meta().createdAt());
  }

  /** The current tags. */
  public Map<String, String> tags() {
    return Map.copyOf(meta().tags());
  }

  /**
   * Sets a tag (safe against concurrent writers in other processes).
   *
   * @return this experiment
   */
  public Experiment setTag(String key, String value) {
    Names.key(key, "experiment tag key");
    Args.notNull(value, "The value of tag '" + key + "'", "give text (\"\" for an empty value)");
    dir.withLock(".lock", () -> {
      ExperimentMeta m = meta();
      Map<String, String> tags = new HashMap<>(m.tags());
      tags.put(key, value);
      Formats.writeFile(dir, "meta.json", new ExperimentMeta(m.id(), m.name(), m.createdAt(), tags));
    });
    return this;
  }

  /** Starts a run with a generated name. End it with {@link Run#close()} or {@link Run#end(RunStatus)}. */
  public Run start() {
    return tracking.startRun(this, null, null);
  }

  /** Starts a run with this name. End it with {@link Run#close()} or {@link Run#end(RunStatus)}. */
  public Run start(String runName) {
    return tracking.startRun(this, Args.notNull(runName, "The run name", "give a name, or call start() for a generated one"), null);
  }

  /**
   * Starts a run, runs body and ends the run FINISHED, or FAILED when body throws (then rethrows).
   *
   * <pre>{@code
   * RunInfo r = experiment.run("rf", run -> { run.logParam("trees", 100); train(); });
   * }</pre>
   *
   * @return the run as it ended
   */
  public RunInfo run(String runName, Run.Body body) {
    Args.notNull(body, "The run body", "give a lambda, e.g. run -> run.logMetric(\"auc\", 0.9)");
    Run run = start(runName);
    try {
      body.accept(run);
    } catch (RuntimeException | Error e) {
      run.fail(e);
      throw e;
    } catch (Exception e) {
      run.fail(e);
      throw Errors.runFailed(run.name(), run.id(), e);
    }
    run.close();
    return tracking.getRun(run.id());
  }

  /** Searches this experiment's runs; see {@link Tracking#searchRuns(List, String, String, int)}. */
  public List<RunInfo> searchRuns(String filter, String orderBy, int limit) {
    return tracking.searchRuns(List.of(name), filter, orderBy, limit);
  }

  FileStore directory() {
    return dir;
  }

  private ExperimentMeta meta() {
    return Formats.read(dir, "meta.json", ExperimentMeta.class)
        .orElseThrow(() -> Errors.experimentRemoved(name, dir.uri("")));
  }

  @Override
  public String toString() {
    return "Experiment[" + name + "]";
  }
}
