package com.example.consumer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The runtime class path Maven resolved for this consumer (the test class path less JUnit's jars and
 * this project's own classes) stays under the SDK's footprint budget. It prints the jars, largest
 * first: that table is where the README's footprint numbers come from.
 */
class FootprintTest {
  /** MB here are 1,000,000 bytes. */
  private static final double MB = 1_000_000.0;

  @org.junit.jupiter.api.Test
  void runtime_jars_fit_the_footprint_budget() {
    double budget = Double.parseDouble(System.getProperty("footprint.max.mb", "60"));
    List<File> jars = new ArrayList<>();
    // Surefire runs the tests through a manifest-only jar and puts the real test class path here
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    for (String entry : cp.split(File.pathSeparator)) {
      File f = new File(entry);
      String p = f.getPath().replace('\\', '/');
      if (!f.isFile() || !p.endsWith(".jar") || testOnly(p)) {
        continue;
      }
      jars.add(f);
    }
    jars.sort(Comparator.comparingLong(File::length).reversed());
    long total = 0;
    StringBuilder table = new StringBuilder();
    for (File j : jars) {
      total += j.length();
      table.append(String.format(Locale.ROOT, "FOOTPRINT %8.2f MB  %s%n", j.length() / MB, j.getName()));
    }
    String summary = String.format(Locale.ROOT, "FOOTPRINT TOTAL: %d jars, %.1f MB (budget %.0f MB)",
        jars.size(), total / MB, budget);
    System.out.print(table);
    System.out.println(summary);
    assertTrue(jars.size() > 10, "found only " + jars.size() + " jars on the test class path: " + jars);
    assertTrue(total / MB <= budget, summary + ": a dependency grew the footprint; see the table above and"
        + " the README's Footprint section");
  }

  /** JUnit and the test runner: test scope, not what the consumer's program ships with. */
  private static boolean testOnly(String path) {
    return path.contains("/org/junit/") || path.contains("/org/opentest4j/") || path.contains("/org/apiguardian/")
        || path.contains("/org/apache/maven/surefire/") || path.contains("/surefire");
  }
}
