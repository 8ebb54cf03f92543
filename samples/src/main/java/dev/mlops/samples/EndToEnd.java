package dev.mlops.samples;

import dev.mlops.core.Column;
import dev.mlops.core.Commit;
import dev.mlops.core.CommitResult;
import dev.mlops.core.DataType;
import dev.mlops.core.DeltaTable;
import dev.mlops.core.Field;
import dev.mlops.core.Filter;
import dev.mlops.core.Frame;
import dev.mlops.core.Schema;
import dev.mlops.core.Workspace;
import dev.mlops.features.FeatureLookup;
import dev.mlops.features.FeatureStore;
import dev.mlops.features.OnDemandFeature;
import dev.mlops.features.OnlineStore;
import dev.mlops.features.PublishResult;
import dev.mlops.features.TrainingSet;
import dev.mlops.features.WriteMode;
import dev.mlops.core.Lineage;
import dev.mlops.models.Algorithm;
import dev.mlops.models.ModelRegistry;
import dev.mlops.models.ModelVersion;
import dev.mlops.models.Predictor;
import dev.mlops.models.Run;
import dev.mlops.models.TrainedModel;
import dev.mlops.models.Trainer;
import dev.mlops.models.Tracking;
import dev.mlops.models.Validation;
import java.util.Random;
import java.time.Duration;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * The main job: the whole MLOps loop that exists so far, on an embedded local workspace.
 *
 * <p>Run it with {@code mvn -q -Pdemo -DskipTests package} from the repository root (it writes
 * {@code target/lakehouse} under samples/), or {@code java dev.mlops.samples.EndToEnd <dir>}.
 *
 * <p>Today: create a Delta table, append, upsert, delete, add a column, read an old version and
 * the history. Each capability that lands extends this program and {@code EndToEndTest}.
 */
public final class EndToEnd {
  private EndToEnd() {}

  /** What the run produced, for the test to check. */
  public record Result(long latestVersion, Frame latest, Frame firstVersion, List<Commit> history,
      TrainingSet trainingSet, Frame online, List<Lineage.Edge> featureUpstream, TrainedModel model,
      ModelVersion champion, Frame scored, Frame scoredOnline) {}

  /** Runs the sample in the given directory (default: target/lakehouse). */
  public static void main(String[] args) {
    Path dir = Path.of(args.length > 0 ? args[0] : "target/lakehouse");
    run(dir, System.out);
  }

