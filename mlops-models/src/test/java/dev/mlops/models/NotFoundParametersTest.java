package dev.mlops.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mlops.core.NotFoundException;
import dev.mlops.core.Workspace;
import java.nio.file.Path;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each not-found exception of the models module names what was missing on an accessor, not only in its text. */
class NotFoundParametersTest {
  @TempDir Path dir;

  @Test
  void not_found_exceptions_expose_the_name_version_alias_run_and_path_that_were_asked_for() {
    Workspace ws = Workspace.open(dir);
    ModelRegistry registry = ModelRegistry.of(ws);
    Tracking tracking = Tracking.of(ws);
    String runId;
    try (Run run = tracking.experiment("e").start("r")) {
      run.logModel("model", TestModels.placeholderPackage(1));
      registry.register("main.ml.m", run.artifactUri("model"));
      runId = run.id();
    }

    ModelNotFoundException model = catchThrowableOfType(ModelNotFoundException.class,
        () -> registry.getModel("main.ml.nope"));
    assertThat(model.name()).isEqualTo("main.ml.nope");
    assertThat(model).isInstanceOf(NotFoundException.class).hasMessageContaining("main.ml.m");

    ModelVersionNotFoundException version = catchThrowableOfType(ModelVersionNotFoundException.class,
        () -> registry.getVersion("main.ml.m", 7));
    assertThat(version.name()).isEqualTo("main.ml.m");
    assertThat(version.version()).isEqualTo(OptionalInt.of(7));
    assertThat(version).hasMessageContaining("1..1");

    AliasNotFoundException alias = catchThrowableOfType(AliasNotFoundException.class,
        () -> registry.getVersion("main.ml.m", "champion"));
    assertThat(alias.alias()).isEqualTo("champion");
    assertThat(alias.name()).isEqualTo("main.ml.m");
    assertThat(alias.version()).isEmpty();

    registry.deleteVersion("main.ml.m", 1);
    ModelVersionNotFoundException deleted = catchThrowableOfType(ModelVersionNotFoundException.class,
        () -> registry.resolve("models:/main.ml.m/1"));
    assertThat(deleted.version()).isEqualTo(OptionalInt.of(1));
    assertThat(deleted).hasMessageContaining("restoreVersion(\"main.ml.m\", 1)");

    String unknownRun = "0123456789abcdef0123456789abcdef";
    RunNotFoundException run = catchThrowableOfType(RunNotFoundException.class, () -> tracking.getRun(unknownRun));
    assertThat(run.runId()).isEqualTo(unknownRun);

    ExperimentNotFoundException experiment = catchThrowableOfType(ExperimentNotFoundException.class,
        () -> tracking.searchRuns("nope", ""));
    assertThat(experiment.name()).isEqualTo("nope");
    assertThat(experiment).hasMessageContaining("[e]");

    ArtifactNotFoundException artifact = catchThrowableOfType(ArtifactNotFoundException.class,
        () -> tracking.artifact(runId, "plots/roc.png"));
    assertThat(artifact.path()).isEqualTo("plots/roc.png");
  }
}
