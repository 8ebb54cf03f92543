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
import dev.mlops.core.Schema;
import dev.mlops.core.StorageAccessException;
import dev.mlops.core.VersionNotFoundException;
import dev.mlops.core.Workspace;
import dev.mlops.features.FeatureLookup;
import dev.mlops.features.FeatureStore;
import dev.mlops.features.WriteMode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A workspace on a real S3-compatible server ({@link S3Server}: S3Proxy in its own process), reached
 * through an {@code s3a://} URI and Hadoop's S3A connector exactly as a user would, with the settings
 * the README gives.
 */
class S3WorkspaceTest {
  static S3Server s3;

  static final Schema SCHEMA = Schema.of(
      Field.of("id", DataType.LONG), Field.of("city", DataType.STRING), Field.of("spend", DataType.DOUBLE));

  Workspace ws;
  URI root;

  @BeforeAll
  static void startServer() throws Exception {
    s3 = S3Server.start();
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (s3 != null) {
      s3.close();
    }
  }

  @BeforeEach
  void open(TestInfo info) {
    // One workspace folder per test: the tests share the server and bucket, not their tables.
    root = s3.uri("lakehouse/" + info.getTestMethod().orElseThrow().getName());
    ws = Workspace.open(root, s3.conf());
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

  static Configuration hadoop(Map<String, String> conf) {
    Configuration c = new Configuration();
    conf.forEach(c::set);
    c.setBoolean("fs.s3a.impl.disable.cache", true);
    return c;
  }

  @Test
  void the_server_refuses_a_second_put_if_none_match_and_s3a_sends_the_header_unless_switched_off()
      throws Exception {
    // The server itself, through the AWS SDK: PUT with If-None-Match: * on an existing key is 412.
    String key = S3Server.key(root.toString()) + "probe/commit.json";
    try (S3Client client = S3Client.builder().endpointOverride(URI.create(s3.endpoint())).region(Region.US_EAST_1)
        .forcePathStyle(true).credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(S3Server.ACCESS_KEY, S3Server.SECRET_KEY))).build()) {
      PutObjectRequest put = PutObjectRequest.builder().bucket(S3Server.BUCKET).key(key).ifNoneMatch("*").build();
      client.putObject(put, RequestBody.fromString("first"));
      assertThatThrownBy(() -> client.putObject(put, RequestBody.fromString("second")))
          .isInstanceOf(S3Exception.class).satisfies(e -> assertThat(((S3Exception) e).statusCode()).isEqualTo(412));
      assertThat(client.getObjectAsBytes(b -> b.bucket(S3Server.BUCKET).key(key)).asUtf8String()).isEqualTo("first");
    }
    // S3A (hadoop-aws 3.4.3) sends it for createFile(..).must("fs.option.create.conditional.overwrite")
    // and says so as a path capability; a second create of the same key fails with the server's 412.
    // Switched off (fs.s3a.create.conditional.enabled=false), the capability is gone and asking fails.
    Path path = new Path(root.resolve("probe/s3a.json"));
    try (FileSystem fs = FileSystem.newInstance(path.toUri(), hadoop(s3.conf()))) {
      assertThat(fs.hasPathCapability(path, CONDITIONAL)).isTrue();
      create(fs, path, "first");
      assertThatThrownBy(() -> create(fs, path, "second")).isInstanceOf(IOException.class)
          .satisfies(e -> assertThat(e.getClass().getSimpleName()).isEqualTo("RemoteFileChangedException"));
      try (var in = fs.open(path)) {
        assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("first");
      }
    }
    Map<String, String> off = new HashMap<>(s3.conf());
    off.put("fs.s3a.create.conditional.enabled", "false");
    try (FileSystem fs = FileSystem.newInstance(path.toUri(), hadoop(off))) {
      assertThat(fs.hasPathCapability(path, CONDITIONAL)).isFalse();
      assertThatThrownBy(() -> create(fs, new Path(root.resolve("probe/other.json")), "x"))
          .isInstanceOf(IOException.class).hasMessageContaining("Conditional Writes Unavailable");
    }
  }

  static final String CONDITIONAL = "fs.option.create.conditional.overwrite";

  /** Creates {@code p} with S3A's conditional create (If-None-Match: *). */
  @SuppressWarnings({"rawtypes", "unchecked"})
  private static void create(FileSystem fs, Path p, String text) throws IOException {
    var b = fs.createFile(p).create().overwrite(false);
    b.must(CONDITIONAL, true);
    try (FSDataOutputStream out = (FSDataOutputStream) b.build()) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  @Test
  void tables_create_append_merge_overwrite_delete_time_travel_and_history_on_s3() {
    DeltaTable t = ws.tables().create("main.crm.customers").schema(SCHEMA).description("Customers").create();
    assertThat(t.location()).startsWith("s3a://lake/");
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

    t.overwrite(rows(r(9L, "Kyiv", 9.0)));
    assertThat(t.read().load().column("id").toLongArray()).containsExactly(9L);
    assertThat(t.read().version(3).load().column("id").toLongArray()).containsExactlyInAnyOrder(2L, 3L);
    List<Commit> h = t.history();
    assertThat(h).extracting(Commit::operation).containsExactly("OVERWRITE", "DELETE", "UPSERT", "APPEND", "CREATE");

    // The objects are really in the server's bucket: the Delta log and Parquet data under the root.
    String log = S3Server.key(t.location()) + "/_delta_log/";
    assertThat(s3.objectFile(log + "00000000000000000004.json")).isRegularFile();
    try (var files = Files.walk(s3.objectFile(S3Server.key(t.location())))) {
      assertThat(files.filter(f -> f.toString().endsWith(".parquet")).count()).isGreaterThanOrEqualTo(4);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    try (Workspace again = Workspace.open(root, s3.conf())) {
      assertThat(again.tables().get("main.crm.customers").read().load().column("id").toLongArray())
          .containsExactly(9L);
    }
  }

  @Test
  void checkpoints_and_vacuum_on_s3() throws Exception {
    DeltaTable t = ws.tables().create("main.crm.events").schema(SCHEMA).create();
    for (long i = 0; i < 11; i++) {
      t.append(rows(r(i, "c" + i, (double) i)));
    }
    String log = S3Server.key(t.location()) + "/_delta_log/";
    // Commits 1..11: the post-commit hook writes a checkpoint at version 10 (interval 10).
    assertThat(s3.objectFile(log + "00000000000000000010.checkpoint.parquet")).isRegularFile();
    t.checkpoint();
    assertThat(s3.objectFile(log + "00000000000000000011.checkpoint.parquet")).isRegularFile();
    try (Workspace again = Workspace.open(root, s3.conf())) {
      DeltaTable back = again.tables().get("main.crm.events");
      assertThat(back.read().load().rowCount()).isEqualTo(11);
      assertThat(back.read().version(5).load().rowCount()).isEqualTo(5);
    }

    // Vacuum lists and deletes through the workspace's S3 store: the default retention keeps every
    // file (all younger than 7 days); a forced zero retention removes every file the latest version
    // does not reference, and the latest version still reads.
    t.overwrite(rows(r(100L, "x", 0.0)));
    java.nio.file.Path dir = s3.objectFile(S3Server.key(t.location()));
    assertThat(dataFiles(dir)).hasSize(12);
    assertThat(t.vacuum().filesDeleted()).isZero();
    var result = t.vacuumForced(Duration.ZERO);
    assertThat(result.filesDeleted()).isEqualTo(11);
    assertThat(result.bytesDeleted()).isPositive();
    assertThat(dataFiles(dir)).hasSize(1);
    try (Workspace again = Workspace.open(root, s3.conf())) {
      assertThat(again.tables().get("main.crm.events").read().load().column("id").toLongArray()).containsExactly(100L);
    }
  }

  /** The data files of a table in the server's filesystem backend. */
  private static List<java.nio.file.Path> dataFiles(java.nio.file.Path table) throws IOException {
    try (var s = Files.walk(table)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".parquet") && !p.toString().contains("_delta_log"))
          .toList();
    }
  }

  @Test
  void feature_table_merge_and_point_in_time_training_set_on_s3() {
    Schema customer = Schema.of(Field.of("customer_id", DataType.LONG), Field.of("as_of", DataType.TIMESTAMP),
        Field.of("spend_30d", DataType.DOUBLE));
    Instant t0 = Instant.parse("2026-03-01T00:00:00Z");
    FeatureStore fs = FeatureStore.of(ws);
    fs.createTable("main.crm.customer_features").primaryKeys("customer_id").timestampKey("as_of").create(customer);
    fs.write("main.crm.customer_features", Frame.builder(customer)
        .row(1L, t0, 10.0).row(1L, t0.plusSeconds(86400), 11.0).row(2L, t0, 20.0).build(), WriteMode.MERGE);
    // A second MERGE replaces one row by its keys and adds one.
    fs.write("main.crm.customer_features", Frame.builder(customer)
        .row(2L, t0, 21.0).row(3L, t0, 30.0).build(), WriteMode.MERGE);

    Schema spineSchema = Schema.of(Field.of("customer_id", DataType.LONG), Field.of("event_time", DataType.TIMESTAMP),
        Field.of("churned", DataType.BOOLEAN));
    Frame spine = Frame.builder(spineSchema).row(1L, t0.plusSeconds(3600), true).row(2L, t0.plusSeconds(3600), false)
        .row(1L, t0.plusSeconds(2 * 86400), false).row(3L, t0.plusSeconds(60), true).build();
    Frame got = fs.trainingSet(spine).lookup(FeatureLookup.table("main.crm.customer_features")
        .lookupKey("customer_id").timestampLookupKey("event_time").features("spend_30d")).label("churned").build()
        .load();
    // Point in time: the first event sees the first day's value, the later one the second day's.
    assertThat(got.column("spend_30d").toList()).containsExactly(10.0, 21.0, 11.0, 30.0);
  }

  @Test
  void two_workspaces_in_one_jvm_appending_to_one_table_lose_no_commit() throws Exception {
    ws.tables().create("main.crm.shared").schema(SCHEMA).create();
    int perWriter = 5;
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Callable<Void>> writers = new ArrayList<>();
      for (int w = 0; w < 2; w++) {
        int writer = w;
        writers.add(() -> {
          // Its own workspace object per writer and no writer lock wait, as two processes would have.
          try (Workspace mine = Workspace.builder(root).hadoopConf(s3.conf()).writerLockWait(Duration.ZERO).open()) {
            DeltaTable t = mine.tables().get("main.crm.shared");
            for (int i = 0; i < perWriter; i++) {
              t.append(rows(r(writer * 1000L + i, "w" + writer, (double) i)));
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

  /** Runs S3Writer processes on one table; returns each one's exit code and output. */
  private List<Map.Entry<Integer, String>> writers(String table, int count, int rounds, Map<String, String> conf)
      throws Exception {
    java.nio.file.Path dir = Files.createDirectories(java.nio.file.Path.of("target", "s3-writers"));
    java.nio.file.Path confFile = dir.resolve("conf-" + System.nanoTime() + ".properties");
    Properties p = new Properties();
    p.putAll(conf);
    try (Writer w = Files.newBufferedWriter(confFile)) {
      p.store(w, "S3Writer configuration");
    }
    String javaBin = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<Process> procs = new ArrayList<>();
    List<java.nio.file.Path> outs = new ArrayList<>();
    for (int w = 0; w < count; w++) {
      java.nio.file.Path out = dir.resolve("writer-" + w + "-" + System.nanoTime() + ".out");
      outs.add(out);
      procs.add(new ProcessBuilder(javaBin, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp",
          System.getProperty("java.class.path"), S3Writer.class.getName(), root.toString(), table, String.valueOf(w),
          String.valueOf(rounds), confFile.toString())
          .redirectErrorStream(true).redirectOutput(out.toFile()).start());
    }
    List<Map.Entry<Integer, String>> results = new ArrayList<>();
    for (int w = 0; w < count; w++) {
      assertThat(procs.get(w).waitFor(4, TimeUnit.MINUTES)).as("writer %s finished", w).isTrue();
      results.add(Map.entry(procs.get(w).exitValue(), Files.readString(outs.get(w))));
    }
    Files.deleteIfExists(confFile);
    return results;
  }

  private static List<Long> committed(String output) {
    List<Long> versions = new ArrayList<>();
    for (String line : output.split("\\R")) {
      if (line.startsWith("committed ")) {
        versions.add(Long.parseLong(line.substring(10).trim()));
      }
    }
    return versions;
  }

  @Test
  @Tag("multiprocess")
  void two_jvms_appending_and_upserting_one_table_lose_no_commit_and_duplicate_no_key() throws Exception {
    ws.tables().create("main.crm.jvms").schema(SCHEMA).create();
    int rounds = 3;
    List<Long> versions = new ArrayList<>();
    for (Map.Entry<Integer, String> r : writers("main.crm.jvms", 2, rounds, s3.conf())) {
      assertThat(r.getKey()).as("writer exit; output:%n%s", r.getValue()).isZero();
      versions.addAll(committed(r.getValue()));
    }
    // Every commit got its own version: none overwrote another's commit file (If-None-Match: * on
    // each _delta_log/N.json; the loser of a race re-plans on the winner's version).
    int commits = 2 * rounds * 2;
    assertThat(versions).hasSize(commits).doesNotHaveDuplicates();
    assertThat(versions).allMatch(v -> v >= 1 && v <= commits);
    DeltaTable t = ws.tables().get("main.crm.jvms");
    assertThat(t.version()).isEqualTo(commits);
    long[] ids = t.read().load().column("id").toLongArray();
    assertThat(ids).hasSize(2 * rounds + 1);
    assertThat(Arrays.stream(ids).distinct().count()).isEqualTo(ids.length);
  }

  @Test
  @Tag("multiprocess")
  void without_conditional_writes_a_second_process_is_refused_and_nothing_is_lost() throws Exception {
    // Conditional writes switched off in the client, as for a store without them: the SDK cannot
    // claim a commit version safely against another process, so one process at a time writes a table.
    Map<String, String> off = new HashMap<>(s3.conf());
    off.put("fs.s3a.create.conditional.enabled", "false");
    DeltaTable mine;
    try (Workspace holder = Workspace.open(root, off)) {
      mine = holder.tables().create("main.crm.single").schema(SCHEMA).create();
      mine.append(rows(r(1L, "Oslo", 1.0)));

      Map.Entry<Integer, String> refused = writers("main.crm.single", 1, 1, off).get(0);
      assertThat(refused.getKey()).as("second process refused; output:%n%s", refused.getValue()).isEqualTo(3);
      assertThat(refused.getValue()).contains("refused").contains("s3a://lake/lakehouse/")
          .contains("main/crm/single").contains("fs.s3a.create.conditional.enabled")
          .contains("one process at a time").doesNotContain(S3Server.SECRET_KEY);
      // Nothing of the refused write landed; this process still writes.
      assertThat(mine.version()).isEqualTo(1);
      assertThat(mine.append(rows(r(2L, "Lima", 2.0))).version()).isEqualTo(2);
    }
    // The holder closed its workspace (its lease is gone): the other process may write now.
    Map.Entry<Integer, String> after = writers("main.crm.single", 1, 1, off).get(0);
    assertThat(after.getKey()).as("output:%n%s", after.getValue()).isZero();
    assertThat(committed(after.getValue())).containsExactly(3L, 4L);
    DeltaTable t = ws.tables().get("main.crm.single");
    assertThat(t.read().load().column("id").toLongArray()).containsExactlyInAnyOrder(1L, 2L, 0L, -1L);
  }

  @Test
  void a_wrong_endpoint_gives_a_typed_error_naming_the_uri_and_what_to_check() {
    // Nothing listens on port 1; few retries, so the failure comes quickly.
    Map<String, String> conf = new HashMap<>(S3Server.conf("http://127.0.0.1:1", S3Server.ACCESS_KEY,
        S3Server.SECRET_KEY));
    conf.put("fs.s3a.attempts.maximum", "1");
    conf.put("fs.s3a.retry.limit", "1");
    conf.put("fs.s3a.retry.interval", "10ms");
    conf.put("fs.s3a.connection.establish.timeout", "2s");
    URI wrong = s3.uri("lakehouse/nowhere");
    try (Workspace bad = Workspace.open(wrong, conf)) {
      assertThatThrownBy(() -> bad.tables().create("main.crm.nowhere").schema(SCHEMA).create())
          .isInstanceOf(StorageAccessException.class).hasMessageContaining(wrong.toString())
          .hasMessageContaining("fs.s3a.endpoint = http://127.0.0.1:1").hasMessageContaining("cannot be reached")
          .satisfies(e -> assertThat(((StorageAccessException) e).root()).isEqualTo(wrong))
          .satisfies(e -> assertThat(everything(e)).doesNotContain(S3Server.SECRET_KEY)
              .doesNotContain(S3Server.ACCESS_KEY));
    }
  }

  @Test
  void wrong_credentials_give_a_typed_error_that_never_shows_them() {
    String wrongSecret = "wrong-secret-Kp42mQ";
    try (Workspace bad = Workspace.open(root, S3Server.conf(s3.endpoint(), S3Server.ACCESS_KEY, wrongSecret))) {
      assertThatThrownBy(() -> bad.tables().create("main.crm.locked").schema(SCHEMA).create())
          .isInstanceOf(StorageAccessException.class).hasMessageContaining(root.toString())
          .hasMessageContaining("refused access").hasMessageContaining("fs.s3a.secret.key")
          .satisfies(e -> assertThat(everything(e)).doesNotContain(wrongSecret).doesNotContain(S3Server.ACCESS_KEY));
    }
    // Nothing was written.
    assertThat(s3.objectFile(S3Server.key(root.toString()) + "tables/main/crm/locked")).doesNotExist();
  }

  /** The exception as printed: messages and stack traces of the whole cause chain. */
  private static String everything(Throwable e) {
    StringWriter w = new StringWriter();
    e.printStackTrace(new PrintWriter(w));
    return w.toString();
  }
}
