package dev.mlops.core.internal.delta;

import dev.mlops.core.MlopsException;
import dev.mlops.core.StorageException;
import dev.mlops.core.internal.Errors;
import io.delta.kernel.Snapshot;
import io.delta.kernel.exceptions.KernelException;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delta's VACUUM for a local table: deletes data files that no version within the retention period
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
    java.nio.file.Path dir = DeltaStore.localPath(ops.location());
    if (dir == null) {
      throw Errors.vacuumTableNeedsTable(ops.display(), ops.location());
    }
    if (retention != null && retention.isNegative()) {
      throw Errors.vacuumTableGotRetention(ops.display(), retention);
    }
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
      Set<java.nio.file.Path> referenced = new HashSet<>();
      Snapshot kept = keep == latest.getVersion() ? latest : ops.snapshot(latest, keep, null);
      for (Snapshot s : kept == latest ? List.of(latest) : List.of(kept, latest)) {
        ops.forEachScanFile(s, null, f -> referenced.add(DeltaStore.localPath(KernelInternals.fileStatus(f).getPath())
            .toAbsolutePath().normalize()));
      }
      if (keep < latest.getVersion()) {
        for (String rel : KernelInternals.addedPaths(ops.engine(), ops.location(), keep + 1)) {
          referenced.add(dir.resolve(rel).toAbsolutePath().normalize());
          try {
            if (!rel.contains(":")) {
              referenced.add(dir.resolve(new java.net.URI(rel).getPath()).toAbsolutePath().normalize());
            }
          } catch (java.net.URISyntaxException ignored) {
            // kept in its raw form
          }
        }
      }
      int[] files = {0};
      long[] bytes = {0};
      try (java.util.stream.Stream<java.nio.file.Path> walk = java.nio.file.Files.walk(dir)) {
        walk.filter(p -> !p.equals(dir)).filter(p -> {
          for (java.nio.file.Path part : dir.relativize(p)) {
            String n = part.toString();
            if (n.startsWith("_") || n.startsWith(".")) {
              return false; // _delta_log, _change_data, hidden files: not data files
            }
          }
          return p.getFileName().toString().endsWith(".parquet") && java.nio.file.Files.isRegularFile(p);
        }).forEach(p -> {
          try {
            if (!referenced.contains(p.toAbsolutePath().normalize())
                && java.nio.file.Files.getLastModifiedTime(p).toMillis() < cutoff) {
              long size = java.nio.file.Files.size(p);
              java.nio.file.Files.delete(p);
              files[0]++;
              bytes[0] += size;
            }
          } catch (IOException e) {
            LOG.debug("vacuum of {} could not delete {}: {}", ops.display(), p, e.toString());
          }
        });
      } catch (IOException e) {
        throw Errors.listFilesTable(ops.display(), dir, e);
      }
      int temps = 0;
      long staleBefore = now - STALE_TEMP_AGE.toMillis();
      try (java.util.stream.Stream<java.nio.file.Path> st = java.nio.file.Files.list(dir.resolve("_delta_log"))) {
        for (java.nio.file.Path p : (Iterable<java.nio.file.Path>) st::iterator) {
          String n = p.getFileName().toString();
          if (n.startsWith(".") && n.endsWith(".tmp") && java.nio.file.Files.getLastModifiedTime(p).toMillis() < staleBefore
              && java.nio.file.Files.deleteIfExists(p)) {
            temps++;
          }
        }
      } catch (IOException e) {
        LOG.debug("vacuum of {} could not clean temp files: {}", ops.display(), e.toString());
      }
      if (files[0] > 0 || temps > 0) {
        LOG.info("Vacuumed table {}: {} data files ({} bytes), {} stale temp files", ops.display(), files[0], bytes[0], temps);
      }
      return new dev.mlops.core.VacuumResult(files[0], bytes[0], temps, keep);
    });
  }
}
