package dev.mlops.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.Workspace;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local store keeps the on-disk layout the SDK had: plain files at the relative paths. */
class LocalFileStoreTest {

  @TempDir Path dir;

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void files_land_at_their_relative_paths_under_the_root() throws Exception {
    LocalFileStore fs = new LocalFileStore(dir);
    fs.write("registry/main/ml/churn/model.json", utf8("{}"));
    fs.append("experiments/e/runs/r/metrics/auc.jsonl", utf8("{\"v\":1}\n"));
    fs.append("experiments/e/runs/r/metrics/auc.jsonl", utf8("{\"v\":2}\n"));
    assertThat(Files.readString(dir.resolve("registry/main/ml/churn/model.json"))).isEqualTo("{}");
    assertThat(Files.readString(dir.resolve("experiments/e/runs/r/metrics/auc.jsonl"))).isEqualTo("{\"v\":1}\n{\"v\":2}\n");
    assertThat(fs.sub("registry/main").read("ml/churn/model.json")).isPresent();
    assertThat(fs.localPath("registry")).hasValue(dir.resolve("registry"));
  }

  @Test
  void create_if_absent_has_one_winner_among_racing_threads() throws Exception {
    LocalFileStore fs = new LocalFileStore(dir);
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        byte[] mine = utf8("t" + i);
        results.add(pool.submit(() -> {
          go.await();
          return fs.createIfAbsent("params/seed", mine);
        }));
      }
      go.countDown();
      int winners = 0;
      for (Future<Boolean> f : results) {
        winners += f.get() ? 1 : 0;
      }
      assertThat(winners).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void rename_if_absent_refuses_an_existing_target_for_files_and_directories() throws Exception {
    LocalFileStore fs = new LocalFileStore(dir);
    fs.write("staging/a/version.json", utf8("a"));
    fs.write("staging/b/version.json", utf8("b"));
    assertThat(fs.renameIfAbsent("staging/a", "versions/1")).isTrue();
    assertThat(fs.renameIfAbsent("staging/b", "versions/1")).isFalse();
    assertThat(Files.readString(dir.resolve("versions/1/version.json"))).isEqualTo("a");
    fs.write("x", utf8("x"));
    fs.write("y", utf8("y"));
    assertThat(fs.renameIfAbsent("x", "y")).isFalse(); // a plain move would have replaced y
    assertThat(Files.readString(dir.resolve("y"))).isEqualTo("y");
    assertThat(fs.renameIfAbsent("x", "z")).isTrue();
    assertThat(fs.exists("x")).isFalse();
  }

  @Test
  void listings_hide_dot_names_and_paths_cannot_leave_the_root() throws Exception {
    LocalFileStore fs = new LocalFileStore(dir);
    fs.write("v/2", utf8("2"));
    fs.write("v/10", utf8("10"));
    fs.write("v/.lock", utf8(""));
    assertThat(fs.list("v")).containsExactly("10", "2");
    assertThat(fs.files("v")).extracting(FileStore.Entry::path).containsExactlyInAnyOrder("2", "10", ".lock");
    assertThat(fs.list("missing")).isEmpty();
    assertThatThrownBy(() -> fs.read("../outside")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void a_workspace_hands_its_store_to_the_modules() {
    try (Workspace ws = Workspace.open(dir.resolve("ws"))) {
      FileStore reg = FileStores.dir(ws, "registry");
      assertThat(reg.localPath("")).hasValue(dir.resolve("ws/registry").toAbsolutePath().normalize());
      assertThat(Files.isDirectory(dir.resolve("ws/registry"))).isTrue();
      assertThatThrownBy(() -> FileStores.register(ws, reg)).isInstanceOf(IllegalStateException.class);
    }
  }
}
