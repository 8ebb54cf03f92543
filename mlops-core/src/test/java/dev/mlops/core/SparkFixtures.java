package dev.mlops.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/** The committed Spark fixture tables (src/test/resources/spark-tables), copied for a test to change. */
final class SparkFixtures {
  private SparkFixtures() {}

  /** The fixture table's folder among the test resources. */
  static Path resource(String name) {
    try {
      return Path.of(SparkFixtures.class.getResource("/spark-tables/" + name).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("no fixture table " + name + " under src/test/resources/spark-tables", e);
    }
  }

  /** The fixture copied to {@code target} (once) and opened there by path. */
  static DeltaTable open(Workspace ws, String name, Path target) {
    if (!Files.exists(target)) {
      copyTree(resource(name), target);
    }
    return ws.tables().atPath(target.toString());
  }

  /** Copies a folder tree, keeping file times. */
  static void copyTree(Path from, Path to) {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path dst = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(dst);
        } else {
          Files.copy(p, dst, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
