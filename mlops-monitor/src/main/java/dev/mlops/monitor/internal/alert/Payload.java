package dev.mlops.monitor.internal.alert;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.internal.Json;
import dev.mlops.monitor.AlertDefinition;
import dev.mlops.monitor.AlertEvent;
import dev.mlops.monitor.AlertThreshold;
import dev.mlops.monitor.DriftImpact;

/**
 * The webhook body: Databricks' alert webhook payload (v2) shape, {@code event: alert_state_change},
 * {@code alert.alert.{id, name, query_text, custom_summary, evaluations[...]}}, plus the SDK's
 * {@code delivery_id}, {@code state}, {@code value} and the drift → lineage {@code impact} list (receivers
 * ignore fields they do not know).
 */
public final class Payload {
  private Payload() {}

  public static String body(AlertDefinition d, AlertEvent e) {
    ObjectNode root = Json.object();
    root.put("event", "alert_state_change");
    root.put("delivery_id", e.deliveryId());
    root.put("url_base", "");
    ObjectNode outer = root.putObject("alert");
    outer.put("title", e.summary());
    outer.put("description", e.summary());
    ObjectNode a = outer.putObject("alert");
    a.put("id", d.name());
    a.put("name", d.name());
    a.putObject("owner");
    a.put("query_text", "SELECT * FROM " + d.table() + d.filter().map(f -> " WHERE " + f).orElse(""));
    a.put("custom_summary", d.customSummary());
    a.put("custom_description", "");
    a.put("state", e.state().name());
    a.put("previous_state", e.previousState().name());
    a.put("triggered_at", e.at().toString());
    ArrayNode evals = a.putArray("evaluations");
    ObjectNode ev = evals.addObject();
    ev.put("id", d.name());
    ObjectNode src = ev.putObject("source");
    src.put("name", d.column());
    src.put("display", d.column());
    d.aggregation().ifPresent(x -> src.put("aggregation", x.name()));
    ev.put("comparison_operator", d.operator().databricksName());
    d.threshold().ifPresent(t -> {
      ObjectNode tn = ev.putObject("threshold");
      if (t instanceof AlertThreshold.Value v) {
        ObjectNode vn = tn.putObject("value");
        if (v.value() instanceof Number n) {
          vn.put("double_value", n.doubleValue());
        } else if (v.value() instanceof Boolean b) {
          vn.put("bool_value", b);
        } else {
          vn.put("string_value", String.valueOf(v.value()));
        }
      } else if (t instanceof AlertThreshold.ColumnRef c) {
        ObjectNode cn = tn.putObject("column");
        cn.put("name", c.column());
        cn.put("display", c.column());
        c.aggregation().ifPresent(x -> cn.put("aggregation", x.name()));
      }
    });
    ev.put("empty_result_state", d.emptyResultState().name());
    ev.put("state", e.state().name());
    e.value().ifPresentOrElse(v -> ev.put("value", v), () -> ev.putNull("value"));
    e.threshold().ifPresent(v -> ev.put("threshold_value", v));
    ObjectNode notif = ev.putObject("notification");
    notif.put("retrigger_seconds", d.retriggerSeconds());
    notif.put("notify_on_ok", d.notifyOnOk());
    ArrayNode impact = root.putArray("impact");
    for (DriftImpact i : e.impact()) {
      impact.add((ObjectNode) Json.MAPPER.valueToTree(i));
    }
    return Json.write(root);
  }

  /** Renders a summary template. */
  public static String summary(AlertDefinition d, String state, String value, String threshold) {
    return d.customSummary().replace("{{ALERT_NAME}}", d.name()).replace("{{ALERT_STATUS}}", state)
        .replace("{{QUERY_RESULT_VALUE}}", value).replace("{{ALERT_THRESHOLD}}", threshold)
        .replace("{{ALERT_CONDITION}}", d.condition()).replace("{{ALERT_COLUMN}}", d.column());
  }
}
