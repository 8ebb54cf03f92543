package dev.mlops.monitor.internal.alert;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.mlops.core.Frame;
import dev.mlops.core.Lineage;
import dev.mlops.core.TableName;
import dev.mlops.core.Workspace;
import dev.mlops.core.internal.FileStore;
import dev.mlops.core.internal.FileStores;
import dev.mlops.core.internal.Json;
import dev.mlops.monitor.DriftImpact;
import dev.mlops.monitor.DriftReport;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Drift → lineage. The lineage graph has the edges the SDK's modules record:
 * {@code TABLE(source@v) -writes-> TABLE(feature table@v)}, {@code TABLE(feature table@v) -feeds->
 * TRAINING_SET(id)} and {@code TABLE(feature table@v) -trained_on-> MODEL(name@version)}, the last two
 * with the features used in their detail (comma separated). A drifted column reaches:
 * <ul>
 *   <li>upstream tables: the monitored table's upstream closure;
 *   <li>feature tables: the monitored table, its upstream tables or the tables it feeds, whose edges to
 *       training sets or models list the column; when none of them does (an inference table usually has
 *       no lineage to the feature tables its model used), any table whose such edges list the column;
 *   <li>training sets and model versions: the targets of those edges that list the column.
 * </ul>
 * Aliases are not lineage (they move); they are read from the registry's documented on-disk layout,
 * {@code <workspace>/registry/<catalog>/<schema>/<model>/aliases.json} (a JSON object alias → version, under
 * "aliases" since the file has a formatVersion),
 * so this module does not depend on mlops-models.
 */
public final class Impacts {
  private static final TypeReference<Map<String, Integer>> ALIASES = new TypeReference<>() {};

  private Impacts() {}

