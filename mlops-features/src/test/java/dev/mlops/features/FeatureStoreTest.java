package dev.mlops.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.Column;
import dev.mlops.core.DataType;
import dev.mlops.core.DeltaTable;
import dev.mlops.core.Field;
import dev.mlops.core.Frame;
import dev.mlops.core.KeyConstraintException;
import dev.mlops.core.Lineage;
import dev.mlops.core.Schema;
import dev.mlops.core.TableNotFoundException;
import dev.mlops.core.Workspace;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureStoreTest {
  @TempDir Path dir;
  Workspace ws;
  FeatureStore fs;

  static final Schema CUSTOMER = Schema.of(Field.of("customer_id", DataType.LONG),
      Field.of("as_of", DataType.TIMESTAMP), Field.of("spend_30d", DataType.DOUBLE), Field.of("visits_7d", DataType.INT));
  static final Instant T = Instant.parse("2026-03-01T00:00:00Z");

  @BeforeEach
  void open() {
    ws = Workspace.open(dir);
    fs = FeatureStore.of(ws);
  }

  @AfterEach
  void close() {
    ws.close();
  }

  FeatureTable customers() {
    return fs.createTable("main.crm.customer_features").primaryKeys("customer_id").timestampKey("as_of")
        .description("Customer aggregates for churn").tag("team", "growth")
        .featureDescription("spend_30d", "Spend over the last 30 days").create(CUSTOMER);
  }

  @Test
  void metadata_lives_in_the_delta_table_itself() {
    FeatureTable t = customers();
    assertThat(t.primaryKeys()).containsExactly("customer_id");
    assertThat(t.timestampKey()).contains("as_of");
    assertThat(t.tags()).containsEntry("team", "growth");
    assertThat(t.featureNames()).containsExactly("spend_30d", "visits_7d");
    assertThat(t.features().get(0).comment()).isEqualTo("Spend over the last 30 days");
    DeltaTable raw = ws.tables().get("main.crm.customer_features");
    assertThat(raw.properties()).containsEntry(FeatureStore.PRIMARY_KEYS, "customer_id")
        .containsEntry(FeatureStore.TIMESTAMP_KEY, "as_of").containsEntry("mlops.feature.tag.team", "growth");
    assertThat(raw.description()).isEqualTo("Customer aggregates for churn");
    assertThat(raw.schema().field("customer_id").nullable()).isFalse();
  }

  @Test
  void merge_upserts_by_key_and_timestamp_and_new_columns_arrive() {
    customers();
    fs.write("main.crm.customer_features", Frame.builder(CUSTOMER).row(1L, T, 10.0, 1).row(2L, T, 20.0, 2).build(),
        WriteMode.MERGE);
    // same (key, ts) replaces; a later ts adds a row; a new feature column appears
    Frame next = Frame.builder(CUSTOMER.plus(List.of(Field.of("tenure_days", DataType.INT))))
        .row(1L, T, 11.0, 1, 100).row(1L, T.plusSeconds(86400), 12.0, 3, 101).build();
    fs.write("main.crm.customer_features", next, WriteMode.MERGE);
    Frame all = fs.read("main.crm.customer_features").load();
    assertThat(all.rowCount()).isEqualTo(3);
    Frame two = all.filter(i -> all.column("customer_id").getLong(i) == 2L);
    assertThat(two.column("tenure_days").isNull(0)).isTrue();
    assertThat(fs.getTable("main.crm.customer_features").featureNames()).contains("tenure_days");
    fs.write("main.crm.customer_features", next, WriteMode.OVERWRITE);
    assertThat(fs.read("main.crm.customer_features").load().rowCount()).isEqualTo(2);
    assertThat(fs.read("main.crm.customer_features").version(1).load().rowCount()).isEqualTo(2);
  }

  @Test
  void search_finds_tables_and_features_by_name_tag_and_description() {
    customers();
    fs.createTable("main.shop.items").primaryKeys("item_id").description("Catalogue items").tag("team", "catalog")
        .create(Schema.of(Field.of("item_id", DataType.STRING), Field.of("price", DataType.DOUBLE)));
    assertThat(fs.search("churn")).extracting(SearchHit::table).containsExactly("main.crm.customer_features");
    assertThat(fs.search("last 30 days")).extracting(SearchHit::feature).containsExactly(Optional.of("spend_30d"));
    assertThat(fs.search("catalog")).extracting(SearchHit::table).containsExactly("main.shop.items");
    assertThat(fs.search("price")).extracting(h -> h.feature().orElse("")).containsExactly("price");
    assertThat(fs.searchByTag("team", "growth")).extracting(FeatureTable::name).containsExactly("main.crm.customer_features");
    assertThat(fs.searchByTag("team", null)).hasSize(2);
    assertThat(fs.listTables()).hasSize(2);
    assertThat(fs.dropTable("main.shop.items")).isTrue();
    assertThat(fs.listTables()).extracting(FeatureTable::name).containsExactly("main.crm.customer_features");
  }

  @Test
  void lineage_answers_what_feeds_a_table_and_what_it_feeds() {
    ws.tables().create("main.raw.orders").schema(Schema.of(Field.of("id", DataType.LONG))).create()
        .append(Frame.of(Column.ofLongs("id", 1)));
    customers();
    fs.write("main.crm.customer_features", Frame.builder(CUSTOMER).row(1L, T, 1.0, 1).build(), WriteMode.MERGE,
        Lineage.Node.table("main.raw.orders"), Lineage.Node.file("/landing/orders.csv"), Lineage.Node.job("nightly-agg"));
    TrainingSet ts = fs.trainingSet(Frame.of(Column.ofLongs("customer_id", 1),
            Column.of("t", DataType.TIMESTAMP, List.of(T))))
        .lookup(FeatureLookup.table("main.crm.customer_features").lookupKey("customer_id").timestampLookupKey("t"))
        .build();
    List<Lineage.Edge> up = ws.lineage().upstream(Lineage.Node.table("main.crm.customer_features"));
    assertThat(up).extracting(e -> e.from().name()).containsExactlyInAnyOrder("main.raw.orders", "/landing/orders.csv", "nightly-agg");
    assertThat(up.stream().filter(e -> e.from().name().equals("main.raw.orders")).findFirst().orElseThrow().from().version())
        .isEqualTo(1L);
    assertThat(ws.lineage().downstream(Lineage.Node.table("main.crm.customer_features")))
        .extracting(e -> e.to().name()).containsExactly(ts.id());
    assertThat(ws.lineage().downstreamClosure(Lineage.Node.table("main.raw.orders")))
        .contains(new Lineage.Node("TRAINING_SET", ts.id(), null));
  }

  @Test
  void online_store_publishes_incrementally_and_tracks_freshness() {
    Schema s = Schema.of(Field.of("id", DataType.LONG), Field.of("v", DataType.DOUBLE));
    fs.createTable("main.t.kv").primaryKeys("id").create(Frame.builder(s).row(1L, 1.0).row(2L, 2.0).row(3L, 3.0).build());
    OnlineStore online = OnlineStore.inMemory();
    PublishResult first = fs.publish("main.t.kv", online);
    assertThat(first.full()).isTrue();
    assertThat(first.keysUpserted()).isEqualTo(3);
    assertThat(online.lookup("main.t.kv", 2L).column("v").getDouble(0)).isEqualTo(2.0);
    assertThat(online.lookup("main.t.kv", 9L).rowCount()).isZero();

    fs.write("main.t.kv", Frame.builder(s).row(2L, 20.0).row(4L, 4.0).build(), WriteMode.MERGE);
    ws.tables().get("main.t.kv").deleteKeys(Frame.of(Column.ofLongs("id", 3)));
    assertThat(online.publishedVersion("main.t.kv")).hasValue(first.toVersion());
    PublishResult next = fs.publish("main.t.kv", online);
    assertThat(next.full()).isFalse();
    assertThat(next.keysDeleted()).isEqualTo(1);
    assertThat(online.publishedVersion("main.t.kv")).hasValue(ws.tables().get("main.t.kv").version());
    Frame got = online.lookup("main.t.kv", Frame.of(Column.ofLongs("id", 1, 2, 3, 4, 5)), List.of("v"));
    assertThat(got.column("v").toList()).containsExactly(1.0, 20.0, null, 4.0, null);
    assertThat(online.size("main.t.kv")).isEqualTo(3);
    assertThat(fs.publish("main.t.kv", online).keysUpserted()).isZero();
  }

  @Test
  void online_store_holds_the_latest_row_of_a_time_series_table() {
    customers();
    fs.write("main.crm.customer_features", Frame.builder(CUSTOMER).row(1L, T, 1.0, 1).row(1L, T.plusSeconds(60), 2.0, 2)
        .row(2L, T, 5.0, 5).build(), WriteMode.MERGE);
    OnlineStore online = OnlineStore.inMemory();
    fs.publish("main.crm.customer_features", online);
    assertThat(online.lookup("main.crm.customer_features", 1L).column("spend_30d").getDouble(0)).isEqualTo(2.0);
    // deleting the latest row makes the previous one current again
    ws.tables().get("main.crm.customer_features").delete(dev.mlops.core.Filter.eq("spend_30d", 2.0));
    fs.publish("main.crm.customer_features", online);
    assertThat(online.lookup("main.crm.customer_features", 1L).column("spend_30d").getDouble(0)).isEqualTo(1.0);
    assertThat(online.size("main.crm.customer_features")).isEqualTo(2);
  }

  @Test
  void bad_input_gets_typed_errors_and_leaves_tables_unchanged() {
    customers();
    String t = "main.crm.customer_features";
    fs.write(t, Frame.builder(CUSTOMER).row(1L, T, 1.0, 1).build(), WriteMode.MERGE);
    long v = ws.tables().get(t).version();
    assertThatThrownBy(() -> fs.write(t, Frame.of(Column.ofDoubles("spend_30d", 1.0)), WriteMode.MERGE))
        .isInstanceOf(FeatureStoreException.class).hasMessageContaining("'customer_id'");
    assertThatThrownBy(() -> fs.write(t, Frame.builder(CUSTOMER).row(null, T, 1.0, 1).build(), WriteMode.MERGE))
        .isInstanceOf(KeyConstraintException.class).hasMessageContaining("'customer_id'").hasMessageContaining("row 0");
    assertThatThrownBy(() -> fs.write(t, Frame.builder(CUSTOMER).row(5L, T, 1.0, 1).row(5L, T, 2.0, 2).build(), WriteMode.OVERWRITE))
        .isInstanceOf(KeyConstraintException.class).hasMessageContaining("customer_id=5");
    assertThat(ws.tables().get(t).version()).isEqualTo(v);

    Frame spine = Frame.of(Column.ofLongs("customer_id", 1), Column.ofInts("cid_int", 1),
        Column.of("t", DataType.TIMESTAMP, java.util.Arrays.asList((Object) null)), Column.of("t2", DataType.TIMESTAMP, List.of(T)),
        Column.ofDoubles("spend_30d", 3.0));
    FeatureLookup base = FeatureLookup.table(t).lookupKey("customer_id").timestampLookupKey("t2");
    assertThatThrownBy(() -> fs.trainingSet(spine).lookup(base.lookupKey("customer_id", "t2")).build())
        .isInstanceOf(FeatureStoreException.class).hasMessageContaining("primary key has 1");
    assertThatThrownBy(() -> fs.trainingSet(spine).lookup(base.lookupKey("cid_int")).build())
        .isInstanceOf(FeatureStoreException.class).hasMessageContaining("INT").hasMessageContaining("LONG");
    assertThatThrownBy(() -> fs.trainingSet(spine).lookup(base.features("spend_90d")).build())
        .isInstanceOf(FeatureStoreException.class).hasMessageContaining("'spend_90d'").hasMessageContaining("visits_7d");
    assertThatThrownBy(() -> fs.trainingSet(spine).lookup(base).build())
        .isInstanceOf(FeatureStoreException.class).hasMessageContaining("'spend_30d'").hasMessageContaining("collides");
    assertThatThrownBy(() -> fs.trainingSet(spine.drop("spend_30d")).lookup(base).lookup(base.features("spend_30d")).build())
        .isInstanceOf(FeatureStoreException.class).hasMessageContaining("another lookup");
    // a null spine time is not an error: it matches no feature row, so its features are null (as in Databricks)
    assertThat(fs.trainingSet(spine.drop("spend_30d")).lookup(base.timestampLookupKey("t")).build().load()
        .column("spend_30d").isNull(0)).isTrue();
    assertThatThrownBy(() -> base.lookback(Duration.ofDays(-1)))
        .isInstanceOf(FeatureStoreException.class).hasMessageContaining("negative");
    ws.tables().create("main.crm.plain").schema(Schema.of(Field.of("id", DataType.LONG))).create();
    assertThatThrownBy(() -> fs.trainingSet(spine).lookup(FeatureLookup.table("main.crm.plain").lookupKey("customer_id")).build())
        .isInstanceOf(FeatureStoreException.class).hasMessageContaining("no primary key");
    assertThatThrownBy(() -> fs.getTable("main.crm.none")).isInstanceOf(TableNotFoundException.class);
    assertThatThrownBy(() -> fs.createTable("main.crm.nokey").create(CUSTOMER))
        .isInstanceOf(FeatureStoreException.class).hasMessageContaining("primary key");
    assertThat(ws.tables().exists("main.crm.nokey")).isFalse();
  }

  @Test
  void primary_keys_follow_the_one_key_rule_of_the_delta_layer() {
    // refused: the kinds KeyIndex.canBeKey refuses (not only DOUBLE, as before)
    for (dev.mlops.core.ColumnType bad : List.of(dev.mlops.core.ColumnType.of(DataType.DOUBLE),
        dev.mlops.core.ColumnType.of(DataType.FLOAT), dev.mlops.core.ColumnType.of(DataType.BINARY),
        dev.mlops.core.ColumnType.struct(Field.of("a", DataType.INT)), dev.mlops.core.ColumnType.array(DataType.LONG))) {
      Schema s = Schema.of(Field.of("k", bad), Field.of("v", DataType.DOUBLE));
      assertThatThrownBy(() -> fs.createTable("main.keys.bad").primaryKeys("k").create(s))
          .as(bad.toString()).isInstanceOf(FeatureStoreException.class)
          .hasMessageContaining("Primary key 'k'").hasMessageContaining(bad.toString())
          .hasMessageContaining(dev.mlops.core.internal.KeyIndex.KEY_KINDS);
      assertThat(ws.tables().exists("main.keys.bad")).isFalse();
    }
    // accepted: exact kinds, the new ones included
    int n = 0;
    for (dev.mlops.core.ColumnType ok : List.of(dev.mlops.core.ColumnType.of(DataType.SHORT),
        dev.mlops.core.ColumnType.of(DataType.BYTE), dev.mlops.core.ColumnType.decimal(12, 2),
        dev.mlops.core.ColumnType.of(DataType.TIMESTAMP_NTZ), dev.mlops.core.ColumnType.of(DataType.STRING))) {
      Schema s = Schema.of(Field.of("k", ok), Field.of("v", DataType.DOUBLE));
      assertThat(fs.createTable("main.keys.ok" + n++).primaryKeys("k").create(s).primaryKeys()).containsExactly("k");
    }
  }
}
