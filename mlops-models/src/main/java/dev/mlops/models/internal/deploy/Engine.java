package dev.mlops.models.internal.deploy;

import dev.mlops.core.TableName;
import dev.mlops.core.Workspace;
import dev.mlops.models.DeploymentException;
import dev.mlops.models.DeploymentJob;
import dev.mlops.models.DeploymentJobNotFoundException;
import dev.mlops.models.DeploymentRun;
import dev.mlops.models.DeploymentTask;
import dev.mlops.models.JobRunState;
import dev.mlops.models.ModelRegistry;
import dev.mlops.models.ModelVersion;
import dev.mlops.models.ModelVersionStatus;
import dev.mlops.models.TaskContext;
import dev.mlops.models.TaskResult;
import dev.mlops.models.TaskRun;
import dev.mlops.models.internal.Errors;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs deployment jobs: finds new versions (a cursor over version numbers, advanced under the model's
 * deployment lock together with the creation of each version's run, so each version gets exactly one
 * run whatever the number of runners), claims runs with expiring leases, and executes their tasks.
 *
 * <p><b>Leases and fencing.</b> A claim bumps the run's lease token. Every later write of the runner
 * (task started, task result, alias moves of the deploy task) happens under the deployment lock and
 * only while the token is still the runner's: a runner whose lease expired (it was paused, or killed
 * and another runner took over) can no longer change the run. A runner that dies mid-task leaves the
 * task RUNNING; once the lease expires another runner claims the run and starts that task again. A
 * task that succeeded is never run again, and the deploy task records its plan before it moves any
 * alias, so a resumed deployment finishes the same moves instead of making new ones.
 */
public final class Engine {
  private static final Logger LOG = LoggerFactory.getLogger(dev.mlops.models.Deployments.class);

  private final Workspace ws;
  private final ModelRegistry registry;
  private final Store store;
  private final String runnerId;
  private final long leaseMs;
  private final Map<String, DeploymentTask> custom;
  private final Set<String> warned = ConcurrentHashMap.newKeySet();

  public Engine(ModelRegistry registry, String runnerId, Duration lease, Map<String, DeploymentTask> custom) {
    this.registry = registry;
    this.ws = registry.workspace();
    this.store = new Store(ws);
    this.runnerId = runnerId;
    this.leaseMs = lease.toMillis();
    this.custom = Map.copyOf(custom);
  }

  public String runnerId() {
    return runnerId;
  }

  /** Thrown inside a fenced write when the runner no longer holds the lease (public for {@code Errors}). */
  public static final class LostLease extends DeploymentException {
    private static final long serialVersionUID = 1L;

    public LostLease(String message) {
      super(message);
    }
  }

  // ------------------------------------------------------------------------------------ jobs

  public void attach(String model, DeploymentJob job) {
    TableName n = TableName.parse(model);
    registry.getModel(n.toString()); // ModelNotFoundException for a model that does not exist
    for (DeploymentTask t : job.tasks()) {
      Builtins.checkData(t, ws); // a missing evaluation table or version fails now, not in every run
    }
    store.locked(n, () -> {
      Docs.JobDoc j = new Docs.JobDoc();
      j.model = n.toString();
      j.jobId = UUID.randomUUID().toString().replace("-", "");
      j.createdAt = System.currentTimeMillis();
      for (DeploymentTask t : job.tasks()) {
        j.tasks.add(Builtins.toSpec(t, store, n));
      }
      Docs.StateDoc s = store.readState(n);
      s.cursor = Math.max(s.cursor, maxVersion(n)); // runs for versions registered from now on
      s.jobId = j.jobId;
      store.writeJob(n, j);
      store.writeState(n, s);
      return null;
    });
    LOG.info("Attached deployment job {} to model '{}'", job.taskNames(), n);
  }

  public boolean detach(String model) {
    TableName n = TableName.parse(model);
    registry.getModel(n.toString());
    return store.locked(n, () -> store.deleteJob(n));
  }

