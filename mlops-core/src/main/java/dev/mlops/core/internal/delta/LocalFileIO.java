package dev.mlops.core.internal.delta;

import dev.mlops.core.internal.Errors;
import io.delta.kernel.defaults.engine.fileio.FileIO;
import io.delta.kernel.defaults.engine.fileio.InputFile;
import io.delta.kernel.defaults.engine.fileio.OutputFile;
import io.delta.kernel.defaults.engine.fileio.PositionOutputStream;
import io.delta.kernel.defaults.engine.fileio.SeekableInputStream;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Kernel's file I/O for local disks on java.nio. It exists because Kernel's default Hadoop local
 * filesystem path lost commits under concurrent writers (see shared/facts): here a put-if-absent
 * (how a Delta commit claims its version) writes a temp file, forces it to disk, then hard-links it
 * to the target name, which the OS does atomically and refuses when the name exists. No .crc
 * sidecars are written.
 */
final class LocalFileIO implements FileIO {
  private final Map<String, String> conf;
  /**
   * One Hadoop configuration for every Parquet file: Kernel's reader reuses the configuration of a
   * {@link HadoopInputFile} and otherwise parses Hadoop's XML defaults again for each file, which
   * measured as half the CPU of a small commit and most of reading many small files.
   */
  private final org.apache.hadoop.fs.FileSystem sharedFs;

  LocalFileIO(Map<String, String> conf) {
    this.conf = Map.copyOf(conf);
    org.apache.hadoop.conf.Configuration hc = new org.apache.hadoop.conf.Configuration();
    conf.forEach(hc::set);
    // Only its configuration is used (streams are opened below on java.nio). Made directly rather than
    // through FileSystem.get/newInstance, which would log in a Hadoop user (UserGroupInformation, its
    // group mapping and with it NativeCodeLoader: a restricted-method warning on JDK 24+, and Hadoop's
    // security libraries, which the SDK leaves off the class path).
    org.apache.hadoop.fs.RawLocalFileSystem fs = new org.apache.hadoop.fs.RawLocalFileSystem();
    fs.setConf(hc);
    this.sharedFs = fs;
  }

  /** The local path of a kernel path string ("file:/a/b", "file:///a/b" or "/a/b"). */
  static Path toPath(String s) {
    String p = s;
    if (p.startsWith("file:")) {
      p = p.substring(5);
      if (p.startsWith("//")) {
        p = p.substring(p.indexOf('/', 2)); // file://host/path or file:///path
      }
    }
    return Path.of(p);
  }

  /** Kernel's qualified form of a local path. */
  static String toUriString(Path p) {
    return "file:" + p.toAbsolutePath().normalize();
  }

