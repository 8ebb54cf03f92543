package dev.mlops.features;

import dev.mlops.core.MlopsException;

/**
 * A feature-store request that cannot work as given: a lookup whose keys do not match the table's
 * primary key, an unknown feature, colliding output names, a table without primary key, a bad
 * lookback window. The message names the table, column or value and says how to fix it.
 */
public class FeatureStoreException extends MlopsException {
  private static final long serialVersionUID = 1L;

  /** @param message what, why and how to fix */
  public FeatureStoreException(String message) {
    super(message);
  }
}
