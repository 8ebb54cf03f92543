package dev.mlops.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.internal.FileStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * What every {@link FileStore} must do, checked the same way on each store (local disk, HDFS, and the
 * S3 store when it exists): the operations tracking and the registry build on.
 */
final class FileStoreContract {
  private FileStoreContract() {}

  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String s(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  static void check(FileStore fs) throws Exception {
    // whole-file reads and writes
    assertThat(fs.read("m/model.json")).isEmpty();
    assertThat(fs.exists("m/model.json")).isFalse();
    fs.write("m/model.json", b("one"));
    fs.write("m/model.json", b("two"));
    assertThat(fs.read("m/model.json").map(FileStoreContract::s)).hasValue("two");
    assertThat(fs.exists("m/model.json")).isTrue();
    assertThat(fs.isDirectory("m")).isTrue();
    assertThat(fs.isDirectory("m/model.json")).isFalse();
    assertThat(fs.modifiedMillis("m/model.json")).isPresent();
    assertThat(fs.modifiedMillis("m/none")).isEmpty();

    // create-if-absent: of 8 racing threads exactly one wins, and the file holds the winner's bytes
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Callable<Boolean>> racers = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        String mine = "racer-" + i;
        racers.add(() -> {
          go.await();
          boolean won = fs.createIfAbsent("m/versions/1", b(mine));
          return won && s(fs.read("m/versions/1").orElseThrow()).equals(mine);
        });
      }
      List<Future<Boolean>> results = new ArrayList<>();
      for (Callable<Boolean> r : racers) {
        results.add(pool.submit(r));
      }
      go.countDown();
      int winners = 0;
      for (Future<Boolean> f : results) {
        winners += f.get() ? 1 : 0;
      }
      assertThat(winners).isEqualTo(1);

      // a lock excludes other threads: read-modify-write of a counter loses no increment
      fs.write("m/counter", b("0"));
      List<Callable<Void>> incs = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        incs.add(() -> {
          for (int i = 0; i < 5; i++) {
            fs.withLock("m/.lock", () -> {
              int n = Integer.parseInt(s(fs.read("m/counter").orElseThrow()));
              fs.write("m/counter", b(Integer.toString(n + 1)));
            });
          }
          return null;
        });
      }
      for (Future<Void> f : pool.invokeAll(incs)) {
        f.get();
      }
      assertThat(fs.read("m/counter").map(FileStoreContract::s)).hasValue("20");
      assertThat(fs.exists("m/.lock") && fs.localPath("").isEmpty()).as("remote lock file removed").isFalse();
    } finally {
      pool.shutdownNow();
    }

    // rename-if-absent of a directory: moves it whole; refused (and nothing moved) onto an existing one
    fs.write("staging/a/package/model.ser", b("A"));
    fs.write("staging/b/package/model.ser", b("B"));
    assertThat(fs.renameIfAbsent("staging/a", "versions/1")).isTrue();
    assertThat(fs.renameIfAbsent("staging/b", "versions/1")).isFalse();
    assertThat(fs.read("versions/1/package/model.ser").map(FileStoreContract::s)).hasValue("A");
    assertThat(fs.read("staging/b/package/model.ser").map(FileStoreContract::s)).hasValue("B");
    assertThat(fs.exists("staging/a")).isFalse();
    assertThat(fs.renameIfAbsent("staging/b", "versions/2")).isTrue();

    // listings: sorted names without hidden ones; every file below a directory with its size
    fs.write("versions/.hidden", b("h"));
    assertThat(fs.list("versions")).containsExactly("1", "2");
    assertThat(fs.list("nowhere")).isEmpty();
    assertThat(fs.files("versions")).extracting(FileStore.Entry::path)
        .containsExactlyInAnyOrder(".hidden", "1/package/model.ser", "2/package/model.ser");
    assertThat(fs.files("versions")).filteredOn(e -> e.path().equals("1/package/model.ser"))
        .extracting(FileStore.Entry::size).containsExactly(1L);
    assertThat(fs.files("nowhere")).isEmpty();

    // appends (metric histories)
    fs.append("metrics/auc.jsonl", b("{\"v\":1}\n"));
    fs.append("metrics/auc.jsonl", b("{\"v\":2}\n"));
    assertThat(fs.read("metrics/auc.jsonl").map(FileStoreContract::s)).hasValue("{\"v\":1}\n{\"v\":2}\n");

    // copies to and from local disk
    java.nio.file.Path local = Files.createTempFile("contract", ".bin");
    try {
      Files.write(local, b("artifact"));
      fs.upload(local, "artifacts/plots/roc.png");
      java.nio.file.Path back = local.resolveSibling(local.getFileName() + ".back");
      fs.download("artifacts/plots/roc.png", back);
      assertThat(Files.readString(back)).isEqualTo("artifact");
      Files.delete(back);
    } finally {
      Files.delete(local);
    }

    // deletes
    assertThat(fs.delete("m/model.json")).isTrue();
    assertThat(fs.delete("m/model.json")).isFalse();
    fs.deleteTree("versions");
    assertThat(fs.exists("versions")).isFalse();
    fs.deleteTreeQuietly("never-there");
  }
}
