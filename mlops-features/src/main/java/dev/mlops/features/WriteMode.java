package dev.mlops.features;

/** How {@link FeatureStore#write} puts rows into a feature table. */
public enum WriteMode {
  /** Upsert by primary key (plus timestamp key for time-series tables): new keys inserted, existing replaced. */
  MERGE,
  /** Replace every row of the table. */
  OVERWRITE,
  /**
   * Insert rows known to be new: keys are checked against the rows and against the table's existing
   * keys (only its key columns are read), and a key already present is refused; faster than MERGE,
   * which rewrites the data files holding matched keys. Concurrent writers of the same new key are
   * not serialized: use MERGE when several writers may insert the same key.
   */
  APPEND
}
