package dev.mlops.models;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Frame;
import dev.mlops.core.Schema;
import dev.mlops.core.Workspace;
import dev.mlops.features.FeatureLookup;
import dev.mlops.features.FeatureStore;
import dev.mlops.features.TrainingSet;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registered model whose feature spec has DATE and NaN defaults (and a DATE timestamp key with a
 * lookback) scores by keys after the spec went through the model descriptor's JSON (it failed with
 * "Value '2020-02-29' (String) does not fit column of type DATE").
 */
class FeatureSpecScoringTest {
  @TempDir Path dir;

  @Test
  void registered_model_with_date_and_nan_defaults_scores_keys() {
    try (Workspace ws = Workspace.open(dir)) {
      FeatureStore fs = FeatureStore.of(ws);
      Schema schema = Schema.of(Field.of("id", DataType.LONG), Field.of("day", DataType.DATE),
          Field.of("spend", DataType.DOUBLE), Field.of("since", DataType.DATE));
      Random r = new Random(3);
      Frame.Builder b = Frame.builder(schema);
      for (long id = 0; id < 200; id++) {
        b.row(id, LocalDate.of(2026, 1, 1), r.nextDouble() * 100, LocalDate.of(2020, 1, 1).plusDays(r.nextInt(900)));
      }
      fs.createTable("main.s.spend").primaryKeys("id").timestampKey("day").create(b.build());
      Frame.Builder sp = Frame.builder(Schema.of(Field.of("id", DataType.LONG), Field.of("at", DataType.DATE),
          Field.of("y", DataType.BOOLEAN)));
      for (long id = 0; id < 200; id++) {
        sp.row(id, LocalDate.of(2026, 1, 5), id % 2 == 0);
      }
      FeatureLookup lookup = FeatureLookup.table("main.s.spend").lookupKey("id").timestampLookupKey("at")
          .lookback(Duration.ofDays(10)).defaultValue("spend", Double.NaN).defaultValue("since", LocalDate.of(2020, 2, 29))
          .includeTimestamp("spend_asof");
      TrainingSet ts = fs.trainingSet(sp.build()).lookup(lookup).label("y").build();
      ModelRegistry registry = ModelRegistry.of(ws);
      TrainedModel m = Trainer.on(ts).algorithm(Algorithm.logisticRegression()).features("spend").seed(1).fit();
      ModelVersion v = m.register(registry, "main.ml.dated");

      Predictor p = Predictor.load(ws, "models:/main.ml.dated/" + v.version());
      assertThat(p.featureSpec()).contains(ts.spec());
      Frame keys = Frame.builder(Schema.of(Field.of("id", DataType.LONG), Field.of("at", DataType.DATE)))
          .row(1L, LocalDate.of(2026, 1, 5)).row(999L, LocalDate.of(2026, 1, 5)).row(1L, LocalDate.of(2026, 3, 1))
          .build();
      Frame scored = p.score(keys);
      assertThat(scored.column("since").get(1)).isEqualTo(LocalDate.of(2020, 2, 29));
      assertThat(scored.column("spend").get(1)).isEqualTo(Double.NaN);
      assertThat(scored.column("spend").get(2)).isEqualTo(Double.NaN); // outside the 10-day window
      assertThat(scored.column("spend_asof").get(0)).isEqualTo(LocalDate.of(2026, 1, 1));
      assertThat(scored.schema().names()).contains("prediction");
    }
  }
}
