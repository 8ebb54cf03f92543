package dev.mlops.models.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.mlops.core.StorageException;
import dev.mlops.core.internal.AtomicFiles;
import dev.mlops.core.internal.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The files of one run directory:
 * <pre>
 * meta.json            attributes (RunMeta), atomic replace
 * params/&lt;key&gt;         one file per param, created once (atomic create-if-absent)
 * metrics/&lt;key&gt;.jsonl   append-only history, one JSON line per value, one write + fsync each
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

  public static Path meta(Path runDir) {
    return runDir.resolve("meta.json");
  }

  public static Path lock(Path runDir) {
    return runDir.resolve(".lock");
  }

  public static Path artifacts(Path runDir) {
    return runDir.resolve("artifacts");
  }

  public static Path featureSpec(Path runDir) {
    return runDir.resolve("feature_spec.json");
  }

  public static Optional<RunMeta> readMeta(Path runDir) {
    return Formats.read(meta(runDir), RunMeta.class);
  }

  public static void writeMeta(Path runDir, RunMeta meta) {
    Formats.writeFile(meta(runDir), meta);
  }

  /**
   * Stores a param once.
   *
   * @return empty when stored (or already stored with the same value), else the other stored value
   */
  public static Optional<String> putParam(Path runDir, String key, String value) {
    Path f = runDir.resolve("params").resolve(key);
    if (AtomicFiles.createIfAbsent(f, value.getBytes(StandardCharsets.UTF_8))) {
      return Optional.empty();
    }
    String existing = Files2.readString(f).orElse(value);
    return existing.equals(value) ? Optional.empty() : Optional.of(existing);
  }

  public static Map<String, String> readParams(Path runDir) {
    Path dir = runDir.resolve("params");
    Map<String, String> out = new HashMap<>();
    for (String k : Files2.list(dir)) {
      Files2.readString(dir.resolve(k)).ifPresent(v -> out.put(k, v));
    }
    return out;
  }

  public static void appendMetric(Path runDir, String key, MetricPoint p) {
    Path dir = runDir.resolve("metrics");
    Files2.mkdirs(dir);
    Files2.appendLine(dir.resolve(key + METRIC_EXT), p.toJsonLine());
  }

  /** The full history of a metric in logging order; a torn or unparsable line is skipped. */
  public static List<MetricPoint> readMetric(Path runDir, String key) {
    List<MetricPoint> out = new ArrayList<>();
    for (String line : Files2.completeLines(runDir.resolve("metrics").resolve(key + METRIC_EXT))) {
      try {
        out.add(Json.MAPPER.readValue(line, MetricPoint.class));
      } catch (IOException e) {
        // a line damaged by a crash of the writing machine: skip it, keep the rest
      }
    }
    return out;
  }

  public static List<String> metricKeys(Path runDir) {
    List<String> keys = new ArrayList<>();
    for (String f : Files2.list(runDir.resolve("metrics"))) {
      if (f.endsWith(METRIC_EXT)) {
        keys.add(f.substring(0, f.length() - METRIC_EXT.length()));
      }
    }
    return keys;
  }

  public static Map<String, MetricPoint> latestMetrics(Path runDir) {
    Map<String, MetricPoint> out = new HashMap<>();
    for (String key : metricKeys(runDir)) {
      MetricPoint latest = null;
      for (MetricPoint p : readMetric(runDir, key)) {
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

  public static Map<String, String> readTags(Path runDir) {
    return new HashMap<>(Formats.readMap(runDir.resolve("tags.json"), "tags", STRING_MAP).orElse(Map.of()));
  }

  public static void writeTags(Path runDir, Map<String, String> tags) {
    Formats.writeMap(runDir.resolve("tags.json"), "tags", tags);
  }

  /** The current state of a run read from its files, or empty when its meta.json was never written. */
  public static Optional<RunSummary> readLive(Path runDir) {
    return readMeta(runDir).map(m -> RunSummary.of(m, readParams(runDir), latestMetrics(runDir), readTags(runDir)));
  }
}
