package dev.mlops.models;

import dev.mlops.core.Workspace;
import dev.mlops.models.internal.Errors;
import dev.mlops.models.internal.deploy.Engine;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Deployment jobs: for every new version of a registered model, evaluate it against the champion,
 * approve it (by a gate or by hand) and move the {@code champion} alias, with an audit log on the
 * version. Like MLflow 3 deployment jobs, without a server: the job and its runs are files in the
 * registry, and any number of processes may run them at once.
 *
 * <pre>{@code
 * Deployments deployments = Deployments.of(ws);
 * deployments.attach("main.ml.churn", DeploymentJob.of(
 *     DeploymentTask.evaluate(EvaluationData.table("main.ml.churn_eval", 3)),
 *     DeploymentTask.manualApproval(),
 *     DeploymentTask.deploy("champion", "previous")));
 *
 * ModelVersion v = trained.register(registry, "main.ml.churn");   // any process
 * deployments.runPending();                                        // evaluates, then waits: APPROVAL
 * deployments.approve("main.ml.churn", v.version(), "ana", "looks good");   // any process
 * deployments.runPending();                                        // moves champion; SUCCEEDED
 * deployments.rollback("main.ml.churn");                           // champion back to previous
 *
 * try (DeploymentRunner runner = deployments.startRunner(Duration.ofSeconds(5))) { ... }   // or in the background
 * }</pre>
 *
 * <p><b>Exactly once.</b> Each version gets one run, created under the model's deployment lock as a
 * persisted cursor over version numbers moves past it, whatever the number of runners. A runner claims
 * a run with a lease (default 60 s, {@link #withLease}); a runner killed mid-task leaves its lease to
 * expire, and the next runner resumes the run at that task. A task that succeeded never runs again,
 * and a resumed deploy finishes the alias moves it recorded before making them, so a deployment is
 * never repeated. Custom steps may run again when their runner dies during them: make them idempotent.
 *
 * <p><b>Runners.</b> Nothing runs in the background unless the application asks: call
 * {@link #runPending()} (one pass, in the calling thread), or {@link #startRunner(Duration)} for one
 * thread polling until closed. Runs waiting for approval hold no lease; a pass looks at their tag.
 *
 * <p><b>Serving.</b> Endpoints that serve {@code models:/name@champion} pick a deployment up through
 * the alias; a custom task after {@code deploy} can also update a serving endpoint directly.
 *
 * <p>Logging: INFO on logger {@code dev.mlops.models.Deployments} for jobs attached, runs
 * created, finished and failed, approvals and rollbacks.
 */
public final class Deployments {
  private final ModelRegistry registry;
  private final Duration lease;
  private final String runnerId;
  private final Map<String, DeploymentTask> custom;
  private final Engine engine;

  private Deployments(ModelRegistry registry, Duration lease, String runnerId, Map<String, DeploymentTask> custom) {
    this.registry = registry;
    this.lease = lease;
    this.runnerId = runnerId;
    this.custom = Map.copyOf(custom);
    this.engine = new Engine(registry, runnerId, lease, custom);
  }

  /** Deployment jobs of a workspace's registry. */
  public static Deployments of(Workspace ws) {
    return of(ModelRegistry.of(ws));
  }

  /** Deployment jobs of a registry. */
  public static Deployments of(ModelRegistry registry) {
    return new Deployments(Objects.requireNonNull(registry, "registry"), Duration.ofSeconds(60),
        "runner-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8), Map.of());
  }

  /**
   * The same with the implementations of custom tasks (by {@link DeploymentTask#name()}): a runner
   * runs a job with custom tasks only when it was given all of them, and leaves it to other runners
   * otherwise.
   */
  public Deployments withTasks(DeploymentTask... tasks) {
    Map<String, DeploymentTask> m = new LinkedHashMap<>(custom);
    for (DeploymentTask t : tasks) {
      m.put(t.name(), t);
    }
    return new Deployments(registry, lease, runnerId, m);
  }

  /**
   * The same with another lease: how long a runner's claim on a run lasts without a write or
   * {@link TaskContext#heartbeat()}; after a runner dies, others resume its runs after this long.
   */
  public Deployments withLease(Duration lease) {
    if (lease.isNegative() || lease.isZero()) {
      throw Errors.badLease(lease);
    }
    return new Deployments(registry, lease, runnerId, custom);
  }

  /** The same with a runner id for the audit log (default {@code runner-<pid>-<random>}). */
  public Deployments withRunnerId(String id) {
    if (id == null || id.isBlank()) {
      throw Errors.blankRunnerId();
    }
    return new Deployments(registry, lease, id, custom);
  }

  /** This runner's id, as written in audit logs. */
  public String runnerId() {
    return runnerId;
  }

  /** The registry. */
  public ModelRegistry registry() {
    return registry;
  }

  // ------------------------------------------------------------------------------------ jobs

  /**
   * Attaches a job to a registered model (replacing its job, if any). It runs for every version
   * registered from now on; in-memory evaluation rows are stored with it. Custom tasks of the job are
   * known to this instance; other runners need them through {@link #withTasks}.
   *
   * @return this, knowing the job's custom tasks
   * @throws ModelNotFoundException when the model does not exist
   */
  public Deployments attach(String model, DeploymentJob job) {
    Objects.requireNonNull(job, "job");
    engine.attach(model, job);
    List<DeploymentTask> customs = job.tasks().stream()
        .filter(t -> !t.getClass().getName().startsWith("dev.mlops.models.internal.deploy.")).toList();
    return customs.isEmpty() ? this : withTasks(customs.toArray(new DeploymentTask[0]));
  }

  /** Removes a model's job (runs already created still finish); false when it had none. */
  public boolean detach(String model) {
    return engine.detach(model);
  }

  /** The job attached to a model, if any. */
  public Optional<DeploymentJob> job(String model) {
    return engine.job(model);
  }

  // ------------------------------------------------------------------------------------ running

  /**
   * One pass in the calling thread: creates the run of every newly registered version, then advances
   * every run that can advance (pending, waiting for an approval that was given, or abandoned by a
   * runner whose lease expired) until it finishes or waits.
   *
   * @return the runs this pass advanced, as they are now
   */
  public List<DeploymentRun> runPending() {
    return engine.runPending();
  }

  /**
   * Starts one thread ({@code mlops-deployment-runner}) calling {@link #runPending()} every interval
   * until the runner is closed. Errors of a pass are logged and the next pass runs.
   */
  public DeploymentRunner startRunner(Duration interval) {
    return new DeploymentRunner(this, interval);
  }

  /**
   * Creates the run of an existing version by hand, e.g. one registered before the job was attached;
   * a pass then runs it.
   *
   * @throws ModelVersionNotFoundException when the version does not exist or is deleted
   * @throws DeploymentJobNotFoundException when the model has no job
   * @throws DeploymentException when the version already has a run
   */
  public DeploymentRun startRun(String model, int version) {
    return engine.startRun(model, version);
  }

  // ------------------------------------------------------------------------------------ approvals

  /**
   * Approves a version waiting in a manual approval task: records approver and comment in its audit
   * log and sets the version's tag named after the task to {@code approved}. Any process may call it;
   * the next pass of any runner continues the run.
   *
   * @throws NoPendingApprovalException when the version's run is not waiting for a manual approval
   * @throws ModelVersionNotFoundException when the version does not exist
   */
  public DeploymentRun approve(String model, int version, String approver, String comment) {
    return engine.decide(model, version, approver, comment, true);
  }

  /**
   * Rejects a version waiting in a manual approval task (its tag becomes {@code rejected}; the run
   * fails at that task on the next pass).
   *
   * @throws NoPendingApprovalException when the version's run is not waiting for a manual approval
   */
  public DeploymentRun reject(String model, int version, String approver, String comment) {
    return engine.decide(model, version, approver, comment, false);
  }

  // ------------------------------------------------------------------------------------ rollback

  /**
   * Points the job's deploy alias ({@code champion}) back at the version its previous alias
   * ({@code previous}) holds, in one call; {@code previous} moves one deployment further back (or is
   * removed when there is none), so repeated rollbacks walk back through the deployments.
   *
   * @return the version the alias now points to
   * @throws DeploymentException when there is no previous version to roll back to
   * @throws ModelVersionNotFoundException when that version is deleted
   */
  public ModelVersion rollback(String model) {
    return engine.rollback(model);
  }

  /** Rollback with explicit aliases (for models without a job). */
  public ModelVersion rollback(String model, String alias, String previousAlias) {
    return engine.rollback(model, alias, previousAlias);
  }

  // ------------------------------------------------------------------------------------ runs

  /**
   * The deployment run of a version.
   *
   * @throws DeploymentJobNotFoundException when the version has no run
   */
  public DeploymentRun getRun(String model, int version) {
    return engine.getRun(model, version);
  }

  /** The deployment run of a version, if it has one. */
  public Optional<DeploymentRun> findRun(String model, int version) {
    return engine.findRun(model, version);
  }

  /** Every deployment run of a model, by version. */
  public List<DeploymentRun> listRuns(String model) {
    return engine.listRuns(model);
  }
}
