package dev.mlops.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.Column;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Frame;
import dev.mlops.core.KeyConstraintException;
import dev.mlops.core.ParquetSource;
import dev.mlops.core.Schema;
import dev.mlops.core.Workspace;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Feature tables filled from files in one call, and APPEND writes that refuse keys the table has. */
class FeatureImportTest {
  @TempDir Path dir;

  static final MessageType SCHEMA = MessageTypeParser.parseMessageType("message m { required int64 customer_id;"
      + " required int64 as_of (TIMESTAMP(MICROS,true)); optional double spend; }");
  static final long T0 = 1_767_225_600_000_000L; // 2026-01-01

  /** customers x days rows; the row (repeatCustomer, day 0) is written again at the end when asked. */
  static Path write(Path file, int customers, int days, long repeatCustomer) throws IOException {
    SimpleGroupFactory g = new SimpleGroupFactory(SCHEMA);
    try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new LocalOutputFile(file)).withType(SCHEMA)
        .withConf(new Configuration(false)).build()) {
      for (int d = 0; d < days; d++) {
        for (long c = 0; c < customers; c++) {
          w.write(g.newGroup().append("customer_id", c).append("as_of", T0 + d * 86_400_000_000L)
              .append("spend", c * 10.0 + d));
        }
      }
      if (repeatCustomer >= 0) {
        w.write(g.newGroup().append("customer_id", repeatCustomer).append("as_of", T0).append("spend", -1.0));
      }
    }
    return file;
  }

  @Test
  void create_a_time_series_feature_table_from_parquet_and_train_on_it() throws IOException {
    Path file = write(dir.resolve("f.parquet"), 500, 30, -1);
    try (Workspace ws = Workspace.open(dir.resolve("ws"))) {
      FeatureStore fs = FeatureStore.of(ws);
      FeatureTable t = fs.createTable("main.crm.spend").primaryKeys("customer_id").timestampKey("as_of")
          .createFrom(ParquetSource.of(file).batchRows(1000));
      assertThat(t.version()).isEqualTo(1);
      assertThat(t.timestampKey()).contains("as_of");
      assertThat(fs.read("main.crm.spend").load().rowCount()).isEqualTo(15_000);
      Frame spine = Frame.of(Column.ofLongs("customer_id", 7, 8),
          Column.of("t", DataType.TIMESTAMP, List.of(Instant.parse("2026-01-05T12:00:00Z"),
              Instant.parse("2025-12-31T00:00:00Z"))));
      Frame ts = fs.trainingSet(spine).lookup(FeatureLookup.table("main.crm.spend").lookupKey("customer_id")
          .timestampLookupKey("t").includeTimestamp("spend_asof")).build().load();
      assertThat(ts.column("spend").get(0)).isEqualTo(74.0);
      assertThat(ts.column("spend_asof").get(0)).isEqualTo(Instant.parse("2026-01-05T00:00:00Z"));
      assertThat(ts.column("spend").isNull(1)).isTrue();
    }
  }

  @Test
  void a_key_repeated_anywhere_in_the_file_fails_the_import_and_leaves_no_table() throws IOException {
    Path file = write(dir.resolve("dup.parquet"), 300, 10, 123);
    try (Workspace ws = Workspace.open(dir.resolve("ws"))) {
      FeatureStore fs = FeatureStore.of(ws);
      assertThatThrownBy(() -> fs.createTable("main.crm.dup").primaryKeys("customer_id").timestampKey("as_of")
          .createFrom(ParquetSource.of(file).batchRows(500)))
          .isInstanceOf(KeyConstraintException.class).hasMessageContaining("customer_id=123")
          .hasMessageContaining("row 3000");
      assertThat(ws.tables().exists("main.crm.dup")).isFalse();
    }
  }

  @Test
  void append_refuses_keys_the_table_has_and_leaves_it_unchanged() throws IOException {
    Path file = write(dir.resolve("f.parquet"), 100, 3, -1);
    try (Workspace ws = Workspace.open(dir.resolve("ws"))) {
      FeatureStore fs = FeatureStore.of(ws);
      fs.createTable("main.crm.s").primaryKeys("customer_id").timestampKey("as_of").createFrom(ParquetSource.of(file));
      Schema s = Schema.of(Field.of("customer_id", DataType.LONG), Field.of("as_of", DataType.TIMESTAMP),
          Field.of("spend", DataType.DOUBLE));
      Instant day3 = Instant.parse("2026-01-04T00:00:00Z");
      var r = fs.write("main.crm.s", Frame.builder(s).row(1L, day3, 1.0).row(2L, day3, 2.0).build(), WriteMode.APPEND);
      assertThat(r.rowsInserted()).isEqualTo(2);
      long v = fs.getTable("main.crm.s").version();
      assertThatThrownBy(() -> fs.write("main.crm.s", Frame.builder(s).row(3L, day3, 1.0)
          .row(5L, Instant.parse("2026-01-02T00:00:00Z"), 9.0).build(), WriteMode.APPEND))
          .isInstanceOf(KeyConstraintException.class).hasMessageContaining("customer_id=5")
          .hasMessageContaining("MERGE");
      assertThatThrownBy(() -> fs.write("main.crm.s", Frame.builder(s).row(3L, day3, 1.0).row(3L, day3, 2.0).build(),
          WriteMode.APPEND)).isInstanceOf(KeyConstraintException.class).hasMessageContaining("more than once");
      assertThatThrownBy(() -> fs.appendFrom("main.crm.s", ParquetSource.of(file)))
          .isInstanceOf(KeyConstraintException.class).hasMessageContaining("already in feature table");
      assertThat(fs.getTable("main.crm.s").version()).isEqualTo(v);
      assertThat(fs.read("main.crm.s").load().rowCount()).isEqualTo(302);
    }
  }
}
