package dev.mlops.core.internal.delta;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.Column;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Frame;
import dev.mlops.core.Schema;
import dev.mlops.core.TableName;
import dev.mlops.core.Workspace;
import io.delta.kernel.Scan;
import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The adapter over Kernel internals, checked against real tables: if a Kernel upgrade changes what
 * these internals do, this fails before any table is written wrongly.
 */
class KernelInternalsTest {
  @TempDir Path dir;

  private List<Row> scanFiles(Engine engine, Snapshot s) throws Exception {
    List<Row> out = new ArrayList<>();
    Scan scan = s.getScanBuilder().build();
    try (CloseableIterator<FilteredColumnarBatch> it = scan.getScanFiles(engine, true)) {
      while (it.hasNext()) {
        try (CloseableIterator<Row> rows = it.next().getRows()) {
          rows.forEachRemaining(out::add);
        }
      }
    }
    return out;
  }

  @Test
  void scan_file_helpers_see_paths_stats_partitions_and_physical_names() throws Exception {
    try (Workspace ws = Workspace.open(dir)) {
      Schema schema = Schema.of(Field.of("id", DataType.LONG), Field.of("day", DataType.STRING));
      ws.tables().create("main.k.t").schema(schema).partitionBy("day").create()
          .append(Frame.of(Column.ofLongs("id", 1, 2, 3), Column.ofStrings("day", "a", "a", "b")));
      DeltaStore store = new DeltaStore(ws.root(), dir, Map.of());
      String loc = store.location(TableName.parse("main.k.t"));
      Snapshot s = TableManager.loadSnapshot(loc).build(store.engine());
      List<Row> files = scanFiles(store.engine(), s);
      assertThat(files).hasSize(2);
      long total = 0;
      String physicalDay = s.getSchema().get("day").getMetadata().getString("delta.columnMapping.physicalName");
      assertThat(physicalDay).startsWith("col-");
      for (Row f : files) {
        total += KernelInternals.numRecords(f).orElseThrow();
        assertThat(KernelInternals.partitionValues(f)).containsKey(physicalDay);
        assertThat(Files.exists(LocalFileIO.toPath(KernelInternals.fileStatus(f).getPath()))).isTrue();
        assertThat(KernelInternals.hasDeletionVector(f)).isFalse();
        Row remove = KernelInternals.removeAction(f);
        Row removeStruct = remove.getStruct(remove.getSchema().indexOf("remove"));
        assertThat(removeStruct.getString(removeStruct.getSchema().indexOf("path"))).isEqualTo(KernelInternals.path(f));
        assertThat(removeStruct.getString(removeStruct.getSchema().indexOf("stats"))).contains("numRecords");
      }
      assertThat(total).isEqualTo(3);
      var txn = s.buildUpdateTableTransaction("test", io.delta.kernel.Operation.WRITE).build(store.engine());
      StructType physical = KernelInternals.physicalWriteSchema(txn.getTransactionState(store.engine()));
      assertThat(physical.fieldNames()).allMatch(n -> n.startsWith("col-")).hasSize(2);
      StructType read = KernelInternals.physicalReadSchema(s.getScanBuilder().build().getScanState(store.engine()));
      assertThat(read.fieldNames()).allMatch(n -> n.startsWith("col-"));
    }
  }

  @Test
  void history_reads_operations_and_row_counts_of_every_commit() {
    try (Workspace ws = Workspace.open(dir)) {
      var t = ws.tables().create("main.k.h").schema(Schema.of(Field.of("id", DataType.LONG))).create();
      t.append(Frame.of(Column.ofLongs("id", 1, 2, 3)));
      t.delete(dev.mlops.core.Filter.eq("id", 2L));
      DeltaStore store = new DeltaStore(ws.root(), dir, Map.of());
      List<KernelInternals.CommitSummary> h = KernelInternals.history(store.engine(),
          store.location(TableName.parse("main.k.h")), 0);
      assertThat(h).extracting(KernelInternals.CommitSummary::version).containsExactly(0L, 1L, 2L);
      assertThat(h.get(1).rowsAdded()).isEqualTo(3);
      assertThat(h.get(2).rowsRemoved()).isEqualTo(3); // the file holding id 2 was rewritten
      assertThat(h.get(2).rowsAdded()).isEqualTo(2);
      assertThat(h.get(2).engineInfo()).contains("op=DELETE");
    }
  }

  @Test
  void commits_invoke_checkpoint_hooks_so_the_log_stays_bounded() throws Exception {
    try (Workspace ws = Workspace.open(dir)) {
      var t = ws.tables().create("main.k.c").schema(Schema.of(Field.of("id", DataType.LONG))).create();
      for (int i = 0; i < 21; i++) {
        t.append(Frame.of(Column.ofLongs("id", i)));
      }
      Path log = dir.resolve("tables/main/k/c/_delta_log");
      assertThat(log.resolve("00000000000000000010.checkpoint.parquet")).exists();
      assertThat(log.resolve("00000000000000000020.checkpoint.parquet")).exists();
      assertThat(log.resolve("_last_checkpoint")).exists();
      assertThat(t.read().load().rowCount()).isEqualTo(21);
      // a reader starts from the checkpoint: deleting old commits still reads the table
      for (int v = 0; v < 10; v++) {
        Files.delete(log.resolve(String.format("%020d.json", v)));
      }
      assertThat(ws.tables().get("main.k.c").read().load().rowCount()).isEqualTo(21);
    }
  }
}