  public Optional<DeploymentJob> job(String model) {
    TableName n = TableName.parse(model);
    registry.getModel(n.toString());
    return store.readJob(n).map(j -> {
      List<DeploymentTask> tasks = new ArrayList<>();
      for (Docs.TaskSpec s : j.tasks) {
        tasks.add(Builtins.fromSpec(s, store, n, custom).orElseGet(() -> new Unresolved(s)));
      }
      return new DeploymentJob(tasks);
    });
  }

  /** Stands for a custom task whose implementation this runner was not given. */
  private record Unresolved(Docs.TaskSpec spec) implements DeploymentTask {
    @Override
    public String name() {
      return spec.name;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Set<String> metricNames() {
      Object m = spec.config.get("metrics");
      return m instanceof List<?> l ? new HashSet<>((List<String>) l) : Set.of();
    }

    @Override
    public TaskResult run(TaskContext context) {
      throw Errors.noCustomTask(spec.name, spec.config);
    }
  }

  /**
   * The highest version number, from the names in {@code versions/} (a number is only ever taken by a
   * complete version, and numbers are contiguous from 1, so every number up to it is a version).
   */
  private int maxVersion(TableName n) {
    return store.maxVersion(n);
  }

  // ------------------------------------------------------------------------------------ runner

  /** One pass: new versions get their run, then every run that can advance is advanced as far as it goes. */
  public List<DeploymentRun> runPending() {
    List<DeploymentRun> touched = new ArrayList<>();
    for (TableName n : store.modelsWithJobs()) {
      discover(n);
      if (store.readState(n).open.isEmpty()) {
        continue; // nothing to advance: no lock taken
      }
      Set<Integer> seen = new HashSet<>();
      Optional<Integer> c;
      while ((c = claim(n, seen)).isPresent()) {
        int v = c.get();
        seen.add(v);
        Docs.RunDoc r = store.readRun(n, v).orElseThrow();
        execute(n, v, r.leaseToken);
        touched.add(toRun(store.readRun(n, v).orElseThrow()));
      }
    }
    return touched;
  }

  /** Creates the run of every version registered since the cursor, once. */
  void discover(TableName n) {
    if (store.readJob(n).isEmpty()) {
      return;
    }
    int max = maxVersion(n);
    if (max <= store.readState(n).cursor) {
      return; // nothing new (checked again under the lock below when there is)
    }
    store.locked(n, () -> {
      Optional<Docs.JobDoc> job = store.readJob(n);
      Docs.StateDoc s = store.readState(n);
      if (job.isEmpty()) {
        return null;
      }
      int top = maxVersion(n);
      for (int v = s.cursor + 1; v <= top; v++) {
        if (store.createRun(newRun(n, v, job.get(), "version " + v + " registered"))) {
          LOG.info("Deployment run created for version {} of '{}'", v, n);
        }
        if (!s.open.contains(v)) {
          s.open.add(v);
        }
      }
      if (top > s.cursor) {
        s.cursor = top;
        store.writeState(n, s);
      }
      return null;
    });
  }

  private Docs.RunDoc newRun(TableName n, int v, Docs.JobDoc job, String why) {
    Docs.RunDoc r = new Docs.RunDoc();
    r.model = n.toString();
    r.version = v;
    r.runId = UUID.randomUUID().toString().replace("-", "");
    r.jobId = job.jobId;
    r.createdAt = System.currentTimeMillis();
    r.updatedAt = r.createdAt;
    for (Docs.TaskSpec s : job.tasks) {
      r.job.add(new Docs.TaskSpec(s.type, s.name, s.config));
      Docs.TaskDoc t = new Docs.TaskDoc();
      t.name = s.name;
      t.type = s.type;
      r.tasks.add(t);
    }
    List<String> names = new ArrayList<>();
    job.tasks.forEach(t -> names.add(t.name));
    r.event(null, "created", why + "; tasks " + names, runnerId);
    return r;
  }

