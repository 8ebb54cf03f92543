package dev.mlops.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.InvalidNameException;
import dev.mlops.core.Workspace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import smile.classification.LogisticRegression;

class ModelRegistryTest {
  static final String NAME = "main.ml.churn";

  @TempDir Path dir;
  Workspace ws;
  ModelRegistry registry;
  Tracking tracking;

  @BeforeEach
  void open() {
    ws = Workspace.open(dir.resolve("ws"));
    registry = ModelRegistry.of(ws);
    tracking = Tracking.of(ws);
  }

  private ModelVersion register(double threshold) {
    return registry.register(NAME, TestModels.placeholderPackage(threshold), null);
  }

  private String snapshot() throws IOException {
    try (var s = Files.walk(dir.resolve("ws/registry"))) {
      return s.filter(Files::isRegularFile).map(p -> {
        try {
          return p + "=" + java.util.Arrays.hashCode(Files.readAllBytes(p));
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).sorted().collect(Collectors.joining("\n"));
    }
  }

  @Test
  void models_have_a_three_level_name_description_and_tags() {
    RegisteredModel m = registry.createModel("Main.ML.Churn", "Predicts churn", Map.of("team", "growth"));
    assertThat(m.name()).isEqualTo(NAME);
    assertThat(m.description()).isEqualTo("Predicts churn");
    registry.setModelTag(NAME, "tier", "1");
    registry.updateDescription(NAME, "Predicts churn in 30 days");
    RegisteredModel again = ModelRegistry.of(ws).getModel(NAME);
    assertThat(again.tags()).containsEntry("team", "growth").containsEntry("tier", "1");
    assertThat(again.description()).isEqualTo("Predicts churn in 30 days");
    assertThat(registry.listModels()).extracting(RegisteredModel::name).containsExactly(NAME);
    assertThatThrownBy(() -> registry.createModel(NAME)).isInstanceOf(ModelAlreadyExistsException.class)
        .hasMessageContaining(NAME);
  }

  @Test
  void model_names_that_escape_the_registry_are_refused() {
    for (String bad : List.of("main.ml", "main.ml.../x", "main.ml.a/b", "../x.y.z", "a.b.c.d")) {
      assertThatThrownBy(() -> registry.createModel(bad)).as(bad).isInstanceOf(InvalidNameException.class);
      assertThatThrownBy(() -> registry.register(bad, TestModels.placeholderPackage(0.1), null)).as(bad)
          .isInstanceOf(InvalidNameException.class);
    }
    assertThat(dir.resolve("ws/registry")).isEmptyDirectory();
  }

  @Test
  void versions_are_numbered_from_one_and_record_their_package_and_run() {
    Run run = tracking.experiment("churn").start();
    run.close();
    ModelVersion v1 = registry.register(NAME, TestModels.smilePackage(), run.id());
    ModelVersion v2 = register(0.5);
    assertThat(v1.version()).isEqualTo(1);
    assertThat(v2.version()).isEqualTo(2);
    assertThat(v1.runId()).contains(run.id());
    assertThat(v1.flavor()).isEqualTo("smile");
    assertThat(v1.status()).isEqualTo(ModelVersionStatus.READY);
    assertThat(v1.packageDigest()).hasSize(64);
    assertThat(v1.uri()).isEqualTo("models:/main.ml.churn/1");
    assertThat(registry.listVersions(NAME)).extracting(ModelVersion::version).containsExactly(1, 2);
    assertThat(registry.getModel(NAME).description()).isEmpty(); // created by the first registration
  }

  @Test
  void registering_with_an_unknown_run_changes_nothing() throws IOException {
    register(0.1);
    String before = snapshot();
    assertThatThrownBy(() -> registry.register(NAME, TestModels.placeholderPackage(0.2), "0123456789abcdef0123456789abcdef"))
        .isInstanceOf(RunNotFoundException.class).hasMessageContaining("0123456789abcdef0123456789abcdef");
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void version_fields_can_be_updated() {
    register(0.1);
    registry.updateVersionDescription(NAME, 1, "baseline");
    ModelVersion v = registry.setVersionTag(NAME, 1, "validated", "true");
    assertThat(v.description()).isEqualTo("baseline");
    assertThat(v.tags()).containsEntry("validated", "true");
    assertThat(v.updatedAt()).isAfterOrEqualTo(v.createdAt());
  }

  @Test
  void unknown_model_and_version_are_typed_errors_naming_them() {
    assertThatThrownBy(() -> registry.getVersion(NAME, 1)).isInstanceOf(ModelNotFoundException.class)
        .hasMessageContaining("'main.ml.churn'");
    register(0.1);
    register(0.2);
    assertThatThrownBy(() -> registry.getVersion(NAME, 7)).isInstanceOf(ModelVersionNotFoundException.class)
        .hasMessageContaining("no version 7").hasMessageContaining("1..2");
    assertThatThrownBy(() -> registry.getVersion(NAME, "champion")).isInstanceOf(AliasNotFoundException.class)
        .hasMessageContaining("'champion'");
  }

  @Test
  void changes_to_an_unknown_model_or_version_create_nothing() throws IOException {
    assertThatThrownBy(() -> registry.setModelTag("main.ml.ghost", "k", "v")).isInstanceOf(ModelNotFoundException.class)
        .hasMessageContaining("'main.ml.ghost'");
    assertThatThrownBy(() -> registry.updateDescription("main.ml.ghost", "d")).isInstanceOf(ModelNotFoundException.class);
    assertThatThrownBy(() -> registry.deleteVersion("main.ml.ghost", 1)).isInstanceOf(ModelNotFoundException.class);
    assertThatThrownBy(() -> registry.deleteAlias("main.ml.ghost", "champion")).isInstanceOf(ModelNotFoundException.class);
    assertThat(dir.resolve("ws/registry")).isEmptyDirectory();
    register(0.1);
    String before = snapshot();
    assertThatThrownBy(() -> registry.setVersionTag(NAME, 5, "k", "v")).isInstanceOf(ModelVersionNotFoundException.class)
        .hasMessageContaining("no version 5");
    assertThatThrownBy(() -> registry.deleteVersion(NAME, 5)).isInstanceOf(ModelVersionNotFoundException.class);
    assertThatThrownBy(() -> registry.setVersionTag(NAME, 1, "bad/key", "v")).isInstanceOf(InvalidNameException.class)
        .hasMessageContaining("'bad/key'");
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void an_alias_points_to_one_version_and_can_move_and_be_deleted() {
    register(0.1);
    register(0.2);
    registry.setAlias(NAME, "Champion", 1);
    assertThat(registry.getVersion(NAME, "champion").version()).isEqualTo(1);
    assertThat(registry.getVersion(NAME, 1).aliases()).containsExactly("champion");
    registry.setAlias(NAME, "champion", 2); // move
    registry.setAlias(NAME, "challenger", 1);
    assertThat(registry.aliases(NAME)).isEqualTo(Map.of("champion", 2, "challenger", 1));
    assertThat(registry.getVersion(NAME, 1).aliases()).containsExactly("challenger");
    assertThat(registry.resolve("models:/main.ml.churn@champion").version().orElseThrow().version()).isEqualTo(2);
    registry.deleteAlias(NAME, "challenger");
    assertThat(registry.aliases(NAME)).isEqualTo(Map.of("champion", 2));
    assertThatThrownBy(() -> registry.deleteAlias(NAME, "challenger")).isInstanceOf(AliasNotFoundException.class);
  }

  @Test
  void bad_aliases_and_unknown_versions_change_nothing() throws IOException {
    register(0.1);
    registry.setAlias(NAME, "champion", 1);
    String before = snapshot();
    for (String bad : List.of("latest", "v2", "../x", "a b", "1st", "")) {
      assertThatThrownBy(() -> registry.setAlias(NAME, bad, 1)).as(bad).isInstanceOf(InvalidNameException.class)
          .hasMessageContaining(NAME);
    }
    assertThatThrownBy(() -> registry.setAlias(NAME, "champion", 9)).isInstanceOf(ModelVersionNotFoundException.class);
    assertThatThrownBy(() -> registry.setAlias("main.ml.other", "champion", 1)).isInstanceOf(ModelNotFoundException.class);
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void soft_delete_hides_a_version_removes_its_aliases_and_keeps_its_number() {
    register(0.1);
    register(0.2);
    registry.setAlias(NAME, "champion", 2);
    ModelVersion deleted = registry.deleteVersion(NAME, 2);
    assertThat(deleted.status()).isEqualTo(ModelVersionStatus.DELETED);
    assertThat(deleted.aliases()).isEmpty();
    assertThat(registry.listVersions(NAME)).extracting(ModelVersion::version).containsExactly(1);
    assertThat(registry.listVersions(NAME, true)).extracting(ModelVersion::version).containsExactly(1, 2);
    assertThat(registry.aliases(NAME)).isEmpty();
    assertThatThrownBy(() -> registry.load("models:/main.ml.churn/2")).isInstanceOf(ModelVersionNotFoundException.class)
        .hasMessageContaining("deleted");
    assertThatThrownBy(() -> registry.setAlias(NAME, "champion", 2)).isInstanceOf(ModelVersionNotFoundException.class);
    assertThat(registry.resolve("models:/main.ml.churn/latest").version().orElseThrow().version()).isEqualTo(1);
    assertThat(register(0.3).version()).isEqualTo(3); // never reused
    registry.restoreVersion(NAME, 2);
    assertThat(registry.load("models:/main.ml.churn/2").deserialize(TestModels.ThresholdModel.class).threshold())
        .isEqualTo(0.2);
  }

  @Test
  void load_by_version_alias_latest_and_run_uri() {
    register(0.1);
    ModelVersion v2 = registry.register(NAME, TestModels.smilePackage(), null);
    registry.setAlias(NAME, "champion", 2);
    LogisticRegression byAlias = registry.load("models:/main.ml.churn@champion").deserialize(LogisticRegression.class);
    assertThat(byAlias.predict(TestModels.X[0])).isEqualTo(TestModels.logistic().predict(TestModels.X[0]));
    assertThat(registry.load("models:/main.ml.churn/1").deserialize(TestModels.ThresholdModel.class).threshold()).isEqualTo(0.1);
    assertThat(registry.load("models:/main.ml.churn/latest").version().orElseThrow().version()).isEqualTo(v2.version());

    Run run = tracking.experiment("churn").start();
    run.logModel("model", TestModels.placeholderPackage(0.9));
    run.close();
    assertThat(registry.load(run.artifactUri("model")).deserialize(TestModels.ThresholdModel.class).threshold())
        .isEqualTo(0.9);
    ModelVersion fromRun = registry.register(NAME, run.artifactUri("model"));
    assertThat(fromRun.version()).isEqualTo(3);
    assertThat(fromRun.runId()).contains(run.id());
    assertThat(fromRun.source()).isEqualTo(run.artifactUri("model"));
  }

  @Test
  void malformed_or_dangling_uris_are_typed_errors() {
    register(0.1);
    assertThatThrownBy(() -> registry.load("models:/main.ml.churn")).isInstanceOf(InvalidModelUriException.class);
    assertThatThrownBy(() -> registry.load("s3://x")).isInstanceOf(InvalidModelUriException.class);
    assertThatThrownBy(() -> registry.load("models:/main.ml.churn/0")).isInstanceOf(InvalidModelUriException.class);
    assertThatThrownBy(() -> registry.load("runs:/0123456789abcdef0123456789abcdef/../../x"))
        .isInstanceOf(InvalidModelUriException.class);
    assertThatThrownBy(() -> registry.load("models:/main.ml.other/1")).isInstanceOf(ModelNotFoundException.class);
    assertThatThrownBy(() -> registry.load("runs:/0123456789abcdef0123456789abcdef/model"))
        .isInstanceOf(RunNotFoundException.class);
    assertThatThrownBy(() -> registry.register(NAME, "models:/main.ml.churn/1")).isInstanceOf(InvalidModelUriException.class);
  }

  @Test
  void a_package_replaced_after_registration_is_refused_even_with_consistent_checksums() throws IOException {
    ModelVersion v = register(0.1);
    Path other = dir.resolve("other");
    TestModels.placeholderPackage(0.99).writeTo(other);
    for (String f : List.of("model.ser", "MLmodel.json", "checksums.json")) {
      Files.copy(other.resolve(f), v.packageDir().resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    assertThat(ModelPackage.verify(v.packageDir())).isNotNull(); // self-consistent
    assertThatThrownBy(() -> registry.load(v.uri())).isInstanceOf(ModelIntegrityException.class)
        .hasMessageContaining("replaced after registration");
  }

  @Test
  void registering_a_tampered_package_directory_registers_nothing() throws IOException {
    Path src = dir.resolve("src");
    TestModels.placeholderPackage(0.1).writeTo(src);
    Files.writeString(src.resolve("model.ser"), "garbage");
    assertThatThrownBy(() -> registry.register(NAME, src, null)).isInstanceOf(ModelIntegrityException.class);
    assertThat(registry.findModel(NAME)).isEmpty();
    Path good = dir.resolve("good");
    TestModels.placeholderPackage(0.2).writeTo(good);
    ModelVersion v = registry.register(NAME, good, null);
    assertThat(v.version()).isEqualTo(1);
    assertThat(v.source()).isEqualTo(good.toAbsolutePath().toString());
  }

  @Test
  void versions_trained_on_a_table_come_from_the_package_or_the_run_feature_spec() {
    Map<String, Object> spec = Map.of("tables", List.of(Map.of("name", "main.crm.features", "version", 4,
        "features", List.of("spend_30d"))));
    ModelVersion fromPackage = registry.register(NAME,
        ModelPackage.builder().model(new TestModels.ThresholdModel("x", 1)).featureSpec(spec).build(), null);
    Run run = tracking.experiment("churn").start();
    run.logFeatureSpec(Map.of("tables", List.of(Map.of("name", "MAIN.CRM.FEATURES", "version", 5))));
    run.close();
    ModelVersion fromRun = registry.register("main.ml.upsell", TestModels.placeholderPackage(0.3), run.id());
    register(0.4); // no spec
    assertThat(registry.versionsTrainedOn("main.crm.features")).extracting(ModelVersion::uri)
        .containsExactly(fromPackage.uri(), fromRun.uri());
    assertThat(fromRun.featureSpec()).containsKey("tables");
    assertThat(registry.versionsTrainedOn("main.crm.other")).isEmpty();
  }

  @Test
  void threads_registering_at_once_get_contiguous_unique_numbers() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Integer>> fs = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        double t = i;
        fs.add(pool.submit(() -> register(t).version()));
      }
      List<Integer> got = new ArrayList<>();
      for (Future<Integer> f : fs) {
        got.add(f.get());
      }
      Collections.sort(got);
      assertThat(got).isEqualTo(IntStream.rangeClosed(1, 40).boxed().collect(Collectors.toList()));
    } finally {
      pool.shutdownNow();
    }
    assertThat(registry.listVersions(NAME)).hasSize(40);
    try (var s = Files.list(dir.resolve("ws/registry/main/ml/churn/staging"))) {
      assertThat(s.count()).isZero(); // no staging leftovers
    }
  }

  @Test
  void threads_moving_one_alias_leave_it_on_one_existing_version() throws Exception {
    for (int i = 0; i < 4; i++) {
      register(i);
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        int v = 1 + i % 4;
        fs.add(pool.submit(() -> registry.setAlias(NAME, "champion", v)));
        fs.add(pool.submit(() -> registry.setAlias(NAME, "alias" + v, v)));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    Map<String, Integer> aliases = registry.aliases(NAME);
    assertThat(aliases).containsKeys("champion", "alias1", "alias2", "alias3", "alias4").hasSize(5);
  }
}
