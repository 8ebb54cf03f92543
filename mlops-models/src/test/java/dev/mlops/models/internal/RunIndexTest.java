package dev.mlops.models.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunIndexTest {
  @TempDir Path dir;

  @Test
  void compaction_stores_shared_provenance_tags_once_and_reads_every_summary_back_equal() throws Exception {
    RunIndex index = new RunIndex(dir);
    Map<String, RunSummary> written = new HashMap<>();
    for (int i = 0; i < 300; i++) {
      Map<String, String> tags = new HashMap<>(Map.of("mlops.git.commit", i % 2 == 0 ? "abc" : "def",
          "mlops.host", "h1", "mlops.java.version", "17"));
      if (i % 3 == 0) {
        tags.put("team", "t" + i);
      }
      RunSummary s = new RunSummary("run" + i, "exp", "r" + i, "FINISHED", 1000L + i, 2000L + i, null,
          Map.of("p", String.valueOf(i)), Map.of(), tags, 1);
      index.add(s);
      written.put(s.id(), s);
    }
    index.compact();
    List<Path> segments;
    try (Stream<Path> s = Files.list(dir)) {
      segments = s.filter(p -> p.getFileName().toString().startsWith("m-")).toList();
    }
    assertThat(segments).isNotEmpty();
    String text = Files.readString(segments.get(0));
    // two distinct provenance sets, written once each in the header, not once per run
    assertThat(text.split("\"mlops.host\"", -1).length - 1).isEqualTo(2);
    Map<String, RunSummary> read = new RunIndex(dir).load();
    assertThat(read).isEqualTo(written);
  }
}