  /** Manually starts the run of an existing version (e.g. one registered before the job was attached). */
  public DeploymentRun startRun(String model, int version) {
    TableName n = TableName.parse(model);
    ModelVersion mv = registry.getVersion(n.toString(), version);
    if (mv.status() == ModelVersionStatus.DELETED) {
      throw dev.mlops.models.internal.Errors.versionDeleted(n.toString(), version, "start a deployment run for it",
          " first");
    }
    store.locked(n, () -> {
      Docs.JobDoc job = store.readJob(n).orElseThrow(() -> noJob(n));
      Optional<Docs.RunDoc> existing = store.readRun(n, version);
      if (existing.isPresent()) {
        throw Errors.alreadyDeployed(version, n, existing.get().state);
      }
      store.createRun(newRun(n, version, job, "started by hand"));
      Docs.StateDoc s = store.readState(n);
      s.open.add(version);
      store.writeState(n, s);
      return null;
    });
    return getRun(model, version);
  }

  private static DeploymentJobNotFoundException noJob(TableName n) {
    return Errors.noDeploymentJob(n);
  }

  /** Claims the first run of a model that can advance now (not in skip); its version. */
  Optional<Integer> claim(TableName n, Set<Integer> skip) {
    return store.locked(n, () -> {
      Docs.StateDoc s = store.readState(n);
      boolean changed = false;
      long now = System.currentTimeMillis();
      Optional<Integer> out = Optional.empty();
      for (Integer v : new ArrayList<>(s.open)) {
        if (skip.contains(v)) {
          continue;
        }
        Optional<Docs.RunDoc> rr = store.readRun(n, v);
        if (rr.isEmpty() || JobRunState.valueOf(rr.get().state).isFinal()) {
          s.open.remove(v);
          changed = true;
          continue;
        }
        Docs.RunDoc r = rr.get();
        if (!resolvable(r)) {
          continue;
        }
        JobRunState st = JobRunState.valueOf(r.state);
        boolean ok = switch (st) {
          case PENDING -> true;
          case RUNNING -> r.leaseExpiresAt <= now;
          case APPROVAL -> approvalDecided(n, r);
          default -> false;
        };
        if (!ok) {
          continue;
        }
        String detail = st == JobRunState.RUNNING ? "lease of " + r.leaseOwner + " expired; resuming at task "
            + r.currentTask : st == JobRunState.APPROVAL ? "approval decided" : "";
        r.leaseToken++;
        r.leaseOwner = runnerId;
        r.leaseExpiresAt = now + leaseMs;
        r.state = JobRunState.RUNNING.name();
        r.event(r.currentTask, "claimed", detail, runnerId);
        store.writeRun(r);
        out = Optional.of(v);
        break;
      }
      if (changed) {
        store.writeState(n, s);
      }
      return out;
    });
  }

  private boolean resolvable(Docs.RunDoc r) {
    for (Docs.TaskSpec s : r.job) {
      if (Builtins.CUSTOM.equals(s.type) && !custom.containsKey(s.name)) {
        if (warned.add(r.model + "/" + r.version + "/" + s.name)) {
          LOG.warn("Runner {} leaves the deployment run of version {} of '{}' to other runners: it was not given custom "
              + "task '{}' ({}); pass it with Deployments.withTasks(..)", runnerId, r.version, r.model, s.name,
              s.config.get("class"));
        }
        return false;
      }
    }
    return true;
  }

  private boolean approvalDecided(TableName n, Docs.RunDoc r) {
    int i = r.nextTask();
    if (i < 0 || !Builtins.isManual(r.job.get(i))) {
      return true; // a custom step that waits is asked again
    }
    ModelVersion v = registry.getVersion(n.toString(), r.version);
    return v.status() == ModelVersionStatus.DELETED || Builtins.decision(v.tags().get(r.job.get(i).name)).isPresent();
  }

