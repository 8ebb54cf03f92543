package com.example.outside;

import dev.mlops.core.Column;
import dev.mlops.core.internal.ColumnAccess;

/** An application class (outside the SDK's packages) that tries to take a column's backing array. */
public final class Outsider {
  private Outsider() {}

  /** Tries to obtain zero-copy access and read the backing array. */
  public static long[] backingArray(Column c) {
    return ColumnAccess.obtain().longs(c);
  }
}
