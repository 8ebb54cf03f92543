package dev.mlops.storage;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real S3-compatible server for the tests: S3Proxy 4.1.0 (its self-contained jar, copied to
 * target/s3proxy by the build) in a process of its own, with its filesystem backend storing objects
 * as files under target/s3-&lt;pid&gt;/ and AWS signature V2/V4 authentication on. Its filesystem
 * backend honours {@code If-None-Match: *} atomically (it publishes a new object with a hard link that
 * fails when the key exists), so two processes racing for one commit file get one 200 and one 412.
 */
final class S3Server implements AutoCloseable {
  /** Test credentials (no real account): the tests check they never appear in messages. */
  static final String ACCESS_KEY = "mlops-test-access-key";
  static final String SECRET_KEY = "mlops-test-secret-Zq81xVb37";
  static final String BUCKET = "lake";

  final int port;
  final Path dataDir;
  private final Process process;
  private final Path log;

  private S3Server(int port, Path dataDir, Process process, Path log) {
    this.port = port;
    this.dataDir = dataDir;
    this.process = process;
    this.log = log;
  }

  /** Starts the server on a free loopback port with bucket {@value #BUCKET}; waits until it answers. */
  static S3Server start() throws Exception {
    String jar = System.getProperty("s3proxy.jar", "target/s3proxy/s3proxy.jar");
    if (!Files.isRegularFile(Path.of(jar))) {
      throw new IllegalStateException("S3Proxy jar not found at " + jar + ": run the tests through Maven"
          + " (mvn -Pstorage -pl storage-tests -am verify), which copies it there");
    }
    Path base = Path.of("target", "s3-" + ProcessHandle.current().pid()).toAbsolutePath();
    Path data = Files.createDirectories(base.resolve("data"));
    Files.createDirectories(data.resolve(BUCKET)); // a bucket is a directory of the filesystem backend
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path props = base.resolve("s3proxy.conf");
    Files.writeString(props, String.join("\n",
        "s3proxy.endpoint=http://127.0.0.1:" + port,
        "s3proxy.authorization=aws-v2-or-v4",
        "s3proxy.identity=" + ACCESS_KEY,
        "s3proxy.credential=" + SECRET_KEY,
        "jclouds.provider=filesystem-nio2",
        "jclouds.filesystem.basedir=" + data,
        ""));
    Path log = base.resolve("s3proxy.log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar,
        "--properties", props.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    S3Server server = new S3Server(port, data, p, log);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (true) {
      if (!p.isAlive()) {
        throw new IllegalStateException("S3Proxy exited (" + p.exitValue() + "):\n" + Files.readString(log));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        break;
      } catch (IOException notYet) {
        if (System.nanoTime() > deadline) {
          server.close();
          throw new IllegalStateException("S3Proxy did not listen on " + port + " within 90 s:\n" + Files.readString(log));
        }
        Thread.sleep(100);
      }
    }
    return server;
  }

  /** The endpoint URL. */
  String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  /**
   * What a user passes to {@code Workspace.open} for this server: endpoint, path-style addressing
   * (S3-compatible servers seldom have per-bucket host names), plain HTTP, region, credentials.
   */
  Map<String, String> conf() {
    return conf(endpoint(), ACCESS_KEY, SECRET_KEY);
  }

  static Map<String, String> conf(String endpoint, String accessKey, String secretKey) {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("fs.s3a.endpoint", endpoint);
    c.put("fs.s3a.endpoint.region", "us-east-1");
    c.put("fs.s3a.path.style.access", "true");
    c.put("fs.s3a.connection.ssl.enabled", "false");
    c.put("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
    c.put("fs.s3a.access.key", accessKey);
    c.put("fs.s3a.secret.key", secretKey);
    return c;
  }

  /** The s3a URI of a folder in the bucket, ending in '/'. */
  URI uri(String folder) {
    return URI.create("s3a://" + BUCKET + "/" + folder + "/");
  }

  /** The local file holding an object of the bucket (the filesystem backend's layout). */
  Path objectFile(String key) {
    return dataDir.resolve(BUCKET).resolve(key);
  }

  /** The server's output so far (for assertion messages). */
  String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** The server's key for an s3a URI of the bucket (path after the bucket). */
  static String key(String s3aUri) {
    URI u = URI.create(s3aUri);
    String p = u.getPath();
    return p.startsWith("/") ? p.substring(1) : p;
  }

  static List<String> lines(String s) {
    return List.of(s.split("\\R"));
  }
}
