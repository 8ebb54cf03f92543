package dev.mlops.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.Column;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Frame;
import dev.mlops.core.Schema;
import dev.mlops.core.Workspace;
import dev.mlops.features.FeatureLookup;
import dev.mlops.features.FeatureStore;
import dev.mlops.features.FeatureStoreException;
import dev.mlops.features.OnDemandFeature;
import dev.mlops.features.OnDemandRegistry;
import dev.mlops.features.TrainingSet;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import smile.math.MathEx;

/** Where scoring runs and which functions it computes are the caller's choice, not JVM-wide state. */
class PredictorTest {
  @TempDir Path dir;

  @Test
  void large_batches_run_on_the_given_executor_with_the_same_predictions() {
    Workspace ws = Workspace.open(dir);
    TrainedModel m = Trainer.on(TrainerTest.data(400, 1)).label("churned").exclude("spend")
        .algorithm(Algorithm.randomForest().trees(5)).fit();
    ModelVersion v = m.register(ModelRegistry.of(ws), "main.ml.exec");
    Frame rows = TrainerTest.data(10_000, 2);
    Predictor p = Predictor.load(ws, v.uri());
    double[] byDefault = p.predict(rows).column("probability_true").toDoubleArray();

    AtomicInteger tasks = new AtomicInteger();
    Set<String> threads = ConcurrentHashMap.newKeySet();
    ExecutorService pool = Executors.newFixedThreadPool(2, r -> new Thread(r, "app-scoring"));
    try {
      Predictor mine = p.withExecutor(task -> {
        tasks.incrementAndGet();
        pool.execute(() -> {
          threads.add(Thread.currentThread().getName());
          task.run();
        });
      });
      assertThat(mine.predict(rows).column("probability_true").toDoubleArray()).containsExactly(byDefault);
      assertThat(tasks.get()).isGreaterThan(1);
      assertThat(threads).containsExactly("app-scoring");
      tasks.set(0);
      mine.predict(rows.head(100)); // small inputs stay on the calling thread
      assertThat(tasks.get()).isZero();
    } finally {
      pool.shutdownNow();
    }
    String caller = Thread.currentThread().getName();
    Set<String> direct = ConcurrentHashMap.newKeySet();
    Predictor sameThread = p.withExecutor(task -> {
      direct.add(Thread.currentThread().getName());
      task.run();
    });
    assertThat(sameThread.predict(rows).column("probability_true").toDoubleArray()).containsExactly(byDefault);
    assertThat(direct).containsExactly(caller);
    assertThat(p.executor()).isSameAs(java.util.concurrent.ForkJoinPool.commonPool()); // the original is unchanged
  }

  @Test
  void training_gradient_boosting_leaves_the_callers_smile_random_generator_alone() {
    MathEx.setSeed(5);
    double expected = MathEx.random();
    MathEx.setSeed(5);
    Trainer.on(TrainerTest.data(300, 1)).label("churned").exclude("spend")
        .algorithm(Algorithm.gradientBoosting().trees(5)).seed(11).fit();
    assertThat(MathEx.random()).isEqualTo(expected);
  }

  @Test
  void gradient_boosting_stays_reproducible_for_a_seed() {
    Frame train = TrainerTest.data(300, 1);
    Frame probe = TrainerTest.data(50, 3);
    double[] a = Trainer.on(train).label("churned").exclude("spend").algorithm(Algorithm.gradientBoosting()
        .trees(10).subsample(0.5)).seed(11).fit().predict(probe).column("probability_true").toDoubleArray();
    double[] b = Trainer.on(train).label("churned").exclude("spend").algorithm(Algorithm.gradientBoosting()
        .trees(10).subsample(0.5)).seed(11).fit().predict(probe).column("probability_true").toDoubleArray();
    assertThat(b).containsExactly(a);
  }

