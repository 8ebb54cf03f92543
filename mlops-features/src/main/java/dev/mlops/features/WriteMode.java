package dev.mlops.features;

/** How {@link FeatureStore#write} puts rows into a feature table. */
public enum WriteMode {
  /** Upsert by primary key (plus timestamp key for time-series tables): new keys inserted, existing replaced. */
  MERGE,
  /** Replace every row of the table. */
  OVERWRITE
}
