package dev.mlops.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.Frame;
import dev.mlops.core.Workspace;
import dev.mlops.core.internal.Json;
import dev.mlops.models.internal.Checksums;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model files replaced by someone who can also rewrite the checksums (a registry writer): loading stays
 * fast and fails at load with a typed message, never at prediction and never after minutes.
 */
class SafeLoadingTest {
  static final String NAME = "main.ml.tampered";

  @TempDir Path dir;

  /** Registers a real trained model and returns the workspace. */
  private Workspace registered() {
    Workspace ws = Workspace.open(dir.resolve("ws"));
    TrainedModel m = Trainer.on(TrainerTest.data(300, 1)).label("churned").exclude("spend")
        .algorithm(Algorithm.randomForest().trees(5)).seed(3).fit();
    m.register(ModelRegistry.of(ws), NAME);
    return ws;
  }

  /** Replaces model.ser of version 1 and rewrites checksums.json and the digest registered for the version. */
  private static void replacePayload(Workspace ws, byte[] modelSer) throws IOException {
    ModelVersion v = ModelRegistry.of(ws).getVersion(NAME, 1);
    Path pkg = v.packageDir();
    Files.write(pkg.resolve("model.ser"), modelSer);
    Map<String, Checksums.Entry> sums = new TreeMap<>();
    for (Map.Entry<String, Path> f : Checksums.files(pkg, "pkg").entrySet()) {
      sums.put(f.getKey(), Checksums.hash(f.getValue()));
    }
    String digest = Checksums.write(pkg, sums);
    Path versionJson = pkg.getParent().resolve("version.json");
    ObjectNode meta = (ObjectNode) Json.tree(Files.readString(versionJson));
    meta.put("packageDigest", digest);
    Files.writeString(versionJson, Json.write(meta));
    ModelPackage.verify(pkg); // the tampering is consistent: every checksum matches
  }

