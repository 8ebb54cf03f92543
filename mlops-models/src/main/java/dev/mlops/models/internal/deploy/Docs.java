package dev.mlops.models.internal.deploy;

import dev.mlops.models.internal.Errors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stored JSON forms of deployment jobs (plain classes with public fields: internal, read-modify-
 * written under the model's deployment lock and replaced atomically). Every file carries
 * {@code formatVersion}; unknown properties are ignored so a newer writer's additions do not break an
 * older reader, and a newer format version is refused.
 */
public final class Docs {
  private Docs() {}

  /** The format version this code writes and reads. */
  public static final int FORMAT = 1;

  /** One task of a job: its built-in type (or "custom"), name and settings. */
  public static final class TaskSpec {
    public String type;
    public String name;
    public Map<String, Object> config = new LinkedHashMap<>();

    public TaskSpec() {}

    public TaskSpec(String type, String name, Map<String, Object> config) {
      this.type = type;
      this.name = name;
      this.config = new LinkedHashMap<>(config);
    }
  }

  /** {@code deployment/job.json}: the job attached to a registered model. */
  public static final class JobDoc {
    public int formatVersion = FORMAT;
    public String model;
    public String jobId;
    public long createdAt;
    public List<TaskSpec> tasks = new ArrayList<>();
  }

  /** {@code deployment/state.json}: the cursor over registered versions and the runs not final yet. */
  public static final class StateDoc {
    public int formatVersion = FORMAT;
    public String jobId;
    /** Versions up to this number have been seen (a run was created for each newer than the attach). */
    public int cursor;
    public List<Integer> open = new ArrayList<>();
  }

  /** One task's record in a run. */
  public static final class TaskDoc {
    public String name;
    public String type;
    public String status = "PENDING";
    public Long startedAt;
    public Long endedAt;
    public int attempts;
    public Map<String, Double> metrics = new LinkedHashMap<>();
    public Map<String, String> details = new LinkedHashMap<>();
    public String decision;
    public String approver;
    public String comment;
    public String error;
  }

  /** One line of a run's audit log. */
  public static final class EventDoc {
    public long time;
    public String task;
    public String event;
    public String detail;
    public String runner;

    public EventDoc() {}

    public EventDoc(long time, String task, String event, String detail, String runner) {
      this.time = time;
      this.task = task;
      this.event = event;
      this.detail = detail;
      this.runner = runner;
    }
  }

  /** {@code versions/<n>/deployment.json}: a version's deployment run, its tasks and audit log. */
  public static final class RunDoc {
    public int formatVersion = FORMAT;
    public String model;
    public int version;
    public String runId;
    public String jobId;
    public String state = "PENDING";
    public String currentTask;
    public long createdAt;
    public long updatedAt;
    /** Incremented by every claim: a runner's writes are accepted only while the token is still its own. */
    public long leaseToken;
    public String leaseOwner;
    public long leaseExpiresAt;
    /** The job's tasks when the run was created (a later change of the job does not alter this run). */
    public List<TaskSpec> job = new ArrayList<>();
    public List<TaskDoc> tasks = new ArrayList<>();
    public List<EventDoc> events = new ArrayList<>();

    /** The task record of a name. */
    public TaskDoc task(String name) {
      for (TaskDoc t : tasks) {
        if (t.name.equals(name)) {
          return t;
        }
      }
      throw Errors.noSuchTask(name);
    }

    /** Index of the first task that has not succeeded, or -1. */
    public int nextTask() {
      for (int i = 0; i < tasks.size(); i++) {
        if (!tasks.get(i).status.equals("SUCCEEDED")) {
          return i;
        }
      }
      return -1;
    }

    public void event(String task, String event, String detail, String runner) {
      events.add(new EventDoc(System.currentTimeMillis(), task, event, detail, runner));
    }
  }

  /** One line of {@code deployment/history.jsonl}: an alias move by a deployment or a rollback. */
  public static final class HistoryDoc {
    public long time;
    public String kind;
    public String runId;
    public String alias;
    public Integer from;
    public int to;
    public String previousAlias;
    public Integer previous;
  }
}