  /** The drifted columns of the latest (or the given) window, with their impact. */
  public static DriftReport report(Workspace ws, String table, String driftTable, Optional<Instant> window,
      String driftType) {
    if (!ws.tables().exists(driftTable)) {
      return new DriftReport(table, Optional.empty(), driftType, List.of());
    }
    Frame f = ws.tables().get(driftTable).read().load();
    Instant latest = null;
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Map<String, Object> r : f.rows()) {
      if (!driftType.equals(r.get("drift_type")) || r.get("slice_key") != null || ":table".equals(r.get("column_name"))
          || r.containsKey("model_version") && r.get("model_version") != null && !"*".equals(r.get("model_version"))) {
        continue;
      }
      Instant start = (Instant) ((Map<?, ?>) r.get("window")).get("start");
      if (window.isPresent() && !window.get().equals(start)) {
        continue;
      }
      rows.add(r);
      if (latest == null || start.isAfter(latest)) {
        latest = start;
      }
    }
    if (latest == null) {
      return new DriftReport(table, window, driftType, List.of());
    }
    Graph g = new Graph(ws.lineage().edges());
    Map<String, DriftImpact> byColumn = new TreeMap<>();
    for (Map<String, Object> r : rows) {
      Instant start = (Instant) ((Map<?, ?>) r.get("window")).get("start");
      if (!start.equals(latest) || !Boolean.TRUE.equals(r.get("drift_detected"))) {
        continue;
      }
      String col = (String) r.get("column_name");
      String stat = r.get("drift_statistic") == null ? "" : (String) r.get("drift_statistic");
      double thr = r.get("drift_threshold") == null ? Double.NaN : (Double) r.get("drift_threshold");
      byColumn.putIfAbsent(col, impact(ws, g, table, col, stat, statValue(r, stat), thr));
    }
    return new DriftReport(table, Optional.of(latest), driftType, List.copyOf(byColumn.values()));
  }

  static double statValue(Map<String, Object> r, String stat) {
    Object v = switch (stat) {
      case "WASSERSTEIN_NORMALIZED" -> r.get("wasserstein_distance_normalized");
      case "JS_DISTANCE" -> r.get("js_distance");
      case "PSI" -> r.get("population_stability_index");
      case "TV_DISTANCE" -> r.get("tv_distance");
      case "L_INFINITY_DISTANCE" -> r.get("l_infinity_distance");
      case "KS_PVALUE" -> r.get("ks_test") instanceof Map<?, ?> m ? m.get("pvalue") : null;
      case "CHI_SQUARED_PVALUE" -> r.get("chi_squared_test") instanceof Map<?, ?> m ? m.get("pvalue") : null;
      default -> null;
    };
    return v instanceof Number n ? n.doubleValue() : Double.NaN;
  }

  /** The impact of one column of one table. */
  public static DriftImpact impact(Workspace ws, String table, String column) {
    return impact(ws, new Graph(ws.lineage().edges()), table, column, "", Double.NaN, Double.NaN);
  }

  private static DriftImpact impact(Workspace ws, Graph g, String table, String column, String stat, double value,
      double threshold) {
    Lineage.Node self = Lineage.Node.table(table);
    Set<DriftImpact.TableRef> upstream = new TreeSet<>(Comparator.comparing(DriftImpact.TableRef::toString));
    Set<String> upNames = new LinkedHashSet<>();
    Deque<String> todo = new ArrayDeque<>(List.of(table));
    Set<String> seen = new HashSet<>(List.of(table));
    while (!todo.isEmpty()) {
      String t = todo.poll();
      for (Lineage.Edge e : g.edges) {
        if (e.to().type().equals("TABLE") && e.to().name().equals(t) && e.from().type().equals("TABLE")) {
          upstream.add(new DriftImpact.TableRef(e.from().name(), Optional.ofNullable(e.from().version())));
          upNames.add(e.from().name());
          if (seen.add(e.from().name())) {
            todo.add(e.from().name());
          }
        }
      }
    }
    Set<String> related = new LinkedHashSet<>();
    related.add(self.name());
    related.addAll(upNames);
    for (Lineage.Edge e : g.edges) {
      if (e.from().type().equals("TABLE") && e.from().name().equals(table) && e.to().type().equals("TABLE")) {
        related.add(e.to().name());
      }
    }
    List<Lineage.Edge> uses = new ArrayList<>();
    for (Lineage.Edge e : g.edges) {
      if (usesColumn(e, column) && related.contains(e.from().name())) {
        uses.add(e);
      }
    }
    if (uses.isEmpty()) {
      for (Lineage.Edge e : g.edges) {
        if (usesColumn(e, column)) {
          uses.add(e);
        }
      }
    }
    Set<DriftImpact.TableRef> features = new TreeSet<>(Comparator.comparing(DriftImpact.TableRef::toString));
    Set<String> sets = new TreeSet<>();
    Map<String, DriftImpact.ModelVersionRef> models = new TreeMap<>();
    Map<String, Map<String, Integer>> aliasCache = new TreeMap<>();
    for (Lineage.Edge e : uses) {
      features.add(new DriftImpact.TableRef(e.from().name(), Optional.ofNullable(e.from().version())));
      if (e.to().type().equals("TRAINING_SET")) {
        sets.add(e.to().name());
      } else if (e.to().version() != null) {
        String model = e.to().name();
        long v = e.to().version();
        Map<String, Integer> aliases = aliasCache.computeIfAbsent(model, m -> aliases(ws, m));
        List<String> mine = new ArrayList<>();
        aliases.forEach((a, av) -> {
          if (av != null && av == v) {
            mine.add(a);
          }
        });
        models.put(model + "\u0000" + String.format("%019d", v), new DriftImpact.ModelVersionRef(model, v, mine));
      }
    }
    return new DriftImpact(column, stat, value, threshold, List.copyOf(upstream), List.copyOf(features),
        List.copyOf(sets), List.copyOf(models.values()));
  }

  private static boolean usesColumn(Lineage.Edge e, String column) {
    if (!e.from().type().equals("TABLE")) {
      return false;
    }
    String t = e.to().type();
    if (!t.equals("TRAINING_SET") && !t.equals("MODEL")) {
      return false;
    }
    return Arrays.stream(e.detail().split(",")).map(String::trim).anyMatch(column::equals);
  }

  /** Aliases of a registered model now (alias → version), empty when it has none or is not registered here. */
  static Map<String, Integer> aliases(Workspace ws, String model) {
    TableName n;
    try {
      n = TableName.parse(model);
    } catch (RuntimeException e) {
      return Map.of();
    }
    String p = FileStore.join("registry", n.catalog(), n.schema(), n.name(), "aliases.json");
    try {
      Optional<byte[]> bytes = FileStores.of(ws).read(p);
      if (bytes.isEmpty()) {
        return Map.of();
      }
      com.fasterxml.jackson.databind.JsonNode file = Json.MAPPER.readTree(new String(bytes.get(), java.nio.charset.StandardCharsets.UTF_8));
      if (file.has("formatVersion")) { // format 2 (models' Formats): {"formatVersion": 2, "aliases": {..}}
        file = file.path("aliases");
      }
      return new TreeMap<>(Objects.requireNonNull(Json.MAPPER.convertValue(file, ALIASES)));
    } catch (IOException | RuntimeException e) {
      org.slf4j.LoggerFactory.getLogger(Impacts.class).debug("Cannot read aliases of {}: {}", model, e.toString());
      return Map.of();
    }
  }

  private record Graph(List<Lineage.Edge> edges) {}
}
