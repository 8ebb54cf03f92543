package dev.mlops.monitor.internal.alert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.Filter;
import dev.mlops.core.MlopsException;
import dev.mlops.core.internal.Json;
import dev.mlops.monitor.Aggregation;
import dev.mlops.monitor.AlertDefinition;
import dev.mlops.monitor.AlertDestination;
import dev.mlops.monitor.AlertOperator;
import dev.mlops.monitor.AlertState;
import dev.mlops.monitor.AlertThreshold;
import dev.mlops.monitor.CronSchedule;
import dev.mlops.monitor.internal.Errors;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The JSON of alert definitions (format version {@link AlertDefinition#FORMAT_VERSION}). */
public final class AlertJson {
  private AlertJson() {}

  public static String write(AlertDefinition d) {
    ObjectNode o = Json.object();
    o.put("format_version", AlertDefinition.FORMAT_VERSION);
    o.put("name", d.name());
    o.put("table", d.table());
    o.put("column", d.column());
    d.aggregation().ifPresent(a -> o.put("aggregation", a.name()));
    o.put("operator", d.operator().name());
    d.threshold().ifPresent(t -> {
      ObjectNode tn = o.putObject("threshold");
      if (t instanceof AlertThreshold.Value v) {
        tn.set("value", value(v.value()));
      } else if (t instanceof AlertThreshold.ColumnRef c) {
        tn.put("column", c.column());
        c.aggregation().ifPresent(a -> tn.put("aggregation", a.name()));
      }
    });
    d.filter().ifPresent(f -> o.set("filter", filter(f)));
    d.latestBy().ifPresent(l -> o.put("latest_by", l));
    o.put("empty_result_state", d.emptyResultState().name());
    o.put("retrigger_seconds", d.retriggerSeconds());
    o.put("notify_on_ok", d.notifyOnOk());
    d.schedule().ifPresent(s -> {
      ObjectNode sn = o.putObject("schedule");
      sn.put("quartz_cron_expression", s.expression());
      sn.put("timezone_id", s.zone().getId());
      sn.put("pause_status", s.paused() ? "PAUSED" : "UNPAUSED");
    });
    ArrayNode dests = o.putArray("destinations");
    for (AlertDestination dest : d.destinations()) {
      dests.add(destination(dest));
    }
    d.monitoredTable().ifPresent(m -> o.put("monitored_table", m));
    o.put("custom_summary", d.customSummary());
    return Json.write(o);
  }

  public static AlertDefinition read(String text) {
    JsonNode o = Json.tree(text);
    int fv = o.path("format_version").asInt(-1);
    if (fv < 1 || fv > AlertDefinition.FORMAT_VERSION) {
      throw Errors.alertFileFormatVersion(fv, AlertDefinition.FORMAT_VERSION);
    }
    Optional<AlertThreshold> threshold = Optional.empty();
    if (o.has("threshold")) {
      JsonNode t = o.get("threshold");
      threshold = Optional.of(t.has("value") ? new AlertThreshold.Value(value(t.get("value")))
          : new AlertThreshold.ColumnRef(t.get("column").asText(), opt(t, "aggregation").map(Aggregation::valueOf)));
    }
    Optional<CronSchedule> schedule = Optional.empty();
    if (o.has("schedule")) {
      JsonNode s = o.get("schedule");
      schedule = Optional.of(new CronSchedule(s.get("quartz_cron_expression").asText(),
          ZoneId.of(s.get("timezone_id").asText()), "PAUSED".equals(s.path("pause_status").asText())));
    }
    List<AlertDestination> dests = new ArrayList<>();
    for (JsonNode d : o.path("destinations")) {
      dests.add(destination(d));
    }
    return new AlertDefinition(o.get("name").asText(), o.get("table").asText(), o.get("column").asText(),
        opt(o, "aggregation").map(Aggregation::valueOf), AlertOperator.valueOf(o.get("operator").asText()), threshold,
        o.has("filter") ? Optional.of(filter(o.get("filter"))) : Optional.empty(), opt(o, "latest_by"),
        AlertState.valueOf(o.get("empty_result_state").asText()), o.path("retrigger_seconds").asLong(),
        o.path("notify_on_ok").asBoolean(), schedule, dests, opt(o, "monitored_table"),
        o.path("custom_summary").asText(""));
  }

  private static Optional<String> opt(JsonNode o, String f) {
    return o.hasNonNull(f) ? Optional.of(o.get(f).asText()) : Optional.empty();
  }

  public static ObjectNode destination(AlertDestination d) {
    ObjectNode n = Json.object();
    if (d instanceof AlertDestination.Callback c) {
      n.put("type", "CALLBACK");
      n.put("name", c.name());
    } else if (d instanceof AlertDestination.Log) {
      n.put("type", "LOG");
    } else if (d instanceof AlertDestination.Webhook w) {
      n.put("type", "WEBHOOK");
      n.put("url", w.url().toString());
      w.username().ifPresent(u -> n.put("username", u));
      w.password().ifPresent(p -> n.put("password", p));
      n.put("connect_timeout_ms", w.connectTimeout().toMillis());
      n.put("request_timeout_ms", w.requestTimeout().toMillis());
    }
    return n;
  }

  public static AlertDestination destination(JsonNode n) {
    return switch (n.get("type").asText()) {
      case "CALLBACK" -> new AlertDestination.Callback(n.get("name").asText());
      case "LOG" -> new AlertDestination.Log();
      case "WEBHOOK" -> new AlertDestination.Webhook(URI.create(n.get("url").asText()), opt(n, "username"),
          opt(n, "password"), Duration.ofMillis(n.get("connect_timeout_ms").asLong()),
          Duration.ofMillis(n.get("request_timeout_ms").asLong()));
      default -> throw Errors.unknownAlertDestinationType(n.get("type").asText());
    };
  }

  static ObjectNode value(Object v) {
    ObjectNode n = Json.object();
    if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
      n.put("type", v instanceof Integer ? "int" : "long");
      n.put("value", ((Number) v).longValue());
    } else if (v instanceof BigDecimal b) {
      n.put("type", "decimal");
      n.put("value", b.toPlainString());
    } else if (v instanceof Number num) {
      n.put("type", "double");
      n.put("value", num.doubleValue());
    } else if (v instanceof Boolean b) {
      n.put("type", "boolean");
      n.put("value", b);
    } else if (v instanceof Instant i) {
      n.put("type", "timestamp");
      n.put("value", i.toString());
    } else if (v instanceof LocalDate ld) {
      n.put("type", "date");
      n.put("value", ld.toString());
    } else {
      n.put("type", "string");
      n.put("value", String.valueOf(v));
    }
    return n;
  }

  static Object value(JsonNode n) {
    JsonNode v = n.get("value");
    return switch (n.get("type").asText()) {
      case "int" -> v.asInt();
      case "long" -> v.asLong();
      case "decimal" -> new BigDecimal(v.asText());
      case "double" -> v.asDouble();
      case "boolean" -> v.asBoolean();
      case "timestamp" -> Instant.parse(v.asText());
      case "date" -> LocalDate.parse(v.asText());
      default -> v.asText();
    };
  }

  static ObjectNode filter(Filter f) {
    ObjectNode n = Json.object();
    if (f instanceof Filter.Compare c) {
      n.put("op", "compare");
      n.put("column", c.column());
      n.put("cmp", c.op().name());
      n.set("value", value(c.value()));
    } else if (f instanceof Filter.In in) {
      n.put("op", "in");
      n.put("column", in.column());
      ArrayNode a = n.putArray("values");
      in.values().forEach(v -> a.add(value(v)));
    } else if (f instanceof Filter.IsNull isNull) {
      n.put("op", "is_null");
      n.put("column", isNull.column());
      n.put("negated", isNull.negated());
    } else if (f instanceof Filter.And and) {
      n.put("op", "and");
      ArrayNode a = n.putArray("filters");
      and.filters().forEach(x -> a.add(filter(x)));
    } else if (f instanceof Filter.Or or) {
      n.put("op", "or");
      ArrayNode a = n.putArray("filters");
      or.filters().forEach(x -> a.add(filter(x)));
    } else if (f instanceof Filter.Not not) {
      n.put("op", "not");
      n.set("filter", filter(not.filter()));
    }
    return n;
  }

  static Filter filter(JsonNode n) {
    return switch (n.get("op").asText()) {
      case "compare" -> new Filter.Compare(n.get("column").asText(), Filter.Op.valueOf(n.get("cmp").asText()),
          value(n.get("value")));
      case "in" -> {
        List<Object> vs = new ArrayList<>();
        n.get("values").forEach(v -> vs.add(value(v)));
        yield new Filter.In(n.get("column").asText(), vs);
      }
      case "is_null" -> new Filter.IsNull(n.get("column").asText(), n.get("negated").asBoolean());
      case "and" -> new Filter.And(filters(n.get("filters")));
      case "or" -> new Filter.Or(filters(n.get("filters")));
      case "not" -> new Filter.Not(filter(n.get("filter")));
      default -> throw Errors.unknownFilterOpAlert(n.get("op").asText());
    };
  }

  private static List<Filter> filters(JsonNode a) {
    List<Filter> out = new ArrayList<>();
    a.forEach(x -> out.add(filter(x)));
    return out;
  }

  /** Column names a filter uses (see {@link Filter#columns()}). */
  public static List<String> columns(Filter f) {
    return new ArrayList<>(f.columns());
  }

}
