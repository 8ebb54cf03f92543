package dev.mlops.samples;

import dev.mlops.core.Column;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Frame;
import dev.mlops.core.Lineage;
import dev.mlops.core.Schema;
import dev.mlops.core.Workspace;
import dev.mlops.features.FeatureLookup;
import dev.mlops.features.FeatureStore;
import dev.mlops.features.OnDemandFeature;
import dev.mlops.features.OnlineStore;
import dev.mlops.features.PublishResult;
import dev.mlops.features.TrainingSet;
import dev.mlops.features.WriteMode;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Scenario: feature tables, a point-in-time training set and the online store.
 *
 * <p>Run alone with {@code java dev.mlops.samples.FeaturesSample [workspace-dir]} (default
 * {@code target/lakehouse}); {@link EndToEnd} runs every scenario in order.
 */
public final class FeaturesSample {
  private FeaturesSample() {}

  /** The feature table the scenario writes. */
  public static final String FEATURES = "main.crm.customer_features";

  /** What the scenario produced. */
  public record Result(TrainingSet trainingSet, Frame online, List<Lineage.Edge> featureUpstream) {}

  /**
   * A time-series feature table written in two merged batches with lineage from its source table,
   * a point-in-time training set with a lookback, a default and an on-demand feature, and the same
   * features served from an online store.
   */
  public static Result run(Workspace ws, PrintStream out) {
    String name = TablesSample.TABLE;
    // 6. Feature store: a time-series feature table, two merged batches, lineage from the source.
    FeatureStore fs = FeatureStore.of(ws);
    String features = FEATURES;
    fs.dropTable(features);
    Schema fschema = Schema.of(Field.of("customer_id", DataType.LONG), Field.of("as_of", DataType.TIMESTAMP),
        Field.of("spend_30d", DataType.DOUBLE), Field.of("visits_7d", DataType.INT));
    fs.createTable(features).primaryKeys("customer_id").timestampKey("as_of")
        .description("Customer aggregates").tag("team", "growth")
        .featureDescription("spend_30d", "Spend over the last 30 days").create(fschema);
    Instant jan = Instant.parse("2026-01-31T00:00:00Z");
    Instant feb = Instant.parse("2026-02-28T00:00:00Z");
    fs.write(features, Frame.builder(fschema)
        .row(1L, jan, 120.0, 4).row(2L, jan, 35.5, 1).row(4L, jan, 0.0, 0).build(), WriteMode.MERGE,
        Lineage.Node.table(name), Lineage.Node.job("monthly-aggregation"));
    fs.write(features, Frame.builder(fschema)
        .row(1L, feb, 130.0, 3).row(2L, feb, 80.0, 2).row(4L, feb, 15.0, 1).build(), WriteMode.MERGE,
        Lineage.Node.table(name), Lineage.Node.job("monthly-aggregation"));
    out.println("\nFeature table " + features + " at version " + fs.getTable(features).version()
        + "; search 'spend' finds " + fs.search("spend").size() + " hit(s)");

    // 7. A point-in-time training set: each label row gets the features as of its own time.
    Schema labels = Schema.of(Field.of("customer_id", DataType.LONG), Field.of("event_time", DataType.TIMESTAMP),
        Field.of("churned", DataType.BOOLEAN));
    Frame spine = Frame.builder(labels)
        .row(1L, Instant.parse("2026-02-15T00:00:00Z"), false)   // sees the January row
        .row(2L, Instant.parse("2026-03-05T00:00:00Z"), false)   // sees the February row
        .row(4L, Instant.parse("2026-01-15T00:00:00Z"), true)    // no row yet: default 0 visits
        .build();
    OnDemandFeature perVisit = OnDemandFeature.of("spend_per_visit", DataType.DOUBLE,
        List.of("spend_30d", "visits_7d"),
        in -> in[0] == null || in[1] == null || (Integer) in[1] == 0 ? null : (Double) in[0] / (Integer) in[1]);
    TrainingSet ts = fs.trainingSet(spine)
        .lookup(FeatureLookup.table(features).lookupKey("customer_id").timestampLookupKey("event_time")
            .lookback(Duration.ofDays(60)).defaultValue("visits_7d", 0))
        .onDemand(perVisit)
        .label("churned").build();
    out.println("\nPoint-in-time training set (tables pinned at " + ts.spec().lookups().get(0).tableVersion() + "):");
    out.println(ts.load());

    // 8. Publish to the online store and look up with the same feature spec (no skew).
    OnlineStore online = OnlineStore.inMemory();
    PublishResult pub = fs.publish(features, online);
    Frame served = fs.lookupOnline(ts.spec(), Frame.of(Column.ofLongs("customer_id", 2, 1, 99)), online);
    out.println("\nPublished " + pub.keysUpserted() + " keys (version " + pub.toVersion() + "); online lookup:");
    out.println(served);
    List<Lineage.Edge> upstream = ws.lineage().upstream(Lineage.Node.table(features));
    out.println("\nLineage into " + features + ": " + upstream.stream()
        .map(e -> e.from().type() + " " + e.from().name()).distinct().toList());

    return new Result(ts, served, upstream);
  }

  /** Runs this scenario in the given workspace directory (default target/lakehouse). */
  public static void main(String[] args) {
    try (Workspace ws = Workspace.open(Path.of(args.length > 0 ? args[0] : "target/lakehouse"))) {
      run(ws, System.out);
    }
  }
}
