package dev.mlops.core.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A {@link FileStore} on local disk through java.nio, with exactly the on-disk behaviour the SDK had
 * before the store existed: whole-file writes are a temp file in the same directory, forced to disk,
 * then an atomic move ({@link AtomicFiles#write}); create-if-absent hard-links a fully written temp file
 * ({@link AtomicFiles#createIfAbsent}); rename-if-absent of a directory is an atomic move that fails
 * on a non-empty target, of a file a hard link (which fails on any target) then a delete; locks are an
 * in-JVM lock plus an OS file lock (a killed process releases it with its file descriptors).
 */
public final class LocalFileStore implements FileStore {
  private final Path root;

  /** A store over a local directory (it need not exist yet). */
  public LocalFileStore(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  /** The path of rel under the root. */
  public Path path(String rel) {
    if (rel.isEmpty()) {
      return root;
    }
    if (rel.startsWith("/") || rel.contains("\\")) {
      throw Errors.notRelativeStorePath(rel);
    }
    Path p = root.resolve(rel).normalize();
    if (!p.startsWith(root)) {
      throw Errors.storePathOutsideRoot(rel, root);
    }
    return p;
  }

  @Override
  public URI root() {
    return root.toUri();
  }

  @Override
  public String uri(String rel) {
    return path(rel).toString();
  }

  @Override
  public Optional<Path> localPath(String rel) {
    return Optional.of(path(rel));
  }

  @Override
  public FileStore sub(String rel) {
    return new LocalFileStore(path(rel));
  }

  @Override
  public Optional<byte[]> read(String rel) {
    Path p = path(rel);
    try {
      return Optional.of(Files.readAllBytes(p));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw Errors.cannotReadFile(p, e);
    }
  }

  @Override
  public void write(String rel, byte[] bytes) {
    AtomicFiles.write(path(rel), bytes);
  }

  @Override
  public boolean createIfAbsent(String rel, byte[] bytes) {
    return AtomicFiles.createIfAbsent(path(rel), bytes);
  }

  @Override
  public void append(String rel, byte[] bytes) {
    Path file = path(rel);
    try {
      Files.createDirectories(file.getParent());
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.APPEND)) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(false);
      }
    } catch (IOException e) {
      throw Errors.cannotAppend(file, e);
    }
  }

  @Override
  public boolean exists(String rel) {
    return Files.exists(path(rel));
  }

  @Override
  public boolean isDirectory(String rel) {
    return Files.isDirectory(path(rel));
  }

  @Override
  public List<String> list(String dir) {
    Path d = path(dir);
    List<String> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(d)) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        if (!n.startsWith(".")) {
          out.add(n);
        }
      }
    } catch (NoSuchFileException | java.nio.file.NotDirectoryException e) {
      return List.of();
    } catch (IOException e) {
      throw Errors.cannotList(d, e);
    }
    out.sort(null);
    return out;
  }

  @Override
  public List<Entry> files(String dir) {
    Path d = path(dir);
    if (!Files.isDirectory(d)) {
      return List.of();
    }
    List<Entry> out = new ArrayList<>();
    try (Stream<Path> s = Files.walk(d)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        if (!Files.isRegularFile(p)) {
          continue;
        }
        try {
          out.add(new Entry(d.relativize(p).toString().replace('\\', '/'), Files.size(p),
              Files.getLastModifiedTime(p).toMillis()));
        } catch (NoSuchFileException e) {
          // deleted while listing
        }
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      throw Errors.cannotListFilesUnder(d, e);
    }
    return out;
  }

  @Override
  public OptionalLong modifiedMillis(String rel) {
    try {
      return OptionalLong.of(Files.getLastModifiedTime(path(rel)).toMillis());
    } catch (NoSuchFileException e) {
      return OptionalLong.empty();
    } catch (IOException e) {
      throw Errors.cannotReadModifiedTime(path(rel), e);
    }
  }

  @Override
  public void mkdirs(String dir) {
    Path d = path(dir);
    try {
      Files.createDirectories(d);
    } catch (IOException e) {
      throw Errors.cannotCreateDirectory(d, e);
    }
  }

  @Override
  public boolean delete(String rel) {
    Path p = path(rel);
    try {
      return Files.deleteIfExists(p);
    } catch (IOException e) {
      throw Errors.cannotDelete(p, e.getMessage(), e);
    }
  }

  @Override
  public void deleteTree(String rel) {
    FileTrees.delete(path(rel));
  }

  @Override
  public void deleteTreeQuietly(String rel) {
    FileTrees.deleteQuietly(path(rel));
  }

  @Override
  public boolean renameIfAbsent(String from, String to) {
    Path src = path(from);
    Path dst = path(to);
    try {
      Files.createDirectories(dst.getParent());
      if (Files.isDirectory(src)) {
        try {
          Files.move(src, dst, StandardCopyOption.ATOMIC_MOVE);
          return true;
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
          return false;
        } catch (IOException e) {
          if (Files.exists(dst)) {
            return false;
          }
          throw e;
        }
      }
      try {
        Files.createLink(dst, src); // fails on any existing target, unlike a move
      } catch (FileAlreadyExistsException e) {
        return false;
      }
      Files.deleteIfExists(src);
      return true;
    } catch (IOException e) {
      throw Errors.cannotRename(src.toString(), dst.toString(), e);
    }
  }

  @Override
  public void upload(Path localFile, String rel) {
    Path target = path(rel);
    try {
      Files.createDirectories(target.getParent());
    } catch (IOException e) {
      throw Errors.cannotCreateDirectory(target.getParent(), e);
    }
    Path tmp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
    try {
      Files.copy(localFile, tmp);
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw Errors.cannotCopy(localFile.toString(), target.toString(), e);
    } finally {
      AtomicFiles.deleteQuietly(tmp);
    }
  }

  @Override
  public void download(String rel, Path localFile) {
    Path src = path(rel);
    try {
      Files.createDirectories(localFile.toAbsolutePath().getParent());
      Files.copy(src, localFile, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw Errors.cannotCopy(src.toString(), localFile.toString(), e);
    }
  }

  @Override
  public <T> T withLock(String rel, Supplier<T> body) {
    return FileLocks.withLock(path(rel), body);
  }

  @Override
  public Map<String, String> atomicity() {
    return Map.of(
        "write", "temp file in the same directory, fsync, atomic move over the target",
        "createIfAbsent", "fsynced temp file hard-linked to the target (the link fails if it exists)",
        "renameIfAbsent", "directories: atomic move, refused onto a non-empty directory; files: hard link + delete",
        "lock", "in-JVM lock + OS file lock (released when the process dies)");
  }

  @Override
  public String toString() {
    return "LocalFileStore[" + root + "]";
  }
}
