package dev.mlops.core.internal.delta;

import dev.mlops.core.StorageAccessException;
import dev.mlops.core.internal.Errors;
import io.delta.kernel.defaults.engine.fileio.FileIO;
import io.delta.kernel.defaults.engine.fileio.InputFile;
import io.delta.kernel.defaults.engine.fileio.OutputFile;
import io.delta.kernel.defaults.engine.fileio.PositionOutputStream;
import io.delta.kernel.defaults.engine.hadoopio.HadoopFileIO;
import io.delta.kernel.defaults.engine.hadoopio.HadoopInputFile;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Kernel's file I/O for a workspace on remote storage ({@code hdfs://}, {@code s3a://}, ...):
 * <ul>
 *   <li>A failure to reach the store or to be let in (connection refused, unknown host, timeout, no
 *       such bucket, wrong or missing credentials) becomes a {@link StorageAccessException} naming the
 *       workspace URI and the settings to check. Credentials from the Hadoop configuration and the
 *       environment are removed from every message, the cause's included.
 *   <li>{@code s3a://} paths go through S3A {@link FileSystem} instances of this workspace's own
 *       ({@link FileSystem#newInstance}, closed with the workspace), not Hadoop's JVM-wide cache,
 *       which keys instances by scheme and bucket only: a second workspace on the same bucket would
 *       otherwise silently run with the first one's endpoint and credentials. Their commits claim a
 *       version through {@link S3Commits} (an S3 conditional write, else a writer lease); Kernel's
 *       own choice for s3a ({@code S3SingleDriverLogStore}) is safe for one JVM only. An S3 PUT is
 *       atomic (nothing is visible before the object is complete), so other files are written
 *       directly.
 *   <li>Other schemes are Kernel's {@link HadoopFileIO} (for {@code hdfs:} a commit is a rename
 *       that fails when the target exists).
 * </ul>
 */
final class RemoteFileIO implements FileIO {
  private final HadoopFileIO hadoop;
  private final URI root;
  private final Configuration hc;
  private final List<String> secrets;
  private final Map<String, FileSystem> own = new ConcurrentHashMap<>();
  /** The commit path of s3a tables (made on first use). */
  private volatile S3Commits s3;

  RemoteFileIO(URI root, Configuration hc, Map<String, String> conf) {
    this.hadoop = new HadoopFileIO(hc);
    this.root = root;
    this.hc = hc;
    this.secrets = secrets(conf);
  }

  private S3Commits s3() {
    S3Commits c = s3;
    if (c == null) {
      synchronized (this) {
        if (s3 == null) {
          s3 = new S3Commits(root, hc);
        }
        c = s3;
      }
    }
    return c;
  }

  private static boolean isS3a(String path) {
    return path.regionMatches(true, 0, "s3a:", 0, 4);
  }

  /** This workspace's FileSystem of an s3a path's bucket (created on first use). */
  private FileSystem fs(Path p) throws IOException {
    URI u = p.toUri();
    String key = u.getScheme().toLowerCase(Locale.ROOT) + "://" + u.getAuthority();
    FileSystem f = own.get(key);
    if (f == null) {
      synchronized (own) {
        f = own.get(key);
        if (f == null) {
          f = FileSystem.newInstance(URI.create(key + "/"), hc);
          own.put(key, f);
        }
      }
    }
    return f;
  }

  /** Gives up this workspace's S3 writer leases and closes its S3A instances. */
  void close() {
    S3Commits c = s3;
    if (c != null) {
      c.releaseLeases();
    }
    for (FileSystem f : own.values()) {
      try {
        f.close();
      } catch (IOException | RuntimeException e) {
        // closing releases threads and connections; nothing is left to write
      }
    }
    own.clear();
  }

  @Override
  public CloseableIterator<FileStatus> listFrom(String filePath) throws IOException {
    try {
      if (!isS3a(filePath)) {
        return hadoop.listFrom(filePath);
      }
      Path p = new Path(filePath);
      String from = p.getName();
      List<FileStatus> out = new ArrayList<>();
      for (org.apache.hadoop.fs.FileStatus st : fs(p).listStatus(p.getParent())) {
        if (st.getPath().getName().compareTo(from) >= 0) {
          out.add(FileStatus.of(st.getPath().toString(), st.getLen(), st.getModificationTime()));
        }
      }
      out.sort(Comparator.comparing(f -> new Path(f.getPath()).getName()));
      return Iters.of(out);
    } catch (IOException | RuntimeException e) {
      throw failure(e, "list", filePath);
    }
  }

  @Override
  public FileStatus getFileStatus(String path) throws IOException {
    try {
      if (!isS3a(path)) {
        return hadoop.getFileStatus(path);
      }
      Path p = new Path(path);
      org.apache.hadoop.fs.FileStatus st = fs(p).getFileStatus(p);
      return FileStatus.of(st.getPath().toString(), st.getLen(), st.getModificationTime());
    } catch (IOException | RuntimeException e) {
      throw failure(e, "read the status of", path);
    }
  }

  @Override
  public String resolvePath(String path) throws IOException {
    try {
      if (!isS3a(path)) {
        return hadoop.resolvePath(path);
      }
      Path p = new Path(path);
      return fs(p).makeQualified(p).toString();
    } catch (IOException | RuntimeException e) {
      throw failure(e, "resolve", path);
    }
  }

  @Override
  public boolean mkdirs(String path) throws IOException {
    try {
      if (!isS3a(path)) {
        return hadoop.mkdirs(path);
      }
      Path p = new Path(path);
      return fs(p).mkdirs(p);
    } catch (IOException | RuntimeException e) {
      throw failure(e, "create the directory", path);
    }
  }

  @Override
  public InputFile newInputFile(String path, long fileSize) {
    if (!isS3a(path)) {
      return hadoop.newInputFile(path, fileSize);
    }
    Path p = new Path(path);
    try {
      return new HadoopInputFile(fs(p), p, fileSize);
    } catch (IOException e) {
      throw uncheckedFailure(e, "read", path);
    }
  }

  @Override
  public OutputFile newOutputFile(String path) {
    if (!isS3a(path)) {
      OutputFile out = hadoop.newOutputFile(path);
      return new OutputFile() {
        @Override
        public String path() {
          return out.path();
        }

        @Override
        public PositionOutputStream create(boolean putIfAbsent) throws IOException {
          try {
            return out.create(putIfAbsent);
          } catch (IOException | RuntimeException e) {
            throw failure(e, "write", path);
          }
        }

        @Override
        public void writeAtomically(CloseableIterator<String> data, boolean overwrite) throws IOException {
          try {
            out.writeAtomically(data, overwrite);
          } catch (IOException | RuntimeException e) {
            throw failure(e, "write", path);
          }
        }
      };
    }
    Path p = new Path(path);
    return new OutputFile() {
      @Override
      public String path() {
        return path;
      }

      @Override
      public PositionOutputStream create(boolean putIfAbsent) throws IOException {
        // Data and checkpoint files: a new name each (or the same content), visible only when complete.
        try {
          return new Stream(fs(p).create(p, true));
        } catch (IOException | RuntimeException e) {
          throw failure(e, "write", path);
        }
      }

      @Override
      public void writeAtomically(CloseableIterator<String> data, boolean overwrite) throws IOException {
        try {
          byte[] body = lines(data);
          if (overwrite) {
            try (FSDataOutputStream out = fs(p).create(p, true)) {
              out.write(body);
            }
          } else {
            s3().putIfAbsent(fs(p), p, body);
          }
        } catch (IOException | RuntimeException e) {
          throw failure(e, "write", path);
        }
      }
    };
  }

  /** Each line followed by a newline, as Delta's log stores write JSON actions. */
  private static byte[] lines(CloseableIterator<String> data) throws IOException {
    try (data) {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      while (data.hasNext()) {
        b.write(data.next().getBytes(StandardCharsets.UTF_8));
        b.write('\n');
      }
      return b.toByteArray();
    }
  }

  @Override
  public boolean delete(String path) throws IOException {
    try {
      if (!isS3a(path)) {
        return hadoop.delete(path);
      }
      Path p = new Path(path);
      return fs(p).delete(p, false);
    } catch (IOException | RuntimeException e) {
      throw failure(e, "delete", path);
    }
  }

  @Override
  public Optional<String> getConf(String confKey) {
    return hadoop.getConf(confKey);
  }

  @Override
  public void copyFileAtomically(String srcPath, String destPath, boolean overwrite) throws IOException {
    try {
      if (!isS3a(srcPath) || !isS3a(destPath)) {
        hadoop.copyFileAtomically(srcPath, destPath, overwrite);
        return;
      }
      Path src = new Path(srcPath);
      Path dst = new Path(destPath);
      byte[] body;
      try (InputStream in = fs(src).open(src)) {
        body = in.readAllBytes();
      }
      if (overwrite) {
        try (FSDataOutputStream out = fs(dst).create(dst, true)) {
          out.write(body);
        }
      } else {
        s3().putIfAbsent(fs(dst), dst, body);
      }
    } catch (IOException | RuntimeException e) {
      throw failure(e, "copy", srcPath);
    }
  }

  /** Kernel's output stream over a Hadoop one. */
  private static final class Stream extends PositionOutputStream {
    private final FSDataOutputStream out;

    Stream(FSDataOutputStream out) {
      this.out = out;
    }

    @Override
    public long getPos() throws IOException {
      return out.getPos();
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }

    @Override
    public void close() throws IOException {
      out.close();
    }
  }

  // ------------------------------------------------------------------ errors

  /**
   * The error to throw for a failed call: a {@link StorageAccessException} (thrown here) when the
   * store could not be reached or refused access; the error itself otherwise (a missing file, a
   * claimed commit version and the SDK's own exceptions keep their meaning for Kernel and the caller).
   */
  private IOException failure(Exception e, String op, String path) {
    if (!(e instanceof FileNotFoundException || e instanceof dev.mlops.core.MlopsException
        || e instanceof java.nio.file.FileAlreadyExistsException)) {
      String why = accessProblem(e);
      if (why != null) {
        throw Errors.storeAccessFailed(op, scrub(path), root, why, whatToCheck(), scrubbed(e));
      }
    }
    if (e instanceof RuntimeException r) {
      throw r;
    }
    return (IOException) e;
  }

  /** {@link #failure} for a method that cannot throw IOException. */
  private UncheckedIOException uncheckedFailure(Exception e, String op, String path) {
    return new UncheckedIOException(failure(e, op, path));
  }

  /** What kind of access failure {@code e} is, as a sentence; null when it is none. */
  static String accessProblem(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String n = t.getClass().getName();
      String m = String.valueOf(t.getMessage());
      if (t instanceof java.nio.file.AccessDeniedException || n.endsWith("AccessControlException")
          || m.contains("InvalidAccessKeyId") || m.contains("SignatureDoesNotMatch")
          || m.contains("403 Forbidden") || m.contains("(403)") || m.contains("Status Code: 403")) {
        return "the store refused access (wrong or missing credentials, or no permission on this path).";
      }
      if (n.endsWith("NoAuthWithAWSException") || n.endsWith("CredentialInitializationException")) {
        return "no credentials were found for the store.";
      }
      if (n.endsWith("UnknownStoreException") || m.contains("NoSuchBucket")) {
        return "the bucket does not exist (or is not visible with these credentials).";
      }
      if (t instanceof java.net.UnknownHostException) {
        return "the host of the endpoint is unknown.";
      }
      if (t instanceof java.net.ConnectException || t instanceof java.net.NoRouteToHostException
          || t instanceof java.net.SocketTimeoutException || n.endsWith("ConnectTimeoutException")
          || n.endsWith("HttpHostConnectException") || m.contains("Connection refused")
          || m.contains("Unable to execute HTTP request")) {
        return "the store's endpoint cannot be reached (" + firstLine(t) + ").";
      }
    }
    return null;
  }

  private String whatToCheck() {
    String scheme = root.getScheme() == null ? "" : root.getScheme().toLowerCase(Locale.ROOT);
    if (scheme.equals("s3a")) {
      String endpoint = hc.getTrimmed("fs.s3a.endpoint", "");
      return "Check the endpoint (fs.s3a.endpoint" + (endpoint.isEmpty() ? " is not set: AWS S3"
          : " = " + scrub(endpoint)) + "; fs.s3a.path.style.access=true for most S3-compatible servers;"
          + " fs.s3a.endpoint.region), that the bucket '" + root.getHost() + "' exists, and the credentials"
          + " (fs.s3a.access.key and fs.s3a.secret.key, or the provider chain in"
          + " fs.s3a.aws.credentials.provider, or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY).";
    }
    return "Check the host and port of " + root + " and the Hadoop configuration passed to Workspace.open"
        + " (for HDFS the NameNode address and security settings).";
  }

  private static String firstLine(Throwable t) {
    String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    int nl = m.indexOf('\n');
    m = nl < 0 ? m : m.substring(0, nl);
    return m.length() > 200 ? m.substring(0, 200) + "..." : m;
  }

  /** The error as a cause to keep: its type name, message and stack, and its causes, credentials removed. */
  private IOException scrubbed(Throwable e) {
    Throwable c = e.getCause() == null || e.getCause() == e ? null : e.getCause();
    IOException copy = new IOException(scrub(e.getClass().getName() + ": " + e.getMessage()),
        c == null ? null : scrubbed(c));
    copy.setStackTrace(e.getStackTrace());
    return copy;
  }

  /** {@code s} with every configured credential replaced by "****". */
  String scrub(String s) {
    if (s == null) {
      return null;
    }
    String out = s;
    for (String secret : secrets) {
      out = out.replace(secret, "****");
    }
    return out;
  }

  /**
   * Credential values that must never appear in a message: Hadoop settings whose names mark them as
   * secrets (access and secret keys, session tokens, account keys, passwords) and the AWS environment.
   */
  static List<String> secrets(Map<String, String> conf) {
    List<String> out = new ArrayList<>();
    conf.forEach((k, v) -> {
      String key = k.toLowerCase(Locale.ROOT);
      if (v != null && v.length() >= 4 && (key.endsWith("access.key") || key.endsWith("secret.key")
          || key.contains("session.token") || key.contains("account.key") || key.contains("password")
          || key.contains("secret") || key.endsWith(".sas.token"))) {
        out.add(v);
      }
    });
    for (String env : List.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")) {
      String v = System.getenv(env);
      if (v != null && v.length() >= 4) {
        out.add(v);
      }
    }
    return List.copyOf(out);
  }
}
