package dev.mlops.benchmarks.delta;

import dev.mlops.benchmarks.Bench;
import dev.mlops.core.DeltaTable;
import dev.mlops.core.Frame;
import dev.mlops.core.Workspace;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Repeats one SDK operation of {@link DeltaTableBenchmark} so that a sampling profiler sees only it.
 * Not part of RunAll. Usage (JFR):
 *
 * <pre>
 * java -XX:StartFlightRecording=filename=append.jfr,settings=profile -cp ... \
 *   dev.mlops.benchmarks.delta.DeltaProfile append 5
 * jfr print --events jdk.ExecutionSample append.jfr   (or, with JDK 21+: jfr view hot-methods append.jfr)
 * </pre>
 *
 * Phases: append, read, upsert (keys spread over all files), commits (1-row appends; the count is
 * the number of commits).
 */
public final class DeltaProfile {
  private DeltaProfile() {}

  public static void main(String[] args) throws Exception {
    String phase = args.length > 0 ? args[0] : "append";
    int times = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int rows = 1_000_000;
    Path root = Bench.tempDir("mlops-profile-");
    try (Workspace ws = Workspace.open(root)) {
      BenchRows data = BenchRows.sequential(0, rows, 42);
      Frame all = data.frame();
      long t0 = System.nanoTime();
      switch (phase) {
        case "append":
          for (int i = 0; i < times; i++) {
            ws.tables().drop("main.p.t");
            ws.tables().create("main.p.t").schema(BenchRows.SCHEMA).create().append(all);
          }
          break;
        case "read": {
          DeltaTable t = ws.tables().create("main.p.t").schema(BenchRows.SCHEMA).create();
          t.append(all);
          t0 = System.nanoTime();
          for (int i = 0; i < times; i++) {
            t.read().load();
          }
          break;
        }
        case "upsert": {
          List<Frame> slices = new ArrayList<>();
          for (int i = 0; i < 10; i++) {
            slices.add(data.frame(i * rows / 10, (i + 1) * rows / 10));
          }
          long[] ids = new long[rows / 10];
          for (int i = 0; i < ids.length / 2; i++) {
            ids[i] = i * 20L + 3;
            ids[ids.length / 2 + i] = rows + i;
          }
          Frame up = new BenchRows(ids, 99).frame();
          for (int i = 0; i < times; i++) {
            ws.tables().drop("main.p.t");
            DeltaTable t = ws.tables().create("main.p.t").schema(BenchRows.SCHEMA).create();
            for (Frame f : slices) {
              t.append(f);
            }
            t.upsert(up, "id");
          }
          break;
        }
        case "commits": {
          DeltaTable t = ws.tables().create("main.p.t").schema(BenchRows.SCHEMA).create();
          for (int i = 0; i < times; i++) {
            t.append(BenchRows.oneRow(i, 5));
          }
          break;
        }
        default:
          throw new IllegalArgumentException("phase: append | read | upsert | commits");
      }
      Bench.progress("%s x %d: %.2f s", phase, times, (System.nanoTime() - t0) / 1e9);
    } finally {
      Bench.deleteTree(root);
    }
  }
}
