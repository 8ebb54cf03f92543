package dev.mlops.serving.internal;

import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Frame;
import dev.mlops.core.Schema;
import dev.mlops.core.Workspace;
import dev.mlops.features.FeatureSpec;
import dev.mlops.features.OnlineStore;
import dev.mlops.models.Predictor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One loaded model version, reference counted: the route that serves it holds one reference, every
 * request in flight one more. When the route lets go of it (the alias moved) and the last request
 * finishes, the predictor is dropped so that the model's memory can be reclaimed.
 */
public final class ServedModel {
  /** A column a request may carry: required ones must be present, optional ones override lookups. */
  public record InputField(String name, DataType type, boolean nullable, boolean required) {}

  private final String modelName;
  private final int version;
  private final String servedModelName; // made once: every request names it (header, log)
  private final String versionText; // made once: every logged request names it
  private volatile Predictor predictor;
  private final List<InputField> inputs;
  private final AtomicInteger refs = new AtomicInteger(1);
  private volatile boolean owned = true;
  private final Runnable onRelease;

  private ServedModel(String modelName, int version, Predictor predictor, List<InputField> inputs, Runnable onRelease) {
    this.modelName = modelName;
    this.version = version;
    this.servedModelName = modelName + "-" + version;
    this.versionText = Integer.toString(version);
    this.predictor = predictor;
    this.inputs = List.copyOf(inputs);
    this.onRelease = onRelease;
  }

  /** Loads a registry version (checksums verified) and works out which request columns it takes. */
  public static ServedModel load(Workspace ws, String modelName, int version, Runnable onRelease) {
    Predictor p = Predictor.load(ws, "models:/" + modelName + "/" + version);
    return new ServedModel(modelName, version, p, inputsOf(ws, p), onRelease);
  }

  private static List<InputField> inputsOf(Workspace ws, Predictor p) {
    Map<String, InputField> out = new LinkedHashMap<>();
    Optional<FeatureSpec> spec = p.featureSpec();
    if (spec.isPresent()) {
      for (FeatureSpec.Lookup l : spec.get().lookups()) {
        Schema table = ws.tables().get(l.table()).schema();
        for (int i = 0; i < l.lookupKeys().size(); i++) {
          out.putIfAbsent(l.lookupKeys().get(i), new InputField(l.lookupKeys().get(i),
              table.type(l.primaryKeys().get(i)), false, true));
        }
        l.timestampLookupKey().ifPresent(ts ->
            out.putIfAbsent(ts, new InputField(ts, DataType.TIMESTAMP, true, false)));
      }
    }
    for (Field f : p.signature().inputs()) {
      // with a feature spec the features are looked up, so a request may leave them out (or override them)
      out.putIfAbsent(f.name(), new InputField(f.name(), f.type(), f.nullable(), spec.isEmpty()));
    }
    return new ArrayList<>(out.values());
  }

  /** The registered model's name. */
  public String modelName() {
    return modelName;
  }

  /** The version. */
  public int version() {
    return version;
  }

  /** The version as text (the inference log's {@code model_version}). */
  public String versionText() {
    return versionText;
  }

  /** {@code name-version}. */
  public String servedModelName() {
    return servedModelName;
  }

  /** The request columns. */
  public List<InputField> inputs() {
    return inputs;
  }

  /** True when the model was trained from a training set (so keys are enough). */
  public boolean hasFeatureSpec() {
    Predictor p = predictor;
    return p != null && p.featureSpec().isPresent();
  }

  /** The signature's output columns (prediction, probabilities). */
  public List<Field> outputs() {
    Predictor p = predictor;
    return p == null ? List.of() : p.signature().outputs();
  }

  /** Scores rows: through the feature spec (online store when given, else the offline tables) or directly. */
  public Frame score(Frame rows, OnlineStore store) {
    Predictor p = predictor;
    if (p == null) {
      throw Errors.releasedWhileInUse(modelName, version);
    }
    if (p.featureSpec().isPresent()) {
      return store != null ? p.scoreOnline(rows, store) : p.score(rows);
    }
    return p.predict(rows);
  }

  /** Takes a reference unless the model is already released. */
  public boolean retain() {
    for (;;) {
      int r = refs.get();
      if (r == 0) {
        return false;
      }
      if (refs.compareAndSet(r, r + 1)) {
        return true;
      }
    }
  }

  /** Drops a reference; the last one releases the model. */
  public void release() {
    int r = refs.decrementAndGet();
    if (r == 0) {
      predictor = null;
      onRelease.run();
    } else if (r < 0) {
      throw Errors.releasedTooOften(servedModelName());
    }
  }

  /** The route lets go of this version (it stays loaded until its last request finishes). */
  public void disown() {
    owned = false;
    release();
  }

  /** True once the last reference is gone. */
  public boolean isReleased() {
    return refs.get() == 0;
  }

  /** Requests in flight on this version. */
  public int inFlight() {
    return Math.max(0, refs.get() - (owned ? 1 : 0));
  }
}
