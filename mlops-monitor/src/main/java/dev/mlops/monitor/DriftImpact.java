package dev.mlops.monitor;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One drifted column and what it reaches through the workspace's lineage graph.
 *
 * <pre>{@code
 * for (DriftImpact i : monitor.driftReport().columns()) {
 *   i.column();          // "spend"
 *   i.featureTables();   // [main.crm.customer_features@3]
 *   i.models();          // [main.ml.churn v2 (champion)]
 * }
 * }</pre>
 *
 * @param column the drifted column
 * @param statistic the statistic that decided (e.g. JS_DISTANCE)
 * @param value its value
 * @param threshold its threshold
 * @param upstreamTables tables the monitored table comes from (transitively), with the versions recorded
 * @param featureTables tables that hold the column as a feature used by a training set or model
 * @param trainingSets training set ids that used the column
 * @param models registered model versions trained on the column, with the aliases pointing at them now
 */
public record DriftImpact(String column, String statistic, double value, double threshold,
    List<TableRef> upstreamTables, List<TableRef> featureTables, List<String> trainingSets,
    List<ModelVersionRef> models) {

  /** Copies lists. */
  public DriftImpact {
    Objects.requireNonNull(column, "column");
    statistic = statistic == null ? "" : statistic;
    upstreamTables = List.copyOf(upstreamTables);
    featureTables = List.copyOf(featureTables);
    trainingSets = List.copyOf(trainingSets);
    models = List.copyOf(models);
  }

  /**
   * A table, at a version when the lineage edge recorded one.
   *
   * @param name three-level name
   * @param version the version, if recorded
   */
  public record TableRef(String name, Optional<Long> version) {
    /** Checks arguments. */
    public TableRef {
      Objects.requireNonNull(name, "name");
      version = version == null ? Optional.empty() : version;
    }

    @Override
    public String toString() {
      return name + version.map(v -> "@" + v).orElse("");
    }
  }

  /**
   * A registered model version.
   *
   * @param model the registered model's name
   * @param version its version
   * @param aliases aliases pointing at it now (champion, challenger, ...)
   */
  public record ModelVersionRef(String model, long version, List<String> aliases) {
    /** Copies the aliases. */
    public ModelVersionRef {
      Objects.requireNonNull(model, "model");
      aliases = List.copyOf(aliases);
    }

    @Override
    public String toString() {
      return model + " v" + version + (aliases.isEmpty() ? "" : " " + aliases);
    }
  }
}
