package dev.mlops.core.internal.delta;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.ColumnType;
import dev.mlops.core.DataType;
import dev.mlops.core.DeltaTable;
import dev.mlops.core.Field;
import dev.mlops.core.Schema;
import dev.mlops.core.TableName;
import dev.mlops.core.Workspace;
import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Columns the SDK creates get Spark's kind of physical name and a fresh id. */
class PhysicalNamesTest {
  @TempDir Path dir;
  Workspace ws;
  DeltaStore store;

  @BeforeEach
  void open() {
    ws = Workspace.open(dir);
    store = new DeltaStore(ws.root(), dir, Map.of());
  }

  @AfterEach
  void close() {
    ws.close();
  }

  private Snapshot snapshot(String table) {
    return TableManager.loadSnapshot(store.location(TableName.parse(table))).build(store.engine());
  }

  private static void collect(StructType s, List<String> names, List<Long> ids) {
    for (StructField f : s.fields()) {
      names.add(f.getMetadata().getString("delta.columnMapping.physicalName"));
      ids.add(f.getMetadata().getLong("delta.columnMapping.id"));
      if (f.getDataType() instanceof StructType st) {
        collect(st, names, ids);
      }
    }
  }

  @Test
  void created_and_added_columns_get_unique_col_uuid_names_and_ids_up_to_max_column_id() {
    DeltaTable t = ws.tables().create("main.p.t").schema(Schema.of(Field.of("id", DataType.LONG),
        Field.of("s", ColumnType.struct(Field.of("a", DataType.INT))))).create();
    t.addColumns(Field.of("x", DataType.STRING), Field.of("w", ColumnType.struct(Field.of("b", DataType.INT))));
    Snapshot s = snapshot("main.p.t");
    List<String> names = new java.util.ArrayList<>();
    List<Long> ids = new java.util.ArrayList<>();
    collect(s.getSchema(), names, ids);
    assertThat(names).hasSize(6).allMatch(n -> n.matches("col-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"));
    assertThat(new HashSet<>(names)).hasSize(6);
    Set<Long> unique = new HashSet<>(ids);
    assertThat(unique).hasSize(6);
    long max = Long.parseLong(s.getTableProperties().get("delta.columnMapping.maxColumnId"));
    assertThat(max).isEqualTo(ids.stream().mapToLong(Long::longValue).max().getAsLong());
  }

  @Test
  void column_mapping_id_tables_get_parquet_field_ids_spark_can_read_by() throws Exception {
    Schema schema = Schema.of(Field.of("id", DataType.LONG),
        Field.of("s", ColumnType.struct(Field.of("a", DataType.INT), Field.of("b", DataType.STRING))));
    DeltaTable t = ws.tables().create("main.p.ids").schema(schema).property("delta.columnMapping.mode", "id").create();
    dev.mlops.core.Frame in = dev.mlops.core.Frame.builder(schema).row(1L, Map.of("a", 1, "b", "x")).build();
    t.append(in);
    assertThat(t.read().load()).isEqualTo(in);
    Snapshot s = snapshot("main.p.ids");
    StructType delta = s.getSchema();
    Path file;
    try (var w = java.nio.file.Files.walk(dir)) {
      file = w.filter(p -> p.toString().endsWith(".parquet") && !p.toString().contains("_delta_log")).findFirst()
          .orElseThrow();
    }
    org.apache.parquet.schema.MessageType parquet;
    try (var r = org.apache.parquet.hadoop.ParquetFileReader.open(new org.apache.parquet.io.LocalInputFile(file))) {
      parquet = r.getFooter().getFileMetaData().getSchema();
    }
    StructField id = delta.get("id");
    StructField st = delta.get("s");
    StructField a = ((StructType) st.getDataType()).get("a");
    org.apache.parquet.schema.Type pid = parquet.getType(id.getMetadata().getString(WriteProtocol.PHYSICAL_NAME));
    org.apache.parquet.schema.GroupType ps = parquet.getType(st.getMetadata().getString(WriteProtocol.PHYSICAL_NAME))
        .asGroupType();
    assertThat(pid.getId()).isNotNull();
    assertThat((long) pid.getId().intValue()).isEqualTo(id.getMetadata().getLong(WriteProtocol.COLUMN_ID));
    assertThat((long) ps.getId().intValue()).isEqualTo(st.getMetadata().getLong(WriteProtocol.COLUMN_ID));
    assertThat((long) ps.getType(a.getMetadata().getString(WriteProtocol.PHYSICAL_NAME)).getId().intValue())
        .isEqualTo(a.getMetadata().getLong(WriteProtocol.COLUMN_ID));
  }
}
