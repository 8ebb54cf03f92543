package dev.mlops.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.Workspace;
import dev.mlops.core.internal.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every JSON file of the registry and of a run carries a formatVersion; a file of a newer format is
 * refused with an exception naming the file (and nothing is changed); a file without one (0.1.0, see
 * GoldenFilesTest) is read as version 1.
 */
class FormatVersionTest {
  static final String M = "main.ml.fmt";

  @TempDir Path dir;
  Workspace ws;
  ModelRegistry registry;
  Tracking tracking;
  String runId;

  @BeforeEach
  void setUp() {
    ws = Workspace.open(dir);
    registry = ModelRegistry.of(ws);
    tracking = Tracking.of(ws);
    try (Run run = tracking.experiment("fmt").start("r")) {
      run.setTag("team", "risk");
      run.logModel("model", TestModels.placeholderPackage(1));
      runId = run.id();
      registry.register(M, run.artifactUri("model"));
    }
    registry.setAlias(M, "champion", 1);
  }

  Path modelDir() {
    return dir.resolve("registry/main/ml/fmt");
  }

  Path runDir() {
    return dir.resolve("experiments/fmt/runs").resolve(runId);
  }

  @Test
  void every_file_written_carries_its_format_version() throws IOException {
    assertThat(version(modelDir().resolve("model.json"))).isEqualTo(1);
    assertThat(version(modelDir().resolve("versions/1/version.json"))).isEqualTo(1);
    assertThat(version(modelDir().resolve("aliases.json"))).isEqualTo(2);
    assertThat(tree(modelDir().resolve("aliases.json")).path("aliases").path("champion").asInt()).isEqualTo(1);
    assertThat(version(runDir().resolve("meta.json"))).isEqualTo(1);
    assertThat(version(runDir().resolve("tags.json"))).isEqualTo(2);
    assertThat(tree(runDir().resolve("tags.json")).path("tags").path("team").asText()).isEqualTo("risk");
    assertThat(version(dir.resolve("experiments/fmt/meta.json"))).isEqualTo(1);
  }

  @Test
  void a_newer_version_json_is_refused_naming_the_file_and_nothing_changes() throws IOException {
    Path f = modelDir().resolve("versions/1/version.json");
    bump(f, 2);
    String before = Files.readString(f);
    UnsupportedFormatException e = refused(() -> registry.getVersion(M, 1));
    assertThat(e.file()).isEqualTo(f);
    assertThat(e.formatVersion()).isEqualTo(2);
    assertThat(e.supported()).isEqualTo(1);
    assertThat(e).hasMessageContaining(f.toString()).hasMessageContaining("formatVersion 2")
        .hasMessageContaining("Upgrade the SDK");
    refused(() -> registry.setVersionTag(M, 1, "k", "v"));
    assertThat(Files.readString(f)).isEqualTo(before);
  }

  @Test
  void a_newer_model_json_aliases_json_run_meta_or_tags_is_refused_naming_the_file() throws IOException {
    Map<Path, Runnable> readers = new LinkedHashMap<>();
    readers.put(modelDir().resolve("model.json"), () -> registry.getModel(M));
    readers.put(modelDir().resolve("aliases.json"), () -> registry.aliases(M));
    readers.put(runDir().resolve("meta.json"), () -> tracking.getRun(runId));
    readers.put(runDir().resolve("tags.json"), () -> tracking.getRun(runId));
    for (Map.Entry<Path, Runnable> r : readers.entrySet()) {
      Path f = r.getKey();
      String original = Files.readString(f);
      bump(f, 99);
      UnsupportedFormatException e = refused(r.getValue());
      assertThat(e.file()).as(f.toString()).isEqualTo(f);
      assertThat(e.formatVersion()).isEqualTo(99);
      Files.writeString(f, original);
      r.getValue().run(); // readable again
    }
  }

  @Test
  void files_without_a_format_version_are_read_as_version_1() throws IOException {
    edit(modelDir().resolve("versions/1/version.json"), o -> o.remove("formatVersion"));
    Files.writeString(modelDir().resolve("aliases.json"), "{\"champion\": 1}");
    Files.writeString(runDir().resolve("tags.json"), "{\"team\": \"risk\", \"formatVersion\": \"a tag\"}");
    assertThat(registry.getVersion(M, "champion").version()).isEqualTo(1);
    assertThat(tracking.getRun(runId).tags()).containsEntry("team", "risk").containsEntry("formatVersion", "a tag");
    registry.setAlias(M, "challenger", 1); // rewritten in the current format
    assertThat(version(modelDir().resolve("aliases.json"))).isEqualTo(2);
    assertThat(registry.aliases(M)).containsOnlyKeys("champion", "challenger");
  }

  private static UnsupportedFormatException refused(Runnable r) {
    Throwable t = catchThrowable(r::run);
    assertThat(t).isInstanceOf(UnsupportedFormatException.class);
    return (UnsupportedFormatException) t;
  }

  private static JsonNode tree(Path f) throws IOException {
    return Json.tree(Files.readString(f));
  }

  private static int version(Path f) throws IOException {
    return tree(f).path("formatVersion").asInt(-1);
  }

  private static void bump(Path f, int v) throws IOException {
    edit(f, o -> o.put("formatVersion", v));
  }

  private static void edit(Path f, Consumer<ObjectNode> change) throws IOException {
    ObjectNode o = (ObjectNode) tree(f);
    change.accept(o);
    Files.writeString(f, Json.write(o));
  }
}
