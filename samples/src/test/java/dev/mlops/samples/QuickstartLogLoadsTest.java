package dev.mlops.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.Column;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Frame;
import dev.mlops.core.Schema;
import dev.mlops.core.Workspace;
import dev.mlops.core.internal.delta.LogLoads;
import dev.mlops.features.FeatureLookup;
import dev.mlops.features.FeatureStore;
import dev.mlops.features.TrainingSet;
import dev.mlops.models.Algorithm;
import dev.mlops.models.ModelRegistry;
import dev.mlops.models.ModelVersion;
import dev.mlops.models.Predictor;
import dev.mlops.models.TrainedModel;
import dev.mlops.models.Trainer;
import dev.mlops.models.Tracking;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8's log-load budget on the quickstart loop (samples/quickstart.jsh, step by step in Java):
 * each step's Delta reads and writes are listed, and the loop may load the Delta log at most once
 * per read and twice per write (plan + conflict re-check). The loop used to load it 43 times.
 */
class QuickstartLogLoadsTest {
  @TempDir Path dir;

  /** One step of the loop: its Delta reads and writes (what it may cost) and the loads it made. */
  private record Step(String name, int reads, int writes, long loads) {
    long budget() {
      return reads + 2L * writes;
    }
  }

  private final List<Step> steps = new ArrayList<>();

  private <T> T step(String name, int reads, int writes, Supplier<T> body) {
    long before = LogLoads.onThisThread();
    T out = body.get();
    steps.add(new Step(name, reads, writes, LogLoads.onThisThread() - before));
    return out;
  }

  @Test
  void the_quickstart_loop_loads_the_log_once_per_read_and_at_most_twice_per_write() {
    try (Workspace ws = Workspace.open(dir)) {
      FeatureStore fs = FeatureStore.of(ws);
      // 1. A time-series feature table.
      Schema schema = Schema.of(Field.of("customer_id", DataType.LONG), Field.of("as_of", DataType.TIMESTAMP),
          Field.of("spend_30d", DataType.DOUBLE), Field.of("plan", DataType.STRING));
      java.util.Random rnd = new java.util.Random(7);
      Frame.Builder rows = Frame.builder(schema);
      for (long c = 0; c < 200; c++) {
        rows.row(c, Instant.parse("2026-01-31T00:00:00Z"), rnd.nextDouble() * 200, rnd.nextBoolean() ? "pro" : "free");
      }
      Frame features = rows.build();
      // drop: a directory check, no Delta read (nothing to drop in a new workspace)
      step("dropTable", 0, 0, () -> fs.dropTable("main.crm.customer_features"));
      // create: the create and the first rows' MERGE are two writes; the FeatureTable it returns, a read
      step("createTable", 1, 2, () -> fs.createTable("main.crm.customer_features").primaryKeys("customer_id")
          .timestampKey("as_of").create(features));
      // 2. Labels at their own times, features as of those times.
      Frame feats = step("read", 1, 0, () -> fs.read("main.crm.customer_features").load());
      Schema spineSchema = Schema.of(Field.of("customer_id", DataType.LONG), Field.of("event_time", DataType.TIMESTAMP),
          Field.of("churned", DataType.BOOLEAN));
      Frame.Builder spine = Frame.builder(spineSchema);
      for (int i = 0; i < feats.rowCount(); i++) {
        spine.row(feats.column("customer_id").getLong(i), Instant.parse("2026-02-15T00:00:00Z"),
            feats.column("spend_30d").getDouble(i) < 60);
      }
      Frame spineFrame = spine.build();
      // a training set reads the feature table once (its spec pins that version) and records its
      // lineage: the first lineage write also creates the lineage table (two writes)
      TrainingSet ts = step("trainingSet", 1, 2, () -> fs.trainingSet(spineFrame)
          .lookup(FeatureLookup.table("main.crm.customer_features").lookupKey("customer_id")
              .timestampLookupKey("event_time"))
          .label("churned").build());
      // 3. Train inside a run, register, make it the champion.
      ModelRegistry registry = ModelRegistry.of(ws);
      var run = step("startRun", 0, 0, () -> Tracking.of(ws).experiment("churn").start("quickstart"));
      TrainedModel model = step("fit", 0, 0, () -> Trainer.on(ts).algorithm(Algorithm.randomForest()
          .with("trees", 30)).seed(1).run(run).fit());
      // registering records the model's lineage: one write of the lineage table
      ModelVersion version = step("register", 0, 1, () -> model.register(registry, "main.ml.churn"));
      step("closeRun", 0, 0, () -> {
        run.close();
        return null;
      });
      step("setAlias", 0, 0, () -> registry.setAlias("main.ml.churn", "champion", version.version()));
      // 4. Load the champion and score new keys: features are looked up from the feature table (one read).
      Predictor champion = step("loadChampion", 0, 0, () -> Predictor.load(ws, "models:/main.ml.churn@champion"));
      Frame scored = step("score", 1, 0, () -> champion.score(Frame.of(Column.ofLongs("customer_id", 1, 2, 3))));
      assertThat(scored.rowCount()).isEqualTo(3);
    }
    System.out.println("quickstart log loads per step: " + steps);
    long loads = steps.stream().mapToLong(Step::loads).sum();
    long budget = steps.stream().mapToLong(Step::budget).sum();
    assertThat(steps).as("per step: %s", steps).allSatisfy(s -> assertThat(s.loads()).as(s.name())
        .isLessThanOrEqualTo(s.budget()));
    assertThat(loads).as("per step: %s", steps).isLessThanOrEqualTo(budget).isLessThan(43);
  }
}
