package dev.mlops.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.Workspace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Symbolic links inside the workspace never lead a write outside it (real links on a real filesystem). */
class SymlinkEscapeTest {
  @TempDir Path dir;

  private Path outside() throws IOException {
    return Files.createDirectories(dir.resolve("outside"));
  }

  private static long entries(Path d) throws IOException {
    try (Stream<Path> s = Files.walk(d)) {
      return s.count() - 1;
    }
  }

  @Test
  void log_artifact_into_a_symlinked_artifact_folder_is_refused() throws IOException {
    Path outside = outside();
    Workspace ws = Workspace.open(dir.resolve("ws"));
    Path file = Files.writeString(dir.resolve("roc.txt"), "auc");
    try (Run run = Tracking.of(ws).experiment("links").start("r")) {
      Path artifacts = ws.localRoot().orElseThrow().resolve("experiments/links/runs/" + run.id() + "/artifacts");
      Files.createDirectories(artifacts);
      Files.createSymbolicLink(artifacts.resolve("plots"), outside);
      assertThatThrownBy(() -> run.logArtifact(file, "plots")).isInstanceOf(UnsafePathException.class)
          .hasMessageContaining("plots").hasMessageContaining(outside.toRealPath().toString())
          .hasMessageContaining("Nothing was written")
          .satisfies(e -> assertThat(((UnsafePathException) e).realPath()).startsWith(outside.toRealPath()));
      assertThatThrownBy(() -> run.logArtifact(file, "plots/deeper")).isInstanceOf(UnsafePathException.class);
      assertThatThrownBy(() -> run.logModel("plots/model", TestModels.placeholderPackage(1)))
          .isInstanceOf(UnsafePathException.class);
      Path tree = Files.createDirectories(dir.resolve("tree"));
      Files.writeString(tree.resolve("a.txt"), "a");
      assertThatThrownBy(() -> run.logArtifacts(tree, "plots")).isInstanceOf(UnsafePathException.class);
      assertThat(entries(outside)).isZero();
      run.logArtifact(file, "real"); // a real folder still works
      assertThat(Tracking.of(ws).listArtifacts(run.id())).containsExactly("real/roc.txt");
    }
  }

  @Test
  void a_symlinked_artifact_root_or_file_is_refused() throws IOException {
    Path outside = outside();
    Workspace ws = Workspace.open(dir.resolve("ws"));
    Path file = Files.writeString(dir.resolve("roc.txt"), "auc");
    try (Run run = Tracking.of(ws).experiment("links").start("r")) {
      Path runDir = ws.localRoot().orElseThrow().resolve("experiments/links/runs/" + run.id());
      Files.createSymbolicLink(runDir.resolve("artifacts"), outside);
      assertThatThrownBy(() -> run.logArtifact(file)).isInstanceOf(UnsafePathException.class);
      Files.delete(runDir.resolve("artifacts"));
      Files.createDirectories(runDir.resolve("artifacts"));
      Files.createSymbolicLink(runDir.resolve("artifacts/roc.txt"), outside.resolve("victim.txt"));
      assertThatThrownBy(() -> run.logArtifact(file)).isInstanceOf(UnsafePathException.class)
          .hasMessageContaining("symbolic link");
      assertThat(entries(outside)).isZero();
    }
  }

  @Test
  void a_symlinked_registry_folder_is_refused_for_every_write() throws IOException {
    Path outside = outside();
    Workspace ws = Workspace.open(dir.resolve("ws"));
    Path registryRoot = ws.localRoot().orElseThrow().resolve("registry");
    Files.createDirectories(registryRoot.resolve("main"));
    Files.createSymbolicLink(registryRoot.resolve("main/ml"), outside);
    ModelRegistry registry = ModelRegistry.of(ws);
    assertThatThrownBy(() -> registry.register("main.ml.churn", TestModels.placeholderPackage(1), null))
        .isInstanceOf(UnsafePathException.class).hasMessageContaining("main.ml.churn")
        .hasMessageContaining(outside.toRealPath().toString());
    assertThatThrownBy(() -> registry.createModel("main.ml.churn")).isInstanceOf(UnsafePathException.class);
    assertThat(entries(outside)).isZero();
    registry.register("main.other.churn", TestModels.placeholderPackage(1), null); // real folders still work
  }

  @Test
  void a_registry_root_that_is_a_symlink_is_refused_and_existing_models_cannot_be_changed_through_it()
      throws IOException {
    Path outside = outside();
    Workspace ws = Workspace.open(dir.resolve("ws"));
    ModelRegistry registry = ModelRegistry.of(ws);
    registry.register("main.ml.churn", TestModels.placeholderPackage(1), null);
    Path registryRoot = ws.localRoot().orElseThrow().resolve("registry");
    Files.move(registryRoot, outside.resolve("registry")); // the registry now lives outside, reached by a link
    Files.createSymbolicLink(registryRoot, outside.resolve("registry"));
    long before = entries(outside);
    assertThatThrownBy(() -> registry.setAlias("main.ml.churn", "champion", 1)).isInstanceOf(UnsafePathException.class);
    assertThatThrownBy(() -> registry.setModelTag("main.ml.churn", "k", "v")).isInstanceOf(UnsafePathException.class);
    assertThatThrownBy(() -> registry.deleteVersion("main.ml.churn", 1)).isInstanceOf(UnsafePathException.class);
    assertThatThrownBy(() -> registry.register("main.ml.churn", TestModels.placeholderPackage(2), null))
        .isInstanceOf(UnsafePathException.class);
    assertThat(entries(outside)).isEqualTo(before);
  }

  @Test
  void a_symlinked_experiment_folder_is_refused_when_a_run_starts() throws IOException {
    Path outside = outside();
    Workspace ws = Workspace.open(dir.resolve("ws"));
    Path experiments = ws.localRoot().orElseThrow().resolve("experiments");
    Files.createDirectories(experiments);
    Files.createSymbolicLink(experiments.resolve("links"), outside);
    assertThatThrownBy(() -> Tracking.of(ws).experiment("links")).isInstanceOf(UnsafePathException.class);
    assertThat(entries(outside)).isZero();
  }
}
