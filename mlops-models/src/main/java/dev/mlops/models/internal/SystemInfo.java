package dev.mlops.models.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Where the code runs: SDK, JVM and OS versions, user, host, main class and git state, as the
 * {@code mlops.*} tags recorded on every run. Git is read from the {@code .git} directory found above
 * the working directory; only "dirty" needs the {@code git} command (absent when it is not installed).
 * Collected once per JVM: a long-lived process that edits its own sources is rare.
 */
public final class SystemInfo {
  private SystemInfo() {}

  public static final String SDK_VERSION = "mlops.sdk.version";
  public static final String JAVA_VERSION = "mlops.java.version";
  public static final String JAVA_VENDOR = "mlops.java.vendor";
  public static final String OS_NAME = "mlops.os.name";
  public static final String OS_VERSION = "mlops.os.version";
  public static final String OS_ARCH = "mlops.os.arch";
  public static final String USER = "mlops.user";
  public static final String HOST = "mlops.host";
  public static final String MAIN_CLASS = "mlops.source.main_class";
  public static final String GIT_COMMIT = "mlops.source.git.commit";
  public static final String GIT_BRANCH = "mlops.source.git.branch";
  public static final String GIT_REMOTE = "mlops.source.git.remote";
  public static final String GIT_DIRTY = "mlops.source.git.dirty";

  private static volatile Map<String, String> cached;

