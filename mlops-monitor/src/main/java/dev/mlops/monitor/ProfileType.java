package dev.mlops.monitor;

import dev.mlops.monitor.internal.Errors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a monitor profiles: the whole table each refresh ({@link Snapshot}), time windows of a
 * timestamp column ({@link TimeSeries}), or a model's inference log ({@link InferenceLog}).
 *
 * <pre>{@code
 * ProfileType s = ProfileType.snapshot();
 * ProfileType t = ProfileType.timeSeries("event_time", "1 hour", "1 day");
 * ProfileType log = InferenceLog.classification("ts", "prediction", "model_version")
 *     .label("label").probabilities(Map.of("0", "proba_0", "1", "proba_1")).granularities("1 day");
 * }</pre>
 */
public sealed interface ProfileType permits ProfileType.Snapshot, ProfileType.TimeSeries, InferenceLog {

  /** The whole table at each refresh; its window is the processed commit's time. */
  static Snapshot snapshot() {
    return new Snapshot();
  }

  /** Windows of a timestamp column. */
  static TimeSeries timeSeries(String timestampCol, String... granularities) {
    return new TimeSeries(timestampCol, parse(List.of(granularities)));
  }

  /** Granularities of this type (empty for a snapshot). */
  List<Granularity> granularities();

  /** The timestamp column, if any. */
  Optional<String> timestampCol();

  /** The whole table each refresh. */
  record Snapshot() implements ProfileType {
    @Override
    public List<Granularity> granularities() {
      return List.of();
    }

    @Override
    public Optional<String> timestampCol() {
      return Optional.empty();
    }
  }

  /**
   * Time windows.
   *
   * @param timestamp the TIMESTAMP (or DATE) column rows are windowed by
   * @param windows one or more granularities
   */
  record TimeSeries(String timestamp, List<Granularity> windows) implements ProfileType {
    /** Checks there is at least one granularity, without repeats. */
    public TimeSeries {
      Objects.requireNonNull(timestamp, "timestamp column");
      windows = checkGranularities(windows);
    }

    @Override
    public List<Granularity> granularities() {
      return windows;
    }

    @Override
    public Optional<String> timestampCol() {
      return Optional.of(timestamp);
    }
  }

  /** Parses granularity texts. */
  static List<Granularity> parse(List<String> texts) {
    List<Granularity> out = new ArrayList<>();
    for (String t : texts) {
      out.add(Granularity.parse(t));
    }
    return out;
  }

  /** Copies and checks a granularity list. */
  static List<Granularity> checkGranularities(List<Granularity> g) {
    List<Granularity> list = List.copyOf(g);
    if (list.isEmpty()) {
      throw Errors.timeSeriesInferenceLogMonitorNeeds();
    }
    if (list.stream().distinct().count() != list.size()) {
      throw Errors.granularitiesRepeatOnce(list);
    }
    return list;
  }

  /** Copies a map keeping its order. */
  static Map<String, String> orderedCopy(Map<String, String> m) {
    return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(m));
  }
}
