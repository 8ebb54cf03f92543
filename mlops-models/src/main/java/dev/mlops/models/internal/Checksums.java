package dev.mlops.models.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.mlops.core.internal.AtomicFiles;
import dev.mlops.core.internal.Json;
import dev.mlops.models.ModelIntegrityException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * SHA-256 of every file of a model package, kept in {@code checksums.json}
 * ({@code {"algorithm": "SHA-256", "files": {"model.ser": {"sha256": "…", "size": 688}}}}). Files are
 * hashed as streams (64 KiB at a time), never read whole into memory.
 */
public final class Checksums {
  private Checksums() {}

  public static final String FILE = "checksums.json";

  /** A file's digest and size. */
  public record Entry(String sha256, long size) {}

  /** The stored form of checksums.json. */
  public record Manifest(String algorithm, Map<String, Entry> files) {}

  private static final TypeReference<Manifest> MANIFEST = new TypeReference<>() {};

  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw Errors.noSha256(e);
    }
  }

  public static String hex(byte[] digest) {
    return HexFormat.of().formatHex(digest);
  }

  public static String sha256(byte[] bytes) {
    return hex(sha256().digest(bytes));
  }

  /** Streams a file through SHA-256. */
  public static Entry hash(Path file) {
    MessageDigest md = sha256();
    long size = 0;
    byte[] buf = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
        size += n;
      }
    } catch (IOException e) {
      throw Errors.cannotReadToCheck(file, e);
    }
    return new Entry(hex(md.digest()), size);
  }

  /** Writes checksums.json for the given entries; returns the SHA-256 of the manifest itself. */
  public static String write(Path dir, Map<String, Entry> files) {
    byte[] bytes = Json.write(new Manifest("SHA-256", new TreeMap<>(files))).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    AtomicFiles.write(dir.resolve(FILE), bytes);
    return sha256(bytes);
  }

  /** Writes checksums.json without forcing it (the caller forces the staging directory's files together). */
  public static String writeUnsynced(Path dir, Map<String, Entry> files) {
    byte[] bytes = Json.write(new Manifest("SHA-256", new TreeMap<>(files))).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Files2.writeNew(dir.resolve(FILE), bytes);
    return sha256(bytes);
  }

  /** The relative paths of every file under dir except checksums.json ('/'-separated). */
  public static Map<String, Path> files(Path dir, String what) {
    try (Stream<Path> s = Files.walk(dir)) {
      Map<String, Path> out = new TreeMap<>();
      for (Path p : s.collect(Collectors.toList())) {
        if (Files.isSymbolicLink(p)) {
          throw Errors.symlinkInPackage(what, dir.relativize(p));
        }
        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          String rel = dir.relativize(p).toString().replace('\\', '/');
          if (!rel.equals(FILE)) {
            out.put(rel, p);
          }
        }
      }
      return out;
    } catch (IOException e) {
      throw Errors.cannotList(dir, e);
    }
  }

  /**
   * Verifies every file of a package against checksums.json: no file missing, none extra, sizes and
   * digests equal.
   *
   * @param what how to name the package in messages
   * @return the SHA-256 of checksums.json (the digest of the whole package)
   * @throws ModelIntegrityException naming the first file that differs
   */
  public static String verify(Path dir, String what) {
    byte[] manifestBytes;
    try {
      manifestBytes = Files.readAllBytes(dir.resolve(FILE));
    } catch (NoSuchFileException e) {
      throw Errors.noChecksums(what, FILE, dir);
    } catch (IOException e) {
      throw Errors.cannotRead(dir.resolve(FILE), e);
    }
    Manifest m;
    try {
      m = Json.MAPPER.readValue(manifestBytes, MANIFEST);
    } catch (IOException e) {
      throw Errors.damagedChecksums(what, FILE, e);
    }
    if (m.files() == null || !"SHA-256".equals(m.algorithm())) {
      throw Errors.checksumsWithoutSha256(what, FILE);
    }
    Map<String, Path> actual = files(dir, what);
    for (String expected : m.files().keySet()) {
      if (!actual.containsKey(expected)) {
        throw Errors.packageFileMissing(what, expected, FILE, dir);
      }
    }
    for (Map.Entry<String, Path> f : actual.entrySet()) {
      Entry want = m.files().get(f.getKey());
      if (want == null) {
        throw Errors.packageFileUnlisted(what, f.getKey(), FILE, dir);
      }
      long size;
      try {
        size = Files.size(f.getValue());
      } catch (IOException e) {
        throw Errors.cannotRead(f.getValue(), e);
      }
      if (size != want.size()) {
        throw Errors.packageFileSizeChanged(what, f.getKey(), size, want.size());
      }
      Entry got = hash(f.getValue());
      if (!got.sha256().equals(want.sha256())) {
        throw Errors.packageFileModified(what, f.getKey(), want.sha256(), got.sha256());
      }
    }
    return sha256(manifestBytes);
  }

  /** The entries of checksums.json, for callers that already verified it. */
  public static Map<String, Entry> read(Path dir) {
    return Json.readFile(dir.resolve(FILE), Manifest.class).map(Manifest::files).orElse(Map.of());
  }
}
