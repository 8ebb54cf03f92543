package dev.mlops.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

  @TempDir Path dir;

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private List<Path> leftovers() throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
    }
  }

  @Test
  void write_creates_the_file_and_its_directories() throws IOException {
    Path p = dir.resolve("a/b/meta.json");

    AtomicFiles.write(p, utf8("{}"));

    assertThat(Files.readString(p)).isEqualTo("{}");
    assertThat(leftovers()).isEmpty();
  }

  @Test
  void write_replaces_the_whole_file() throws IOException {
    Path p = dir.resolve("meta.json");
    AtomicFiles.write(p, utf8("a much longer first content"));

    AtomicFiles.write(p, utf8("short"));

    assertThat(Files.readString(p)).isEqualTo("short");
    assertThat(leftovers()).isEmpty();
  }

  @Test
  void createIfAbsent_creates_once_and_keeps_the_first_content() throws IOException {
    Path p = dir.resolve("00001.json");

    assertThat(AtomicFiles.createIfAbsent(p, utf8("first"))).isTrue();
    assertThat(AtomicFiles.createIfAbsent(p, utf8("second"))).isFalse();

    assertThat(Files.readString(p)).isEqualTo("first");
    assertThat(leftovers()).isEmpty();
  }

  @Test
  void concurrent_createIfAbsent_has_exactly_one_winner() throws Exception {
    for (int round = 0; round < 20; round++) {
      Path p = dir.resolve("commit-" + round + ".json");
      int threads = 8;
      CountDownLatch start = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<Boolean>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          String content = "writer " + t;
          results.add(pool.submit(() -> {
            start.await();
            return AtomicFiles.createIfAbsent(p, utf8(content));
          }));
        }
        start.countDown();
        List<Integer> winners = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          if (results.get(t).get()) {
            winners.add(t);
          }
        }

        assertThat(winners).as("round " + round).hasSize(1);
        assertThat(Files.readString(p)).isEqualTo("writer " + winners.get(0));
      } finally {
        pool.shutdownNow();
      }
    }
    assertThat(leftovers()).isEmpty();
  }

  @Test
  void deleteQuietly_ignores_a_missing_file() {
    AtomicFiles.deleteQuietly(dir.resolve("nope"));

    assertThat(dir.resolve("nope")).doesNotExist();
  }
}
