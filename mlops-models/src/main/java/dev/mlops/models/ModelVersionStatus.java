package dev.mlops.models;

/**
 * The state of a model version. A version is visible only once complete, so there is no
 * "pending" state: a registration either produced a READY version or nothing.
 */
public enum ModelVersionStatus {
  /** Complete and loadable. */
  READY,
  /** Soft-deleted: kept on disk for audit and lineage, not loadable, holds no alias; restorable. */
  DELETED
}
