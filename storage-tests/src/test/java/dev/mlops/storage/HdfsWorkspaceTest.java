package dev.mlops.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.Commit;
import dev.mlops.core.CommitResult;
import dev.mlops.core.DataType;
import dev.mlops.core.DeltaTable;
import dev.mlops.core.Field;
import dev.mlops.core.Filter;
import dev.mlops.core.Frame;
import dev.mlops.core.MlopsException;
import dev.mlops.core.Schema;
import dev.mlops.core.VersionNotFoundException;
import dev.mlops.core.Workspace;
import dev.mlops.features.FeatureLookup;
import dev.mlops.features.FeatureStore;
import dev.mlops.features.TrainingSet;
import dev.mlops.features.WriteMode;
import dev.mlops.core.StorageException;
import dev.mlops.core.VacuumResult;
import dev.mlops.core.internal.FileStore;
import dev.mlops.core.internal.FileStores;
import dev.mlops.core.internal.HadoopFileStore;
import dev.mlops.core.internal.LocalFileStore;
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
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * A workspace on a real HDFS: Hadoop's MiniDFSCluster (a NameNode and one DataNode in this JVM,
 * storing blocks under target/), reached through an {@code hdfs://} URI exactly as a user would.
 */
class HdfsWorkspaceTest {
  static MiniDFSCluster cluster;
  static URI namenode;
  /** What a user passes: one DataNode here, so one replica. */
  static final Map<String, String> CONF = Map.of("dfs.replication", "1");

  static final Schema SCHEMA = Schema.of(
      Field.of("id", DataType.LONG), Field.of("city", DataType.STRING), Field.of("spend", DataType.DOUBLE));

  Workspace ws;
  URI root;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = MiniHdfs.start("workspace");
    namenode = cluster.getURI();
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.shutdown(true);
    }
  }

  @BeforeEach
  void open(TestInfo info) {
    // One workspace directory per test, so the tests share the cluster but not their tables.
    root = URI.create(namenode + "/lakehouse/" + info.getTestMethod().orElseThrow().getName() + "/");
    ws = Workspace.open(root, CONF);
  }

  @AfterEach
  void close() {
    ws.close();
  }

  static Frame rows(Object[]... rows) {
    Frame.Builder b = Frame.builder(SCHEMA);
    for (Object[] r : rows) {
      b.row(r);
    }
    return b.build();
  }

  static Object[] r(Object... v) {
    return v;
  }

  static FileSystem hdfs() throws Exception {
    return cluster.getFileSystem();
  }

  @Test
  void the_workspace_root_is_the_hdfs_uri() {
    assertThat(ws.root().getScheme()).isEqualTo("hdfs");
    assertThat(ws.localRoot()).isEmpty();
  }

  @Test
  void tables_write_read_time_travel_and_history_on_hdfs() throws Exception {
    DeltaTable t = ws.tables().create("main.crm.customers").schema(SCHEMA).description("Customers").create();
    assertThat(t.location()).startsWith("hdfs://");
    Frame first = rows(r(1L, "Oslo", 1.0), r(2L, "Lima", 2.0));
    assertThat(t.append(first).version()).isEqualTo(1);
    Instant afterFirst = t.history().get(0).timestamp();
    CommitResult up = t.upsert(rows(r(2L, "Lima", 20.0), r(3L, "Rome", 3.0)), "id");
    assertThat(up.rowsUpdated()).isEqualTo(1);
    assertThat(up.rowsInserted()).isEqualTo(1);
    t.delete(Filter.eq("id", 1L));

    Frame now = t.read().load();
    assertThat(now.column("id").toLongArray()).containsExactlyInAnyOrder(2L, 3L);
    Frame two = now.filter(i -> now.column("id").getLong(i) == 2L);
    assertThat(two.column("spend").getDouble(0)).isEqualTo(20.0);
    assertThat(t.read().version(1).load()).isEqualTo(first);
    assertThat(t.read().asOf(afterFirst).load()).isEqualTo(first);
    assertThat(t.read().columns("id").filter(Filter.eq("city", "Rome")).load().column("id").toLongArray())
        .containsExactly(3L);
    assertThatThrownBy(() -> t.read().version(99).load()).isInstanceOf(VersionNotFoundException.class)
        .hasMessageContaining("main.crm.customers");
    List<Commit> h = t.history();
    assertThat(h).extracting(Commit::operation).containsExactly("DELETE", "UPSERT", "APPEND", "CREATE");

    // The files are really on HDFS: a Delta log and Parquet data under the workspace root.
    Path log = new Path(t.location(), "_delta_log");
    assertThat(hdfs().exists(new Path(log, "00000000000000000003.json"))).isTrue();
    assertThat(ws.tables().exists("main.crm.customers")).isTrue();
    // Listing walks the HDFS directories as it walks local ones.
    assertThat(ws.catalogs()).containsExactly("main");
    assertThat(ws.schemas("main")).containsExactly("crm");
    assertThat(ws.tables().list("main", "crm")).extracting(Object::toString).containsExactly("main.crm.customers");
    try (Workspace again = Workspace.open(root, CONF)) {
      assertThat(again.tables().get("main.crm.customers").read().load().rowCount()).isEqualTo(2);
    }
  }

  @Test
  void checkpoint_and_vacuum_on_hdfs() throws Exception {
    DeltaTable t = ws.tables().create("main.crm.events").schema(SCHEMA).create();
    for (long i = 0; i < 11; i++) {
      t.append(rows(r(i, "c" + i, (double) i)));
    }
    Path log = new Path(t.location(), "_delta_log");
    // Commits 1..11: the post-commit hook writes a checkpoint at version 10 (interval 10).
    assertThat(hdfs().exists(new Path(log, "00000000000000000010.checkpoint.parquet"))).isTrue();
    t.checkpoint();
    assertThat(hdfs().exists(new Path(log, "00000000000000000011.checkpoint.parquet"))).isTrue();
    try (Workspace again = Workspace.open(root, CONF)) {
      assertThat(again.tables().get("main.crm.events").read().load().rowCount()).isEqualTo(11);
    }

    // Vacuum lists and deletes through Hadoop's FileSystem: the default retention keeps everything
    // (files are younger than 7 days), a forced zero retention removes every file the latest version
    // does not reference.
    t.overwrite(rows(r(100L, "x", 0.0)));
    assertThat(dataFiles(new Path(t.location()))).hasSize(12);
    assertThat(t.vacuum().filesDeleted()).isZero();
    assertThat(t.read().version(5).load().rowCount()).isEqualTo(5);
    // A stale temp file a killed writer left in _delta_log goes too; a fresh one stays.
    Path staleTemp = new Path(log, ".00000000000000000099.json.dead.tmp");
    Path freshTemp = new Path(log, ".00000000000000000098.json.live.tmp");
    hdfs().create(staleTemp).close();
    hdfs().create(freshTemp).close();
    hdfs().setTimes(staleTemp, System.currentTimeMillis() - Duration.ofHours(2).toMillis(), -1);
    VacuumResult r = t.vacuumForced(Duration.ZERO);
    assertThat(r.filesDeleted()).isEqualTo(11);
    assertThat(r.bytesDeleted()).isPositive();
    assertThat(r.tempFilesDeleted()).isEqualTo(1);
    assertThat(dataFiles(new Path(t.location()))).hasSize(1);
    assertThat(hdfs().exists(staleTemp)).isFalse();
    assertThat(hdfs().exists(freshTemp)).isTrue();
    assertThat(t.read().load().column("id").toLongArray()).containsExactly(100L);
    try (Workspace again = Workspace.open(root, CONF)) {
      assertThat(again.tables().get("main.crm.events").read().load().column("id").toLongArray()).containsExactly(100L);
    }
  }

  static List<FileStatus> dataFiles(Path table) throws Exception {
    List<FileStatus> out = new ArrayList<>();
    var it = hdfs().listFiles(table, true);
    while (it.hasNext()) {
      FileStatus s = it.next();
      if (s.getPath().getName().endsWith(".parquet") && !s.getPath().toString().contains("_delta_log")) {
        out.add(s);
      }
    }
    return out;
  }

  @Test
  void feature_table_write_and_point_in_time_training_set_on_hdfs() {
    Schema customer = Schema.of(Field.of("customer_id", DataType.LONG), Field.of("as_of", DataType.TIMESTAMP),
        Field.of("spend_30d", DataType.DOUBLE));
    Instant t0 = Instant.parse("2026-03-01T00:00:00Z");
    FeatureStore fs = FeatureStore.of(ws);
    fs.createTable("main.crm.customer_features").primaryKeys("customer_id").timestampKey("as_of").create(customer);
    fs.write("main.crm.customer_features", Frame.builder(customer)
        .row(1L, t0, 10.0).row(1L, t0.plusSeconds(86400), 11.0).row(2L, t0, 20.0).build(), WriteMode.MERGE);

    Schema spineSchema = Schema.of(Field.of("customer_id", DataType.LONG), Field.of("event_time", DataType.TIMESTAMP),
        Field.of("churned", DataType.BOOLEAN));
    Frame spine = Frame.builder(spineSchema).row(1L, t0.plusSeconds(3600), true).row(2L, t0.plusSeconds(3600), false)
        .row(1L, t0.plusSeconds(2 * 86400), false).build();
    TrainingSet ts = fs.trainingSet(spine).lookup(FeatureLookup.table("main.crm.customer_features")
        .lookupKey("customer_id").timestampLookupKey("event_time").features("spend_30d")).label("churned").build();
    Frame got = ts.load();
    // Point in time: the first event sees the first day's value, the later one the second day's.
    assertThat(got.column("spend_30d").toList()).containsExactly(10.0, 20.0, 11.0);
  }

  @Test
  void tracking_run_with_params_metrics_tags_and_artifacts_on_hdfs_reads_back(@TempDir java.nio.file.Path tmp)
      throws Exception {
    java.nio.file.Path plot = java.nio.file.Files.writeString(tmp.resolve("roc.txt"), "0.1,0.2\n0.3,0.9\n");
    java.nio.file.Path dir = java.nio.file.Files.createDirectories(tmp.resolve("eval/sub"));
    java.nio.file.Files.writeString(dir.resolve("cm.txt"), "confusion");
    String id;
    try (Run run = Tracking.of(ws).experiment("churn").start("rf-100")) {
      id = run.id();
      run.logParam("trees", 100).logParams(Map.of("depth", 8, "seed", 7));
      run.logMetric("auc", 0.81, 0).logMetric("auc", 0.86, 1).logMetric("loss", 0.4);
      run.setTag("team", "growth");
      run.logArtifact(plot, "plots");
      run.logArtifacts(tmp.resolve("eval"), "eval");
      assertThatThrownBy(() -> run.logParam("trees", 200)).isInstanceOf(ParamConflictException.class)
          .hasMessageContaining("trees");
    }
    // The files are on HDFS, in the same layout as on local disk.
    Path runDir = new Path(root.toString() + "experiments/churn/runs/" + id);
    assertThat(hdfs().exists(new Path(runDir, "meta.json"))).isTrue();
    assertThat(hdfs().exists(new Path(runDir, "params/trees"))).isTrue();
    assertThat(hdfs().exists(new Path(runDir, "metrics/auc.jsonl"))).isTrue();
    assertThat(hdfs().exists(new Path(runDir, "artifacts/plots/roc.txt"))).isTrue();

    try (Workspace again = Workspace.open(root, CONF)) {
      Tracking tracking = Tracking.of(again);
      RunInfo info = tracking.getRun(id);
      assertThat(info.status()).isEqualTo(RunStatus.FINISHED);
      assertThat(info.params()).containsEntry("trees", "100").containsEntry("depth", "8").containsEntry("seed", "7");
      assertThat(info.metrics().get("auc").value()).isEqualTo(0.86);
      assertThat(info.tags()).containsEntry("team", "growth");
      assertThat(tracking.metricHistory(id, "auc")).extracting(Metric::value).containsExactly(0.81, 0.86);
      assertThat(tracking.listArtifacts(id)).containsExactly("eval/sub/cm.txt", "plots/roc.txt");
      assertThat(java.nio.file.Files.readString(tracking.artifact(id, "plots/roc.txt"))).isEqualTo("0.1,0.2\n0.3,0.9\n");
      assertThat(java.nio.file.Files.readString(tracking.artifact(id, "eval").resolve("sub/cm.txt"))).isEqualTo("confusion");
      assertThat(tracking.searchRuns(List.of("churn"), "metrics.auc > 0.85 and params.trees = '100'", "", 10))
          .extracting(RunInfo::runId).containsExactly(id);
      assertThat(tracking.searchRuns(List.of("churn"), "metrics.auc > 0.9", "", 10)).isEmpty();
      tracking.setTag(id, "review", "ok");
      assertThat(tracking.getRun(id).tags()).containsEntry("review", "ok").containsEntry("team", "growth");
    }
  }

  @Test
  void registry_register_alias_and_load_with_checksums_on_hdfs() throws Exception {
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
    registry.setVersionTag("main.ml.churn", 1, "validated", "yes");
    assertThat(hdfs().exists(new Path(root.toString() + "registry/main/ml/churn/versions/2/package/checksums.json")))
        .isTrue();
    assertThat(hdfs().listStatus(new Path(root.toString() + "registry/main/ml/churn/staging"))).isEmpty();

    try (Workspace again = Workspace.open(root, CONF)) {
      ModelRegistry reg = ModelRegistry.of(again);
      assertThat(reg.aliases("main.ml.churn")).containsEntry("champion", 1);
      assertThat(reg.getVersion("main.ml.churn", 1).tags()).containsEntry("validated", "yes");
      assertThat(reg.listModels()).extracting(RegisteredModel::name).containsExactly("main.ml.churn");
      LoadedModel m = reg.load("models:/main.ml.churn@champion");
      assertThat(m.version().orElseThrow().version()).isEqualTo(1);
      assertThat(m.deserialize(HdfsRegistrar.Threshold.class)).isEqualTo(new HdfsRegistrar.Threshold("spend", 0.5));
      // The package is verified against its checksums: a file changed on HDFS is refused.
      Path ser = new Path(root.toString() + "registry/main/ml/churn/versions/2/package/model.ser");
      byte[] bytes;
      try (var in = hdfs().open(ser)) {
        bytes = in.readAllBytes();
      }
      bytes[bytes.length - 1] ^= 1;
      try (var out = hdfs().create(ser, true)) {
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
  void two_jvms_registering_one_model_get_contiguous_versions_none_lost() throws Exception {
    int writers = 2;
    int each = 4;
    String javaBin = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
    java.nio.file.Path outDir = java.nio.file.Files.createDirectories(java.nio.file.Path.of("target", "hdfs-registrars"));
    List<Process> procs = new ArrayList<>();
    List<java.nio.file.Path> outs = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      java.nio.file.Path out = outDir.resolve("registrar-" + w + ".out");
      outs.add(out);
      procs.add(new ProcessBuilder(javaBin, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
          HdfsRegistrar.class.getName(), root.toString(), "main.ml.shared", String.valueOf(w), String.valueOf(each))
          .redirectErrorStream(true).redirectOutput(out.toFile()).start());
    }
    List<Integer> versions = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      assertThat(procs.get(w).waitFor(5, java.util.concurrent.TimeUnit.MINUTES)).as("registrar %s finished", w).isTrue();
      String text = java.nio.file.Files.readString(outs.get(w));
      assertThat(procs.get(w).exitValue()).as("registrar %s exit; output:%n%s", w, text).isZero();
      for (String line : text.split("\\R")) {
        if (line.startsWith("version ")) {
          versions.add(Integer.parseInt(line.substring(8).trim()));
        }
      }
    }
    // Every registration got its own number, and the numbers are 1..N with no gap.
    assertThat(versions).hasSize(writers * each).doesNotHaveDuplicates();
    assertThat(new java.util.TreeSet<>(versions)).containsExactlyElementsOf(
        java.util.stream.IntStream.rangeClosed(1, writers * each).boxed().toList());
    ModelRegistry registry = ModelRegistry.of(ws);
    assertThat(registry.listVersions("main.ml.shared")).extracting(ModelVersion::version)
        .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, writers * each).boxed().toList());
    // Each version holds the package its registration logged (writer*100 + i), each exactly once.
    Set<Double> thresholds = new HashSet<>();
    for (ModelVersion v : registry.listVersions("main.ml.shared")) {
      thresholds.add(registry.load("models:/main.ml.shared/" + v.version()).deserialize(HdfsRegistrar.Threshold.class)
          .threshold());
    }
    assertThat(thresholds).containsExactlyInAnyOrder(0.0, 1.0, 2.0, 3.0, 100.0, 101.0, 102.0, 103.0);
  }

  @Test
  void file_store_contract_holds_on_hdfs_and_on_local_disk(@TempDir java.nio.file.Path tmp) throws Exception {
    FileStoreContract.check(FileStores.of(ws).sub("contract"));
    FileStoreContract.check(new LocalFileStore(tmp.resolve("contract")));
  }

  @Test
  void a_filesystem_without_a_known_atomic_rename_is_refused_naming_the_uri(@TempDir java.nio.file.Path tmp) {
    // Hadoop's local filesystem stands in for any scheme the SDK knows no atomic rename for (s3a until
    // its conditional-put store exists): reads work, writes that need atomicity are refused, none lands.
    URI uri = tmp.toUri();
    FileStore refused = HadoopFileStore.create(uri, Map.of());
    assertThatThrownBy(() -> refused.createIfAbsent("a/model.json", new byte[] {1}))
        .isInstanceOf(StorageException.class).hasMessageContaining(uri.toString()).hasMessageContaining("atomic-rename");
    assertThatThrownBy(() -> refused.write("a/model.json", new byte[] {1})).isInstanceOf(StorageException.class);
    assertThatThrownBy(() -> refused.renameIfAbsent("a", "b")).isInstanceOf(StorageException.class);
    assertThat(refused.exists("a/model.json")).isFalse();
    assertThat(refused.list("")).isEmpty();
    // Declared atomic by the user, the same filesystem takes the writes.
    FileStore declared = HadoopFileStore.create(uri, Map.of("mlops.fs.file.atomic-rename", "true"));
    assertThat(declared.createIfAbsent("a/model.json", new byte[] {1})).isTrue();
    assertThat(declared.createIfAbsent("a/model.json", new byte[] {2})).isFalse();
    assertThat(declared.read("a/model.json")).hasValueSatisfying(b -> assertThat(b).containsExactly(1));
  }

  @Test
  void two_writers_appending_to_one_table_lose_no_commit() throws Exception {
    ws.tables().create("main.crm.shared").schema(SCHEMA).create();
    int perWriter = 6;
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Callable<Void>> writers = new ArrayList<>();
      for (int w = 0; w < 2; w++) {
        int writer = w;
        writers.add(() -> {
          // Its own workspace object per writer, as two processes would have.
          try (Workspace mine = Workspace.builder(root).hadoopConf(CONF).writerLockWait(Duration.ZERO).open()) {
            DeltaTable t = mine.tables().get("main.crm.shared");
            for (int i = 0; i < perWriter; i++) {
              long id = writer * 1000L + i;
              t.append(rows(r(id, "w" + writer, (double) i)));
            }
          }
          return null;
        });
      }
      for (Future<Void> f : pool.invokeAll(writers)) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    DeltaTable t = ws.tables().get("main.crm.shared");
    long[] ids = t.read().load().column("id").toLongArray();
    Set<Long> distinct = new HashSet<>();
    Arrays.stream(ids).forEach(distinct::add);
    assertThat(ids).hasSize(2 * perWriter);
    assertThat(distinct).hasSize(2 * perWriter);
    assertThat(t.version()).isEqualTo(2L * perWriter);
  }

  @Test
  void a_wrong_namenode_gives_a_typed_error_naming_the_uri() {
    // Nothing listens on port 1; no retries, so the failure is immediate.
    URI wrong = URI.create("hdfs://localhost:1/lakehouse/");
    try (Workspace bad = Workspace.open(wrong, Map.of("ipc.client.connect.max.retries", "0",
        "ipc.client.connect.max.retries.on.timeouts", "0"))) {
      assertThatThrownBy(() -> bad.tables().create("main.crm.nowhere").schema(SCHEMA).create())
          .isInstanceOf(MlopsException.class).hasMessageContaining("hdfs://localhost:1");
      assertThatThrownBy(() -> Tracking.of(bad)).isInstanceOf(MlopsException.class)
          .hasMessageContaining("hdfs://localhost:1");
      assertThatThrownBy(() -> ModelRegistry.of(bad)).isInstanceOf(MlopsException.class)
          .hasMessageContaining("hdfs://localhost:1");
    }
  }

  @Test
  @Tag("multiprocess")
  void two_jvms_appending_and_upserting_one_table_lose_no_commit_and_duplicate_no_key() throws Exception {
    ws.tables().create("main.crm.jvms").schema(SCHEMA).create();
    int writers = 2;
    int rounds = 3;
    String javaBin = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
    java.nio.file.Path outDir = java.nio.file.Files.createDirectories(java.nio.file.Path.of("target", "hdfs-writers"));
    List<Process> procs = new ArrayList<>();
    List<java.nio.file.Path> outs = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      java.nio.file.Path out = outDir.resolve("writer-" + w + ".out");
      outs.add(out);
      procs.add(new ProcessBuilder(javaBin, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
          HdfsWriter.class.getName(), root.toString(), "main.crm.jvms", String.valueOf(w), String.valueOf(rounds))
          .redirectErrorStream(true).redirectOutput(out.toFile()).start());
    }
    List<Long> versions = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      assertThat(procs.get(w).waitFor(5, java.util.concurrent.TimeUnit.MINUTES)).as("writer %s finished", w).isTrue();
      String text = java.nio.file.Files.readString(outs.get(w));
      assertThat(procs.get(w).exitValue()).as("writer %s exit; output:%n%s", w, text).isZero();
      for (String line : text.split("\\R")) {
        if (line.startsWith("committed ")) {
          versions.add(Long.parseLong(line.substring(10).trim()));
        }
      }
    }
    // Every commit got its own version: none overwrote another's commit file.
    int commits = writers * rounds * 2;
    assertThat(versions).hasSize(commits).doesNotHaveDuplicates();
    assertThat(versions).allMatch(v -> v >= 1 && v <= commits);
    DeltaTable t = ws.tables().get("main.crm.jvms");
    assertThat(t.version()).isEqualTo(commits);
    Frame all = t.read().load();
    long[] ids = all.column("id").toLongArray();
    assertThat(ids).hasSize(writers * rounds + 1);
    assertThat(Arrays.stream(ids).distinct().count()).isEqualTo(ids.length);
  }
}
