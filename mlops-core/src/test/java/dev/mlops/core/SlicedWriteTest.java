package dev.mlops.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A write large enough to be cut into slices (one per core, each a row range of the same column
 * arrays, not a copy) lands every row exactly once with its own values, through the SDK's columnar
 * writer (flat columns) and Kernel's writer (a nested column), and each file's statistics are its
 * own rows' (data skipping finds the row in the second slice).
 */
class SlicedWriteTest {
  @TempDir Path dir;
  Workspace ws;

  @BeforeEach
  void open() {
    ws = Workspace.open(dir);
  }

  @AfterEach
  void close() {
    ws.close();
  }

  private static Frame rows(int n, boolean nested) {
    long[] id = new long[n];
    double[] v = new double[n];
    boolean[] vNull = new boolean[n];
    String[] s = new String[n];
    List<Object> arr = new ArrayList<>();
    SplittableRandom r = new SplittableRandom(3);
    for (int i = 0; i < n; i++) {
      id[i] = i;
      v[i] = r.nextDouble();
      vNull[i] = i % 97 == 0;
      s[i] = i % 89 == 0 ? null : "s" + (i % 1000);
      if (nested) {
        arr.add(i % 13 == 0 ? null : List.of((long) i, (long) -i));
      }
    }
    List<Column> cols = new ArrayList<>(List.of(Column.ofLongs("id", id), Column.ofDoubles("v", v, vNull),
        Column.ofStrings("s", s)));
    if (nested) {
      cols.add(Column.of("a", ColumnType.array(DataType.LONG), arr));
    }
    return Frame.of(cols);
  }

  private static void sameRows(Frame in, Frame out) {
    assertThat(out.rowCount()).isEqualTo(in.rowCount());
    int[] order = new int[out.rowCount()];
    for (int i = 0; i < order.length; i++) {
      order[(int) out.column("id").getLong(i)] = i;
    }
    assertThat(out.take(order)).isEqualTo(in);
  }

  @Test
  void flat_columns_written_as_slices_read_back_row_by_row() {
    Frame in = rows(600_001, false);
    DeltaTable t = ws.tables().create("main.s.flat").schema(in.schema()).create();
    CommitResult c = t.append(in);
    assertThat(c.filesAdded()).isGreaterThanOrEqualTo(2);
    sameRows(in, t.read().load());
    // the second slice's file holds rows from the middle on: its statistics say so
    Frame hit = t.read().filter(Filter.eq("id", 599_999L)).load();
    assertThat(hit.rowCount()).isEqualTo(1);
    assertThat(hit.column("s").get(0)).isEqualTo("s999");
  }

  @Test
  void a_nested_column_goes_through_kernels_writer_with_the_slices_row_ranges() {
    Frame in = rows(520_000, true);
    DeltaTable t = ws.tables().create("main.s.nested").schema(in.schema()).create();
    CommitResult c = t.append(in);
    assertThat(c.filesAdded()).isGreaterThanOrEqualTo(2);
    sameRows(in, t.read().load());
  }
}
