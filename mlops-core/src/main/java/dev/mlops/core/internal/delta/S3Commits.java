package dev.mlops.core.internal.delta;

import dev.mlops.core.UnsafeConcurrentWriteException;
import dev.mlops.core.internal.Errors;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * How a commit claims its version on S3 ({@code s3a://}): Delta's rule is that exactly one writer
 * may create {@code _delta_log/N.json}. S3 has no rename-if-absent; it has conditional writes
 * ({@code PUT} with {@code If-None-Match: *}: 412 Precondition Failed when the key exists), which
 * hadoop-aws 3.4.2+ sends when a file is created with the builder option
 * {@code fs.option.create.conditional.overwrite} (HADOOP-19256).
 *
 * <p>Whether the store honours them is found out once per bucket and workspace by a probe under the
 * workspace's {@code .mlops/probe/}: a conditional create of a new key, then a second one of the same
 * key, which must be refused. Then:
 * <ul>
 *   <li><b>Conditional writes work</b>: every commit file is created with the condition; a 412 becomes
 *       {@link java.nio.file.FileAlreadyExistsException}, which Kernel and {@link CommitLoop} treat
 *       as "another writer committed this version first" (rebase or re-plan). Any number of
 *       processes may write one table.
 *   <li><b>They do not</b> (switched off by {@code fs.s3a.create.conditional.enabled=false}, a
 *       hadoop-aws without them, a server that refuses or ignores the header): a commit first renews
 *       this process's writer lease of the table (an object of its own under the workspace's
 *       {@code .mlops/writers/<table hash>/}) and lists the others'; a lease another process renewed
 *       within the lease time ({@value #DEFAULT_LEASE_SECONDS} s, {@code mlops.s3.writer-lease-seconds})
 *       refuses the write with {@link UnsafeConcurrentWriteException}, saying why and how to fix.
 *       Writing one's own lease before listing means two processes starting together cannot both
 *       miss each other on a store with read-after-write listings (S3 is): at least one refuses.
 *       Within this JVM commits to a table take turns on a lock, and a commit file that exists is
 *       never overwritten (checked just before the write). A lease is given up when the workspace
 *       closes. What it cannot cover: a process paused for longer than the lease time between its
 *       check and its write.
 * </ul>
 *
 * <p>The workspace's other files that must be created exactly once (tracking and registry: params,
 * registry version numbers, lock files) use the same two paths through
 * {@link #createIfAbsent(FileSystem, Path, byte[], Path, String)} (see {@code S3FileStore}); their
 * lease covers all of the workspace's metadata at once rather than one table.
 */
public final class S3Commits {
  /** The Hadoop builder option that makes S3A send {@code If-None-Match: *} (hadoop-aws 3.4.2+). */
  static final String CONDITIONAL = "fs.option.create.conditional.overwrite";
  /** How long a writer lease lasts after a process's last commit, by default. */
  static final int DEFAULT_LEASE_SECONDS = 120;
  /** Workspace setting for the lease time in seconds. */
  static final String LEASE_SECONDS = "mlops.s3.writer-lease-seconds";

  /** This process's name in leases: pid, host and a random part (two JVMs never share it). */
  static final String OWNER = ProcessHandle.current().pid() + "@" + host() + "-"
      + UUID.randomUUID().toString().substring(0, 8);

  /** Commits to one table take turns within this JVM when leases protect it. */
  private static final Map<String, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

  private final URI root;
  private final Configuration hc;
  private final long leaseMillis;
  /** Per bucket: "" when conditional writes work, else why not. */
  private final Map<String, String> unavailable = new ConcurrentHashMap<>();
  /** This process's leases: where, and the FileSystem to delete them with. */
  private final Map<Path, FileSystem> held = new ConcurrentHashMap<>();

  /**
   * The commit path of one workspace.
   *
   * @param root the workspace root (probe objects and leases go under its {@code .mlops/})
   * @param hc the workspace's Hadoop configuration
   */
  public S3Commits(URI root, Configuration hc) {
    this.root = root;
    this.hc = hc;
    this.leaseMillis = 1000L * Math.max(1, hc.getInt(LEASE_SECONDS, DEFAULT_LEASE_SECONDS));
  }

  /**
   * Creates {@code p} with {@code body} unless it exists; {@link java.nio.file.FileAlreadyExistsException}
   * when it does (another writer claimed that commit version).
   */
  void putIfAbsent(FileSystem fs, Path p, byte[] body) throws IOException {
    Path table = p.getParent().getParent();
    put(fs, p, body, table, null);
  }

  /**
   * Creates {@code p} with {@code body} unless it exists, for a file that must be created exactly once
   * among all processes (a registry version number, a param, a lock file): with a conditional write
   * when the store applies them, else under this process's writer lease of {@code scope} (another
   * process holding one refuses the write with {@link UnsafeConcurrentWriteException}).
   *
   * <p>A 412 answered to a retry of this very PUT is told apart by the body: a caller that needs to
   * know whether it won a race writes bodies no other writer writes (an owner id, a random part);
   * for equal bodies either answer leaves the file as both callers wanted it.
   *
   * @param fs the S3A filesystem of p
   * @param p the object to create
   * @param body its bytes
   * @param scope what one lease covers (e.g. the workspace root for its metadata)
   * @param what the scope in words, for the refusal's message
   * @return true when this call created it, false when it existed
   * @throws IOException when the store fails
   */
  public boolean createIfAbsent(FileSystem fs, Path p, byte[] body, Path scope, String what) throws IOException {
    try {
      put(fs, p, body, scope, what);
      return true;
    } catch (java.nio.file.FileAlreadyExistsException e) {
      return false;
    }
  }

  /** Whether conditional writes work on p's bucket (probed once), or why not. */
  String conditionalWrites(FileSystem fs, Path p) {
    return unavailable.computeIfAbsent(bucket(p), k -> probe(fs, p));
  }

  private void put(FileSystem fs, Path p, byte[] body, Path scope, String what) throws IOException {
    String why = conditionalWrites(fs, p);
    if (why.isEmpty()) {
      try {
        claim(fs, p, body);
        return;
      } catch (NotConditional e) {
        why = e.getMessage();
        unavailable.put(bucket(p), why);
      }
    }
    leasedCreate(fs, p, body, why, scope, what);
  }

  /**
   * A conditional create, with the two answers that do not mean "another writer has it" told apart
   * from the one that does. A 412 can answer a retry of this very PUT (the AWS SDK and S3A retry a
   * request whose answer was lost, e.g. a timeout under load, and the first attempt may have
   * landed): then the object holds exactly this body (a commit names its own transaction id), and
   * the version is ours. A 412 for a key that is not there (seen under heavy load) is retried.
   */
  private void claim(FileSystem fs, Path p, byte[] body) throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        conditionalCreate(fs, p, body);
        return;
      } catch (java.nio.file.FileAlreadyExistsException e) {
        byte[] there = readIfExists(fs, p);
        if (there != null && java.util.Arrays.equals(there, body)) {
          return; // our own write: its first attempt landed, a retry of it got the 412
        }
        if (there != null || attempt >= 3) {
          throw e; // another writer's commit of this version (or an answer that does not settle)
        }
      }
    }
  }

  private static byte[] readIfExists(FileSystem fs, Path p) throws IOException {
    try (java.io.InputStream in = fs.open(p)) {
      return in.readAllBytes();
    } catch (java.io.FileNotFoundException e) {
      return null;
    }
  }

  /** Deletes this process's writer leases (the workspace is closing). */
  public void releaseLeases() {
    held.forEach((lease, fs) -> {
      try {
        fs.delete(lease, false);
      } catch (IOException | RuntimeException e) {
        // it expires by itself after the lease time
      }
    });
    held.clear();
  }

  // ------------------------------------------------------------------ conditional writes

  /** The store does not apply the condition; the message says why. */
  private static final class NotConditional extends IOException {
    private static final long serialVersionUID = 1L;

    NotConditional(String message) {
      super(message);
    }
  }

  /**
   * Creates {@code p} with {@code If-None-Match: *}, checked by the store when the stream closes
   * (the single PUT). Whether S3A sends the header is its path capability
   * {@value #CONDITIONAL} (hadoop-aws 3.4.3 does not report it on the stream). Hadoop's
   * {@code createFile} builder is a raw type.
   */
  @SuppressWarnings({"rawtypes", "unchecked"})
  private void conditionalCreate(FileSystem fs, Path p, byte[] body) throws IOException {
    if (!fs.hasPathCapability(p, CONDITIONAL)) {
      throw new NotConditional(switchedOff(p) ? SWITCHED_OFF
          : Errors.s3ConnectorWithoutPathCapability(StorageConnectors.hadoopVersion(), CONDITIONAL));
    }
    FSDataOutputStream out;
    try {
      var b = fs.createFile(p).create().overwrite(false).recursive();
      b.must(CONDITIONAL, true);
      out = b.build();
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      throw new NotConditional(switchedOff(p) ? SWITCHED_OFF : oldConnector(e.getMessage()));
    } catch (IOException e) {
      if (String.valueOf(e.getMessage()).contains("Conditional Writes Unavailable")) {
        throw new NotConditional(switchedOff(p) ? SWITCHED_OFF : oldConnector(e.getMessage()));
      }
      throw asConflict(e, p);
    }
    boolean done = false;
    try {
      out.write(body);
      out.close();
      done = true;
    } catch (IOException e) {
      throw asConflict(e, p);
    } finally {
      if (!done) {
        abort(out);
      }
    }
  }

  private static String oldConnector(String detail) {
    return Errors.s3ConnectorWithoutConditionalCreates(StorageConnectors.hadoopVersion(), detail);
  }

  /** A refused precondition as Kernel's "file exists" signal; any other error as it is. */
  private static IOException asConflict(IOException e, Path p) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String n = t.getClass().getSimpleName();
      String m = String.valueOf(t.getMessage());
      if (t instanceof java.nio.file.FileAlreadyExistsException) {
        return (java.nio.file.FileAlreadyExistsException) t;
      }
      if (t instanceof org.apache.hadoop.fs.FileAlreadyExistsException || n.equals("RemoteFileChangedException")
          || m.contains("PreconditionFailed") || m.contains("Precondition Failed") || m.contains("Status Code: 412")
          || m.contains("ConditionalRequestConflict")) {
        java.nio.file.FileAlreadyExistsException x = new java.nio.file.FileAlreadyExistsException(p.toString(),
            null, "another writer created it first");
        x.initCause(e);
        return x;
      }
    }
    return e;
  }

  private static void abort(FSDataOutputStream out) {
    try {
      out.abort();
    } catch (RuntimeException e) {
      try {
        out.close();
      } catch (IOException | RuntimeException ignored) {
        // nothing more to do
      }
    }
  }

  /**
   * "" when the store applies {@code If-None-Match: *}, else why not: a conditional create of a new
   * key must succeed and a second one of the same key must be refused.
   */
  private String probe(FileSystem fs, Path commitFile) {
    Path probe = sameBucket(commitFile)
        ? new Path(root.resolve(".mlops/probe/put-if-absent-" + UUID.randomUUID()))
        : new Path(commitFile.getParent(), ".mlops-probe-" + UUID.randomUUID() + ".tmp");
    byte[] body = "probe\n".getBytes(StandardCharsets.UTF_8);
    try {
      try {
        conditionalCreate(fs, probe, body);
      } catch (NotConditional e) {
        return e.getMessage();
      } catch (IOException e) {
        if (RemoteFileIO.accessProblem(e) != null) {
          throw new java.io.UncheckedIOException(e);
        }
        return "the store refused a conditional write (" + firstLine(e) + ")";
      }
      try {
        conditionalCreate(fs, probe, body);
        return "the store at " + endpoint() + " accepted a second conditional write (If-None-Match: *) to an"
            + " existing key, so it ignores the condition";
      } catch (java.nio.file.FileAlreadyExistsException e) {
        return "";
      } catch (IOException e) {
        return "the store answered a conditional write to an existing key with an error instead of 412"
            + " Precondition Failed (" + firstLine(e) + ")";
      }
    } finally {
      try {
        fs.delete(probe, false);
      } catch (IOException | RuntimeException e) {
        // a leftover probe object is harmless
      }
    }
  }

  // ------------------------------------------------------------------ writer leases

  private void leasedCreate(FileSystem fs, Path p, byte[] body, String why, Path table, String what)
      throws IOException {
    ReentrantLock lock = JVM_LOCKS.computeIfAbsent(table.toString(), k -> new ReentrantLock());
    lock.lock();
    try {
      renewAndCheck(fs, table, why, what);
      if (fs.exists(p)) {
        throw Errors.commitCreatedByAnotherWriter(p.toString());
      }
      try (FSDataOutputStream out = fs.create(p, false)) {
        out.write(body);
      } catch (IOException e) {
        throw asConflict(e, p);
      }
    } finally {
      lock.unlock();
    }
  }

  /** Renews this process's lease of {@code table}; refuses when another process holds one. */
  private void renewAndCheck(FileSystem fs, Path table, String why, String what) throws IOException {
    Path dir = new Path(root.resolve(".mlops/writers/" + hash(table.toString()) + "/"));
    Path own = new Path(dir, OWNER + ".lease");
    try (FSDataOutputStream out = fs.create(own, true)) {
      out.write(("owner=" + OWNER + "\ntable=" + table + "\n").getBytes(StandardCharsets.UTF_8));
    }
    held.put(own, fs);
    long mine = fs.getFileStatus(own).getModificationTime();
    for (FileStatus st : fs.listStatus(dir)) {
      String name = st.getPath().getName();
      if (name.equals(own.getName()) || !name.endsWith(".lease")) {
        continue;
      }
      long age = mine - st.getModificationTime();
      if (age < leaseMillis) {
        try {
          fs.delete(own, false); // so that the other writer is not blocked by this refused one
        } finally {
          held.remove(own);
        }
        String other = name.substring(0, name.length() - ".lease".length());
        if (what != null) {
          throw Errors.unsafeConcurrentMetadataWrite(what, table.toString(), other, Math.max(0, age / 1000), why,
              leaseMillis / 1000, LEASE_SECONDS);
        }
        throw Errors.unsafeConcurrentWrite(table.toString(), other, Math.max(0, age / 1000), why, leaseMillis / 1000,
            LEASE_SECONDS);
      }
    }
  }

  // ------------------------------------------------------------------ helpers

  private static final String SWITCHED_OFF = Errors.s3ConditionalWritesSwitchedOff();

  /** True when the Hadoop configuration switches S3A's conditional creates off for {@code p}'s bucket. */
  private boolean switchedOff(Path p) {
    String perBucket = hc.getTrimmed("fs.s3a.bucket." + bucket(p) + ".create.conditional.enabled");
    String v = perBucket != null ? perBucket : hc.getTrimmed("fs.s3a.create.conditional.enabled");
    return v != null && v.equalsIgnoreCase("false");
  }

  private boolean sameBucket(Path p) {
    return bucket(p).equals(root.getHost() == null ? "" : root.getHost().toLowerCase(Locale.ROOT));
  }

  private static String bucket(Path p) {
    String h = p.toUri().getHost();
    return h == null ? "" : h.toLowerCase(Locale.ROOT);
  }

  private String endpoint() {
    String e = hc.getTrimmed("fs.s3a.endpoint", "");
    return e.isEmpty() ? "the default AWS endpoint" : e;
  }

  private static String firstLine(Throwable t) {
    String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    int nl = m.indexOf('\n');
    m = nl < 0 ? m : m.substring(0, nl);
    return m.length() > 200 ? m.substring(0, 200) + "..." : m;
  }

  private static String hash(String s) {
    try {
      byte[] h = java.security.MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(h, 0, 12);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String host() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9.-]", "_");
    } catch (IOException | RuntimeException e) {
      return "unknown-host";
    }
  }
}