  @Test
  void scoring_computes_on_demand_features_from_the_store_it_is_given() {
    Path wsDir = dir.resolve("ws");
    OnDemandRegistry functions = OnDemandRegistry.create();
    String uri;
    Schema s = Schema.of(Field.of("id", DataType.LONG), Field.of("spend", DataType.DOUBLE));
    try (Workspace ws = Workspace.open(wsDir)) {
      FeatureStore fs = FeatureStore.of(ws, functions);
      Random r = new Random(1);
      Frame.Builder b = Frame.builder(s);
      Frame.Builder spine = Frame.builder(Schema.of(Field.of("id", DataType.LONG), Field.of("big", DataType.BOOLEAN)));
      for (long id = 0; id < 200; id++) {
        double spend = r.nextDouble() * 100;
        b.row(id, spend);
        spine.row(id, spend > 50);
      }
      fs.createTable("main.t.spend").primaryKeys("id").create(b.build());
      // built with the record constructor: not in any JVM-wide registry, only in this store's
      OnDemandFeature half = new OnDemandFeature("half", DataType.DOUBLE, List.of("spend"), in -> (Double) in[0] / 2);
      TrainingSet ts = fs.trainingSet(spine.build()).lookup(FeatureLookup.table("main.t.spend").lookupKey("id"))
          .onDemand(half).label("big").build();
      uri = Trainer.on(ts).algorithm(Algorithm.logisticRegression()).fit().register(ModelRegistry.of(ws), "main.ml.od")
          .uri();
    }
    try (Workspace ws = Workspace.open(wsDir)) { // another Workspace object: its own, empty registry
      Frame keys = Frame.of(Column.ofLongs("id", 1, 2));
      assertThatThrownBy(() -> Predictor.load(ws, uri).score(keys)).isInstanceOf(FeatureStoreException.class)
          .hasMessageContaining("'half'");
      Frame out = Predictor.load(ws, uri).withFeatureStore(FeatureStore.of(ws, functions)).score(keys);
      assertThat(out.column("half").getDouble(0)).isEqualTo(out.column("spend").getDouble(0) / 2);
      assertThat(out.hasColumn("prediction")).isTrue();
    }
  }

  @Test
  void the_prediction_column_has_the_labels_type_and_an_input_column_of_the_same_name_is_replaced_in_place() {
    Workspace ws = Workspace.open(dir);
    Frame base = TrainerTest.data(300, 1);
    Frame probe = TrainerTest.data(40, 2).drop("churned", "spend");
    boolean[] churned = new boolean[base.rowCount()];
    for (int i = 0; i < churned.length; i++) {
      churned[i] = (Boolean) base.column("churned").get(i);
    }
    List<Column> labels = List.of(
        Column.ofInts("y", java.util.stream.IntStream.range(0, churned.length).map(i -> churned[i] ? 7 : -3).toArray()),
        Column.ofLongs("y", java.util.stream.IntStream.range(0, churned.length).mapToLong(i -> churned[i] ? 1L << 40 : 2)
            .toArray()),
        Column.of("y", DataType.STRING, java.util.stream.IntStream.range(0, churned.length)
            .mapToObj(i -> churned[i] ? "stay-or go" : "gone").toList()));
    int n = 0;
    for (Column y : labels) {
      Frame train = base.drop("churned", "spend").withColumn(y);
      TrainedModel m = Trainer.on(train).label("y").algorithm(Algorithm.logisticRegression()).fit();
      Predictor p = Predictor.load(ws, m.register(ModelRegistry.of(ws), "main.ml.types" + n++).uri());
      PreparedPredictor one = p.prepare();
      Frame out = p.predict(probe);
      assertThat(out.column("prediction").type()).isEqualTo(y.type());
      assertThat(out.schema().names().subList(0, probe.columnCount())).isEqualTo(probe.schema().names());
      assertThat(out.schema().names().subList(probe.columnCount(), out.columnCount()))
          .isEqualTo(Stream.concat(Stream.of("prediction"), one.probabilityColumns().stream()).toList());
      for (int r = 0; r < probe.rowCount(); r++) {
        Object[] row = new Object[one.inputs().size()];
        for (int c = 0; c < row.length; c++) {
          row[c] = probe.column(one.inputs().get(c)).get(r);
        }
        assertThat(out.column("prediction").get(r)).isEqualTo(one.predict(row));
      }
      // the input already has a prediction column (e.g. scored before): replaced where it stands
      Frame again = p.predict(out.select(probe.schema().names().toArray(new String[0])).withColumn(
          Column.nulls("prediction", DataType.DOUBLE, probe.rowCount())).withColumn(Column.ofDoubles("after",
          new double[probe.rowCount()])));
      assertThat(again.schema().names().indexOf("prediction")).isEqualTo(probe.columnCount());
      assertThat(again.column("prediction").toList()).isEqualTo(out.column("prediction").toList());
      assertThat(again.schema().names().get(probe.columnCount() + 1)).isEqualTo("after");
    }
  }
}
