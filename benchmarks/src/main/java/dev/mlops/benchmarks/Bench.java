package dev.mlops.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Small helpers shared by the benchmark mains: timing with warm-up and repetitions, order
 * statistics, Markdown tables, temp directories. No JMH: each measurement is a whole operation
 * (seconds, not nanoseconds), repeated a few times after warm-up, and reported as median and min.
 */
public final class Bench {
  private Bench() {}

  /** Integer system property with a default (lets a smoke run use fewer rows or repetitions). */
  public static int intProp(String name, int def) {
    String v = System.getProperty(name);
    return v == null || v.isBlank() ? def : Integer.parseInt(v.trim().replace("_", ""));
  }

  /** Boolean system property with a default. */
  public static boolean boolProp(String name, boolean def) {
    String v = System.getProperty(name);
    return v == null || v.isBlank() ? def : Boolean.parseBoolean(v.trim());
  }

  /** A timed body; may throw anything (a failure fails the benchmark run). */
  @FunctionalInterface
  public interface Body {
    void run() throws Exception;
  }

  /** Untimed preparation before each repetition (e.g. create a fresh table). */
  @FunctionalInterface
  public interface Setup {
    void run(int repetition) throws Exception;
  }

  /**
   * Runs {@code warmup} untimed then {@code reps} timed repetitions; returns the wall-clock seconds of
   * each timed one, and the CPU seconds the calling thread used (on a shared, busy machine the CPU
   * time of a single-threaded operation is the steadier number).
   */
  public static Samples measure(String label, int warmup, int reps, Setup setup, Body body) throws Exception {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    double[] out = new double[reps];
    double[] cpu = new double[reps];
    for (int i = 0; i < warmup + reps; i++) {
      if (setup != null) {
        setup.run(i);
      }
      long c0 = mx.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      body.run();
      long t1 = System.nanoTime();
      long c1 = mx.getCurrentThreadCpuTime();
      double s = (t1 - t0) / 1e9;
      double c = (c1 - c0) / 1e9;
      boolean warm = i < warmup;
      if (!warm) {
        out[i - warmup] = s;
        cpu[i - warmup] = c;
      }
      progress("%-44s %s %d: %.3f s (thread CPU %.3f s)", label, warm ? "warm-up" : "rep    ",
          warm ? i + 1 : i - warmup + 1, s, c);
    }
    return new Samples(out, cpu);
  }

  /** Seconds of several runs. */
  public static final class Samples {
    private final double[] sorted;
    private final double[] cpuSorted;

    public Samples(double[] seconds) {
      this(seconds, null);
    }

    public Samples(double[] seconds, double[] cpuSeconds) {
      this.sorted = seconds.clone();
      Arrays.sort(sorted);
      this.cpuSorted = cpuSeconds == null ? null : cpuSeconds.clone();
      if (cpuSorted != null) {
        Arrays.sort(cpuSorted);
      }
    }

    /** Median CPU seconds of the measuring thread, or NaN when not recorded. */
    public double cpuMedian() {
      if (cpuSorted == null) {
        return Double.NaN;
      }
      int n = cpuSorted.length;
      return n % 2 == 1 ? cpuSorted[n / 2] : (cpuSorted[n / 2 - 1] + cpuSorted[n / 2]) / 2;
    }

