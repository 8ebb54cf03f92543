package dev.mlops.models;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.Workspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several JVMs sharing one registry: version numbers stay contiguous and unique, and nothing is lost. */
class MultiProcessRegistryTest {
  static final String NAME = "main.ml.shared";

  @TempDir Path dir;

  @Test
  void eight_processes_registering_at_once_get_contiguous_unique_versions() throws Exception {
    concurrentRegistrations(8, 5);
  }

  @Test
  @Tag("stress")
  void eight_processes_registering_many_versions_at_once() throws Exception {
    concurrentRegistrations(8, 40);
  }

  private void concurrentRegistrations(int processes, int each) throws Exception {
    Path ws = dir.resolve("ws");
    Path go = dir.resolve("go");
    List<ChildJvm> children = new ArrayList<>();
    try {
      for (int p = 0; p < processes; p++) {
        children.add(new ChildJvm("register", ws.toString(), NAME, Integer.toString(each), "w" + p, go.toString()));
      }
      for (ChildJvm c : children) {
        c.await("started", 60);
      }
      Files.createFile(go); // all start registering together
      List<Integer> printed = new ArrayList<>();
      for (ChildJvm c : children) {
        assertThat(c.waitFor(120)).as(String.join("\n", c.output())).isZero();
        c.output().stream().filter(l -> l.startsWith("v=")).map(l -> Integer.parseInt(l.substring(2)))
            .forEach(printed::add);
      }
      int total = processes * each;
      assertThat(printed).hasSize(total).doesNotHaveDuplicates();
      assertThat(new HashSet<>(printed)).isEqualTo(IntStream.rangeClosed(1, total).boxed().collect(Collectors.toSet()));

      ModelRegistry registry = ModelRegistry.of(Workspace.open(ws));
      List<ModelVersion> versions = registry.listVersions(NAME);
      assertThat(versions).extracting(ModelVersion::version)
          .isEqualTo(IntStream.rangeClosed(1, total).boxed().collect(Collectors.toList()));
      Set<String> written = new HashSet<>();
      for (ModelVersion v : versions) {
        PackageDescriptor d = registry.load(v.uri()).descriptor();
        written.add(d.hyperparameters().get("writer") + "/" + d.hyperparameters().get("i"));
      }
      assertThat(written).hasSize(total); // every registration landed, none overwrote another
    } finally {
      children.forEach(ChildJvm::close);
    }
  }
}
