package dev.mlops.models.internal.deploy;

import dev.mlops.core.Frame;
import dev.mlops.models.DeploymentTask;
import dev.mlops.models.EvaluationData;
import dev.mlops.models.ModelRegistry;
import dev.mlops.models.ModelVersion;
import dev.mlops.models.ModelVersionStatus;
import dev.mlops.models.TaskContext;
import dev.mlops.models.TaskResult;
import dev.mlops.models.internal.Errors;
import dev.mlops.models.internal.Names;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** The built-in deployment steps (evaluate, gate, manual approval, deploy) and their stored form. */
public final class Builtins {
  private Builtins() {}

  static final String EVALUATE = "evaluate";
  static final String GATE = "gate";
  static final String MANUAL = "manual_approval";
  static final String DEPLOY = "deploy";
  static final String CUSTOM = "custom";

  /** Tag values of an approval task's tag. */
  public static final String APPROVED = "approved";
  public static final String REJECTED = "rejected";

  public static DeploymentTask evaluate(String name, EvaluationData data, String championAlias) {
    return new Evaluate(Names.key(name, "deployment task name"), Objects.requireNonNull(data, "data"),
        Names.alias(championAlias, "(evaluate task '" + name + "')"));
  }

  public static DeploymentTask gate(String name, String expression) {
    return new GateTask(Names.key(name, "deployment task name"), Gate.parse(expression));
  }

  public static DeploymentTask manual(String name) {
    return new Manual(Names.key(name, "deployment task name"));
  }

  public static DeploymentTask deploy(String name, String alias, String previousAlias) {
    String a = Names.alias(alias, "(deploy task '" + name + "')");
    String p = Names.alias(previousAlias, "(deploy task '" + name + "')");
    if (a.equals(p)) {
      throw Errors.sameDeployAliases(name, a, p);
    }
    return new Deploy(Names.key(name, "deployment task name"), a, p);
  }

  /** Checks a gate task's metrics against what earlier tasks produce (no-op for other tasks). */
  public static void checkGate(DeploymentTask t, Set<String> known) {
    if (t instanceof GateTask g) {
      g.gate.checkKnown(known, g.name);
    }
  }

  /**
   * Checks that the Delta table (and version) an evaluate task reads exists.
   *
   * @throws dev.mlops.core.TableNotFoundException or {@link dev.mlops.core.VersionNotFoundException}
   */
  static void checkData(DeploymentTask t, dev.mlops.core.Workspace ws) {
    if (t instanceof Evaluate e && e.data instanceof EvaluationData.Table table) {
      ws.tables().get(table.name()).read().version(table.version()).schema();
    }
  }

  /** The type stored for a task. */
  static String type(DeploymentTask t) {
    if (t instanceof Builtin b) {
      return b.type();
    }
    return CUSTOM;
  }

  /** The stored form; frames of evaluation data are written through the store first. */
  static Docs.TaskSpec toSpec(DeploymentTask t, Store store, dev.mlops.core.TableName model) {
    Map<String, Object> c = new LinkedHashMap<>();
    if (t instanceof Evaluate e) {
      c.put("championAlias", e.championAlias);
      c.put("data", store.dataSpec(model, e.data));
    } else if (t instanceof GateTask g) {
      c.put("expression", g.gate.text());
    } else if (t instanceof Deploy d) {
      c.put("alias", d.alias);
      c.put("previousAlias", d.previousAlias);
    } else if (!(t instanceof Manual)) {
      c.put("class", t.getClass().getName());
      c.put("metrics", new ArrayList<>(new java.util.TreeSet<>(t.metricNames())));
    }
    return new Docs.TaskSpec(type(t), t.name(), c);
  }

  /** A task from its stored form, custom ones resolved by name; empty for a custom task not given. */
  @SuppressWarnings("unchecked")
  static Optional<DeploymentTask> fromSpec(Docs.TaskSpec s, Store store, dev.mlops.core.TableName model,
      Map<String, DeploymentTask> custom) {
    return switch (s.type) {
      case EVALUATE -> Optional.of(new Evaluate(s.name, store.data(model, (Map<String, Object>) s.config.get("data")),
          (String) s.config.get("championAlias")));
      case GATE -> Optional.of(new GateTask(s.name, Gate.parse((String) s.config.get("expression"))));
      case MANUAL -> Optional.of(new Manual(s.name));
      case DEPLOY -> Optional.of(new Deploy(s.name, (String) s.config.get("alias"),
          (String) s.config.get("previousAlias")));
      case CUSTOM -> Optional.ofNullable(custom.get(s.name));
      default -> throw Errors.unknownTaskType(model, s.name, s.type);
    };
  }

