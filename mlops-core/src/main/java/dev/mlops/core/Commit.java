package dev.mlops.core;

import java.time.Instant;

/**
 * One entry of a table's history (newest first from {@link DeltaTable#history()}).
 *
 * <p>For commits the SDK wrote, {@code operation} is the SDK's (APPEND, UPSERT, OVERWRITE, DELETE,
 * ADD COLUMNS, ...) and the logical row counts are exact; for commits by other engines it is their
 * operation name (e.g. Spark's MERGE) and the counts are the rows readers see: each added or removed
 * file's row count (from its statistics) less the rows its deletion vector hides, and for a file that a
 * deletion-vector DELETE/UPDATE/MERGE removes and adds back with a larger vector, only the rows the new
 * vector hides (a DELETE of 20 rows from a 20,000-row file counts 20 removed, not 20,000 added and
 * removed). A copy-on-write rewrite without deletion vectors still counts the whole files it rewrote.
 *
 * <p>Other engines see less of the SDK's commits: Delta Kernel 4.4 writes {@code commitInfo.operation}
 * from its own fixed list (so Spark's {@code DESCRIBE HISTORY} shows them as {@code WRITE}/{@code CREATE
 * TABLE}) and no {@code operationMetrics}. The SDK therefore records its operation and counts in the
 * commit's {@code engineInfo} (see {@link #engineInfo()} and {@link #tags()}), which this class decodes.
 *
 * @param version table version
 * @param timestamp commit time
 * @param operation what the commit did
 * @param rowsAdded rows the commit made visible (logical rows inserted+updated for SDK commits)
 * @param rowsRemoved rows the commit hid or removed (logical rows updated+deleted for SDK commits)
 * @param filesAdded data files added
 * @param filesRemoved data files removed
 * @param engineInfo the writer's engine string (e.g. "mlops-sdk/0.1.0 ..." or "Apache-Spark/3.5.0 Delta-Lake/3.3.0")
 */
public record Commit(long version, Instant timestamp, String operation, long rowsAdded, long rowsRemoved,
    int filesAdded, int filesRemoved, String engineInfo) {

  /**
   * The tags the writer put in the commit ({@link WriteOptions#tag(String, String)}); empty for
   * commits without tags and for other engines' commits.
   */
  public java.util.Map<String, String> tags() {
    return java.util.Map.copyOf(dev.mlops.core.internal.delta.TableOps.tags(engineInfo));
  }
}
