package dev.mlops.models;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A child JVM running {@link DeploymentChild}, with its output lines collected (as {@link ChildJvm}). */
final class DeployChildJvm implements AutoCloseable {
  final Process process;
  final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  final List<String> all = java.util.Collections.synchronizedList(new ArrayList<>());

  DeployChildJvm(String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(System.getProperty("java.home") + "/bin/java", "-Xmx256m",
        "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp", System.getProperty("java.class.path"),
        DeploymentChild.class.getName()));
    cmd.addAll(List.of(args));
    process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          all.add(line);
          lines.add(line);
        }
      } catch (IOException ignored) {
        // the process was killed
      }
    });
    reader.setDaemon(true);
    reader.start();
  }

  /** Waits for a line starting with prefix; fails with the child's output when it does not come. */
  String await(String prefix, long seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      String l = lines.poll(100, TimeUnit.MILLISECONDS);
      if (l != null && l.startsWith(prefix)) {
        return l;
      }
      if (l == null && !process.isAlive() && lines.isEmpty()) {
        break;
      }
    }
    throw new AssertionError("Child did not print '" + prefix + "'; exit=" + (process.isAlive() ? "alive"
        : process.exitValue()) + ", output:\n" + String.join("\n", all));
  }

  int waitFor(long seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("Child did not finish in " + seconds + " s; output:\n" + String.join("\n", all));
    }
    return process.exitValue();
  }

  List<String> output() {
    return new ArrayList<>(all);
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