  /** Runs the whole loop in {@code dir}, printing what it does. */
  public static Result run(Path dir, PrintStream out) {
    try (Workspace ws = Workspace.open(dir)) {
      out.println("== Workspace " + ws.root());
      String name = "main.crm.customers";
      ws.tables().drop(name); // the sample starts fresh every run

      // 1. A Delta table with a description.
      Schema schema = Schema.of(
          Field.of("customer_id", DataType.LONG).withNullable(false),
          Field.of("city", DataType.STRING),
          Field.of("spend_30d", DataType.DOUBLE).withComment("Spend over the last 30 days"),
          Field.of("updated_at", DataType.TIMESTAMP));
      DeltaTable customers = ws.tables().create(name).schema(schema)
          .description("One row per customer").create();
      out.println("Created " + name + " at version " + customers.version());

      // 2. The first batch.
      Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
      Frame first = Frame.builder(schema)
          .row(1L, "Oslo", 120.0, t0)
          .row(2L, "Lima", 35.5, t0)
          .row(3L, "Rome", 0.0, t0)
          .build();
      CommitResult r = customers.append(first);
      out.println("Appended " + r.rowsInserted() + " rows -> version " + r.version());

      // 3. Upsert: customer 2 changed, customer 4 is new.
      Instant t1 = Instant.parse("2026-02-01T00:00:00Z");
      Frame changes = Frame.builder(schema)
          .row(2L, "Lima", 80.0, t1)
          .row(4L, "Nuuk", 15.0, t1)
          .build();
      r = customers.upsert(changes, "customer_id");
      out.println("Upserted: " + r.rowsUpdated() + " updated, " + r.rowsInserted() + " inserted -> version " + r.version());

      // 4. Delete by predicate, then a new feature column arrives.
      r = customers.delete(Filter.eq("spend_30d", 0.0));
      out.println("Deleted " + r.rowsDeleted() + " inactive customer(s) -> version " + r.version());
      customers.addColumns(Field.of("visits_7d", DataType.INT));
      customers.upsert(Frame.of(Column.ofLongs("customer_id", 1), Column.ofStrings("city", "Oslo"),
          Column.ofDoubles("spend_30d", 130.0), Column.of("updated_at", DataType.TIMESTAMP, List.of(t1)),
          Column.ofInts("visits_7d", 3)), "customer_id");

      // 5. Read the latest version, an old version, and the history.
      Frame latest = customers.read().load();
      out.println("\nLatest version " + customers.version() + ":");
      out.println(latest);
      Frame v1 = customers.read().version(1).load();
      out.println("\nVersion 1 (time travel):");
      out.println(v1);
      out.println("\nHistory:");
      List<Commit> history = customers.history();
      for (Commit c : history) {
        out.printf("  v%d %-12s +%d -%d rows%n", c.version(), c.operation(), c.rowsAdded(), c.rowsRemoved());
      }

      // 6. Feature store: a time-series feature table, two merged batches, lineage from the source.
      FeatureStore fs = FeatureStore.of(ws);
      String features = "main.crm.customer_features";
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

      // 9. Train a real model from a point-in-time training set inside a tracked run, register it,
      //    make it the champion. (More customers here, so there is something to learn.)
      String activity = "main.crm.activity_features";
      fs.dropTable(activity);
      Schema aschema = Schema.of(Field.of("customer_id", DataType.LONG), Field.of("as_of", DataType.TIMESTAMP),
          Field.of("spend_30d", DataType.DOUBLE), Field.of("visits_7d", DataType.INT), Field.of("plan", DataType.STRING));
      Random rnd = new Random(42);
      Frame.Builder act = Frame.builder(aschema);
      Frame.Builder lab = Frame.builder(labels);
      for (long c = 100; c < 700; c++) {
        double spend = rnd.nextDouble() * 200;
        int visits = rnd.nextInt(8);
        String plan = rnd.nextBoolean() ? "pro" : "free";
        act.row(c, jan, spend, visits, plan);
        boolean churn = (spend < 60 && visits < 4) ^ (rnd.nextDouble() < 0.05);
        lab.row(c, Instant.parse("2026-02-20T00:00:00Z"), churn);
      }
      fs.createTable(activity).primaryKeys("customer_id").timestampKey("as_of")
          .description("Activity aggregates for churn").create(act.build(), Lineage.Node.job("activity-aggregation"));
      TrainingSet churnSet = fs.trainingSet(lab.build())
          .lookup(FeatureLookup.table(activity).lookupKey("customer_id").timestampLookupKey("event_time"))
          .label("churned").build();
      ModelRegistry registry = ModelRegistry.of(ws);
      TrainedModel model;
      ModelVersion version;
      try (Run run = Tracking.of(ws).experiment("churn").start("random-forest")) {
        model = Trainer.on(churnSet).algorithm(Algorithm.randomForest().with("trees", 50))
            .validation(Validation.holdout(0.25)).seed(7).run(run).fit();
        version = model.register(registry, "main.ml.churn");
      }
      registry.setAlias("main.ml.churn", "champion", version.version());
      out.printf("%nTrained %s in run %s: accuracy %.3f, AUC %.3f -> registered main.ml.churn version %d as champion%n",
          model.config().algorithm().name(), version.runId().orElse("?"), model.evaluation().metric("accuracy"),
          model.evaluation().metric("auc"), version.version());

      // 10. Load the champion by alias and score new keys: features are looked up by its feature spec,
      //     from the Delta tables (batch) and from the online store (serving) alike.
      Predictor champion = Predictor.load(ws, "models:/main.ml.churn@champion");
      Frame newKeys = Frame.of(Column.ofLongs("customer_id", 101, 102, 103));
      Frame scored = champion.score(newKeys);
      fs.publish(activity, online);
      Frame scoredOnline = champion.scoreOnline(newKeys, online);
      out.println("\nChampion scores (batch):");
      out.println(scored.select("customer_id", "spend_30d", "visits_7d", "prediction", "probability_true"));
      return new Result(customers.version(), latest, v1, history, ts, served, upstream, model, version, scored,
          scoredOnline);
    }
  }
}
