package dev.mlops.models.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemInfoTest {
  @TempDir Path dir;

  /** A work tree with a branch and a commit, as git leaves it on disk (read without the git command). */
  private Path workTree() throws Exception {
    Path wt = dir.resolve("repo");
    Files.createDirectories(wt.resolve(".git/refs/heads"));
    Files.writeString(wt.resolve(".git/HEAD"), "ref: refs/heads/main\n");
    Files.writeString(wt.resolve(".git/refs/heads/main"), "0123456789abcdef0123456789abcdef01234567\n");
    return wt;
  }

  /** A fake git on PATH: prints a changed file, then hangs with its output still open. */
  private Path hangingGit() throws Exception {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path git = bin.resolve("git");
    Files.writeString(git, "#!/bin/sh\necho ' M src/Main.java'\nexec sleep 600\n");
    Files.setPosixFilePermissions(git, PosixFilePermissions.fromString("rwxr-xr-x"));
    return bin;
  }

  @Test
  void a_hung_git_does_not_hold_up_provenance_past_the_deadline() throws Exception {
    Path wt = workTree();
    Path bin = hangingGit();
    ProcessBuilder pb = new ProcessBuilder(System.getProperty("java.home") + "/bin/java", "-Xmx64m",
        "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), GitChild.class.getName(), wt.toString())
        .redirectErrorStream(true);
    pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    Process p = pb.start();
    try {
      assertThat(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).as("the child returned").isTrue();
      String out = new String(p.getInputStream().readAllBytes());
      assertThat(out).contains("branch=main").contains("commit=0123456789abcdef").contains("dirty=absent");
      long millis = Long.parseLong(out.replaceAll("(?s).*millis=(\\d+).*", "$1"));
      assertThat(millis).isBetween(400L, 5_000L); // waited for the 500 ms deadline, not for git
    } finally {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
  }

  @Test
  void a_git_that_answers_in_time_reports_a_dirty_tree() throws Exception {
    Path wt = workTree();
    Path bin = Files.createDirectories(dir.resolve("bin2"));
    Path git = bin.resolve("git");
    Files.writeString(git, "#!/bin/sh\necho ' M src/Main.java'\n");
    Files.setPosixFilePermissions(git, PosixFilePermissions.fromString("rwxr-xr-x"));
    ProcessBuilder pb = new ProcessBuilder(System.getProperty("java.home") + "/bin/java", "-Xmx64m",
        "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), GitChild.class.getName(), wt.toString())
        .redirectErrorStream(true);
    pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    Process p = pb.start();
    assertThat(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(new String(p.getInputStream().readAllBytes())).contains("dirty=true");
  }

  /** Prints the git tags of a work tree read with a 500 ms deadline, and how long that took. */
  public static final class GitChild {
    public static void main(String[] args) {
      long start = System.nanoTime();
      Map<String, String> tags = SystemInfo.git(Path.of(args[0]), Duration.ofMillis(500));
      long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
      System.out.println("branch=" + tags.get(SystemInfo.GIT_BRANCH));
      System.out.println("commit=" + tags.get(SystemInfo.GIT_COMMIT));
      System.out.println("dirty=" + tags.getOrDefault(SystemInfo.GIT_DIRTY, "absent"));
      System.out.println("millis=" + millis);
      System.exit(0);
    }
  }
}
