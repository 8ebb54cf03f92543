package dev.mlops.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Frame;
import dev.mlops.core.Schema;
import dev.mlops.core.Workspace;
import dev.mlops.core.internal.FileStore;
import dev.mlops.core.internal.FileStores;
import dev.mlops.core.internal.S3FileStore;
import dev.mlops.features.FeatureLookup;
import dev.mlops.features.FeatureStore;
import dev.mlops.features.OnlineStore;
import dev.mlops.features.WriteMode;
import dev.mlops.models.LoadedModel;
import dev.mlops.models.Metric;
import dev.mlops.models.ModelIntegrityException;
import dev.mlops.models.ModelPackage;
import dev.mlops.models.ModelRegistry;
import dev.mlops.models.ModelVersion;
import dev.mlops.models.ParamConflictException;
import dev.mlops.models.RegisteredModel;
import dev.mlops.models.Run;
import dev.mlops.models.RunInfo;
import dev.mlops.models.RunStatus;
import dev.mlops.models.Tracking;
import java.io.Writer;
import java.net.URI;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tracking and the model registry on a real S3-compatible server ({@link S3Server}), through an
 * {@code s3a://} workspace: the {@link S3FileStore} (conditional puts, whole-object rewrites), its
 * contract, two registering processes, the refusal without conditional writes, and a point-in-time
 * training set on S3 against the same one on local disk (the remote fallback of the columnar reader).
 * Monitors on S3 are {@link S3MonitorsTest}'s.
 */
class S3RegistryTest {
  static S3Server s3;
  static FileSystem raw;

  Workspace ws;
  URI root;

  @BeforeAll
  static void startServer() throws Exception {
    s3 = S3Server.start();
    Configuration c = new Configuration();
    s3.conf().forEach(c::set);
    raw = FileSystem.newInstance(URI.create("s3a://" + S3Server.BUCKET + "/"), c);
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (raw != null) {
      raw.close();
    }
    if (s3 != null) {
      s3.close();
    }
  }

  @BeforeEach
  void open(TestInfo info) {
    root = s3.uri("lakehouse/" + info.getTestMethod().orElseThrow().getName());
    ws = Workspace.open(root, s3.conf());
  }

  @AfterEach
  void close() {
    ws.close();
  }

  private Path at(String rel) {
    return new Path(root.toString() + rel);
  }

  @Test
  void the_workspace_store_is_the_s3_store_and_its_contract_holds() throws Exception {
    assertThat(FileStores.of(ws)).isInstanceOf(S3FileStore.class);
    FileStoreContract.check(FileStores.of(ws).sub("contract"));
    // A directory's claim object is gone after the move; no temp or lock object is left behind.
    assertThat(FileStores.of(ws).files("contract")).extracting(FileStore.Entry::path)
        .noneMatch(p -> p.contains(".mlops-claim") || p.endsWith(".lock") || p.endsWith(".tmp"));
  }

  @Test
  void tracking_run_with_params_metric_history_tags_and_artifacts_on_s3_reads_back(@TempDir java.nio.file.Path tmp)
      throws Exception {
    java.nio.file.Path plot = Files.writeString(tmp.resolve("roc.txt"), "0.1,0.2\n0.3,0.9\n");
    java.nio.file.Path dir = Files.createDirectories(tmp.resolve("eval/sub"));
    Files.writeString(dir.resolve("cm.txt"), "confusion");
    String id;
    try (Run run = Tracking.of(ws).experiment("churn").start("rf-100")) {
      id = run.id();
      run.logParam("trees", 100).logParams(Map.of("depth", 8, "seed", 7));
      for (int step = 0; step < 30; step++) {
        run.logMetric("loss", 1.0 / (step + 1), step);
      }
      run.logMetric("auc", 0.81, 0).logMetric("auc", 0.86, 1);
      run.setTag("team", "growth");
      run.logArtifact(plot, "plots");
      run.logArtifacts(tmp.resolve("eval"), "eval");
      assertThatThrownBy(() -> run.logParam("trees", 200)).isInstanceOf(ParamConflictException.class)
          .hasMessageContaining("trees");
    }
    // The objects are in the bucket, in the same layout as on local disk.
    String runDir = "experiments/churn/runs/" + id + "/";
    for (String f : List.of("meta.json", "params/trees", "metrics/auc.jsonl", "artifacts/plots/roc.txt")) {
      assertThat(raw.exists(at(runDir + f))).as(f).isTrue();
    }
    assertThat(raw.exists(at(runDir + "metrics/.loss.jsonl.lock"))).isFalse();

    try (Workspace again = Workspace.open(root, s3.conf())) {
      Tracking tracking = Tracking.of(again);
      RunInfo info = tracking.getRun(id);
      assertThat(info.status()).isEqualTo(RunStatus.FINISHED);
      assertThat(info.params()).containsEntry("trees", "100").containsEntry("depth", "8").containsEntry("seed", "7");
      assertThat(info.metrics().get("auc").value()).isEqualTo(0.86);
      assertThat(info.tags()).containsEntry("team", "growth");
      assertThat(tracking.metricHistory(id, "auc")).extracting(Metric::value).containsExactly(0.81, 0.86);
      // Every point of a 30-step history, in order (each append rewrote the object whole).
      assertThat(tracking.metricHistory(id, "loss")).extracting(Metric::step)
          .containsExactlyElementsOf(IntStream.range(0, 30).boxed().map(Long::valueOf).toList());
      assertThat(tracking.metricHistory(id, "loss")).extracting(Metric::value)
          .containsExactlyElementsOf(IntStream.range(0, 30).mapToObj(s -> 1.0 / (s + 1)).toList());
      assertThat(tracking.listArtifacts(id)).containsExactly("eval/sub/cm.txt", "plots/roc.txt");
      assertThat(Files.readString(tracking.artifact(id, "plots/roc.txt"))).isEqualTo("0.1,0.2\n0.3,0.9\n");
      assertThat(Files.readString(tracking.artifact(id, "eval").resolve("sub/cm.txt"))).isEqualTo("confusion");
      assertThat(tracking.searchRuns(List.of("churn"), "metrics.auc > 0.85 and params.trees = '100'", "", 10))
          .extracting(RunInfo::runId).containsExactly(id);
      tracking.setTag(id, "review", "ok");
      assertThat(tracking.getRun(id).tags()).containsEntry("review", "ok").containsEntry("team", "growth");
    }
  }

  @Test
  void registry_versions_aliases_tags_and_packages_verified_by_checksum_on_s3() throws Exception {
    Tracking tracking = Tracking.of(ws);
    ModelRegistry registry = ModelRegistry.of(ws);
    String runUri;
    try (Run run = tracking.experiment("churn").start()) {
      run.logModel("model", ModelPackage.builder().model(new HdfsRegistrar.Threshold("spend", 0.5)).build());
      runUri = run.artifactUri("model");
    }
    ModelVersion v1 = registry.register("main.ml.churn", runUri);
    ModelVersion v2 = registry.register("main.ml.churn", runUri);
    assertThat(List.of(v1.version(), v2.version())).containsExactly(1, 2);
    registry.setAlias("main.ml.churn", "champion", 1);
    registry.setAlias("main.ml.churn", "challenger", 2);
    registry.setAlias("main.ml.churn", "challenger", 1); // an alias moves
    registry.setVersionTag("main.ml.churn", 1, "validated", "yes");
    String versions = "registry/main/ml/churn/versions/";
    assertThat(raw.exists(at(versions + "2/package/checksums.json"))).isTrue();
    assertThat(raw.exists(at(versions + "2/version.json"))).isTrue();
    assertThat(raw.exists(at(versions + "2/.mlops-claim"))).isFalse();
    assertThat(FileStores.of(ws).list("registry/main/ml/churn/staging")).isEmpty();

    try (Workspace again = Workspace.open(root, s3.conf())) {
      ModelRegistry reg = ModelRegistry.of(again);
      assertThat(reg.aliases("main.ml.churn")).containsEntry("champion", 1).containsEntry("challenger", 1);
      assertThat(reg.getVersion("main.ml.churn", 1).tags()).containsEntry("validated", "yes");
      assertThat(reg.listModels()).extracting(RegisteredModel::name).containsExactly("main.ml.churn");
      LoadedModel m = reg.load("models:/main.ml.churn@champion");
      assertThat(m.version().orElseThrow().version()).isEqualTo(1);
      assertThat(m.deserialize(HdfsRegistrar.Threshold.class)).isEqualTo(new HdfsRegistrar.Threshold("spend", 0.5));
      // The package is verified against its checksums: an object changed in the bucket is refused.
      Path ser = at(versions + "2/package/model.ser");
      byte[] bytes;
      try (var in = raw.open(ser)) {
        bytes = in.readAllBytes();
      }
      bytes[bytes.length - 1] ^= 1;
      try (var out = raw.create(ser, true)) {
        out.write(bytes);
      }
      assertThatThrownBy(() -> reg.load("models:/main.ml.churn/2")).isInstanceOf(ModelIntegrityException.class)
          .hasMessageContaining("model.ser");
      assertThat(reg.load("models:/main.ml.churn/1").deserialize(HdfsRegistrar.Threshold.class).threshold())
          .isEqualTo(0.5);
    }
  }

  @Test
  @Tag("multiprocess")
  void two_jvms_registering_one_model_get_contiguous_versions_without_duplicates() throws Exception {
    int writers = 2;
    int each = 3;
    List<Integer> versions = new ArrayList<>();
    for (Map.Entry<Integer, String> r : registrars("main.ml.shared", writers, each, s3.conf())) {
      assertThat(r.getKey()).as("registrar exit; output:%n%s", r.getValue()).isZero();
      versions.addAll(registered(r.getValue()));
    }
    List<Integer> all = IntStream.rangeClosed(1, writers * each).boxed().toList();
    assertThat(versions).hasSize(writers * each).doesNotHaveDuplicates();
    assertThat(new TreeSet<>(versions)).containsExactlyElementsOf(all);
    ModelRegistry registry = ModelRegistry.of(ws);
    assertThat(registry.listVersions("main.ml.shared")).extracting(ModelVersion::version).containsExactlyElementsOf(all);
    // Each version holds the package its registration logged (writer*100 + i), each exactly once.
    Set<Double> thresholds = new HashSet<>();
    for (ModelVersion v : registry.listVersions("main.ml.shared")) {
      thresholds.add(registry.load("models:/main.ml.shared/" + v.version()).deserialize(HdfsRegistrar.Threshold.class)
          .threshold());
    }
    assertThat(thresholds).containsExactlyInAnyOrder(0.0, 1.0, 2.0, 100.0, 101.0, 102.0);
  }

  @Test
  @Tag("multiprocess")
  void without_conditional_writes_a_second_registering_process_is_refused_and_nothing_is_lost() throws Exception {
    Map<String, String> off = new HashMap<>(s3.conf());
    off.put("fs.s3a.create.conditional.enabled", "false");
    try (Workspace holder = Workspace.open(root, off)) {
      ModelRegistry registry = ModelRegistry.of(holder);
      String runUri;
      try (Run run = Tracking.of(holder).experiment("churn").start()) {
        run.logModel("model", ModelPackage.builder().model(new HdfsRegistrar.Threshold("spend", 0.5)).build());
        runUri = run.artifactUri("model");
      }
      assertThat(registry.register("main.ml.single", runUri).version()).isEqualTo(1);

      Map.Entry<Integer, String> refused = registrars("main.ml.single", 1, 1, off).get(0);
      assertThat(refused.getKey()).as("second process refused; output:%n%s", refused.getValue()).isEqualTo(3);
      assertThat(refused.getValue()).contains("refused").contains("s3a://lake/lakehouse/")
          .contains("fs.s3a.create.conditional.enabled").contains("one process at a time")
          .doesNotContain(S3Server.SECRET_KEY);
      // This process still registers, and the refused one took no number.
      assertThat(registry.register("main.ml.single", runUri).version()).isEqualTo(2);
    }
    // The holder closed its workspace (its lease is gone): the other process may register now.
    Map.Entry<Integer, String> after = registrars("main.ml.single", 1, 1, off).get(0);
    assertThat(after.getKey()).as("output:%n%s", after.getValue()).isZero();
    assertThat(registered(after.getValue())).containsExactly(3);
    assertThat(ModelRegistry.of(ws).listVersions("main.ml.single")).extracting(ModelVersion::version)
        .containsExactly(1, 2, 3);
  }

  @Test
  void point_in_time_training_set_and_online_publish_on_s3_equal_the_ones_on_local_disk(@TempDir java.nio.file.Path tmp) {
    // Enough rows for several Parquet files and row groups; on local disk the columnar reader runs, on
    // S3 it falls back to Kernel's reader: the rows must be the same.
    Schema customer = Schema.of(Field.of("customer_id", DataType.LONG), Field.of("as_of", DataType.TIMESTAMP),
        Field.of("spend_30d", DataType.DOUBLE), Field.of("segment", DataType.STRING));
    Schema spineSchema = Schema.of(Field.of("customer_id", DataType.LONG), Field.of("event_time", DataType.TIMESTAMP),
        Field.of("churned", DataType.BOOLEAN));
    Instant t0 = Instant.parse("2026-03-01T00:00:00Z");
    Random rnd = new Random(17);
    List<Frame> batches = new ArrayList<>();
    for (int b = 0; b < 2; b++) {
      Frame.Builder fb = Frame.builder(customer);
      for (int i = 0; i < 2_000; i++) {
        long id = rnd.nextInt(1_000);
        fb.row(id, t0.plusSeconds(rnd.nextInt(30 * 86400)), rnd.nextDouble() * 100,
            rnd.nextInt(10) == 0 ? null : "s" + (id % 7));
      }
      batches.add(fb.build());
    }
    Frame.Builder sb = Frame.builder(spineSchema);
    for (int i = 0; i < 1_500; i++) {
      sb.row((long) rnd.nextInt(1_100), t0.plusSeconds(rnd.nextInt(35 * 86400)), rnd.nextBoolean());
    }
    Frame spine = sb.build();
    Frame onS3 = trainingSet(ws, batches, customer, spine);
    Frame onDisk;
    Frame.Builder kb = Frame.builder(Schema.of(Field.of("customer_id", DataType.LONG)));
    for (long id = 0; id < 1_100; id++) {
      kb.row(id);
    }
    Frame keys = kb.build();
    List<String> features = List.of("spend_30d", "segment");
    Frame servedFromDisk;
    int publishedFromDisk;
    try (Workspace local = Workspace.open(tmp); OnlineStore online = OnlineStore.inMemory()) {
      onDisk = trainingSet(local, batches, customer, spine);
      FeatureStore.of(local).publish("main.crm.customer_features", online);
      servedFromDisk = online.lookup("main.crm.customer_features", keys, features);
      publishedFromDisk = online.size("main.crm.customer_features");
    }
    // Online publish from the table on S3 (read through Kernel there) serves the same latest rows.
    try (OnlineStore online = OnlineStore.inMemory()) {
      FeatureStore.of(ws).publish("main.crm.customer_features", online);
      assertThat(publishedFromDisk).isGreaterThan(900);
      assertThat(online.size("main.crm.customer_features")).isEqualTo(publishedFromDisk);
      Frame servedFromS3 = online.lookup("main.crm.customer_features", keys, features);
      assertThat(servedFromS3.rowCount()).isEqualTo(1_100);
      for (String c : features) {
        assertThat(servedFromS3.column(c).toList()).as("online %s", c).isEqualTo(servedFromDisk.column(c).toList());
      }
      assertThat(servedFromS3.column("spend_30d").toList()).filteredOn(v -> v != null).hasSizeGreaterThan(900);
    }
    assertThat(onS3.rowCount()).isEqualTo(1_500);
    assertThat(onS3.schema()).isEqualTo(onDisk.schema());
    for (String c : List.of("customer_id", "event_time", "churned", "spend_30d", "segment")) {
      assertThat(onS3.column(c).toList()).as(c).isEqualTo(onDisk.column(c).toList());
    }
    assertThat(onS3.column("spend_30d").toList()).filteredOn(v -> v != null).hasSizeGreaterThan(1_000);
  }

  private static Frame trainingSet(Workspace w, List<Frame> batches, Schema customer, Frame spine) {
    FeatureStore fs = FeatureStore.of(w);
    fs.createTable("main.crm.customer_features").primaryKeys("customer_id").timestampKey("as_of").create(customer);
    for (Frame b : batches) {
      fs.write("main.crm.customer_features", b, WriteMode.MERGE);
    }
    return fs.trainingSet(spine).lookup(FeatureLookup.table("main.crm.customer_features").lookupKey("customer_id")
        .timestampLookupKey("event_time").features("spend_30d", "segment")).label("churned").build().load();
  }

  /** Runs S3Registrar processes on one model; returns each one's exit code and output. */
  private List<Map.Entry<Integer, String>> registrars(String model, int count, int each, Map<String, String> conf)
      throws Exception {
    java.nio.file.Path dir = Files.createDirectories(java.nio.file.Path.of("target", "s3-registrars"));
    java.nio.file.Path confFile = dir.resolve("conf-" + System.nanoTime() + ".properties");
    Properties p = new Properties();
    p.putAll(conf);
    try (Writer w = Files.newBufferedWriter(confFile)) {
      p.store(w, "S3Registrar configuration");
    }
    String javaBin = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<Process> procs = new ArrayList<>();
    List<java.nio.file.Path> outs = new ArrayList<>();
    for (int w = 0; w < count; w++) {
      java.nio.file.Path out = dir.resolve("registrar-" + w + "-" + System.nanoTime() + ".out");
      outs.add(out);
      procs.add(new ProcessBuilder(javaBin, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp",
          System.getProperty("java.class.path"), S3Registrar.class.getName(), root.toString(), model,
          String.valueOf(w), String.valueOf(each), confFile.toString())
          .redirectErrorStream(true).redirectOutput(out.toFile()).start());
    }
    List<Map.Entry<Integer, String>> results = new ArrayList<>();
    for (int w = 0; w < count; w++) {
      assertThat(procs.get(w).waitFor(4, TimeUnit.MINUTES)).as("registrar %s finished", w).isTrue();
      results.add(Map.entry(procs.get(w).exitValue(), Files.readString(outs.get(w))));
    }
    Files.deleteIfExists(confFile);
    return results;
  }

  private static List<Integer> registered(String output) {
    List<Integer> versions = new ArrayList<>();
    for (String line : output.split("\\R")) {
      if (line.startsWith("version ")) {
        versions.add(Integer.parseInt(line.substring(8).trim()));
      }
    }
    return versions;
  }
}
