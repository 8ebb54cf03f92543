package dev.mlops.core.internal;

import dev.mlops.core.StorageException;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** Deleting directory trees: strictly (a table drop) or best effort (temp and staging directories). */
public final class FileTrees {
  private FileTrees() {}

  /** Deletes a directory tree; an I/O failure is a {@link StorageException} naming the tree. */
  public static void delete(Path dir) {
    try {
      walkDelete(dir);
    } catch (IOException e) {
      throw Errors.cannotDelete(dir, e.getMessage(), e);
    }
  }

  /** Deletes a directory tree if it exists, ignoring failures. */
  public static void deleteQuietly(Path dir) {
    try {
      walkDelete(dir);
    } catch (IOException ignored) {
      // best effort: callers only use this for temp and staging trees that readers never see
    }
  }

  private static void walkDelete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.deleteIfExists(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
        Files.deleteIfExists(d);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
