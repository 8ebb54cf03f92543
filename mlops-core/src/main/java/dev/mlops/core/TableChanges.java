package dev.mlops.core;

/**
 * The rows in data files added and removed between two versions of a table: what an incremental
 * consumer (an online store, a monitor) has to look at. A rewritten file (copy-on-write upsert)
 * shows its old rows in {@code removed} and its new rows in {@code added}, so a key present in both
 * was updated, a key only in {@code removed} was deleted.
 *
 * <pre>{@code
 * TableChanges c = table.changesSince(lastSeenVersion);
 * c.added();    // rows to (re)load
 * c.removed();  // rows whose keys may be gone
 * c.toVersion();
 * }</pre>
 *
 * @param fromVersion the older version (exclusive)
 * @param toVersion the newer version (inclusive)
 * @param added rows of files added since fromVersion, with the schema at toVersion
 * @param removed rows of files removed since fromVersion, with the schema at toVersion (new columns null)
 */
public record TableChanges(long fromVersion, long toVersion, Frame added, Frame removed) {}
