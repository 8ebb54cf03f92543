package dev.mlops.core.internal.delta;

import dev.mlops.core.StorageException;
import dev.mlops.core.internal.FileStore;
import dev.mlops.core.internal.Errors;
import io.delta.kernel.Snapshot;
import io.delta.kernel.exceptions.KernelException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delta's VACUUM for a table on local disk or a Hadoop filesystem (through its {@link FileStore}): deletes data files that no version within the retention period
 * references and that are older than it, and temporary files killed writers left in
 * {@code _delta_log}. Files of the version that was current when the retention period began, and of
 * every later version, are never deleted.
 */
final class Vacuum {
  private static final Logger LOG = LoggerFactory.getLogger(Vacuum.class);
  private final TableOps ops;

  Vacuum(TableOps ops) {
    this.ops = ops;
  }

  /** Delta's default retention of files removed from a table (delta.deletedFileRetentionDuration). */
  public static final java.time.Duration DEFAULT_RETENTION = java.time.Duration.ofDays(7);
  /** A temp file in _delta_log this old belongs to a killed writer (a live one keeps it for milliseconds). */
  static final java.time.Duration STALE_TEMP_AGE = java.time.Duration.ofHours(1);

  /** The table's retention: its delta.deletedFileRetentionDuration ("interval N days|hours|...") or 7 days. */
  private static java.time.Duration retentionOf(Snapshot s) {
    String v = s.getTableProperties().get("delta.deletedFileRetentionDuration");
    if (v != null) {
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)\\s*interval\\s+(\\d+)\\s+(week|day|hour|minute|second)s?\\s*")
          .matcher(v);
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2).toLowerCase(java.util.Locale.ROOT)) {
          case "week" -> java.time.Duration.ofDays(7 * n);
          case "day" -> java.time.Duration.ofDays(n);
          case "hour" -> java.time.Duration.ofHours(n);
          case "minute" -> java.time.Duration.ofMinutes(n);
          default -> java.time.Duration.ofSeconds(n);
        };
      }
    }
    return DEFAULT_RETENTION;
  }

  /**
   * Deletes data files that no version within the retention period references and that are older
   * than it (Delta's VACUUM), and stale temporary files killed writers left in {@code _delta_log}.
   * The version that was current at the start of the retention period and every later one stay
   * readable. A retention shorter than the table's (default 7 days) is refused unless forced; null
   * means the table's.
   */
  dev.mlops.core.VacuumResult run(java.time.Duration retention, boolean force) {
    if (retention != null && retention.isNegative()) {
      throw Errors.vacuumTableGotRetention(ops.display(), retention);
    }
    FileStore files = ops.store().filesAt(ops.location());
    try {
      return run(files, retention, force);
    } finally {
      if (files instanceof dev.mlops.core.internal.S3FileStore s3) {
        s3.close(); // its own S3A instance
      }
    }
  }

  private dev.mlops.core.VacuumResult run(FileStore files, java.time.Duration retention, boolean force) {
    java.nio.file.Path localDir = DeltaStore.localPath(ops.location());
    return ops.store().withWriteLock(ops.location(), () -> {
      Snapshot latest = ops.latest();
      java.time.Duration min = retentionOf(latest);
      java.time.Duration retentionUsed = retention == null ? min : retention;
      if (!force && retentionUsed.compareTo(min) < 0) {
        throw Errors.vacuumTableRetentionShorter(ops.display(), retention, min);
      }
      long now = System.currentTimeMillis();
      long cutoff = now - retentionUsed.toMillis();
      List<KernelInternals.CommitSummary> commits;
      try {
        commits = KernelInternals.history(ops.engine(), ops.location(), 0);
      } catch (KernelException e) {
        commits = KernelInternals.history(ops.engine(), ops.location(), ops.earliestLogVersion(latest));
      }
      long keep = commits.isEmpty() ? latest.getVersion() : commits.get(0).version();
      for (KernelInternals.CommitSummary c : commits) {
        if (c.timestampMillis() < cutoff) {
          keep = c.version(); // the version current when the retention period began
        }
      }
      // Referenced files as paths relative to the table directory (what the listing below gives).
      Set<String> referenced = new HashSet<>();
      Snapshot kept = keep == latest.getVersion() ? latest : ops.snapshot(latest, keep, null);
      for (Snapshot s : kept == latest ? List.of(latest) : List.of(kept, latest)) {
        ops.forEachScanFile(s, null, f -> referenced.add(relative(localDir, ops.location(),
            KernelInternals.fileStatus(f).getPath())));
      }
      if (keep < latest.getVersion()) {
        for (String rel : KernelInternals.addedPaths(ops.engine(), ops.location(), keep + 1)) {
          if (rel.contains("://") || rel.startsWith("file:")) {
            referenced.add(relative(localDir, ops.location(), rel));
            continue;
          }
          referenced.add(normalize(rel));
          if (rel.contains(":")) {
            continue;
          }
          try {
            referenced.add(normalize(new java.net.URI(rel).getPath()));
          } catch (java.net.URISyntaxException ignored) {
            // kept in its raw form
          }
        }
      }
      int deleted = 0;
      long bytes = 0;
      int temps = 0;
      long staleBefore = now - STALE_TEMP_AGE.toMillis();
      for (FileStore.Entry e : files.files("")) {
        String rel = e.path();
        if (rel.startsWith("_delta_log/") && rel.indexOf('/', "_delta_log/".length()) < 0) {
          String n = FileStore.name(rel);
          if (n.startsWith(".") && n.endsWith(".tmp") && e.modifiedMillis() < staleBefore && deleteQuietly(files, rel)) {
            temps++;
          }
          continue;
        }
        if (!isDataFile(rel) || referenced.contains(rel) || e.modifiedMillis() >= cutoff) {
          continue;
        }
        if (deleteQuietly(files, rel)) {
          deleted++;
          bytes += e.size();
        }
      }
      if (deleted > 0 || temps > 0) {
        LOG.info("Vacuumed table {}: {} data files ({} bytes), {} stale temp files", ops.display(), deleted, bytes, temps);
      }
      return new dev.mlops.core.VacuumResult(deleted, bytes, temps, keep);
    });
  }

  /** A data file: a .parquet file none of whose path parts starts with '_' or '.' (_delta_log, hidden files). */
  private static boolean isDataFile(String rel) {
    for (String part : rel.split("/")) {
      if (part.startsWith("_") || part.startsWith(".")) {
        return false;
      }
    }
    return rel.endsWith(".parquet");
  }

  private boolean deleteQuietly(FileStore files, String rel) {
    try {
      return files.delete(rel);
    } catch (StorageException e) {
      LOG.debug("vacuum of {} could not delete {}: {}", ops.display(), rel, e.toString());
      return false;
    }
  }

  /** An absolute file path or URI as a path relative to the table directory ("../x" when outside it). */
  static String relative(java.nio.file.Path localDir, String location, String file) {
    if (localDir != null) {
      java.nio.file.Path p = DeltaStore.localPath(file);
      if (p == null) {
        return file;
      }
      return localDir.toAbsolutePath().normalize().relativize(p.toAbsolutePath().normalize()).toString()
          .replace('\\', '/');
    }
    String dir = new org.apache.hadoop.fs.Path(location).toUri().getPath();
    String path = new org.apache.hadoop.fs.Path(file).toUri().getPath();
    String prefix = dir.endsWith("/") ? dir : dir + "/";
    return path.startsWith(prefix) ? normalize(path.substring(prefix.length())) : "../" + path;
  }

  private static String normalize(String rel) {
    return java.nio.file.Path.of(rel).normalize().toString().replace('\\', '/');
  }
}
