package dev.mlops.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.MlopsException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import smile.classification.LogisticRegression;

class ModelPackageTest {
  @TempDir Path dir;

  @Test
  void a_smile_model_round_trips_with_identical_predictions() {
    LogisticRegression lr = TestModels.logistic();
    PackageDescriptor written = TestModels.smilePackage().writeTo(dir.resolve("pkg"));
    LoadedModel loaded = ModelPackage.load(dir.resolve("pkg"));
    LogisticRegression back = loaded.deserialize(LogisticRegression.class);
    for (double[] x : TestModels.X) {
      assertThat(back.predict(x)).isEqualTo(lr.predict(x));
    }
    assertThat(loaded.descriptor()).isEqualTo(written);
  }

  @Test
  void the_descriptor_records_signature_example_hyperparameters_seed_metrics_and_provenance() {
    TestModels.smilePackage().writeTo(dir.resolve("pkg"));
    PackageDescriptor d = ModelPackage.verify(dir.resolve("pkg"));
    assertThat(d.flavor()).isEqualTo("smile");
    assertThat(d.modelClass()).startsWith("smile.classification.LogisticRegression");
    assertThat(d.signature().inputSchema().names()).containsExactly("x1", "x2");
    assertThat(d.signature().outputSchema().names()).containsExactly("label");
    assertThat(d.inputExample()).contains(TestModels.inputs().head(3));
    assertThat(d.hyperparameters()).containsEntry("lambda", 0.0);
    assertThat(d.seed()).hasValue(7);
    assertThat(d.metrics()).containsEntry("auc", 0.9);
    assertThat(d.provenance().javaVersion()).isEqualTo(System.getProperty("java.version"));
    assertThat(d.provenance().sdkVersion()).isNotBlank();
    assertThat(d.trainedAt()).isNotNull();
    assertThat(Files.exists(dir.resolve("pkg/checksums.json"))).isTrue();
    assertThat(ModelPackage.load(dir.resolve("pkg")).checksums()).containsOnlyKeys("MLmodel.json", "model.ser");
  }

  @Test
  void a_modified_model_file_is_refused_before_deserialization() throws IOException {
    TestModels.placeholderPackage(0.5).writeTo(dir.resolve("pkg"));
    Path ser = dir.resolve("pkg/model.ser");
    byte[] b = Files.readAllBytes(ser);
    b[b.length - 1] ^= 1; // same size, different content
    Files.write(ser, b);
    assertThatThrownBy(() -> ModelPackage.load(dir.resolve("pkg"))).isInstanceOf(ModelIntegrityException.class)
        .hasMessageContaining("'model.ser'").hasMessageContaining("SHA-256");
  }

  @Test
  void a_truncated_file_is_refused() throws IOException {
    TestModels.placeholderPackage(0.5).writeTo(dir.resolve("pkg"));
    try (RandomAccessFile f = new RandomAccessFile(dir.resolve("pkg/model.ser").toFile(), "rw")) {
      f.setLength(f.length() / 2);
    }
    assertThatThrownBy(() -> ModelPackage.load(dir.resolve("pkg"))).isInstanceOf(ModelIntegrityException.class)
        .hasMessageContaining("truncated");
  }

  @Test
  void a_tampered_descriptor_missing_file_or_extra_file_is_refused() throws IOException {
    TestModels.placeholderPackage(0.5).writeTo(dir.resolve("a"));
    Files.writeString(dir.resolve("a/MLmodel.json"), Files.readString(dir.resolve("a/MLmodel.json")).replace("java", "jav2"));
    assertThatThrownBy(() -> ModelPackage.verify(dir.resolve("a"))).isInstanceOf(ModelIntegrityException.class)
        .hasMessageContaining("'MLmodel.json'");

    TestModels.placeholderPackage(0.5).writeTo(dir.resolve("b"));
    Files.delete(dir.resolve("b/model.ser"));
    assertThatThrownBy(() -> ModelPackage.verify(dir.resolve("b"))).isInstanceOf(ModelIntegrityException.class)
        .hasMessageContaining("missing file 'model.ser'");

    TestModels.placeholderPackage(0.5).writeTo(dir.resolve("c"));
    Files.writeString(dir.resolve("c/evil.ser"), "x");
    assertThatThrownBy(() -> ModelPackage.verify(dir.resolve("c"))).isInstanceOf(ModelIntegrityException.class)
        .hasMessageContaining("'evil.ser'");

    Files.createDirectories(dir.resolve("d"));
    assertThatThrownBy(() -> ModelPackage.verify(dir.resolve("d"))).isInstanceOf(ModelIntegrityException.class)
        .hasMessageContaining("checksums.json");
  }

