package dev.mlops.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.Column;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Frame;
import dev.mlops.core.Lineage;
import dev.mlops.core.Schema;
import dev.mlops.core.SchemaMismatchException;
import dev.mlops.core.Workspace;
import dev.mlops.core.internal.delta.LogLoads;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Feature writes are one commit each, read one snapshot, and record lineage once. */
class FeatureStoreWriteTest {
  @TempDir Path dir;
  Workspace ws;
  FeatureStore fs;
  static final String T = "main.crm.f";

  @BeforeEach
  void open() {
    ws = Workspace.open(dir);
    fs = FeatureStore.of(ws);
    fs.createTable(T).primaryKeys("id").create(Frame.of(Column.ofLongs("id", 1, 2), Column.ofDoubles("f1", 1, 2),
        Column.ofDoubles("f2", 10, 20)));
  }

  @AfterEach
  void close() {
    ws.close();
  }

  private static long loads(Runnable r) {
    long before = LogLoads.onThisThread();
    r.run();
    return LogLoads.onThisThread() - before;
  }

  @Test
  void a_merge_adding_f3_but_lacking_f2_changes_neither_schema_nor_data() {
    long v = ws.tables().get(T).version();
    assertThatThrownBy(() -> fs.write(T, Frame.of(Column.ofLongs("id", 3), Column.ofDoubles("f1", 3),
        Column.ofDoubles("f3", 0.3)), WriteMode.MERGE))
        .isInstanceOf(SchemaMismatchException.class).hasMessageContaining("f2").hasMessageContaining("Nothing was written");
    assertThat(ws.tables().get(T).version()).isEqualTo(v);
    assertThat(ws.tables().get(T).schema().names()).containsExactly("id", "f1", "f2");
  }

  @Test
  void a_merge_adding_a_column_is_one_commit() {
    long v = ws.tables().get(T).version();
    fs.write(T, Frame.of(Column.ofLongs("id", 2, 3), Column.ofDoubles("f1", 2, 3), Column.ofDoubles("f2", 20, 30),
        Column.ofDoubles("f3", 0.2, 0.3)), WriteMode.MERGE);
    assertThat(ws.tables().get(T).version()).isEqualTo(v + 1);
    Frame all = fs.read(T).load();
    assertThat(all.schema().names()).containsExactly("id", "f1", "f2", "f3");
    assertThat(all.rowCount()).isEqualTo(3);
    assertThat(fs.getTable(T).featureNames()).containsExactly("f1", "f2", "f3");
  }

  @Test
  void get_table_and_read_load_the_log_once_and_write_at_most_twice() {
    assertThat(loads(() -> fs.getTable(T))).isEqualTo(1);
    assertThat(loads(() -> fs.read(T).load())).isEqualTo(1);
    assertThat(loads(() -> fs.write(T, Frame.of(Column.ofLongs("id", 5), Column.ofDoubles("f1", 5),
        Column.ofDoubles("f2", 50)), WriteMode.MERGE))).isLessThanOrEqualTo(2);
    assertThat(loads(() -> fs.write(T, Frame.of(Column.ofLongs("id", 6), Column.ofDoubles("f1", 6),
        Column.ofDoubles("f2", 60), Column.ofDoubles("f9", 0.6)), WriteMode.MERGE))).isLessThanOrEqualTo(2);
    assertThat(loads(() -> fs.write(T, Frame.of(Column.ofLongs("id", 7), Column.ofDoubles("f1", 7),
        Column.ofDoubles("f2", 70), Column.ofDoubles("f9", 0.7)), WriteMode.OVERWRITE))).isLessThanOrEqualTo(2);
  }

  @Test
  void a_write_records_its_sources_in_its_own_commit_and_in_the_lineage_table() {
    ws.tables().create("main.raw.orders").schema(Schema.of(Field.of("id", DataType.LONG))).create();
    var r = fs.write(T, Frame.of(Column.ofLongs("id", 9), Column.ofDoubles("f1", 9), Column.ofDoubles("f2", 90)),
        WriteMode.MERGE, Lineage.Node.table("main.raw.orders"));
    assertThat(ws.tables().get(T).history().get(0).tags()).containsEntry(Lineage.TAG_SOURCES, "TABLE:main.raw.orders@0");
    assertThat(ws.lineage().upstream(Lineage.Node.table(T, r.version()))).extracting(e -> e.from())
        .containsExactly(Lineage.Node.table("main.raw.orders", 0));
  }

  @Test
  void building_the_same_training_set_twice_records_its_lineage_once() {
    Frame spine = Frame.of(Column.ofLongs("id", 1, 2), Column.ofLongs("label", 0, 1));
    TrainingSet a = fs.trainingSet(spine).lookup(FeatureLookup.table(T).lookupKey("id")).label("label").build();
    long v = ws.tables().get(Lineage.TABLE).version();
    int edges = ws.lineage().edges().size();
    TrainingSet b = fs.trainingSet(spine).lookup(FeatureLookup.table(T).lookupKey("id")).label("label").build();
    assertThat(b.id()).isEqualTo(a.id());
    assertThat(ws.lineage().edges()).hasSize(edges);
    assertThat(ws.tables().get(Lineage.TABLE).version()).isEqualTo(v);
  }
}
