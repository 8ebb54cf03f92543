package dev.mlops.core;

/**
 * What {@link DeltaTable#vacuum()} removed.
 *
 * <pre>{@code
 * VacuumResult r = table.vacuum();
 * System.out.println(r.filesDeleted() + " files, " + r.bytesDeleted() + " bytes freed");
 * }</pre>
 *
 * @param filesDeleted data files deleted (no retained version referenced them)
 * @param bytesDeleted their total size
 * @param tempFilesDeleted stale temporary files of killed writers deleted from {@code _delta_log}
 * @param oldestReadableVersion the oldest version time travel can still read
 */
public record VacuumResult(int filesDeleted, long bytesDeleted, int tempFilesDeleted, long oldestReadableVersion) {}
