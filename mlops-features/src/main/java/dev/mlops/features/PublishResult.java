package dev.mlops.features;

/**
 * What one {@link FeatureStore#publish} did.
 *
 * @param table the feature table
 * @param fromVersion the version the store reflected before (-1 when it held nothing)
 * @param toVersion the version it reflects now
 * @param keysUpserted keys written (new or changed)
 * @param keysDeleted keys removed
 * @param full true when every row was loaded (first publish), false when only changes were
 */
public record PublishResult(String table, long fromVersion, long toVersion, long keysUpserted, long keysDeleted,
    boolean full) {}
