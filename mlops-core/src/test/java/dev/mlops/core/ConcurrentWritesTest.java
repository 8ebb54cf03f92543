package dev.mlops.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several threads and several JVM processes write one table at once: nothing is lost, keys stay unique. */
class ConcurrentWritesTest {
  @TempDir Path dir;

  static final String TABLE = "main.stress.events";

  private void create() {
    try (Workspace ws = Workspace.open(dir)) {
      ws.tables().create(TABLE).schema(Schema.of(Field.of("id", DataType.LONG), Field.of("writer", DataType.LONG),
          Field.of("round", DataType.LONG))).create();
    }
  }

  private void verify(int writers, int rounds, List<Long> committedVersions) throws Exception {
    try (Workspace ws = Workspace.open(dir)) {
      DeltaTable t = ws.tables().get(TABLE);
      Frame all = t.read().load();
      // Keys unique: the racing upserts inserted each shared key exactly once.
      Set<Long> ids = new HashSet<>();
      for (int i = 0; i < all.rowCount(); i++) {
        assertThat(ids.add(all.column("id").getLong(i))).as("key %s appears twice", all.column("id").getLong(i)).isTrue();
      }
      int shared = rounds * ConcurrentWriter.SHARED_KEYS_PER_ROUND;
      int appended = writers * rounds * ConcurrentWriter.APPEND_ROWS;
      assertThat(all.rowCount()).isEqualTo(shared + appended);
      for (long k = 0; k < shared; k++) {
        assertThat(ids).contains(k);
      }
      for (int w = 0; w < writers; w++) {
        for (long k = 0; k < rounds * ConcurrentWriter.APPEND_ROWS; k++) {
          assertThat(ids).contains(1_000_000L * (w + 1) + k);
        }
      }
      // No commit lost: every version a writer was told about exists, once, and versions are contiguous.
      assertThat(committedVersions).doesNotHaveDuplicates().hasSize(writers * rounds * 2);
      long latest = t.version();
      assertThat(latest).isEqualTo(writers * rounds * 2L);
      assertThat(new HashSet<>(committedVersions)).isEqualTo(
          Stream.iterate(1L, v -> v + 1).limit(latest).collect(java.util.stream.Collectors.toSet()));
      assertThat(t.history()).hasSize((int) latest + 1);
      // Checkpoints were written by the post-commit hooks (every 10 commits by default).
      try (Stream<Path> s = Files.list(dir.resolve("tables/main/stress/events/_delta_log"))) {
        assertThat(s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".checkpoint.parquet")).count())
            .isGreaterThanOrEqualTo(latest / 10 - 1);
      }
    }
  }

  @Test
  void eight_threads_upserting_and_appending_lose_nothing_and_keep_keys_unique() throws Exception {
    create();
    int writers = 8;
    int rounds = 4;
    ConcurrentLinkedQueue<Long> versions = new ConcurrentLinkedQueue<>();
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    CountDownLatch start = new CountDownLatch(1);
    try (Workspace ws = Workspace.open(dir)) {
      List<Future<?>> fs = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int id = w;
        fs.add(pool.submit(() -> {
          start.await();
          ConcurrentWriter.run(ws, TABLE, id, rounds, versions::add);
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : fs) {
        f.get(5, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
    verify(writers, rounds, new ArrayList<>(versions));
  }

  @Test
  void three_jvm_processes_upserting_and_appending_lose_nothing_and_keep_keys_unique() throws Exception {
    create();
    int writers = 3;
    int rounds = 5;
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<Process> procs = new ArrayList<>();
    List<Path> outs = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      Path out = dir.resolve("writer-" + w + ".out");
      outs.add(out);
      procs.add(new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
          ConcurrentWriter.class.getName(), dir.toString(), TABLE, String.valueOf(w), String.valueOf(rounds))
          .redirectErrorStream(true).redirectOutput(out.toFile()).start());
    }
    List<Long> versions = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      assertThat(procs.get(w).waitFor(5, TimeUnit.MINUTES)).as("writer %s finished", w).isTrue();
      String text = Files.readString(outs.get(w), StandardCharsets.UTF_8);
      assertThat(procs.get(w).exitValue()).as("writer %s exit; output:%n%s", w, text).isZero();
      for (String line : text.split("\\R")) {
        if (line.startsWith("committed ")) {
          versions.add(Long.parseLong(line.substring(10).trim()));
        }
      }
    }
    verify(writers, rounds, versions);
  }
}