    public double median() {
      int n = sorted.length;
      return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    public double min() {
      return sorted[0];
    }

    public double max() {
      return sorted[sorted.length - 1];
    }

    /** Nearest-rank percentile (p in 0..100). */
    public double percentile(double p) {
      int rank = (int) Math.ceil(p / 100.0 * sorted.length);
      return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    public int count() {
      return sorted.length;
    }
  }

  /** A line of progress on stderr (stdout carries only the result tables). */
  public static void progress(String fmt, Object... args) {
    System.err.println("[bench] " + String.format(Locale.ROOT, fmt, args));
    System.err.flush();
  }

  /**
   * The machine as a reader of tail latencies needs it: CPUs, the load average, and whether the Linux
   * kernel's DAMON runs (a {@code kdamond} with a {@code pageout} scheme is proactive reclaim; on the
   * 2-vCPU VM of docs/benchmarks.md it alone moved a scoring server's {@code -c4} p99 median from 0.24
   * to 0.89 ms). E.g. {@code "2 CPUs, load 0.52 / 0.61 / 0.70, DAMON kdamonds on: 1 [pageout]"}.
   */
  public static String machine() {
    StringBuilder sb = new StringBuilder(Runtime.getRuntime().availableProcessors() + " CPUs, load " + load());
    Path kdamonds = Path.of("/sys/kernel/mm/damon/admin/kdamonds");
    if (Files.isDirectory(kdamonds)) {
      try {
        int on = 0;
        java.util.Set<String> actions = new java.util.TreeSet<>();
        for (Path k : numbered(kdamonds)) {
          if (Files.readString(k.resolve("state")).trim().equals("on")) {
            on++;
            for (Path context : numbered(k.resolve("contexts"))) {
              for (Path scheme : numbered(context.resolve("schemes"))) {
                actions.add(Files.readString(scheme.resolve("action")).trim());
              }
            }
          }
        }
        sb.append(", DAMON kdamonds on: ").append(on).append(actions.isEmpty() ? "" : " " + actions);
      } catch (IOException | RuntimeException e) {
        sb.append(", DAMON state unreadable");
      }
    }
    return sb.toString();
  }

  /** The 1, 5 and 15 minute load averages ("?" off Linux). */
  public static String load() {
    try {
      String[] p = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return p[0] + " / " + p[1] + " / " + p[2];
    } catch (Exception e) {
      return "?";
    }
  }

  /** The numbered entries of a sysfs folder (0, 1, ...). */
  private static List<Path> numbered(Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    try (var ds = Files.newDirectoryStream(dir, "[0-9]*")) {
      ds.forEach(out::add);
    }
    return out;
  }

  public static String fmt(String f, Object... args) {
    return String.format(Locale.ROOT, f, args);
  }

  /** 1234567 → "1.23 M". */
  public static String perSecond(double v) {
    if (v >= 1e6) {
      return fmt("%.2f M", v / 1e6);
    }
    if (v >= 1e3) {
      return fmt("%.1f k", v / 1e3);
    }
    return fmt("%.1f", v);
  }

  /** A Markdown table, printed to stdout when done. */
  public static final class Table {
    private final String title;
    private final String[] header;
    private final List<String[]> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    public Table(String title, String... header) {
      this.title = title;
      this.header = header;
    }

    public Table row(String... cells) {
      if (cells.length != header.length) {
        throw new IllegalArgumentException("row has " + cells.length + " cells, header " + header.length);
      }
      rows.add(cells);
      return this;
    }

    public Table note(String text) {
      notes.add(text);
      return this;
    }

    public String render() {
      StringBuilder sb = new StringBuilder();
      sb.append("### ").append(title).append("\n\n");
      line(sb, header);
      String[] sep = new String[header.length];
      Arrays.fill(sep, "---");
      line(sb, sep);
      for (String[] r : rows) {
        line(sb, r);
      }
      if (!notes.isEmpty()) {
        sb.append('\n');
        for (String n : notes) {
          sb.append("- ").append(n).append('\n');
        }
      }
      return sb.toString();
    }

    private static void line(StringBuilder sb, String[] cells) {
      sb.append('|');
      for (String c : cells) {
        sb.append(' ').append(c.replace("|", "\\|")).append(" |");
      }
      sb.append('\n');
    }

    public void print() {
      System.out.println(render());
      System.out.flush();
    }
  }

  /** A new directory under /tmp (or java.io.tmpdir). */
  public static Path tempDir(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deletes a directory tree (quietly does nothing when it is gone). */
  public static void deleteTree(Path dir) {
    if (dir != null) {
      dev.mlops.core.internal.FileTrees.delete(dir);
    }
  }


  /** Total size in bytes of regular files under dir whose name ends with suffix. */
  public static long sizeOf(Path dir, String suffix) {
    try (var s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().endsWith(suffix))
          .mapToLong(p -> {
            try {
              return Files.size(p);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          }).sum();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
