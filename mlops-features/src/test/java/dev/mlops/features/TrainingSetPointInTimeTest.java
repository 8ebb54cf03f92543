package dev.mlops.features;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.Column;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Frame;
import dev.mlops.core.Schema;
import dev.mlops.core.Workspace;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Point-in-time lookups against a brute-force reference on random data, and the edges: equal
 * timestamps, no earlier row, the lookback boundary, several lookups on one spine, composite keys.
 */
class TrainingSetPointInTimeTest {
  @TempDir Path dir;

  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  static Instant at(long minutes) {
    return T0.plusSeconds(60 * minutes);
  }

  /** The reference: scan every feature row. */
  static Object expected(Frame feat, String[] pk, Object[] key, String ts, Instant t, Duration lookback, String feature) {
    int best = -1;
    Instant bestTs = null;
    for (int i = 0; i < feat.rowCount(); i++) {
      boolean same = true;
      for (int k = 0; k < pk.length; k++) {
        same &= feat.get(i, pk[k]).equals(key[k]);
      }
      Instant fts = (Instant) feat.get(i, ts);
      if (same && !fts.isAfter(t) && (lookback == null || !fts.isBefore(t.minus(lookback)))
          && (bestTs == null || fts.isAfter(bestTs))) {
        best = i;
        bestTs = fts;
      }
    }
    return best < 0 ? null : feat.get(best, feature);
  }

