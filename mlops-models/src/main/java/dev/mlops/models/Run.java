package dev.mlops.models;

import dev.mlops.core.internal.Json;
import dev.mlops.models.internal.Errors;
import dev.mlops.models.internal.Args;
import dev.mlops.models.internal.Files2;
import dev.mlops.core.internal.FileStore;
import dev.mlops.models.internal.MetricPoint;
import dev.mlops.models.internal.Names;
import dev.mlops.models.internal.RunStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * An active run: logs params, metrics, tags and artifacts until it ends. Thread-safe.
 *
 * <pre>{@code
 * try (Run run = tracking.experiment("churn").start("rf-100")) {
 *   run.logParams(Map.of("trees", 100, "max_depth", 8));
 *   for (int epoch = 0; epoch < 10; epoch++) {
 *     run.logMetric("loss", loss[epoch], epoch);
 *   }
 *   run.logArtifact(Path.of("roc.png"), "plots");
 * } // FINISHED
 *
 * try (Run run = experiment.start()) {
 *   try {
 *     train(run);
 *   } catch (RuntimeException e) {
 *     run.fail(e);   // FAILED; must be inside the try block: a catch clause of the outer try runs after close()
 *     throw e;
 *   }
 * }
 * }</pre>
 *
 * <p><b>Ending.</b> Try-with-resources cannot see an exception, so {@link #close()} ends a still-running
 * run FINISHED. To record failures either use {@link Experiment#run(String, Body)} (FAILED on exception,
 * then rethrown) or call {@link #fail(Throwable)} inside the try block as above; {@link #end(RunStatus)}
 * sets any terminal status.
 *
 * <p><b>Rules.</b> Params are immutable: logging a different value for a logged key throws
 * {@link ParamConflictException} (the same value again is accepted). Metric values must be finite:
 * NaN and infinities throw {@link InvalidMetricException} and nothing is written (log a tag such as
 * {@code diverged=true} instead). After the run ended every log call throws {@link RunNotActiveException}.
 * Keys are 1 to 250 letters, digits, '_', '.' or '-'.
 *
 * <p><b>Files.</b> {@code <workspace>/experiments/<experiment>/runs/<run-id>/}: {@code meta.json},
 * {@code params/<key>}, {@code metrics/<key>.jsonl} (append-only history), {@code tags.json},
 * {@code feature_spec.json} and {@code artifacts/}.
 */
public final class Run implements AutoCloseable {
  /** The body of a run started by {@link Experiment#run(String, Body)}. */
  @FunctionalInterface
  public interface Body {
    /** Does the run's work; throwing ends the run FAILED. */
    void accept(Run run) throws Exception;
  }

  private static final int MAX_PARAM_LENGTH = 64 * 1024;

  private final Tracking tracking;
  private final Experiment experiment;
  private final String id;
  private final String name;
  private final String parentRunId;
  /** The run's directory: local disk or the workspace's Hadoop filesystem. */
  private final FileStore dir;
  private final Instant startTime;
  private final Map<String, String> params = new HashMap<>();
  private final Map<String, MetricPoint> latest = new HashMap<>();
  private RunStatus status = RunStatus.RUNNING;

  Run(Tracking tracking, Experiment experiment, String id, String name, String parentRunId, FileStore dir,
      Instant startTime) {
    this.tracking = tracking;
    this.experiment = experiment;
    this.id = id;
    this.name = name;
    this.parentRunId = parentRunId;
    this.dir = dir;
    this.startTime = startTime;
  }

  /** The run id (32 hex digits). */
  public String id() {
    return id;
  }

  /** The run name. */
  public String name() {
    return name;
  }

  /** The experiment's name. */
  public String experiment() {
    return experiment.name();
  }

  /** The parent run of a nested run. */
  public Optional<String> parentRunId() {
    return Optional.ofNullable(parentRunId);
  }

  /** When the run started. */
  public Instant startTime() {
    return startTime;
  }

  /** RUNNING until the run ends. */
  public synchronized RunStatus status() {
    return status;
  }

  /** The run as stored now (params, latest metrics, tags). */
  public RunInfo info() {
    return tracking.getRun(id);
  }

  /** {@code runs:/<id>/<path>}: a URI for an artifact of this run, e.g. to register a logged model. */
  public String artifactUri(String path) {
    return "runs:/" + id + "/" + Names.artifactPath(path);
  }

  /**
   * Logs a param (its text form). Logging the same value again is accepted.
   *
   * @throws ParamConflictException when the key already holds another value
   */
  public synchronized Run logParam(String key, Object value) {
    checkActive("log param '" + key + "'");
    String v = paramValue(key, value);
    String before = params.get(key);
    if (before != null && !before.equals(v)) {
      throw conflict(key, before, v);
    }
    Optional<String> other = RunStore.putParam(dir, key, v);
    if (other.isPresent()) {
      throw conflict(key, other.get(), v);
    }
    params.put(key, v);
    return this;
  }

  /**
   * Logs several params; every key and value is checked before any is written. The params are written
   * one file each: a process killed in the middle leaves some of them (each one whole).
   *
   * @throws ParamConflictException when a key already holds another value (nothing is written)
   */
  public synchronized Run logParams(Map<String, ?> values) {
    Args.notNull(values, "The params map", "give a map of keys to values, e.g. Map.of(\"trees\", 100)");
    checkActive("log params " + values.keySet());
    Map<String, String> checked = new LinkedHashMap<>();
    values.forEach((k, v) -> {
      String s = paramValue(k, v);
      String before = Optional.ofNullable(params.get(k)).orElseGet(
          () -> RunStore.readParam(dir, k).orElse(null));
      if (before != null && !before.equals(s)) {
        throw conflict(k, before, s);
      }
      checked.put(k, s);
    });
    checked.forEach(this::logParam);
    return this;
  }

  private String paramValue(String key, Object value) {
    Names.key(key, "param key");
    if (value == null) {
      throw Errors.nullParam(key, id);
    }
    String v = String.valueOf(value);
    if (v.length() > MAX_PARAM_LENGTH) {
      throw Errors.paramTooLong(key, id, v.length(), MAX_PARAM_LENGTH);
    }
    return v;
  }

  private ParamConflictException conflict(String key, String before, String now) {
    return Errors.paramConflict(key, name, id, before, now);
  }

  /** Logs a metric value at step 0. */
  public Run logMetric(String key, double value) {
    return logMetric(key, value, 0);
  }

  /**
   * Logs a metric value at a step (appended to its history with the current time).
   *
   * @throws InvalidMetricException for NaN or infinite values (nothing is written)
   */
  public synchronized Run logMetric(String key, double value, long step) {
    checkActive("log metric '" + key + "'");
    Names.key(key, "metric key");
    checkFinite(key, value, step);
    MetricPoint p = new MetricPoint(value, step, System.currentTimeMillis());
    RunStore.appendMetric(dir, key, p);
    if (p.supersedes(latest.get(key))) {
      latest.put(key, p);
    }
    return this;
  }

  /** Logs several metrics at one step; all values are checked before any is written. */
  public synchronized Run logMetrics(Map<String, Double> values, long step) {
    Args.notNull(values, "The metrics map", "give a map of keys to values, e.g. Map.of(\"auc\", 0.91)");
    checkActive("log metrics " + values.keySet());
    values.forEach((k, v) -> {
      Names.key(k, "metric key");
      if (v == null) {
        throw Errors.nullMetric(k, name, id, step);
      }
      checkFinite(k, v, step);
    });
    values.forEach((k, v) -> logMetric(k, v, step));
    return this;
  }

  private void checkFinite(String key, double value, long step) {
    if (!Double.isFinite(value)) {
      throw Errors.nonFiniteMetric(key, name, id, step, value);
    }
  }

  /** Sets a tag (replacing its value). */
  public synchronized Run setTag(String key, String value) {
    checkActive("set tag '" + key + "'");
    Names.key(key, "tag key");
    Args.notNull(value, "The value of tag '" + key + "'", "give text (\"\" for an empty value)");
    dir.withLock(RunStore.LOCK, () -> {
      Map<String, String> tags = RunStore.readTags(dir);
      tags.put(key, value);
      RunStore.writeTags(dir, tags);
    });
    return this;
  }

  /**
   * Records the training set's feature spec (tables, features and their Delta versions) for lineage:
   * model versions registered from this run are then found by
   * {@link ModelRegistry#versionsTrainedOn(String)}. Any JSON-like map; recommended shape:
   * {@code {"tables": [{"name": "main.crm.features", "version": 7, "features": ["spend_30d"]}]}}.
   */
  public synchronized Run logFeatureSpec(Map<String, ?> spec) {
    Args.notNull(spec, "The feature spec", "give a JSON-like map, e.g. trainingSet.spec() converted with Json, or Map.of(\"tables\", ...)");
    checkActive("log the feature spec");
    tracking.confine(dir, RunStore.FEATURE_SPEC, "log the feature spec of run " + id);
    dir.write(RunStore.FEATURE_SPEC, Json.write(ModelPackage.jsonMap(spec, "The feature spec of run " + id))
        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return this;
  }

  /** Copies a file into the run's artifact root. */
  public Run logArtifact(Path file) {
    return logArtifact(file, "");
  }

  /**
   * Copies a file into the run's artifacts under artifactPath (a relative directory, "" for the root);
   * the file keeps its name. A file already there is replaced atomically.
   */
  public synchronized Run logArtifact(Path file, String artifactPath) {
    Args.notNull(file, "The artifact file", "give the path of a file to copy, e.g. Path.of(\"roc.png\")");
    Args.notNull(artifactPath, "The artifact path", "give a relative directory, or \"\" for the run's artifact root");
    checkActive("log artifact " + file);
    String p = Names.artifactPath(artifactPath);
    if (!Files.isRegularFile(file)) {
      throw Errors.notLoggable(file, id, false);
    }
    String fileName = Names.artifactPath(file.getFileName().toString());
    String target = artifactRel(p) + "/" + fileName;
    Optional<Path> local = dir.localPath(target);
    if (local.isPresent()) {
      Files2.confine(tracking.workspace().localRoot().orElseThrow(), local.get(), "log artifact " + file + " to run " + id);
      Files2.copyAtomically(file, local.get());
    } else {
      dir.upload(file, target);
    }
    return this;
  }

  /**
   * Copies a directory tree into the run's artifacts under artifactPath. Every file and directory name
   * must be a valid artifact name (checked before anything is copied); symbolic links are refused.
   */
  public synchronized Run logArtifacts(Path directory, String artifactPath) {
    Args.notNull(directory, "The artifact directory", "give the path of a directory to copy");
    Args.notNull(artifactPath, "The artifact path", "give a relative directory, or \"\" for the run's artifact root");
    checkActive("log artifacts " + directory);
    String p = Names.artifactPath(artifactPath);
    if (!Files.isDirectory(directory)) {
      throw Errors.notLoggable(directory, id, true);
    }
    List<Path> files = new ArrayList<>();
    try (Stream<Path> s = Files.walk(directory)) {
      for (Path f : s.collect(Collectors.toList())) {
        if (f.equals(directory)) {
          continue;
        }
        String rel = directory.relativize(f).toString().replace('\\', '/');
        Names.artifactPath(rel);
        if (Files.isSymbolicLink(f)) {
          throw Errors.symlinkArtifact(f);
        }
        if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
          files.add(f);
        }
      }
    } catch (IOException e) {
      throw Errors.cannotList(directory, e);
    }
    String base = artifactRel(p);
    Optional<Path> local = dir.localPath(base);
    if (local.isEmpty()) {
      for (Path f : files) {
        dir.upload(f, base + "/" + directory.relativize(f).toString().replace('\\', '/'));
      }
      return this;
    }
    for (Path f : files) { // every target checked before anything is copied
      Files2.confine(tracking.workspace().localRoot().orElseThrow(), local.get().resolve(directory.relativize(f).toString()),
          "log artifacts from " + directory + " to run " + id);
    }
    for (Path f : files) {
      Files2.copyAtomically(f, local.get().resolve(directory.relativize(f).toString()));
    }
    return this;
  }

  /**
   * Writes a model package into the run's artifacts at artifactPath; register it later with
   * {@code registry.register(name, run.artifactUri(artifactPath))}.
   *
   * @return the descriptor written
   */
  public synchronized PackageDescriptor logModel(String artifactPath, ModelPackage pkg) {
    Args.notNull(pkg, "The model package", "build one with ModelPackage.builder().model(m).build() or trainedModel.toPackage()");
    checkActive("log model '" + artifactPath + "'");
    String p = Names.artifactPath(artifactPath);
    if (p.isEmpty()) {
      throw Errors.modelAtArtifactRoot();
    }
    String rel = artifactRel(p);
    Optional<Path> local = dir.localPath(rel);
    if (local.isPresent()) {
      Files2.confine(tracking.workspace().localRoot().orElseThrow(), local.get(), "log model '" + p + "' to run " + id);
      return pkg.writeTo(local.get());
    }
    return logRemoteModel(rel, pkg);
  }

  /**
   * A remote run: the package is written and forced in a local temp directory, uploaded to a hidden
   * temp directory next to its artifact path, then renamed into place (refused if the path is taken), so
   * it appears whole or not at all.
   */
  private PackageDescriptor logRemoteModel(String rel, ModelPackage pkg) {
    if (dir.exists(rel)) {
      throw Errors.packageExists(Path.of(dir.uri(rel)));
    }
    Path local;
    try {
      local = Files.createTempDirectory("mlops-model-");
    } catch (IOException e) {
      throw Errors.noModelTempDirectory(rel, id, e);
    }
    String tmp = FileStore.join(FileStore.parent(rel), "." + FileStore.name(rel) + "." + java.util.UUID.randomUUID() + ".tmp");
    try {
      PackageDescriptor d = pkg.writeTo(local.resolve("package"));
      try (Stream<Path> s = Files.walk(local.resolve("package"))) {
        for (Path f : s.filter(Files::isRegularFile).collect(Collectors.toList())) {
          dir.upload(f, tmp + "/" + local.resolve("package").relativize(f).toString().replace('\\', '/'));
        }
      }
      if (!dir.renameIfAbsent(tmp, rel)) {
        throw Errors.packageExists(Path.of(dir.uri(rel)));
      }
      return d;
    } catch (IOException e) {
      throw Errors.cannotUploadModel(rel, id, dir.uri(rel), e);
    } finally {
      dir.deleteTreeQuietly(tmp);
      Files2.deleteTreeQuietly(local);
    }
  }

  /** The run-relative directory of an artifact path ("artifacts" or "artifacts/<p>"). */
  private static String artifactRel(String p) {
    if (p.startsWith("/") || java.util.Arrays.asList(p.split("/")).contains("..")) {
      throw Errors.artifactPathEscapes(p);
    }
    return p.isEmpty() ? RunStore.ARTIFACTS : RunStore.ARTIFACTS + "/" + p;
  }

  /** Starts a nested run in the same experiment with this run as its parent. */
  public Run startChild(String childName) {
    checkActive("start a child run");
    return tracking.startRun(experiment, Args.notNull(childName, "The child run's name", "give a name such as \"fold-1\""), id);
  }

  /**
   * Ends the run with a terminal status.
   *
   * @throws RunNotActiveException when it has already ended
   */
  public synchronized void end(RunStatus endStatus) {
    checkActive("end with status " + endStatus);
    tracking.endRunDir(dir, endStatus, Map.of(), Map.copyOf(latest));
    status = endStatus;
  }

  /**
   * Ends the run FAILED and records the error (class and message) in tag {@code mlops.failure}. Does
   * nothing when the run has already ended, so it is safe in any catch block.
   */
  public synchronized void fail(Throwable error) {
    if (status.isTerminal()) {
      return;
    }
    String text = error == null ? "unknown" : error.getClass().getName() + ": " + error.getMessage();
    tracking.endRunDir(dir, RunStatus.FAILED,
        Map.of("mlops.failure", text.length() > 2000 ? text.substring(0, 2000) : text), Map.copyOf(latest));
    status = RunStatus.FAILED;
  }

  /** Ends the run FINISHED unless it has already ended (see the class comment about failures). */
  @Override
  public synchronized void close() {
    if (!status.isTerminal()) {
      end(RunStatus.FINISHED);
    }
  }

  private void checkActive(String action) {
    if (status.isTerminal()) {
      throw Errors.runEnded(action, name, id, status);
    }
  }

  @Override
  public String toString() {
    return "Run[" + name + ", " + id + ", " + status + "]";
  }
}
