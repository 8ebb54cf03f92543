package dev.mlops.models;

import dev.mlops.core.MlopsException;
import dev.mlops.core.Workspace;
import dev.mlops.core.internal.FileStore;
import dev.mlops.core.internal.FileStores;
import dev.mlops.core.internal.Json;
import dev.mlops.models.internal.Formats;
import dev.mlops.models.internal.Errors;
import dev.mlops.models.internal.Args;
import dev.mlops.models.internal.ExperimentMeta;
import dev.mlops.models.internal.Files2;
import dev.mlops.models.internal.Locks;
import dev.mlops.models.internal.MetricPoint;
import dev.mlops.models.internal.Names;
import dev.mlops.models.internal.ProcessRef;
import dev.mlops.models.internal.RunIndex;
import dev.mlops.models.internal.RunMeta;
import dev.mlops.models.internal.RunQuery;
import dev.mlops.models.internal.RunStore;
import dev.mlops.models.internal.RunSummary;
import dev.mlops.models.internal.SystemInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Experiment tracking in the workspace, like MLflow tracking without a server: experiments, runs,
 * params, metric histories, tags, artifacts and search. Several threads and processes may track into
 * the same workspace at once.
 *
 * <pre>{@code
 * Tracking tracking = Tracking.of(ws);
 * Experiment churn = tracking.experiment("churn");         // created on first use
 * RunInfo done = churn.run("rf-100", run -> {                // FAILED if the body throws
 *   run.logParam("trees", 100);
 *   run.logMetric("auc", 0.91);
 * });
 * List<RunInfo> best = tracking.searchRuns(List.of("churn"),
 *     "metrics.auc > 0.8 and params.trees = '100'", "metrics.auc DESC", 10);
 * }</pre>
 *
 * <p>Layout: {@code <workspace>/experiments/<name>/meta.json}, {@code …/runs/<run-id>/} (see
 * {@link Run}) and {@code …/index/} (immutable segment files that make search fast). Every file is
 * written whole (temp file + atomic move) or appended one line at a time, so a crash at any moment
 * leaves a workspace that opens and lists cleanly. Create one {@code Tracking} per workspace and share
 * it: it caches the parsed search index.
 *
 * <p><b>Killed processes.</b> A run records the process that started it (host, pid, process start
 * time, and on Linux the boot id and pid namespace). When a RUNNING run is read ({@link #getRun},
 * {@link #findRun}, {@link #searchRuns}) on its machine and that process is gone, the run is ended
 * FAILED with tag {@code mlops.failure} saying so. Runs of other machines cannot be judged from here and
 * stay RUNNING until their process ends them or {@link #endRun} does.
 *
 * <p><b>On HDFS</b> ({@code Workspace.open(URI.create("hdfs://..."), conf)}) the layout is the same:
 * whole-file writes and create-once params are a temp file renamed into place by the NameNode (a rename
 * that refuses an existing target for create-once), metric histories are HDFS appends, and the per-run
 * lock is a lock file. {@link #artifact(String, String)} returns a local copy of a remote artifact. The
 * search index is not compacted on remote stores (a search reads one small file per run change).
 */
public final class Tracking {
  private static final Logger LOG = LoggerFactory.getLogger(Tracking.class);
  private static final int INDEX_CHECK_EVERY = 128;

  private final Workspace workspace;
  /** {@code <workspace>/experiments/}: local disk, or the workspace's Hadoop filesystem. */
  private final FileStore root;
  private final Map<String, RunIndex> indexes = new ConcurrentHashMap<>();
  private final AtomicLong indexAdds = new AtomicLong();

  private Tracking(Workspace workspace) {
    this.workspace = workspace;
    this.root = FileStores.dir(workspace, "experiments");
  }

  /**
   * Tracking for a workspace, on local disk or on a Hadoop filesystem whose renames are atomic
   * ({@code hdfs://}).
   *
   * <pre>{@code
   * Tracking tracking = Tracking.of(Workspace.open(URI.create("hdfs://nn:8020/lakehouse"), Map.of()));
   * }</pre>
   *
   * @throws MlopsException when the workspace's filesystem cannot be reached
   */
  public static Tracking of(Workspace workspace) {
    return new Tracking(Args.notNull(workspace, "The workspace", "open one with Workspace.open(dir)"));
  }

  /** The workspace this tracking writes to. */
  public Workspace workspace() {
    return workspace;
  }

  // ------------------------------------------------------------------------------------ experiments

  /**
   * The experiment of this name, created on first use (safe when several processes create it at once).
   *
   * @param name 1 to 200 letters, digits, '_', '.' or '-'; case-insensitive
   * @throws dev.mlops.core.InvalidNameException when the name breaks the rule
   */
  public Experiment experiment(String name) {
    String n = Names.experiment(name);
    FileStore dir = root.sub(n);
    if (!dir.exists("meta.json")) {
      confine(dir, "runs", "create experiment '" + n + "'");
      dir.mkdirs("runs");
      dir.mkdirs("index");
      ExperimentMeta m = new ExperimentMeta(newId(), n, System.currentTimeMillis(), Map.of());
      if (dir.createIfAbsent("meta.json", Formats.bytes(Formats.write(m)))) {
        LOG.info("Created experiment '{}'", n);
      }
    }
    return new Experiment(this, n, dir);
  }

  /** The experiment of this name, if it exists. */
  public Optional<Experiment> findExperiment(String name) {
    String n = Names.experiment(name);
    return root.exists(n + "/meta.json") ? Optional.of(new Experiment(this, n, root.sub(n))) : Optional.empty();
  }

  /** All experiments, sorted by name. */
  public List<Experiment> experiments() {
    return experimentNames().stream().map(n -> new Experiment(this, n, root.sub(n)))
        .collect(Collectors.toList());
  }

  private List<String> experimentNames() {
    return root.list("").stream().filter(n -> root.exists(n + "/meta.json")).sorted()
        .collect(Collectors.toList());
  }

  // ------------------------------------------------------------------------------------ runs

  /**
   * Starts a run, runs body with it and ends it: FINISHED when body returns, FAILED (with the error
   * recorded in tag {@code mlops.failure}) when it throws; the exception is rethrown (a checked one
   * wrapped in {@link MlopsException}).
   *
   * <pre>{@code
   * RunInfo r = tracking.run("churn", "baseline", run -> run.logMetric("auc", 0.8));
   * }</pre>
   *
   * @return the run as it ended
   */
  public RunInfo run(String experiment, String runName, Run.Body body) {
    return experiment(experiment).run(runName, body);
  }

  /**
   * The run with this id, as it is now.
   *
   * @throws RunNotFoundException when no experiment holds it
   */
  public RunInfo getRun(String runId) {
    return findRun(runId).orElseThrow(() -> Errors.runNotFound(runId, root.uri("")));
  }

  /** The run with this id, if it exists. */
  public Optional<RunInfo> findRun(String runId) {
    Names.runId(runId);
    return findRunDir(runId).flatMap(d -> RunStore.readLive(d).map(s -> reap(d, s))).map(Tracking::toInfo);
  }

  /**
   * The full history of a metric, in logging order (empty when never logged).
   *
   * @throws RunNotFoundException for an unknown run
   */
  public List<Metric> metricHistory(String runId, String key) {
    FileStore dir = runDir(runId);
    Names.key(key, "metric key");
    return RunStore.readMetric(dir, key).stream().map(p -> toMetric(key, p)).collect(Collectors.toList());
  }

  /**
   * Sets a tag on any run, also a finished one (for example a review verdict).
   *
   * @throws RunNotFoundException for an unknown run
   */
  public void setTag(String runId, String key, String value) {
    FileStore dir = runDir(runId);
    Names.key(key, "tag key");
    Args.notNull(value, "The value of tag '" + key + "'", "give text (\"\" for an empty value)");
    dir.withLock(RunStore.LOCK, () -> {
      Map<String, String> tags = RunStore.readTags(dir);
      tags.put(key, value);
      RunStore.writeTags(dir, tags);
      RunMeta meta = RunStore.readMeta(dir).orElseThrow().nextRev();
      RunStore.writeMeta(dir, meta);
      if (!meta.status().equals(RunStatus.RUNNING.name())) {
        addToIndex(RunStore.readLive(dir).orElseThrow());
      }
    });
  }

  /**
   * Ends a run that its process left RUNNING (for example after a crash).
   *
   * @throws RunNotActiveException when the run has already ended
   */
  public RunInfo endRun(String runId, RunStatus status) {
    FileStore dir = runDir(runId);
    return toInfo(endRunDir(dir, status, Map.of(), null));
  }

  RunSummary endRunDir(FileStore dir, RunStatus status, Map<String, String> extraTags,
      Map<String, MetricPoint> knownMetrics) {
    if (status == null || !status.isTerminal()) {
      throw Errors.badEndStatus(status);
    }
    return dir.withLock(RunStore.LOCK, () -> {
      RunMeta meta = RunStore.readMeta(dir).orElseThrow();
      if (!meta.status().equals(RunStatus.RUNNING.name())) {
        throw Errors.runEnded("end it again", meta.name(), meta.id(), meta.status());
      }
      if (!extraTags.isEmpty()) {
        Map<String, String> tags = RunStore.readTags(dir);
        tags.putAll(extraTags);
        RunStore.writeTags(dir, tags);
      }
      RunMeta ended = meta.ended(status.name(), System.currentTimeMillis());
      RunStore.writeMeta(dir, ended);
      RunSummary s = RunSummary.of(ended, RunStore.readParams(dir),
          knownMetrics != null ? knownMetrics : RunStore.latestMetrics(dir), RunStore.readTags(dir));
      addToIndex(s);
      LOG.info("Run '{}' ({}) of experiment '{}' ended {}", meta.name(), meta.id(), meta.experiment(), status);
      return s;
    });
  }

  /**
   * A RUNNING run whose process is gone (killed, crashed, or its machine restarted) is ended FAILED here,
   * with tag {@code mlops.failure} saying so; a run whose process is alive, or runs on another machine,
   * is returned as it is.
   */
  private RunSummary reap(FileStore dir, RunSummary s) {
    if (!s.status().equals(RunStatus.RUNNING.name())) {
      return s;
    }
    Optional<RunMeta> meta = RunStore.readMeta(dir);
    ProcessRef owner = meta.map(RunMeta::process).orElse(null);
    if (owner == null || owner.liveness() != ProcessRef.Liveness.GONE) {
      return s;
    }
    String why = "The process that ran this run (" + owner.describe() + ") ended without ending the run: it was "
        + "killed or crashed. Marked FAILED when the run was next read, by pid " + ProcessRef.current().pid() + ".";
    RunSummary ended;
    try {
      ended = endRunDir(dir, RunStatus.FAILED, Map.of("mlops.failure", why), null);
    } catch (RunNotActiveException e) {
      return RunStore.readLive(dir).orElse(s); // another reader or the owner ended it first
    }
    removeTempLeftovers(dir);
    return ended;
  }

  /**
   * Deletes the temporary files and directories ({@code .<name>.<uuid>.tmp}) that an artifact copy or a
   * model write leaves when its process is killed. Only for runs whose process is gone: nobody else
   * writes a run's artifacts.
   */
  private static void removeTempLeftovers(FileStore run) {
    Optional<Path> local = run.localPath(RunStore.ARTIFACTS);
    if (local.isEmpty()) {
      for (FileStore.Entry e : run.files(RunStore.ARTIFACTS)) {
        String[] parts = e.path().split("/");
        for (int i = 0; i < parts.length; i++) {
          if (parts[i].startsWith(".") && parts[i].endsWith(".tmp")) {
            run.deleteTreeQuietly(RunStore.ARTIFACTS + "/" + String.join("/", java.util.Arrays.copyOf(parts, i + 1)));
            break;
          }
        }
      }
      return;
    }
    Path artifacts = local.get();
    if (!Files.isDirectory(artifacts)) {
      return;
    }
    List<Path> leftovers;
    try (Stream<Path> s = Files.walk(artifacts)) {
      leftovers = s.filter(p -> {
        String n = p.getFileName().toString();
        return n.startsWith(".") && n.endsWith(".tmp");
      }).collect(Collectors.toList());
    } catch (IOException | java.io.UncheckedIOException e) {
      return; // best effort: listing failed, leave them
    }
    for (Path p : leftovers) {
      Files2.deleteTreeQuietly(p);
    }
  }

  /**
   * The directory holding an artifact of a run (a file or a directory). For a workspace on a Hadoop
   * filesystem: a fresh local copy under {@code java.io.tmpdir}.
   *
   * @throws ArtifactNotFoundException when the run has nothing at that path
   */
  public Path artifact(String runId, String path) {
    FileStore run = runDir(runId);
    String p = Names.artifactPath(path);
    String rel = p.isEmpty() ? RunStore.ARTIFACTS : RunStore.ARTIFACTS + "/" + p;
    Optional<Path> local = run.localPath(rel);
    if (local.isPresent()) {
      if (!Files.exists(local.get())) {
        throw Errors.artifactNotFound(runId, path, listArtifacts(runId));
      }
      return local.get();
    }
    if (!run.exists(rel)) {
      throw Errors.artifactNotFound(runId, path, listArtifacts(runId));
    }
    return fetchArtifact(run, runId, rel);
  }

  /**
   * A remote run's artifact (file or directory) copied to {@code <java.io.tmpdir>/mlops-tracking-<hash of
   * the workspace URI>/<run-id>/<path>}: into a fresh temp location first, then moved into place, so the
   * returned path holds a whole copy. Copied again on each call (artifacts of a running run may change).
   */
  private Path fetchArtifact(FileStore run, String runId, String rel) {
    String key = dev.mlops.models.internal.Checksums.sha256(root.root().toString().getBytes(StandardCharsets.UTF_8))
        .substring(0, 16);
    Path target = Path.of(System.getProperty("java.io.tmpdir"), "mlops-tracking-" + key, runId).resolve(rel);
    Path tmp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
    try {
      if (run.isDirectory(rel)) {
        for (FileStore.Entry e : run.files(rel)) {
          run.download(rel + "/" + e.path(), tmp.resolve(e.path()));
        }
        Files.createDirectories(tmp);
      } else {
        run.download(rel, tmp);
      }
      Files2.deleteTreeQuietly(target);
      Files.move(tmp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      return target;
    } catch (IOException e) {
      throw Errors.cannotCopyArtifact(run.uri(rel), runId, target, e);
    } finally {
      Files2.deleteTreeQuietly(tmp);
    }
  }

  /** Relative paths of every artifact file of a run, sorted. */
  public List<String> listArtifacts(String runId) {
    FileStore run = runDir(runId);
    Optional<Path> local = run.localPath(RunStore.ARTIFACTS);
    if (local.isEmpty()) {
      return run.files(RunStore.ARTIFACTS).stream().map(FileStore.Entry::path)
          .filter(p -> !p.startsWith(".") && !p.contains("/.")).sorted().collect(Collectors.toList());
    }
    Path dir = local.get();
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString().replace('\\', '/'))
          .filter(p -> !p.startsWith(".") && !p.contains("/.")).sorted().collect(Collectors.toList());
    } catch (IOException e) {
      throw Errors.cannotListArtifacts(runId, dir, e);
    }
  }

  /** The feature spec logged with {@link Run#logFeatureSpec(Map)}, if any. */
  public Optional<Map<String, Object>> featureSpec(String runId) {
    return RunStore.readFeatureSpec(runDir(runId));
  }

  // ------------------------------------------------------------------------------------ search

  /**
   * Searches the runs of one or several experiments.
   *
   * <pre>{@code
   * tracking.searchRuns(List.of("churn", "churn-v2"),
   *     "metrics.auc > 0.8 and params.algorithm = 'rf' and status = 'FINISHED'",
   *     "metrics.auc DESC, start_time", 20);
   * }</pre>
   *
   * <p>Filter grammar: comparisons {@code field op value} joined by AND / OR, with NOT and parentheses.
   * Fields: {@code metrics.<key>}, {@code params.<key>}, {@code tags.<key>} and the attributes
   * {@code run_id, run_name, status, start_time, end_time, parent_run_id, experiment} (optionally
   * prefixed {@code attributes.}); a key with other characters goes in backticks. Operators:
   * {@code = != < <= > >=}, {@code IN (..)}, {@code NOT IN (..)}, {@code LIKE}/{@code ILIKE} ('%' and
   * '_' wildcards), {@code IS [NOT] NULL}. Values: numbers or quoted text. A run without the field never
   * matches a comparison. Metrics compare as numbers; params and tags as text, or as numbers when the
   * value is a number; times as epoch millis or quoted ISO-8601 instants.
   *
   * @param experiments experiment names (at least one)
   * @param filter a filter, or blank for all runs
   * @param orderBy {@code field [ASC|DESC], ...}, or blank for newest first; runs without the field last
   * @param limit maximum number of runs returned (at least 1)
   * @throws InvalidFilterException naming the bad token and its position
   * @throws ExperimentNotFoundException naming an experiment that does not exist
   */
  public List<RunInfo> searchRuns(List<String> experiments, String filter, String orderBy, int limit) {
    if (experiments == null || experiments.isEmpty()) {
      throw Errors.searchWithoutExperiments(experimentNames());
    }
    if (limit < 1) {
      throw Errors.badSearchLimit(limit);
    }
    Predicate<RunSummary> pred = RunQuery.filter(filter);
    Comparator<RunSummary> order = RunQuery.order(orderBy);
    List<String> names = new ArrayList<>();
    for (String e : experiments) {
      String n = Names.experiment(e);
      if (!root.exists(n + "/meta.json")) {
        throw Errors.experimentNotFound(e, experimentNames());
      }
      names.add(n);
    }
    List<RunSummary> hits = new ArrayList<>();
    for (String n : names) {
      for (RunSummary s : index(n).load().values()) {
        RunSummary current = s;
        if (s.status().equals(RunStatus.RUNNING.name())) {
          FileStore run = root.sub(n + "/runs/" + s.id());
          Optional<RunSummary> live = RunStore.readLive(run);
          if (live.isEmpty()) {
            continue; // its process died before the run was visible
          }
          current = reap(run, live.get());
        }
        if (pred.test(current)) {
          hits.add(current);
        }
      }
    }
    return hits.stream().sorted(order).limit(limit).map(Tracking::toInfo).collect(Collectors.toList());
  }

  /** Searches one experiment's runs; see {@link #searchRuns(List, String, String, int)}. */
  public List<RunInfo> searchRuns(String experiment, String filter) {
    Args.notNull(experiment, "The experiment name", "give the name of an experiment, e.g. \"churn\"");
    return searchRuns(List.of(experiment), filter, "", Integer.MAX_VALUE);
  }

  // ------------------------------------------------------------------------------------ internals

  RunIndex index(String experiment) {
    return indexes.computeIfAbsent(experiment, n -> new RunIndex(root.sub(n + "/index")));
  }

  void addToIndex(RunSummary s) {
    RunIndex idx = index(s.experiment());
    idx.add(s);
    if (indexAdds.incrementAndGet() % INDEX_CHECK_EVERY == 0) {
      idx.compactIfNeeded();
    }
  }

  FileStore runDir(String runId) {
    Names.runId(runId);
    return findRunDir(runId).orElseThrow(() -> Errors.runNotFound(runId, root.uri("")));
  }

  private Optional<FileStore> findRunDir(String runId) {
    for (String e : experimentNames()) {
      String d = e + "/runs/" + runId;
      if (root.exists(d + "/" + RunStore.META)) {
        return Optional.of(root.sub(d));
      }
    }
    return Optional.empty();
  }

  Run startRun(Experiment experiment, String runName, String parentRunId) {
    String name = runName == null ? defaultRunName() : runName;
    if (name.isBlank() || name.length() > 250 || name.chars().anyMatch(Character::isISOControl)) {
      throw Errors.badRunName(name);
    }
    String id = newId();
    FileStore dir = experiment.directory().sub("runs/" + id);
    confine(dir, "", "start run '" + name + "' in experiment '" + experiment.name() + "'");
    dir.mkdirs("");
    Map<String, String> tags = new HashMap<>(SystemInfo.runTags());
    if (parentRunId != null) {
      tags.put("mlops.parentRunId", parentRunId);
    }
    long now = System.currentTimeMillis();
    RunMeta meta = new RunMeta(id, experiment.name(), name, RunStatus.RUNNING.name(), now, null, parentRunId, 1,
        ProcessRef.current());
    RunStore.writeTags(dir, tags);
    addToIndex(RunSummary.of(meta, Map.of(), Map.of(), tags)); // index first: a run is visible once meta exists
    RunStore.writeMeta(dir, meta);
    LOG.info("Started run '{}' ({}) in experiment '{}'", name, id, experiment.name());
    return new Run(this, experiment, id, name, parentRunId, dir, Instant.ofEpochMilli(now));
  }

  private static String defaultRunName() {
    return "run-" + java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
        .withZone(java.time.ZoneOffset.UTC).format(Instant.now()) + "-"
        + UUID.randomUUID().toString().substring(0, 4);
  }

  static String newId() {
    return UUID.randomUUID().toString().replace("-", "");
  }

  static Metric toMetric(String key, MetricPoint p) {
    return new Metric(key, p.v(), p.s(), Instant.ofEpochMilli(p.t()));
  }

  static RunInfo toInfo(RunSummary s) {
    Map<String, Metric> metrics = new HashMap<>();
    s.metrics().forEach((k, p) -> metrics.put(k, toMetric(k, p)));
    return new RunInfo(s.id(), s.experiment(), s.name(), RunStatus.valueOf(s.status()),
        Instant.ofEpochMilli(s.start()), Optional.ofNullable(s.end()).map(Instant::ofEpochMilli),
        Optional.ofNullable(s.parent()), s.params(), metrics, s.tags());
  }

  FileStore root() {
    return root;
  }

  /**
   * On local disk, refuses a write to rel of store when it leads outside the workspace through a
   * symbolic link (see Files2.confine); remote stores have no symbolic links to follow.
   */
  void confine(FileStore store, String rel, String what) {
    store.localPath(rel).ifPresent(p -> Files2.confine(workspace.localRoot().orElseThrow(), p, what));
  }
}
