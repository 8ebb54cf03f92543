package dev.mlops.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.DataType;
import dev.mlops.core.DeltaTable;
import dev.mlops.core.Field;
import dev.mlops.core.Frame;
import dev.mlops.core.Column;
import dev.mlops.core.Schema;
import dev.mlops.core.Workspace;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PacingTest {

  /** Spins for {@code millis} of work, passing a point every ~0.3 ms; returns the wall time taken. */
  private static long spin(long millis) {
    long start = System.nanoTime();
    long worked = 0;
    while (worked < TimeUnit.MILLISECONDS.toNanos(millis)) {
      long t = System.nanoTime();
      while (System.nanoTime() - t < 300_000) {
        Thread.onSpinWait();
      }
      worked += System.nanoTime() - t;
      Pacing.point();
    }
    return System.nanoTime() - start;
  }

  @Test
  void paced_work_parks_so_that_it_takes_at_most_its_share_of_the_cpu() {
    long[] parked = new long[1];
    long wall = Pacing.run(0.25, () -> {
      long w = spin(40);
      parked[0] = Pacing.parkedNanos();
      return w;
    });
    // at a quarter of a CPU, 40 ms of work parks ~120 ms in total (wall time also counts preemptions)
    assertThat(parked[0]).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(100));
    assertThat(wall).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(140));
    assertThat(Pacing.parkedNanos()).isZero(); // outside run(), nothing is paced
  }

  @Test
  void points_outside_paced_work_and_at_a_full_share_never_park() {
    spin(20);
    assertThat(Pacing.parkedNanos()).isZero();
    long parked = Pacing.run(1.0, () -> {
      spin(20);
      return Pacing.parkedNanos();
    });
    assertThat(parked).isZero();
  }

  @Test
  void nested_paced_work_restores_the_outer_pace_and_shares_are_checked() {
    long outerParked = Pacing.run(0.5, () -> {
      Pacing.run(1.0, () -> spin(5));
      spin(10);
      return Pacing.parkedNanos();
    });
    assertThat(outerParked).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(7));
    assertThatThrownBy(() -> Pacing.run(0, () -> null)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("share must be above 0");
    assertThatThrownBy(() -> Pacing.run(1.5, () -> null)).isInstanceOf(IllegalArgumentException.class);
  }

  @TempDir
  Path dir;

  /**
   * A paced append leaves the CPU between Kernel's steps too, not only between Parquet pages: building
   * the transaction, writing the data files, committing and the post-commit hooks were each several
   * milliseconds of work with no point inside, during which the scoring server's event loop waited.
   */
  @Test
  void a_paced_append_passes_points_between_kernels_steps() {
    try (Workspace ws = Workspace.open(dir)) {
      DeltaTable t = ws.tables().create("main.logs.events")
          .schema(Schema.of(Field.of("id", DataType.LONG), Field.of("body", DataType.STRING))).create();
      Frame rows = Frame.of(Column.ofLongs("id", 1, 2, 3), Column.ofStrings("body", "a", "b", "c"));
      List<String> sites = new ArrayList<>();
      Pacing.onPoint = () -> sites.add(StackWalker.getInstance().walk(f -> f.skip(3).findFirst()).map(
          f -> f.getClassName().substring(f.getClassName().lastIndexOf('.') + 1).replaceAll("\\$.*", "") + "."
              + f.getMethodName().replaceAll("^lambda\\$(\\w+)\\$.*", "$1")).orElse("?"));
      long points;
      try {
        points = Pacing.run(0.9, () -> {
          t.append(rows);
          return Pacing.points();
        });
      } finally {
        Pacing.onPoint = null;
      }
      assertThat(points).isEqualTo(sites.size());
      // transaction built, its state read, the data written, committed: four points of the commit loop,
      // and the write context and the file's footer in between
      assertThat(sites.stream().filter("CommitLoop.write"::equals).count()).isGreaterThanOrEqualTo(4);
      assertThat(sites).contains("TableFiles.writeData", "ColumnarParquetWriter.write",
          "ColumnarParquetWriter.writeRowGroup");
      // after the data files: points inside Kernel's commit (around and within its log file), then after it
      int files = sites.lastIndexOf("ColumnarParquetWriter.write");
      List<String> rest = sites.subList(files, sites.size());
      int logFile = rest.indexOf("SdkEngine.writeJsonFileAtomically");
      int committed = rest.subList(Math.max(logFile, 0), rest.size()).indexOf("CommitLoop.write");
      assertThat(logFile).isPositive();
      assertThat(committed).isPositive();
      // before the log file, per action in it (commit info, add file), after it; then after the commit
      assertThat(rest.subList(logFile, logFile + committed)).hasSizeGreaterThanOrEqualTo(3)
          .containsOnly("SdkEngine.writeJsonFileAtomically");
      assertThat(ws.tables().get("main.logs.events").read().load().rowCount()).isEqualTo(3);
    }
  }
}
