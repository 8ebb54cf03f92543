package com.example.consumer;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the consumer's program the way its own build would: in a test of the consumer project, with
 * slf4j-simple out of the box (no configuration: INFO for every logger, to System.err). The log lines
 * the loop prints are counted and bounded, so log spam from the SDK or from a library it drives
 * fails the build (the bounds and the README's logger table are kept together).
 */
class LoopTest {
  /** slf4j-simple's default line: "[thread] LEVEL logger - message". */
  private static final Pattern LINE = Pattern.compile("^\\[[^\\]]*\\] (TRACE|DEBUG|INFO|WARN|ERROR) (\\S+) - (.*)$");

  /**
   * Every line the loop may print on System.err, SDK and libraries together. Measured on JDK 17
   * (2026-11-30): 348 = 290 Delta Kernel INFO + 20 Kernel "Cannot find a complete checkpoint" WARN
   * (one per snapshot load of a table with no checkpoint yet: since the SDK checkpoints version 0 of
   * every table it creates, one per create is left, and more are refused below) + 20 Smile (a line per tree) + 8 Hadoop + 10 SDK;
   * JDK 24+ adds Hadoop NativeCodeLoader's restricted-method warning (4 lines). The README's logging
   * section lists the loggers to turn down.
   */
  static final int MAX_LINES = 420;
  /** The SDK's own lines: lifecycle events only (10 measured). */
  static final int MAX_SDK_LINES = 12;

  @TempDir Path dir;

  @Test
  void the_loop_runs_on_the_class_path_maven_resolved_from_the_published_poms_and_logs_little() {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(new Tee(original, captured), true, StandardCharsets.UTF_8));
    try {
      Loop.main(new String[] {dir.resolve("lakehouse").toString()});
    } finally {
      System.setErr(original);
    }
    List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().toList();
    Map<String, Integer> byLogger = new TreeMap<>();
    int sdk = 0;
    int created = 0;
    List<String> kernelWarnings = new java.util.ArrayList<>();
    for (String l : lines) {
      Matcher m = LINE.matcher(l);
      String key = m.matches() ? m.group(1) + " " + top(m.group(2)) : "(not a log line)";
      byLogger.merge(key, 1, Integer::sum);
      if (m.matches() && m.group(2).startsWith("dev.mlops")) {
        sdk++;
        if (m.group(3).startsWith("Created table ")) {
          created++;
        }
      }
      if (m.matches() && m.group(2).startsWith("io.delta") && !m.group(1).equals("INFO")
          && !m.group(1).equals("DEBUG") && !m.group(1).equals("TRACE")) {
        kernelWarnings.add(l);
      }
    }
    System.out.println("LOG LINES " + lines.size() + " (SDK " + sdk + "): " + byLogger);
    if (kernelWarnings.size() > created) {
      // Kernel WARNs "Cannot find a complete checkpoint" on every load of a table without one; the SDK
      // checkpoints version 0 of every table it creates, so only Kernel's own check that a table does not
      // exist yet (once per create) is left.
      throw new AssertionError("Delta Kernel warned " + kernelWarnings.size() + " time(s) for " + created
          + " table(s) created: " + kernelWarnings);
    }
    if (lines.size() > MAX_LINES || sdk > MAX_SDK_LINES) {
      throw new AssertionError("The loop printed " + lines.size() + " lines on System.err (bound " + MAX_LINES
          + "), " + sdk + " of them from the SDK (bound " + MAX_SDK_LINES + "): " + byLogger);
    }
  }

  /** The first three segments of a logger name (io.delta.kernel, org.apache.hadoop, dev.mlops.models). */
  private static String top(String logger) {
    String[] p = logger.split("\\.");
    return String.join(".", java.util.Arrays.copyOf(p, Math.min(3, p.length)));
  }

  /** Writes to both streams. */
  private static final class Tee extends OutputStream {
    private final OutputStream a;
    private final ByteArrayOutputStream b;

    Tee(OutputStream a, ByteArrayOutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public synchronized void write(int c) {
      try {
        a.write(c);
      } catch (java.io.IOException ignored) {
        // the original stream is best effort
      }
      b.write(c);
    }

    @Override
    public synchronized void write(byte[] buf, int off, int len) {
      try {
        a.write(buf, off, len);
      } catch (java.io.IOException ignored) {
        // the original stream is best effort
      }
      b.write(buf, off, len);
    }
  }
}