  /** Runs the claimed run's tasks until it finishes, waits, or the lease is lost. */
  void execute(TableName n, int version, long token) {
    while (true) {
      Docs.RunDoc r = store.readRun(n, version).orElseThrow();
      if (r.leaseToken != token) {
        return;
      }
      int i = r.nextTask();
      try {
        if (i < 0) {
          fenced(n, version, token, d -> {
            d.state = JobRunState.SUCCEEDED.name();
            d.currentTask = null;
            d.event(null, "finished", "every task succeeded", runnerId);
            release(d);
            return null;
          });
          LOG.info("Deployment run of version {} of '{}' succeeded", version, n);
          return;
        }
        Docs.TaskSpec spec = r.job.get(i);
        DeploymentTask task = Builtins.fromSpec(spec, store, n, custom).orElseThrow(() ->
            Errors.unknownCustomTask(spec.name));
        Docs.RunDoc started = fenced(n, version, token, d -> {
          Docs.TaskDoc t = d.tasks.get(i);
          boolean fromWait = t.status.equals(JobRunState.APPROVAL.name());
          if (!fromWait) {
            t.attempts++;
          }
          if (t.startedAt == null) {
            t.startedAt = System.currentTimeMillis();
          }
          t.status = JobRunState.RUNNING.name();
          d.state = JobRunState.RUNNING.name();
          d.currentTask = t.name;
          d.event(t.name, fromWait ? "approval checked" : t.attempts > 1 ? "resumed" : "started",
              t.attempts > 1 && !fromWait ? "attempt " + t.attempts : "", runnerId);
          return d;
        });
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (Docs.TaskDoc t : started.tasks) {
          if (t.status.equals(JobRunState.SUCCEEDED.name())) {
            metrics.putAll(t.metrics);
          }
        }
        Ctx ctx = new Ctx(n, version, token, started, spec.name, started.tasks.get(i).attempts, metrics);
        TaskResult res;
        try {
          res = task.run(ctx);
          if (res == null) {
            res = TaskResult.failed("Task '" + spec.name + "' returned null instead of a TaskResult.");
          }
        } catch (LostLease e) {
          throw e;
        } catch (RuntimeException e) {
          LOG.debug("Task {} of version {} of '{}' failed", spec.name, version, n, e);
          res = TaskResult.failed(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        TaskResult result = res;
        boolean more = fenced(n, version, token, d -> record(d, i, result));
        if (!more) {
          return;
        }
      } catch (LostLease e) {
        LOG.warn("Runner {} lost its lease on the deployment run of version {} of '{}' (another runner took it over)",
            runnerId, version, n);
        return;
      }
    }
  }

  private boolean record(Docs.RunDoc d, int i, TaskResult res) {
    Docs.TaskDoc t = d.tasks.get(i);
    t.metrics.putAll(res.metrics());
    t.details.putAll(res.details());
    res.decision().ifPresent(s -> t.decision = s);
    long now = System.currentTimeMillis();
    switch (res.outcome()) {
      case SUCCEEDED -> {
        t.status = JobRunState.SUCCEEDED.name();
        t.endedAt = now;
        d.event(t.name, "succeeded", res.decision().orElse(""), runnerId);
        return true;
      }
      case FAILED -> {
        t.status = JobRunState.FAILED.name();
        t.endedAt = now;
        t.error = res.message().orElse("");
        d.state = JobRunState.FAILED.name();
        d.currentTask = t.name;
        d.event(t.name, "failed", t.error, runnerId);
        release(d);
        LOG.info("Deployment run of version {} of '{}' failed at task {}: {}", d.version, d.model, t.name, t.error);
        return false;
      }
      default -> {
        t.status = JobRunState.APPROVAL.name();
        d.state = JobRunState.APPROVAL.name();
        d.currentTask = t.name;
        d.event(t.name, "waiting", res.message().orElse(""), runnerId);
        release(d);
        return false;
      }
    }
  }

  private static void release(Docs.RunDoc d) {
    d.leaseOwner = null;
    d.leaseExpiresAt = 0;
  }

  /** Body under the lock, only while this runner holds the lease; the run is written back and the lease renewed. */
  <T> T fenced(TableName n, int version, long token, Function<Docs.RunDoc, T> body) {
    return store.locked(n, () -> {
      Docs.RunDoc d = store.readRun(n, version).orElseThrow();
      if (d.leaseToken != token || !runnerId.equals(d.leaseOwner)) {
        throw Errors.lostLease(runnerId, version, n, d.leaseOwner);
      }
      T t = body.apply(d);
      if (runnerId.equals(d.leaseOwner)) {
        d.leaseExpiresAt = System.currentTimeMillis() + leaseMs;
      }
      store.writeRun(d);
      if (JobRunState.valueOf(d.state).isFinal()) {
        Docs.StateDoc s = store.readState(n);
        if (s.open.remove(Integer.valueOf(version))) {
          store.writeState(n, s);
        }
      }
      return t;
    });
  }

  private final class Ctx implements EngineContext {
    private final TableName n;
    private final int version;
    private final long token;
    private final Docs.RunDoc run;
    private final String taskName;
    private final int attempt;
    private final Map<String, Double> metrics;

    Ctx(TableName n, int version, long token, Docs.RunDoc run, String taskName, int attempt, Map<String, Double> m) {
      this.n = n;
      this.version = version;
      this.token = token;
      this.run = run;
      this.taskName = taskName;
      this.attempt = attempt;
      this.metrics = java.util.Collections.unmodifiableMap(m);
    }

    @Override
    public String modelName() {
      return n.toString();
    }

    @Override
    public int modelVersion() {
      return version;
    }

    @Override
    public String taskName() {
      return taskName;
    }

    @Override
    public int attempt() {
      return attempt;
    }

    @Override
    public Map<String, Double> metrics() {
      return metrics;
    }

    @Override
    public ModelRegistry registry() {
      return registry;
    }

    @Override
    public Workspace workspace() {
      return ws;
    }

    @Override
    public void heartbeat() {
      fenced(n, version, token, d -> null);
    }

    @Override
    public Docs.RunDoc run() {
      return run;
    }

    @Override
    public String runnerId() {
      return runnerId;
    }

    @Override
    public Store store() {
      return store;
    }

    @Override
    public <T> T underLease(Function<Docs.RunDoc, T> body) {
      return fenced(n, version, token, body);
    }
  }

  // ------------------------------------------------------------------------------------ approvals

  public DeploymentRun decide(String model, int version, String approver, String comment, boolean approve) {
    TableName n = TableName.parse(model);
    if (approver == null || approver.isBlank()) {
      throw Errors.noApprover(version, n, approver);
    }
    String c = comment == null ? "" : comment;
    registry.getVersion(n.toString(), version); // typed not-found errors first
    store.locked(n, () -> {
      Docs.RunDoc r = store.readRun(n, version).orElseThrow(() ->
          Errors.noRunAwaitingApproval(version, n, store.readJob(n).isPresent()));
      int i = r.nextTask();
      if (!r.state.equals(JobRunState.APPROVAL.name()) || i < 0 || !Builtins.isManual(r.job.get(i))) {
        throw Errors.notAwaitingApproval(version, n, r.state, r.currentTask, approve);
      }
      Docs.TaskDoc t = r.tasks.get(i);
      t.approver = approver;
      t.comment = c;
      r.event(t.name, approve ? "approved" : "rejected", c, approver);
      store.writeRun(r);
      registry.setVersionTag(n.toString(), version, t.name, approve ? Builtins.APPROVED : Builtins.REJECTED);
      return null;
    });
    LOG.info("Version {} of '{}' {} by {}", version, n, approve ? "approved" : "rejected", approver);
    return getRun(model, version);
  }

  // ------------------------------------------------------------------------------------ rollback

  public ModelVersion rollback(String model) {
    TableName n = TableName.parse(model);
    registry.getModel(n.toString());
    String alias = "champion";
    String previousAlias = "previous";
    Optional<Docs.JobDoc> job = store.readJob(n);
    if (job.isPresent()) {
      for (Docs.TaskSpec s : job.get().tasks) {
        if (Builtins.DEPLOY.equals(s.type)) {
          alias = (String) s.config.get("alias");
          previousAlias = (String) s.config.get("previousAlias");
        }
      }
    }
    return rollback(model, alias, previousAlias);
  }

  public ModelVersion rollback(String model, String alias, String previousAlias) {
    TableName n = TableName.parse(model);
    registry.getModel(n.toString());
    int target = store.locked(n, () -> {
      Map<String, Integer> al = registry.aliases(n.toString());
      Integer prev = al.get(previousAlias);
      if (prev == null) {
        throw Errors.noPreviousAlias(n, previousAlias, alias, al);
      }
      ModelVersion pv = registry.getVersion(n.toString(), prev);
      if (pv.status() == ModelVersionStatus.DELETED) {
        throw dev.mlops.models.internal.Errors.versionDeleted(n.toString(), prev, "roll back to it ('" + previousAlias
            + "')", "");
      }
      Integer cur = al.get(alias);
      Integer newPrev = null;
      List<Docs.HistoryDoc> h = store.history(n);
      for (int k = h.size() - 1; k >= 0; k--) {
        Docs.HistoryDoc e = h.get(k);
        if (alias.equals(e.alias) && e.to == prev) {
          newPrev = "deploy".equals(e.kind) ? e.from : e.previous;
          break;
        }
      }
      if (newPrev != null && (newPrev.equals(prev)
          || registry.getVersion(n.toString(), newPrev).status() == ModelVersionStatus.DELETED)) {
        newPrev = null;
      }
      Docs.HistoryDoc e = new Docs.HistoryDoc();
      e.time = System.currentTimeMillis();
      e.kind = "rollback";
      e.runId = "rollback-" + UUID.randomUUID().toString().replace("-", "");
      e.alias = alias;
      e.from = cur;
      e.to = prev;
      e.previousAlias = previousAlias;
      e.previous = newPrev;
      store.appendHistory(n.toString(), e);
      registry.setAlias(n.toString(), alias, prev);
      if (newPrev != null) {
        registry.setAlias(n.toString(), previousAlias, newPrev);
      } else {
        registry.deleteAlias(n.toString(), previousAlias);
      }
      return prev;
    });
    LOG.info("Rolled model '{}' back: '{}' -> version {}", n, alias, target);
    return registry.getVersion(n.toString(), target);
  }

  // ------------------------------------------------------------------------------------ views

  public Optional<DeploymentRun> findRun(String model, int version) {
    TableName n = TableName.parse(model);
    registry.getVersion(n.toString(), version);
    return store.readRun(n, version).map(Engine::toRun);
  }

  public DeploymentRun getRun(String model, int version) {
    TableName n = TableName.parse(model);
    return findRun(model, version).orElseThrow(() ->
        Errors.noDeploymentRun(version, n, store.readJob(n).isPresent()));
  }

  public List<DeploymentRun> listRuns(String model) {
    TableName n = TableName.parse(model);
    List<DeploymentRun> out = new ArrayList<>();
    for (ModelVersion v : registry.listVersions(n.toString(), true)) {
      store.readRun(n, v.version()).ifPresent(r -> out.add(toRun(r)));
    }
    return out;
  }

  public List<Docs.HistoryDoc> history(String model) {
    return store.history(TableName.parse(model));
  }

  static DeploymentRun toRun(Docs.RunDoc r) {
    List<TaskRun> tasks = new ArrayList<>();
    for (Docs.TaskDoc t : r.tasks) {
      tasks.add(new TaskRun(t.name, t.type, JobRunState.valueOf(t.status), instant(t.startedAt), instant(t.endedAt),
          t.attempts, t.metrics, t.details, Optional.ofNullable(t.decision), Optional.ofNullable(t.approver),
          Optional.ofNullable(t.comment), Optional.ofNullable(t.error)));
    }
    List<DeploymentRun.AuditEntry> log = new ArrayList<>();
    for (Docs.EventDoc e : r.events) {
      log.add(new DeploymentRun.AuditEntry(Instant.ofEpochMilli(e.time), Optional.ofNullable(e.task), e.event,
          e.detail == null ? "" : e.detail, e.runner == null ? "" : e.runner));
    }
    return new DeploymentRun(r.model, r.version, r.runId, JobRunState.valueOf(r.state), Optional.ofNullable(r.currentTask),
        Instant.ofEpochMilli(r.createdAt), Instant.ofEpochMilli(r.updatedAt), tasks, log);
  }

  private static Optional<Instant> instant(Long ms) {
    return ms == null ? Optional.empty() : Optional.of(Instant.ofEpochMilli(ms));
  }
}