  @Override
  public CloseableIterator<FileStatus> listFrom(String filePath) throws IOException {
    Path start = toPath(filePath);
    Path dir = start.getParent();
    String from = start.getFileName().toString();
    if (!Files.isDirectory(dir)) {
      throw Errors.noSuchDirectory(dir);
    }
    List<FileStatus> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      Iterator<Path> it = s.iterator();
      while (it.hasNext()) {
        Path p = it.next();
        String name = p.getFileName().toString();
        if (name.compareTo(from) >= 0) {
          try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            out.add(FileStatus.of(toUriString(p), a.isDirectory() ? 0 : a.size(),
                a.lastModifiedTime().toMillis()));
          } catch (NoSuchFileException gone) {
            // deleted between list and stat (a temp file): skip
          }
        }
      }
    }
    out.sort((a, b) -> toPath(a.getPath()).getFileName().toString()
        .compareTo(toPath(b.getPath()).getFileName().toString()));
    return Iters.of(out);
  }

  @Override
  public FileStatus getFileStatus(String path) throws IOException {
    Path p = toPath(path);
    try {
      BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
      return FileStatus.of(toUriString(p), a.size(), a.lastModifiedTime().toMillis());
    } catch (NoSuchFileException e) {
      throw Errors.fileNotFound(p);
    }
  }

  @Override
  public String resolvePath(String path) {
    return toUriString(toPath(path));
  }

  @Override
  public boolean mkdirs(String path) throws IOException {
    Files.createDirectories(toPath(path));
    return true;
  }

  @Override
  public InputFile newInputFile(String path, long fileSize) {
    Path p = toPath(path);
    return new io.delta.kernel.defaults.engine.hadoopio.HadoopInputFile(sharedFs,
        new org.apache.hadoop.fs.Path(p.toUri()), fileSize) {
      @Override
      public long length() throws IOException {
        return fileSize >= 0 ? fileSize : Files.size(p);
      }

      @Override
      public String path() {
        return path;
      }

      @Override
      public SeekableInputStream newStream() throws IOException {
        try {
          return new ChannelInput(FileChannel.open(p, StandardOpenOption.READ));
        } catch (NoSuchFileException e) {
          throw Errors.fileNotFound(p);
        }
      }
    };
  }

  @Override
  public OutputFile newOutputFile(String path) {
    Path target = toPath(path);
    return new OutputFile() {
      @Override
      public String path() {
        return path;
      }

      @Override
      public PositionOutputStream create(boolean atomicWrite) throws IOException {
        Files.createDirectories(target.getParent());
        WrittenFiles.opened(path); // so a write that fails half-way can delete what it started
        if (!atomicWrite) {
          return new ChannelOutput(FileChannel.open(target, StandardOpenOption.CREATE,
              StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING), null, null);
        }
        Path tmp = tempFor(target);
        return new ChannelOutput(FileChannel.open(tmp, StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE), tmp, target);
      }

      @Override
      public void writeAtomically(CloseableIterator<String> data, boolean overwrite) throws IOException {
        Files.createDirectories(target.getParent());
        Path tmp = tempFor(target);
        try {
          try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
              OutputStream out = java.nio.channels.Channels.newOutputStream(ch);
              CloseableIterator<String> lines = data) {
            while (lines.hasNext()) {
              out.write(lines.next().getBytes(StandardCharsets.UTF_8));
              out.write('\n');
            }
            out.flush();
            ch.force(true);
          }
          if (overwrite) {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
          } else {
            Files.createLink(target, tmp); // atomic; FileAlreadyExistsException if taken
          }
        } finally {
          Files.deleteIfExists(tmp);
        }
      }
    };
  }

  private static Path tempFor(Path target) {
    return target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
  }

  @Override
  public boolean delete(String path) throws IOException {
    return Files.deleteIfExists(toPath(path));
  }

  @Override
  public Optional<String> getConf(String confKey) {
    return Optional.ofNullable(conf.get(confKey));
  }

  @Override
  public void copyFileAtomically(String srcPath, String destPath, boolean overwrite) throws IOException {
    Path src = toPath(srcPath);
    Path dst = toPath(destPath);
    if (!Files.exists(src)) {
      throw Errors.fileNotFound(src);
    }
    Path tmp = tempFor(dst);
    try {
      Files.copy(src, tmp);
      if (overwrite) {
        Files.move(tmp, dst, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } else {
        Files.createLink(dst, tmp);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** A seekable stream over a file channel. */
  private static final class ChannelInput extends SeekableInputStream {
    private final FileChannel ch;

    ChannelInput(FileChannel ch) {
      this.ch = ch;
    }

    @Override
    public long getPos() throws IOException {
      return ch.position();
    }

    @Override
    public void seek(long newPos) throws IOException {
      ch.position(newPos);
    }

    @Override
    public void readFully(byte[] b, int off, int len) throws IOException {
      ByteBuffer buf = ByteBuffer.wrap(b, off, len);
      while (buf.hasRemaining()) {
        if (ch.read(buf) < 0) {
          throw Errors.endOfFileBeforeRead(buf.remaining());
        }
      }
    }

    @Override
    public int read() throws IOException {
      ByteBuffer one = ByteBuffer.allocate(1);
      int n = ch.read(one);
      return n <= 0 ? -1 : one.get(0) & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      return ch.read(ByteBuffer.wrap(b, off, len));
    }

    @Override
    public long skip(long n) throws IOException {
      long pos = ch.position();
      long to = Math.min(ch.size(), pos + Math.max(0, n));
      ch.position(to);
      return to - pos;
    }

    @Override
    public int available() throws IOException {
      return (int) Math.min(Integer.MAX_VALUE, Math.max(0, ch.size() - ch.position()));
    }

    @Override
    public void close() throws IOException {
      ch.close();
    }
  }

  /** A buffered positioned output; with a temp file it publishes on close (link if absent). */
  private static final class ChannelOutput extends PositionOutputStream {
    private final FileChannel ch;
    private final Path tmp;
    private final Path target;
    private final ByteBuffer buf = ByteBuffer.allocate(1 << 16);
    private long pos;
    private boolean closed;

    ChannelOutput(FileChannel ch, Path tmp, Path target) {
      this.ch = ch;
      this.tmp = tmp;
      this.target = target;
    }

    @Override
    public long getPos() {
      return pos;
    }

    @Override
    public void write(int b) throws IOException {
      if (!buf.hasRemaining()) {
        drain();
      }
      buf.put((byte) b);
      pos++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (len > buf.remaining()) {
        drain();
        if (len > buf.capacity()) {
          ByteBuffer direct = ByteBuffer.wrap(b, off, len);
          while (direct.hasRemaining()) {
            ch.write(direct);
          }
          pos += len;
          return;
        }
      }
      buf.put(b, off, len);
      pos += len;
    }

    private void drain() throws IOException {
      buf.flip();
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      buf.clear();
    }

    @Override
    public void flush() throws IOException {
      drain();
    }

    @Override
    public void close() throws IOException {
      if (closed) {
        return;
      }
      closed = true;
      try {
        drain();
        if (tmp != null) {
          ch.force(true);
        }
      } finally {
        ch.close();
      }
      if (tmp != null) {
        try {
          Files.createLink(target, tmp);
        } catch (FileAlreadyExistsException e) {
          throw e;
        } finally {
          Files.deleteIfExists(tmp);
        }
      }
    }
  }
}
