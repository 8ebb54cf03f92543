package dev.mlops.models.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.mlops.core.internal.FileStore;
import dev.mlops.core.internal.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The files of one run directory (a {@link FileStore} rooted at it, on local disk or HDFS):
 * <pre>
 * meta.json            attributes (RunMeta), atomic replace
 * params/&lt;key&gt;         one file per param, created once (atomic create-if-absent)
 * metrics/&lt;key&gt;.jsonl   append-only history, one JSON line per value, one write + fsync (hsync) each
 * tags.json            atomic replace under the run lock
 * feature_spec.json    the training set's feature spec, when logged
 * artifacts/           copied files
 * .lock                serializes read-modify-write of meta.json/tags.json across processes
 * </pre>
 */
public final class RunStore {
  private RunStore() {}

  private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {};
  private static final String METRIC_EXT = ".jsonl";

  public static final String META = "meta.json";
  public static final String LOCK = ".lock";
  public static final String ARTIFACTS = "artifacts";
  public static final String FEATURE_SPEC = "feature_spec.json";

  public static Optional<RunMeta> readMeta(FileStore run) {
    return Formats.read(run, META, RunMeta.class);
  }

  public static void writeMeta(FileStore run, RunMeta meta) {
    Formats.writeFile(run, META, meta);
  }

  /**
   * Stores a param once.
   *
   * @return empty when stored (or already stored with the same value), else the other stored value
   */
  public static Optional<String> putParam(FileStore run, String key, String value) {
    String f = "params/" + key;
    if (run.createIfAbsent(f, value.getBytes(StandardCharsets.UTF_8))) {
      return Optional.empty();
    }
    String existing = readParam(run, key).orElse(value);
    return existing.equals(value) ? Optional.empty() : Optional.of(existing);
  }

  /** {@link #putParam(FileStore, String, String)} for a run directory on local disk. */
  public static Optional<String> putParam(java.nio.file.Path runDir, String key, String value) {
    return putParam(new dev.mlops.core.internal.LocalFileStore(runDir), key, value);
  }

  /** A param's stored value, if any. */
  public static Optional<String> readParam(FileStore run, String key) {
    return run.read("params/" + key).map(b -> new String(b, StandardCharsets.UTF_8));
  }

  public static Map<String, String> readParams(FileStore run) {
    Map<String, String> out = new HashMap<>();
    for (String k : run.list("params")) {
      readParam(run, k).ifPresent(v -> out.put(k, v));
    }
    return out;
  }

  public static void appendMetric(FileStore run, String key, MetricPoint p) {
    run.append("metrics/" + key + METRIC_EXT, (p.toJsonLine() + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /** The full history of a metric in logging order; a torn or unparsable line is skipped. */
  public static List<MetricPoint> readMetric(FileStore run, String key) {
    List<MetricPoint> out = new ArrayList<>();
    for (String line : Files2.completeLines(run.read("metrics/" + key + METRIC_EXT).orElse(new byte[0]))) {
      try {
        out.add(Json.MAPPER.readValue(line, MetricPoint.class));
      } catch (IOException e) {
        // a line damaged by a crash of the writing machine: skip it, keep the rest
      }
    }
    return out;
  }

  public static List<String> metricKeys(FileStore run) {
    List<String> keys = new ArrayList<>();
    for (String f : run.list("metrics")) {
      if (f.endsWith(METRIC_EXT)) {
        keys.add(f.substring(0, f.length() - METRIC_EXT.length()));
      }
    }
    return keys;
  }

  public static Map<String, MetricPoint> latestMetrics(FileStore run) {
    Map<String, MetricPoint> out = new HashMap<>();
    for (String key : metricKeys(run)) {
      MetricPoint latest = null;
      for (MetricPoint p : readMetric(run, key)) {
        if (p.supersedes(latest)) {
          latest = p;
        }
      }
      if (latest != null) {
        out.put(key, latest);
      }
    }
    return out;
  }

  public static Map<String, String> readTags(FileStore run) {
    return new HashMap<>(Formats.readMap(run, "tags.json", "tags", STRING_MAP).orElse(Map.of()));
  }

  public static void writeTags(FileStore run, Map<String, String> tags) {
    Formats.writeMap(run, "tags.json", "tags", tags);
  }

  /** The feature spec logged with the run, if any. */
  public static Optional<Map<String, Object>> readFeatureSpec(FileStore run) {
    return run.read(FEATURE_SPEC).map(b -> {
      try {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = Json.MAPPER.readValue(new String(b, StandardCharsets.UTF_8), Map.class);
        return m;
      } catch (IOException e) {
        throw Errors.unreadableJson(run.uri(FEATURE_SPEC), e);
      }
    });
  }

  /** The current state of a run read from its files, or empty when its meta.json was never written. */
  public static Optional<RunSummary> readLive(FileStore run) {
    return readMeta(run).map(m -> RunSummary.of(m, readParams(run), latestMetrics(run), readTags(run)));
  }
}
