package dev.mlops.core;

/**
 * What one write did to a table.
 *
 * <pre>{@code
 * CommitResult r = table.upsert(batch, "customer_id");
 * r.version();       // the table version this write created
 * r.rowsInserted();  // keys that were new
 * r.rowsUpdated();   // keys whose rows were replaced
 * }</pre>
 *
 * @param version the table version the write committed
 * @param operation APPEND, OVERWRITE, UPSERT, DELETE, ADD COLUMNS, SET PROPERTIES or CREATE
 * @param rowsInserted rows that are new in the table
 * @param rowsUpdated rows that replaced a row with the same key (upsert)
 * @param rowsDeleted rows taken out of the table
 * @param filesAdded data files written
 * @param filesRemoved data files no longer part of the table (still on disk for time travel)
 * @param attempts commit attempts (more than 1 when concurrent writers forced a re-plan)
 */
public record CommitResult(long version, String operation, long rowsInserted, long rowsUpdated,
    long rowsDeleted, int filesAdded, int filesRemoved, int attempts) {}