  @Test
  void a_foreign_class_in_the_stream_is_refused_and_named() {
    PriorityQueue<String> gadget = new PriorityQueue<>(List.of("a", "b"));
    ModelPackage.builder().flavor("smile").model(new TestModels.Wrapper(gadget)).build().writeTo(dir.resolve("pkg"));
    LoadedModel m = ModelPackage.load(dir.resolve("pkg")); // checksums are fine: the bytes are as written
    assertThatThrownBy(() -> m.deserialize(TestModels.Wrapper.class)).isInstanceOf(ModelIntegrityException.class)
        .hasMessageContaining("java.util.PriorityQueue").hasMessageContaining("allow-list");
  }

  @Test
  void a_smile_package_does_not_admit_the_whole_jdk() {
    ModelPackage.builder().flavor("smile").model(new java.util.ArrayList<>(List.of(1, 2))).build()
        .writeTo(dir.resolve("pkg"));
    LoadedModel m = ModelPackage.load(dir.resolve("pkg"));
    assertThatThrownBy(() -> m.deserialize(Object.class)).isInstanceOf(ModelIntegrityException.class)
        .hasMessageContaining("java.util.ArrayList");
    assertThat(m.deserialize(Object.class, "java.util.ArrayList")).isEqualTo(List.of(1, 2)); // exact class: allowed
  }

  @Test
  void jdk_package_wildcards_cannot_be_added_to_the_allow_list() {
    TestModels.placeholderPackage(0.5).writeTo(dir.resolve("pkg"));
    LoadedModel m = ModelPackage.load(dir.resolve("pkg"));
    for (String bad : List.of("java.**", "java.util.*", "javax.**", "not a class")) {
      assertThatThrownBy(() -> m.deserialize(TestModels.ThresholdModel.class, bad)).as(bad)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(bad);
    }
    assertThat(m.deserialize(TestModels.ThresholdModel.class).threshold()).isEqualTo(0.5);
  }

  @Test
  void asking_for_the_wrong_type_is_a_clear_error() {
    TestModels.placeholderPackage(0.5).writeTo(dir.resolve("pkg"));
    assertThatThrownBy(() -> ModelPackage.load(dir.resolve("pkg")).deserialize(String.class))
        .isInstanceOf(ModelIntegrityException.class).hasMessageContaining("ThresholdModel");
  }

  @Test
  void writing_over_an_existing_package_is_refused_and_leaves_it_intact() throws IOException {
    TestModels.placeholderPackage(0.5).writeTo(dir.resolve("pkg"));
    assertThatThrownBy(() -> TestModels.placeholderPackage(0.7).writeTo(dir.resolve("pkg")))
        .isInstanceOf(MlopsException.class).hasMessageContaining("already exists");
    assertThat(ModelPackage.load(dir.resolve("pkg")).deserialize(TestModels.ThresholdModel.class).threshold())
        .isEqualTo(0.5);
    try (var s = Files.list(dir)) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactly("pkg"); // no temp directory left
    }
  }

  @Test
  void builder_validates_its_arguments() {
    assertThatThrownBy(() -> ModelPackage.builder().build()).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("model(");
    assertThatThrownBy(() -> ModelPackage.builder().flavor("Smile!")).hasMessageContaining("'Smile!'");
    assertThatThrownBy(() -> ModelPackage.builder().metric("auc", Double.NaN)).hasMessageContaining("'auc'");
    assertThatThrownBy(() -> ModelPackage.builder().hyperparameter("k", new Object())).hasMessageContaining("'k'");
    assertThatThrownBy(() -> ModelPackage.builder().featureSpec(Map.of("t", new Object())))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void a_large_model_is_streamed_and_verified() {
    double[] weights = new double[3_000_000]; // 24 MB
    for (int i = 0; i < weights.length; i++) {
      weights[i] = i * 0.5;
    }
    ModelPackage.builder().model(new TestModels.Wrapper(weights)).build().writeTo(dir.resolve("big"));
    assertThat(dir.resolve("big/model.ser")).satisfies(p -> assertThat(Files.size(p)).isGreaterThan(24_000_000L));
    TestModels.Wrapper w = ModelPackage.load(dir.resolve("big")).deserialize(TestModels.Wrapper.class);
    assertThat(((double[]) w.payload())[2_999_999]).isEqualTo(2_999_999 * 0.5);
  }

  @Test
  void a_non_serializable_model_is_refused_with_the_reason() {
    ModelPackage pkg = ModelPackage.builder().model(new TestModels.Wrapper(new Object())).build();
    assertThatThrownBy(() -> pkg.writeTo(dir.resolve("pkg"))).isInstanceOf(MlopsException.class)
        .hasMessageContaining("java.lang.Object");
    assertThat(dir.resolve("pkg")).doesNotExist();
  }
}