  private static byte[] serialize(Object o) throws IOException {
    ByteArrayOutputStream bo = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bo)) {
      out.writeObject(o);
    }
    return bo.toByteArray();
  }

  /**
   * Maps nested as keys of maps, two per level, each level holding both maps of the level below: reading
   * level n hashes level n-1 twice, so HashMap.readObject does 2^levels hash-code calls.
   */
  static Map<Object, Object> hashCodeBomb(int levels) {
    Map<Object, Object> root = new HashMap<>();
    Map<Object, Object> a = root;
    Map<Object, Object> b = new HashMap<>();
    for (int i = 0; i < levels; i++) {
      Map<Object, Object> ta = new HashMap<>();
      Map<Object, Object> tb = new HashMap<>();
      ta.put("level", i); // ta and tb must differ, else the two keys collapse into one
      a.put(ta, 1);
      a.put(tb, 1);
      b.put(ta, 1);
      b.put(tb, 1);
      a = ta;
      b = tb;
    }
    return root;
  }

  @Test
  void a_hash_code_bomb_with_rewritten_checksums_is_refused_within_seconds() throws IOException {
    Workspace ws = registered();
    byte[] bomb = serialize(hashCodeBomb(60)); // 2^60 hash-code calls if HashMap.readObject ran on it
    assertThat(bomb.length).isLessThan(12_000);
    replacePayload(ws, bomb);
    long start = System.nanoTime();
    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
      assertThatThrownBy(() -> Predictor.load(ws, "models:/" + NAME + "/1")).isInstanceOf(ModelIntegrityException.class)
          .hasMessageContaining("java.util.HashMap").hasMessageContaining("key");
    });
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void the_bomb_inside_a_model_object_is_refused_too() throws IOException {
    Workspace ws = registered();
    replacePayload(ws, serialize(new TestModels.Wrapper(hashCodeBomb(60))));
    LoadedModel m = ModelRegistry.of(ws).load("models:/" + NAME + "/1");
    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertThatThrownBy(
        () -> m.deserialize(TestModels.Wrapper.class, "java.util.HashMap")).isInstanceOf(ModelIntegrityException.class)
        .hasMessageContaining("key of class java.util.HashMap"));
  }

  @Test
  void maps_with_text_keys_still_load_as_java_util_hash_maps() {
    Map<String, Integer> index = new HashMap<>(Map.of("a", 1, "b", 2));
    ModelPackage.builder().model(new TestModels.Wrapper(index)).build().writeTo(dir.resolve("pkg"));
    Object payload = ModelPackage.load(dir.resolve("pkg")).deserialize(TestModels.Wrapper.class, "java.util.HashMap")
        .payload();
    assertThat(payload).isInstanceOf(HashMap.class).isEqualTo(index);
  }

  @Test
  void hashing_jdk_collections_cannot_be_allow_listed() {
    TestModels.placeholderPackage(0.5).writeTo(dir.resolve("pkg"));
    LoadedModel m = ModelPackage.load(dir.resolve("pkg"));
    for (String c : List.of("java.util.HashSet", "java.util.LinkedHashMap", "java.util.Hashtable")) {
      assertThatThrownBy(() -> m.deserialize(TestModels.ThresholdModel.class, c)).as(c)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(c).hasMessageContaining("minutes");
    }
  }

  @Test
  void a_smile_class_whose_readObject_allocates_by_stream_numbers_is_never_loaded() {
    ModelPackage.builder().flavor("smile").model(new TestModels.Wrapper(new smile.math.matrix.BigMatrix(2, 2))).build()
        .writeTo(dir.resolve("pkg"));
    LoadedModel m = ModelPackage.load(dir.resolve("pkg"));
    assertThatThrownBy(() -> m.deserialize(TestModels.Wrapper.class, "smile.math.matrix.BigMatrix"))
        .isInstanceOf(ModelIntegrityException.class).hasMessageContaining("smile.math.matrix.BigMatrix")
        .hasMessageContaining("never loaded");
  }

  /** A model whose array declares far more elements than its file holds. */
  record Texts(String[] values) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  @Test
  void an_array_longer_than_the_file_is_reported_as_a_limit_not_as_a_class() throws IOException {
    ModelPackage.builder().model(new Texts(new String[] {"a", "b", "c"})).build().writeTo(dir.resolve("pkg"));
    Path ser = dir.resolve("pkg/model.ser");
    byte[] bytes = Files.readAllBytes(ser);
    byte[] desc = "[Ljava.lang.String;".getBytes(StandardCharsets.UTF_8);
    int at = indexOf(bytes, desc) + desc.length;
    // class descriptor: serialVersionUID (8), flags (1), field count (2), end block (1), no super (1); then the length
    int len = at + 8 + 1 + 2 + 1 + 1;
    assertThat(new byte[] {bytes[len], bytes[len + 1], bytes[len + 2], bytes[len + 3]}).containsExactly(0, 0, 0, 3);
    bytes[len] = 0x7f;
    bytes[len + 1] = (byte) 0xff;
    Files.write(ser, bytes);
    rewriteChecksums(dir.resolve("pkg"));
    LoadedModel m = ModelPackage.load(dir.resolve("pkg"));
    assertThatThrownBy(() -> m.deserialize(Texts.class)).isInstanceOf(ModelIntegrityException.class)
        .hasMessageContaining("array of " + (0x7fff0003)).hasMessageContaining("java.lang.String[]")
        .hasMessageContaining("damaged or was crafted").hasMessageNotContaining("allow-list");
  }

  @Test
  void a_consistently_rechecksummed_but_damaged_model_fails_at_load_not_at_predict() throws IOException {
    Workspace ws = registered();
    Path ser = ModelRegistry.of(ws).getVersion(NAME, 1).packageDir().resolve("model.ser");
    byte[] bytes = Files.readAllBytes(ser);
    byte[] field = "pipeline".getBytes(StandardCharsets.UTF_8); // the field's name in ModelBundle's descriptor
    int at = indexOf(bytes, field);
    bytes[at + field.length - 1] = 'x'; // "pipelinx": the stream's value no longer lands in the field
    replacePayload(ws, bytes);
    assertThatThrownBy(() -> Predictor.load(ws, "models:/" + NAME + "/1")).isInstanceOf(ModelIntegrityException.class)
        .hasMessageContaining("models:/" + NAME + "/1").hasMessageContaining("no preprocessing pipeline")
        .hasMessageContaining("register the model again");
  }

  @Test
  void a_model_whose_classes_do_not_fit_its_label_fails_at_load() throws IOException {
    Workspace ws = registered();
    Path ser = ModelRegistry.of(ws).getVersion(NAME, 1).packageDir().resolve("model.ser");
    byte[] bytes = Files.readAllBytes(ser);
    byte[] value = "BOOLEAN".getBytes(StandardCharsets.UTF_8); // the label type
    int at = indexOf(bytes, value);
    System.arraycopy("DOUBLES".getBytes(StandardCharsets.UTF_8), 0, bytes, at, value.length);
    replacePayload(ws, bytes);
    assertThatThrownBy(() -> Predictor.load(ws, "models:/" + NAME + "/1")).isInstanceOf(ModelIntegrityException.class)
        .hasMessageContaining("unknown label type 'DOUBLES'");
  }

  @Test
  void every_algorithm_still_loads_and_predicts_the_same() {
    Workspace ws = Workspace.open(dir.resolve("ws"));
    Frame probe = TrainerTest.data(50, 9);
    int i = 0;
    for (Algorithm a : List.of(Algorithm.randomForest().trees(5), Algorithm.gradientBoosting().trees(5),
        Algorithm.logisticRegression())) {
      TrainedModel m = Trainer.on(TrainerTest.data(300, 1)).label("churned").exclude("spend").algorithm(a).fit();
      ModelVersion v = m.register(ModelRegistry.of(ws), "main.ml.m" + i++);
      assertThat(Predictor.load(ws, v.uri()).predict(probe).column("probability_true").toDoubleArray())
          .as(a.name()).containsExactly(m.predict(probe).column("probability_true").toDoubleArray());
    }
    for (Algorithm a : List.of(Algorithm.randomForest().trees(5), Algorithm.gradientBoosting().trees(5),
        Algorithm.linearRegression(), Algorithm.ridge(), Algorithm.lasso())) {
      TrainedModel m = Trainer.on(TrainerTest.data(300, 1)).label("spend").exclude("churned").task(Task.REGRESSION)
          .algorithm(a).fit();
      ModelVersion v = m.register(ModelRegistry.of(ws), "main.ml.m" + i++);
      assertThat(Predictor.load(ws, v.uri()).predict(probe).column("prediction").toDoubleArray())
          .as(a.name()).containsExactly(m.predict(probe).column("prediction").toDoubleArray());
    }
  }

  private static void rewriteChecksums(Path pkg) {
    Map<String, Checksums.Entry> sums = new TreeMap<>();
    for (Map.Entry<String, Path> f : Checksums.files(pkg, "pkg").entrySet()) {
      sums.put(f.getKey(), Checksums.hash(f.getValue()));
    }
    Checksums.write(pkg, sums);
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found: " + new String(needle, StandardCharsets.UTF_8));
  }
}