  /** The approval task whose tag a waiting run is waiting for, if it is a manual approval. */
  static boolean isManual(Docs.TaskSpec s) {
    return MANUAL.equals(s.type);
  }

  /** "approved", "rejected" or empty, from a tag value (case-insensitive). */
  static Optional<String> decision(String tag) {
    if (tag == null) {
      return Optional.empty();
    }
    String t = tag.trim().toLowerCase(Locale.ROOT);
    return t.equals(APPROVED) || t.equals(REJECTED) ? Optional.of(t) : Optional.empty();
  }

  static String fmt(double v) {
    return Double.toString(v);
  }

  private abstract static class Builtin implements DeploymentTask {
    final String name;

    Builtin(String name) {
      this.name = name;
    }

    abstract String type();

    @Override
    public String name() {
      return name;
    }

    @Override
    public String toString() {
      return type() + "(" + name + ")";
    }
  }

  // ------------------------------------------------------------------------------------ evaluate

  static final class Evaluate extends Builtin {
    final EvaluationData data;
    final String championAlias;

    Evaluate(String name, EvaluationData data, String championAlias) {
      super(name);
      this.data = data;
      this.championAlias = championAlias;
    }

    @Override
    String type() {
      return EVALUATE;
    }

    @Override
    public Set<String> metricNames() {
      Set<String> s = new LinkedHashSet<>(Evaluator.METRICS);
      s.addAll(Evaluator.championNames(Evaluator.METRICS));
      return s;
    }

    @Override
    public TaskResult run(TaskContext ctx) {
      ModelRegistry registry = ctx.registry();
      String model = ctx.modelName();
      int version = ctx.modelVersion();
      Frame rows = data.load(ctx.workspace());
      Map<String, Double> mine = Evaluator.metrics(ctx.workspace(), registry, "models:/" + model + "/" + version, rows);
      ctx.heartbeat();
      Integer champ = registry.aliases(model).get(championAlias);
      Map<String, Double> theirs = Map.of();
      if (champ != null && champ != version) {
        theirs = Evaluator.metrics(ctx.workspace(), registry, "models:/" + model + "/" + champ, rows);
        ctx.heartbeat();
      }
      Map<String, Double> all = new LinkedHashMap<>(mine);
      theirs.forEach((k, v) -> all.put(Gate.CHAMPION + "." + k, v));
      for (Map.Entry<String, Double> e : all.entrySet()) {
        registry.setVersionTag(model, version, name + "." + e.getKey(), fmt(e.getValue()));
      }
      String champText = champ == null || champ == version ? "none" : Integer.toString(champ);
      registry.setVersionTag(model, version, name + ".champion_version", champText);
      String main = mine.containsKey("auc") ? "auc" : mine.containsKey("rmse") ? "rmse" : mine.keySet().iterator().next();
      String decision = "version " + version + " " + main + "=" + fmt(mine.get(main))
          + (theirs.isEmpty() ? "; no " + championAlias + " to compare with"
              : "; " + championAlias + " (version " + champ + ") " + main + "=" + fmt(theirs.get(main)));
      return TaskResult.succeeded(all).withDecision(decision).withDetail("data", data.describe())
          .withDetail("rows", Integer.toString(rows.rowCount())).withDetail("champion_alias", championAlias)
          .withDetail("champion_version", champText);
    }
  }

  // ------------------------------------------------------------------------------------ gate

  static final class GateTask extends Builtin {
    final Gate gate;

    GateTask(String name, Gate gate) {
      super(name);
      this.gate = gate;
    }

    @Override
    String type() {
      return GATE;
    }

    @Override
    public TaskResult run(TaskContext ctx) {
      Map<String, Double> m = ctx.metrics();
      boolean hasChampion = m.keySet().stream().anyMatch(k -> k.startsWith(Gate.CHAMPION + "."));
      Gate.Result r = gate.evaluate(m, hasChampion);
      List<String> read = new ArrayList<>();
      r.values().forEach((k, v) -> read.add(k + "=" + fmt(v)));
      String values = String.join(", ", read) + (r.championMissing() ? " (no champion: champion comparisons pass)" : "");
      ctx.registry().setVersionTag(ctx.modelName(), ctx.modelVersion(), name, r.passed() ? APPROVED : REJECTED);
      String decision = (r.passed() ? "approved: " : "rejected: ") + gate.text() + " is " + r.passed() + " with " + values;
      TaskResult out = r.passed() ? TaskResult.succeeded() : TaskResult.failed("The approval gate '" + gate.text()
          + "' is false for version " + ctx.modelVersion() + " of '" + ctx.modelName() + "' with " + values + ".");
      return out.withDecision(decision).withDetail("expression", gate.text()).withDetail("result",
          Boolean.toString(r.passed())).withDetail("values", values);
    }
  }

