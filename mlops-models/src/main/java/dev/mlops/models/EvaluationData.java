package dev.mlops.models;

import dev.mlops.core.Frame;
import dev.mlops.core.TableName;
import dev.mlops.core.Workspace;
import dev.mlops.features.FeatureSpec;
import dev.mlops.features.FeatureStore;
import dev.mlops.features.TrainingSet;
import dev.mlops.models.internal.Errors;
import java.util.Objects;

/**
 * The rows an evaluate task scores the new version and the champion on: the same rows for both, so
 * their metrics compare. Each kind is pinned, so every run of the job reads the same data: a frame
 * (stored with the job, with its SHA-256), a Delta table at a version, or a training set rebuilt
 * from its feature spec (every feature table at its recorded version) and spine. The rows must hold
 * the model's label column.
 *
 * <pre>{@code
 * EvaluationData.table("main.ml.churn_eval", 12);
 * EvaluationData.rows(holdoutFrame);
 * EvaluationData.trainingSet(fs.trainingSet(evalSpine).lookup(...).label("churned").build());
 * }</pre>
 */
public sealed interface EvaluationData {
  /** The rows. */
  Frame load(Workspace ws);

  /** A short description for the audit log. */
  String describe();

  /** Rows held in memory; attaching the job stores them in the registry. */
  static EvaluationData rows(Frame rows) {
    return new Rows(rows);
  }

  /** A Delta table of the workspace, read at a pinned version. */
  static EvaluationData table(String name, long version) {
    return new Table(name, version);
  }

  /** A training set: rebuilt from its feature spec (tables at their recorded versions) and spine. */
  static EvaluationData trainingSet(TrainingSet ts) {
    return new FromTrainingSet(ts.spec(), ts.spine());
  }

  /**
   * In-memory rows.
   *
   * @param frame the rows (with the label column)
   */
  record Rows(Frame frame) implements EvaluationData {
    /** Validates. */
    public Rows {
      Objects.requireNonNull(frame, "frame");
      if (frame.rowCount() == 0) {
        throw Errors.noEvaluationRows();
      }
    }

    @Override
    public Frame load(Workspace ws) {
      return frame;
    }

    @Override
    public String describe() {
      return "rows(" + frame.rowCount() + " x " + frame.schema().names() + ")";
    }
  }

  /**
   * A Delta table at a version.
   *
   * @param name three-level table name
   * @param version the Delta version read
   */
  record Table(String name, long version) implements EvaluationData {
    /** Validates. */
    public Table {
      name = TableName.parse(name).toString();
      if (version < 0) {
        throw Errors.badTableVersion(version, name);
      }
    }

    @Override
    public Frame load(Workspace ws) {
      return ws.tables().get(name).read().version(version).load();
    }

    @Override
    public String describe() {
      return "table " + name + "@v" + version;
    }
  }

  /**
   * A training set's spec and spine.
   *
   * @param spec the feature spec (tables pinned to versions)
   * @param spine the keys, timestamps and labels
   */
  record FromTrainingSet(FeatureSpec spec, Frame spine) implements EvaluationData {
    /** Validates. */
    public FromTrainingSet {
      Objects.requireNonNull(spec, "spec");
      Objects.requireNonNull(spine, "spine");
    }

    @Override
    public Frame load(Workspace ws) {
      return FeatureStore.of(ws).trainingSet(spine, spec).load();
    }

    @Override
    public String describe() {
      StringBuilder b = new StringBuilder("training set(");
      for (FeatureSpec.Lookup l : spec.lookups()) {
        b.append(l.table()).append("@v").append(l.tableVersion()).append(' ');
      }
      return b.append(spine.rowCount()).append(" spine rows)").toString();
    }
  }
}