  /** The SDK version from the build, or "dev" when running from unpackaged classes without it. */
  public static String sdkVersion() {
    try (InputStream in = SystemInfo.class.getResourceAsStream("sdk.properties")) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        String v = p.getProperty("version", "dev");
        return v.startsWith("${") ? "dev" : v;
      }
    } catch (IOException ignored) {
      // fall through
    }
    return "dev";
  }

  /** Runtime facts only (no git), for model package provenance. */
  public static Map<String, String> runtime() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(SDK_VERSION, sdkVersion());
    m.put(JAVA_VERSION, System.getProperty("java.version", ""));
    m.put(JAVA_VENDOR, System.getProperty("java.vendor", ""));
    m.put(OS_NAME, System.getProperty("os.name", ""));
    m.put(OS_VERSION, System.getProperty("os.version", ""));
    m.put(OS_ARCH, System.getProperty("os.arch", ""));
    return m;
  }

  /** All provenance tags for a run (computed once per JVM). */
  public static Map<String, String> runTags() {
    Map<String, String> c = cached;
    if (c == null) {
      Map<String, String> m = runtime();
      m.put(USER, System.getProperty("user.name", ""));
      m.put(HOST, host());
      mainClass().ifPresent(v -> m.put(MAIN_CLASS, v));
      m.putAll(git(Path.of(System.getProperty("user.dir", ".")).toAbsolutePath()));
      c = Map.copyOf(m);
      cached = c;
    }
    return c;
  }

  /** This machine's host name (HOSTNAME, else the resolver's), or "" when unknown. */
  public static String host() {
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) {
      return env;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "";
    }
  }

  private static Optional<String> mainClass() {
    String cmd = System.getProperty("sun.java.command");
    if (cmd == null || cmd.isBlank()) {
      return Optional.empty();
    }
    String first = cmd.split(" ", 2)[0];
    return Optional.of(first);
  }

  /** Git tags for the work tree containing dir, or none outside a git work tree. */
  public static Map<String, String> git(Path dir) {
    return git(dir, GIT_TIMEOUT);
  }

  /** Git tags for the work tree containing dir, waiting at most timeout for {@code git status}. */
  public static Map<String, String> git(Path dir, java.time.Duration timeout) {
    Map<String, String> m = new LinkedHashMap<>();
    Path top = dir;
    Path dotGit = null;
    while (top != null) {
      Path candidate = top.resolve(".git");
      if (Files.exists(candidate)) {
        dotGit = candidate;
        break;
      }
      top = top.getParent();
    }
    if (dotGit == null) {
      return m;
    }
    try {
      Path gitDir = dotGit;
      if (Files.isRegularFile(dotGit)) { // worktree or submodule: "gitdir: <path>"
        String line = Files.readString(dotGit, StandardCharsets.UTF_8).trim();
        if (!line.startsWith("gitdir:")) {
          return m;
        }
        gitDir = top.resolve(line.substring(7).trim()).normalize();
      }
      Path common = gitDir;
      Path commonFile = gitDir.resolve("commondir");
      if (Files.isRegularFile(commonFile)) {
        common = gitDir.resolve(Files.readString(commonFile, StandardCharsets.UTF_8).trim()).normalize();
      }
      String head = Files.readString(gitDir.resolve("HEAD"), StandardCharsets.UTF_8).trim();
      String commit = null;
      if (head.startsWith("ref:")) {
        String ref = head.substring(4).trim();
        if (ref.startsWith("refs/heads/")) {
          m.put(GIT_BRANCH, ref.substring("refs/heads/".length()));
        }
        commit = resolveRef(gitDir, common, ref);
      } else if (head.matches("[0-9a-f]{40,64}")) {
        commit = head;
      }
      if (commit != null) {
        m.put(GIT_COMMIT, commit);
      }
      remote(common).ifPresent(r -> m.put(GIT_REMOTE, r));
      dirty(top, timeout).ifPresent(d -> m.put(GIT_DIRTY, d.toString()));
    } catch (IOException | RuntimeException e) {
      // an unreadable or unusual repository: record what was found
    }
    return m;
  }

  private static String resolveRef(Path gitDir, Path common, String ref) throws IOException {
    for (Path base : List.of(gitDir, common)) {
      Path f = base.resolve(ref);
      if (Files.isRegularFile(f)) {
        return Files.readString(f, StandardCharsets.UTF_8).trim();
      }
    }
    Path packed = common.resolve("packed-refs");
    if (Files.isRegularFile(packed)) {
      for (String line : Files.readAllLines(packed, StandardCharsets.UTF_8)) {
        if (line.endsWith(" " + ref) && !line.startsWith("#")) {
          return line.substring(0, line.indexOf(' '));
        }
      }
    }
    return null; // unborn branch
  }

  private static Optional<String> remote(Path common) throws IOException {
    Path config = common.resolve("config");
    if (!Files.isRegularFile(config)) {
      return Optional.empty();
    }
    boolean inOrigin = false;
    String first = null;
    boolean inAny = false;
    for (String raw : Files.readAllLines(config, StandardCharsets.UTF_8)) {
      String line = raw.trim();
      if (line.startsWith("[")) {
        inOrigin = line.equals("[remote \"origin\"]");
        inAny = line.startsWith("[remote ");
      } else if (line.startsWith("url") && line.contains("=")) {
        String url = line.substring(line.indexOf('=') + 1).trim();
        if (inOrigin) {
          return Optional.of(url);
        }
        if (inAny && first == null) {
          first = url;
        }
      }
    }
    return Optional.ofNullable(first);
  }

  /** How long {@code git status} may take before the run starts without the "dirty" tag. */
  public static final java.time.Duration GIT_TIMEOUT = java.time.Duration.ofSeconds(5);

  /**
   * Whether the work tree has uncommitted changes, from {@code git status}; empty when git is missing,
   * fails, or does not answer within the deadline (a hung git, e.g. on a stale network mount or a lock,
   * must not hold up the run). The output is read on its own thread so the deadline holds even when git
   * keeps its output open without finishing.
   */
  static Optional<Boolean> dirty(Path workTree, java.time.Duration timeout) {
    Process p;
    try {
      p = new ProcessBuilder("git", "status", "--porcelain", "--untracked-files=no")
          .directory(workTree.toFile()).redirectErrorStream(true).start();
    } catch (IOException e) {
      return Optional.empty(); // git not installed
    }
    java.util.concurrent.atomic.AtomicLong outputBytes = new java.util.concurrent.atomic.AtomicLong();
    Thread reader = new Thread(() -> {
      byte[] buf = new byte[8192];
      try (InputStream in = p.getInputStream()) {
        int n;
        while ((n = in.read(buf)) > 0) {
          outputBytes.addAndGet(n);
        }
      } catch (IOException ignored) {
        // the process was destroyed
      }
    }, "mlops-git-status");
    reader.setDaemon(true);
    try {
      p.getOutputStream().close();
      reader.start();
      long deadline = System.nanoTime() + timeout.toNanos();
      if (!p.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
        return Optional.empty();
      }
      reader.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      if (reader.isAlive()) {
        return Optional.empty(); // git ended but something it started still holds its output
      }
      return p.exitValue() == 0 ? Optional.of(outputBytes.get() > 0) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } finally {
      if (p.isAlive() || reader.isAlive()) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
      }
    }
  }
}
