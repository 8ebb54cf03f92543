package dev.mlops.core.internal;

import dev.mlops.core.StorageException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * Whole-or-nothing file writes on a local filesystem: write a temp file in the same directory,
 * force it to disk, then atomically move (replace) or hard-link (create-if-absent) it into place.
 * A reader sees the old file or the new one, never half of one.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** Writes bytes to target, replacing it atomically. */
  public static void write(Path target, byte[] bytes) {
    Path tmp = temp(target);
    try {
      writeSynced(tmp, bytes);
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw Errors.filesystemMoveFilesAtomically(target, e);
      }
    } catch (IOException e) {
      throw Errors.cannotWrite(target, e.getMessage(), e);
    } finally {
      deleteQuietly(tmp);
    }
  }

  /**
   * Creates target with these bytes only if it does not exist yet (atomic put-if-absent through a
   * hard link of a fully written temp file).
   *
   * @return true when this call created it, false when it already existed
   */
  public static boolean createIfAbsent(Path target, byte[] bytes) {
    if (Files.exists(target)) {
      return false; // fast path only: the link below is what decides a race
    }
    Path tmp = temp(target);
    try {
      writeSynced(tmp, bytes);
      try {
        Files.createLink(target, tmp);
        return true;
      } catch (FileAlreadyExistsException e) {
        return false;
      } catch (UnsupportedOperationException e) {
        // No hard links (some network filesystems): fall back to an exclusive create + move check.
        try {
          Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
          return true;
        } catch (FileAlreadyExistsException e2) {
          return false;
        }
      }
    } catch (IOException e) {
      throw Errors.cannotCreate(target, e.getMessage(), e);
    } finally {
      deleteQuietly(tmp);
    }
  }

  private static Path temp(Path target) {
    Path dir = target.toAbsolutePath().getParent();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw Errors.createDirectory(dir, e);
    }
    return dir.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
  }

  private static void writeSynced(Path tmp, byte[] bytes) throws IOException {
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        OutputStream out = java.nio.channels.Channels.newOutputStream(ch)) {
      out.write(bytes);
      out.flush();
      ch.force(true);
    }
  }

  /** Deletes a file if present, ignoring failures (for temp files). */
  public static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // a stray temp file is harmless: names start with '.' and end with .tmp
    }
  }
}
