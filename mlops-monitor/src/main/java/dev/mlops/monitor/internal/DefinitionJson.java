package dev.mlops.monitor.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.internal.Json;
import dev.mlops.monitor.CustomMetric;
import dev.mlops.monitor.DriftThreshold;
import dev.mlops.monitor.Granularity;
import dev.mlops.monitor.InferenceLog;
import dev.mlops.monitor.MonitorDefinition;
import dev.mlops.monitor.MonitorException;
import dev.mlops.monitor.ProfileType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The saved JSON of a monitor definition (field names follow Databricks' CreateMonitor where one exists). */
public final class DefinitionJson {
  private DefinitionJson() {}

  /** The JSON text. */
  public static String write(MonitorDefinition d) {
    ObjectNode o = Json.object();
    o.put("format_version", MonitorDefinition.FORMAT_VERSION);
    o.put("table_name", d.table());
    o.put("monitor_version", d.monitorVersion());
    ObjectNode pt = o.putObject("profile_type");
    if (d.profileType() instanceof ProfileType.Snapshot) {
      pt.put("type", "snapshot");
    } else if (d.profileType() instanceof ProfileType.TimeSeries ts) {
      pt.put("type", "time_series");
      pt.put("timestamp_col", ts.timestamp());
      granularities(pt, ts.windows());
    } else if (d.profileType() instanceof InferenceLog il) {
      pt.put("type", "inference_log");
      pt.put("problem_type", "PROBLEM_TYPE_" + il.problemType().name());
      pt.put("timestamp_col", il.timestamp());
      granularities(pt, il.windows());
      pt.put("prediction_col", il.prediction());
      il.label().ifPresent(l -> pt.put("label_col", l));
      pt.put("model_id_col", il.modelId());
      ObjectNode pr = pt.putObject("prediction_proba_cols");
      il.probabilities().forEach(pr::put);
    }
    d.baselineTable().ifPresent(b -> o.put("baseline_table_name", b));
    strings(o.putArray("slicing_exprs"), d.slicingExprs());
    strings(o.putArray("include_columns"), d.includeColumns());
    strings(o.putArray("exclude_columns"), d.excludeColumns());
    ObjectNode th = o.putObject("drift_thresholds");
    d.thresholds().forEach((col, t) -> th.putObject(col).put("metric", t.metric().name()).put("value", t.value()));
    ArrayNode cm = o.putArray("custom_metrics");
    for (CustomMetric m : d.customMetrics()) {
      ObjectNode x = cm.addObject();
      x.put("type", "CUSTOM_METRIC_TYPE_" + m.type().name());
      x.put("name", m.name());
      strings(x.putArray("input_columns"), m.inputColumns());
      x.put("definition", m.definition());
      x.put("output_data_type", "double");
    }
    o.put("psi_bins", d.psiBins());
    return Json.write(o) + "\n";
  }

  private static void granularities(ObjectNode pt, List<Granularity> g) {
    ArrayNode a = pt.putArray("granularities");
    g.forEach(x -> a.add(x.text()));
  }

  private static void strings(ArrayNode a, List<String> values) {
    values.forEach(a::add);
  }

  /** Reads the JSON text; a newer format version or a malformed file is a {@link MonitorException}. */
  public static MonitorDefinition read(String text, String where) {
    try {
      JsonNode o = Json.tree(text);
      int fv = o.path("format_version").asInt(-1);
      if (fv < 1 || fv > MonitorDefinition.FORMAT_VERSION) {
        throw Errors.monitorDefinitionFormatVersion(where, fv, MonitorDefinition.FORMAT_VERSION);
      }
      JsonNode pt = o.get("profile_type");
      ProfileType type = switch (pt.get("type").asText()) {
        case "snapshot" -> ProfileType.snapshot();
        case "time_series" -> new ProfileType.TimeSeries(pt.get("timestamp_col").asText(), grans(pt));
        case "inference_log" -> new InferenceLog(pt.get("timestamp_col").asText(), grans(pt),
            pt.get("prediction_col").asText(),
            pt.hasNonNull("label_col") ? Optional.of(pt.get("label_col").asText()) : Optional.empty(),
            pt.get("model_id_col").asText(), map(pt.path("prediction_proba_cols")),
            InferenceLog.ProblemType.valueOf(pt.get("problem_type").asText().replace("PROBLEM_TYPE_", "")));
        default -> throw Errors.unknownProfileType(pt.get("type").asText(), where);
      };
      Map<String, DriftThreshold> th = new LinkedHashMap<>();
      o.path("drift_thresholds").fields().forEachRemaining(e -> th.put(e.getKey(),
          DriftThreshold.of(DriftThreshold.Metric.valueOf(e.getValue().get("metric").asText()),
              e.getValue().get("value").asDouble())));
      List<CustomMetric> cms = new ArrayList<>();
      for (JsonNode x : o.path("custom_metrics")) {
        cms.add(new CustomMetric(CustomMetric.Type.valueOf(x.get("type").asText().replace("CUSTOM_METRIC_TYPE_", "")),
            x.get("name").asText(), list(x.get("input_columns")), x.path("definition").asText("")));
      }
      return new MonitorDefinition(o.get("table_name").asText(), type,
          o.hasNonNull("baseline_table_name") ? Optional.of(o.get("baseline_table_name").asText()) : Optional.empty(),
          list(o.path("slicing_exprs")), list(o.path("include_columns")), list(o.path("exclude_columns")), th, cms,
          o.path("psi_bins").asInt(10), o.get("monitor_version").asLong());
    } catch (MonitorException e) {
      throw e;
    } catch (RuntimeException e) {
      throw Errors.monitorDefinitionMalformedRestore(where, e);
    }
  }

  private static List<Granularity> grans(JsonNode pt) {
    List<Granularity> out = new ArrayList<>();
    for (JsonNode g : pt.get("granularities")) {
      out.add(Granularity.parse(g.asText()));
    }
    return out;
  }

  private static List<String> list(JsonNode a) {
    List<String> out = new ArrayList<>();
    if (a != null) {
      a.forEach(x -> out.add(x.asText()));
    }
    return out;
  }

  private static Map<String, String> map(JsonNode o) {
    Map<String, String> out = new LinkedHashMap<>();
    o.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }
}
