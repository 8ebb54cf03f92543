package dev.mlops.features;

import dev.mlops.core.Frame;
import java.util.List;
import java.util.Optional;

/**
 * A point-in-time-correct training set: the spine with features looked up for each row, and the
 * {@link FeatureSpec} that produced it (tables pinned to the Delta versions read).
 *
 * <pre>{@code
 * TrainingSet ts = fs.trainingSet(labels)
 *     .lookup(FeatureLookup.table("main.crm.customer_features").lookupKey("customer_id")
 *         .timestampLookupKey("event_time"))
 *     .label("churned").build();
 * Frame train = ts.load();
 * FeatureSpec spec = ts.spec();   // keep it with the model
 * }</pre>
 */
public final class TrainingSet {
  private final String id;
  private final FeatureSpec spec;
  private final Frame frame;
  private final Frame spine;

  TrainingSet(String id, FeatureSpec spec, Frame frame, Frame spine) {
    this.id = id;
    this.spec = spec;
    this.frame = frame;
    this.spine = spine;
  }

  /** The spine it was built from (all its columns, excluded ones too): with the spec, it rebuilds this set. */
  public Frame spine() {
    return spine;
  }

  /** A digest of the spec (tables at pinned versions, features, label): the same set built again has the same id; its lineage node is TRAINING_SET:id. */
  public String id() {
    return id;
  }

  /** The spec: tables, versions, keys, features, functions, label. */
  public FeatureSpec spec() {
    return spec;
  }

  /** The rows: spine columns (less excluded ones), looked-up features, on-demand features. */
  public Frame load() {
    return frame;
  }

  /** The feature column names (looked up and on-demand). */
  public List<String> featureColumns() {
    return spec.featureColumns();
  }

  /** The label column, if one was given. */
  public Optional<String> label() {
    return spec.label();
  }

  @Override
  public String toString() {
    return "TrainingSet[" + id + ", " + frame.rowCount() + " rows, tables " + spec.tables() + "]";
  }
}