  // ------------------------------------------------------------------------------------ manual approval

  static final class Manual extends Builtin {
    Manual(String name) {
      super(name);
    }

    @Override
    String type() {
      return MANUAL;
    }

    @Override
    public TaskResult run(TaskContext ctx) {
      ModelVersion v = ctx.registry().getVersion(ctx.modelName(), ctx.modelVersion());
      if (v.status() == ModelVersionStatus.DELETED) {
        return TaskResult.failed("Version " + v.version() + " of '" + v.name() + "' was deleted while it waited for "
            + "approval; it is not deployed.");
      }
      Optional<String> d = decision(v.tags().get(name));
      if (d.isEmpty()) {
        return TaskResult.waiting("Waiting for tag '" + name + "' of version " + v.version() + " of '" + v.name()
            + "' to be 'approved' or 'rejected' (now " + Optional.ofNullable(v.tags().get(name)).map(s -> "'" + s + "'")
            .orElse("unset") + "). Approve with deployments.approve(\"" + v.name() + "\", " + v.version()
            + ", approver, comment).");
      }
      String via = ctx instanceof EngineContext ec && ec.run().task(name).approver != null ? "Deployments.approve"
          : "tag set directly";
      if (d.get().equals(APPROVED)) {
        return TaskResult.succeeded().withDecision("approved (" + via + ")").withDetail("tag", name + "=" + APPROVED);
      }
      return TaskResult.failed("Version " + v.version() + " of '" + v.name() + "' was rejected (" + via + ").")
          .withDecision("rejected (" + via + ")").withDetail("tag", name + "=" + REJECTED);
    }
  }

  // ------------------------------------------------------------------------------------ deploy

  static final class Deploy extends Builtin {
    final String alias;
    final String previousAlias;

    Deploy(String name, String alias, String previousAlias) {
      super(name);
      this.alias = alias;
      this.previousAlias = previousAlias;
    }

    @Override
    String type() {
      return DEPLOY;
    }

    @Override
    public TaskResult run(TaskContext ctx) {
      if (!(ctx instanceof EngineContext ec)) {
        throw Errors.deployOutsideRunner();
      }
      return ec.underLease(run -> {
        Docs.TaskDoc t = run.task(name);
        ModelRegistry registry = ctx.registry();
        String model = ctx.modelName();
        int version = ctx.modelVersion();
        if (!"planned".equals(t.details.get("plan"))) {
          ModelVersion v = registry.getVersion(model, version);
          if (v.status() == ModelVersionStatus.DELETED) {
            throw dev.mlops.models.internal.Errors.versionDeleted(model, version, "deploy it",
                " and start its run again with deployments.startRun, or register a new version");
          }
          Integer from = registry.aliases(model).get(alias);
          if (from != null && from > version) {
            return TaskResult.failed("Version " + version + " of '" + model + "' is superseded: alias '" + alias
                + "' already points to the newer version " + from + ". Point it back by hand with "
                + "registry.setAlias if that is what you want.").withDecision("not deployed: superseded by version " + from);
          }
          t.details.put("alias", alias);
          t.details.put("from", from == null ? "none" : Integer.toString(from));
          t.details.put("to", Integer.toString(version));
          t.details.put("previous_alias", previousAlias);
          t.details.put("plan", "planned");
          ec.store().writeRun(run); // the plan is on disk before any alias moves
        }
        String fromText = t.details.get("from");
        Integer from = fromText.equals("none") ? null : Integer.valueOf(fromText);
        Store store = ec.store();
        if (!store.historyHas(run.model, run.runId)) {
          Docs.HistoryDoc h = new Docs.HistoryDoc();
          h.time = System.currentTimeMillis();
          h.kind = "deploy";
          h.runId = run.runId;
          h.alias = alias;
          h.from = from;
          h.to = version;
          h.previousAlias = previousAlias;
          h.previous = from != null && from != version ? from : null;
          store.appendHistory(run.model, h);
        }
        if (from != null && from != version) {
          registry.setAlias(model, previousAlias, from);
        }
        registry.setAlias(model, alias, version);
        String decision = "'" + alias + "' " + (from == null ? "set" : "moved from version " + from) + " to version "
            + version + (from != null && from != version ? "; '" + previousAlias + "' -> version " + from : "");
        return TaskResult.succeeded().withDecision(decision).withDetail("alias", alias).withDetail("from",
            fromText).withDetail("to", Integer.toString(version)).withDetail("previous_alias", previousAlias)
            .withDetail("plan", "applied");
      });
    }
  }
}