  @Test
  void random_time_series_lookups_match_a_brute_force_reference() {
    Random rnd = new Random(42);
    try (Workspace ws = Workspace.open(dir)) {
      FeatureStore fs = FeatureStore.of(ws);
      Schema a = Schema.of(Field.of("user", DataType.LONG), Field.of("ts", DataType.TIMESTAMP),
          Field.of("x", DataType.DOUBLE), Field.of("flag", DataType.STRING));
      Schema b = Schema.of(Field.of("shop", DataType.STRING), Field.of("region", DataType.INT),
          Field.of("ts", DataType.TIMESTAMP), Field.of("y", DataType.LONG));
      Frame.Builder fa = Frame.builder(a);
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < 600; i++) {
        long u = rnd.nextInt(40);
        long m = rnd.nextInt(200);
        if (seen.add(u + "/" + m)) {
          fa.row(u, at(m), rnd.nextBoolean() ? null : rnd.nextDouble(), "f" + rnd.nextInt(3));
        }
      }
      Frame.Builder fb = Frame.builder(b);
      seen.clear();
      for (int i = 0; i < 400; i++) {
        String shop = "s" + rnd.nextInt(10);
        int region = rnd.nextInt(3);
        long m = rnd.nextInt(200);
        if (seen.add(shop + "/" + region + "/" + m)) {
          fb.row(shop, region, at(m), (long) rnd.nextInt(1000));
        }
      }
      Frame featA = fa.build();
      Frame featB = fb.build();
      // written in two merges so the table has several files
      fs.createTable("main.t.a").primaryKeys("user").timestampKey("ts").create(featA.slice(0, 300));
      fs.write("main.t.a", featA.slice(300, featA.rowCount()), WriteMode.MERGE);
      fs.createTable("main.t.b").primaryKeys("shop", "region").timestampKey("ts").create(featB);

      Schema spineSchema = Schema.of(Field.of("uid", DataType.LONG), Field.of("shop", DataType.STRING),
          Field.of("region", DataType.INT), Field.of("event_time", DataType.TIMESTAMP), Field.of("label", DataType.BOOLEAN));
      Frame.Builder sb = Frame.builder(spineSchema);
      for (int i = 0; i < 500; i++) {
        // include exact feature timestamps (equal-timestamp edge) and times before any row
        long m = rnd.nextInt(5) == 0 ? (long) ((Instant) featA.get(rnd.nextInt(featA.rowCount()), "ts")).getEpochSecond() / 60
            - T0.getEpochSecond() / 60 : rnd.nextInt(220) - 10;
        sb.row((long) rnd.nextInt(45), "s" + rnd.nextInt(12), rnd.nextInt(3), at(m), rnd.nextBoolean());
      }
      Frame spine = sb.build();
      Duration lookback = Duration.ofMinutes(30);
      TrainingSet ts = fs.trainingSet(spine)
          .lookup(FeatureLookup.table("main.t.a").lookupKey("uid").timestampLookupKey("event_time")
              .features("x", "flag").rename("flag", "a_flag"))
          .lookup(FeatureLookup.table("main.t.b").lookupKey("shop", "region").timestampLookupKey("event_time")
              .features("y").lookback(lookback).defaultValue("y", -1L))
          .label("label").build();
      Frame got = ts.load();
      assertThat(got.rowCount()).isEqualTo(spine.rowCount());
      int matchedA = 0;
      int defaulted = 0;
      for (int i = 0; i < spine.rowCount(); i++) {
        Instant t = (Instant) spine.get(i, "event_time");
        Object x = expected(featA, new String[] {"user"}, new Object[] {spine.get(i, "uid")}, "ts", t, null, "x");
        Object flag = expected(featA, new String[] {"user"}, new Object[] {spine.get(i, "uid")}, "ts", t, null, "flag");
        Object y = expected(featB, new String[] {"shop", "region"},
            new Object[] {spine.get(i, "shop"), spine.get(i, "region")}, "ts", t, lookback, "y");
        assertThat(got.get(i, "x")).as("x at row %s", i).isEqualTo(x);
        assertThat(got.get(i, "a_flag")).as("flag at row %s", i).isEqualTo(flag);
        assertThat(got.get(i, "y")).as("y at row %s", i).isEqualTo(y == null ? -1L : y);
        matchedA += flag != null ? 1 : 0;
        defaulted += y == null ? 1 : 0;
      }
      // the random data must exercise both outcomes, or the comparison proves little
      assertThat(matchedA).isBetween(50, 490);
      assertThat(defaulted).isBetween(20, 490);
    }
  }

  @Test
  void edges_equal_timestamp_no_earlier_row_and_lookback_boundary() {
    try (Workspace ws = Workspace.open(dir)) {
      FeatureStore fs = FeatureStore.of(ws);
      Schema s = Schema.of(Field.of("id", DataType.LONG), Field.of("ts", DataType.TIMESTAMP), Field.of("v", DataType.INT));
      fs.createTable("main.t.e").primaryKeys("id").timestampKey("ts")
          .create(Frame.builder(s).row(1L, at(10), 100).row(1L, at(20), 200).build());
      Frame spine = Frame.of(Column.ofLongs("id", 1, 1, 1, 1, 1, 2),
          Column.of("t", DataType.TIMESTAMP, List.of(at(20), at(19), at(9), at(50), at(51), at(30))));
      Frame got = fs.trainingSet(spine).lookup(FeatureLookup.table("main.t.e").lookupKey("id")
          .timestampLookupKey("t").lookback(Duration.ofMinutes(30))).build().load();
      List<Object> v = got.column("v").toList();
      // equal timestamp takes that row; 19 -> the row at 10; 9 -> none earlier; 50 - 30 = 20 is inside
      // the window (inclusive); 51 - 30 = 21 is past the last row; id 2 has no rows
      assertThat(v).containsExactly(200, 100, null, 200, null, null);
    }
  }

  @Test
  void a_spec_rebuilds_the_identical_training_set_after_the_table_changed() {
    try (Workspace ws = Workspace.open(dir)) {
      FeatureStore fs = FeatureStore.of(ws);
      Schema s = Schema.of(Field.of("id", DataType.LONG), Field.of("v", DataType.DOUBLE));
      fs.createTable("main.t.r").primaryKeys("id").create(Frame.builder(s).row(1L, 1.0).row(2L, 2.0).build());
      Frame spine = Frame.of(Column.ofLongs("id", 1, 2, 3), Column.ofBooleans("y", true, false, true));
      TrainingSet first = fs.trainingSet(spine).lookup(FeatureLookup.table("main.t.r").lookupKey("id"))
          .label("y").build();
      fs.write("main.t.r", Frame.builder(s).row(1L, 10.0).row(3L, 3.0).build(), WriteMode.MERGE);
      fs.write("main.t.r", Frame.builder(s).row(2L, 20.0).build(), WriteMode.OVERWRITE);
      FeatureSpec spec = FeatureSpec.fromJson(first.spec().toJson());
      assertThat(spec).isEqualTo(first.spec());
      assertThat(fs.trainingSet(spine, spec).load()).isEqualTo(first.load());
      // and the latest values differ, so the test would notice a rebuild that ignored the versions
      assertThat(fs.lookupFeatures(spec, spine).column("v").toList()).containsExactly(null, 20.0, null);
      assertThat(first.load().column("v").toList()).containsExactly(1.0, 2.0, null);
    }
  }

  @Test
  void on_demand_features_compute_the_same_in_training_and_scoring() {
    try (Workspace ws = Workspace.open(dir)) {
      FeatureStore fs = FeatureStore.of(ws);
      Schema s = Schema.of(Field.of("id", DataType.LONG), Field.of("spend", DataType.DOUBLE), Field.of("visits", DataType.INT));
      fs.createTable("main.t.o").primaryKeys("id").create(Frame.builder(s).row(1L, 10.0, 2).row(2L, 5.0, 0).build());
      OnDemandFeature ratio = OnDemandFeature.of("spend_per_visit", DataType.DOUBLE, List.of("spend", "visits"),
          in -> in[0] == null || in[1] == null || (Integer) in[1] == 0 ? null : (Double) in[0] / (Integer) in[1]);
      Frame spine = Frame.of(Column.ofLongs("id", 1, 2));
      TrainingSet ts = fs.trainingSet(spine).lookup(FeatureLookup.table("main.t.o").lookupKey("id")).onDemand(ratio).build();
      assertThat(ts.load().column("spend_per_visit").toList()).containsExactly(5.0, null);
      OnlineStore online = OnlineStore.inMemory();
      fs.publish("main.t.o", online);
      Frame served = fs.lookupOnline(ts.spec(), Frame.of(Column.ofLongs("id", 2, 1)), online);
      assertThat(served.column("spend_per_visit").toList()).containsExactly(null, 5.0);
      Frame offline = fs.lookupFeatures(ts.spec(), Frame.of(Column.ofLongs("id", 2, 1)));
      assertThat(offline).isEqualTo(served);
      // a column given at scoring time overrides the looked-up one
      Frame overridden = fs.lookupOnline(ts.spec(), Frame.of(Column.ofLongs("id", 1), Column.ofDoubles("spend", 30.0)), online);
      assertThat(overridden.column("spend_per_visit").getDouble(0)).isEqualTo(15.0);
      List<String> cols = new ArrayList<>(served.schema().names());
      assertThat(cols).containsExactly("id", "spend", "visits", "spend_per_visit");
    }
  }
}
