package dev.mlops.core;

import dev.mlops.core.internal.delta.DeltaStore;
import java.util.List;

/** The Delta tables of a workspace. */
public final class Tables {
  private final Workspace ws;
  private final DeltaStore store;

  Tables(Workspace ws, DeltaStore store) {
    this.ws = ws;
    this.store = store;
  }

  List<String> listDirs(List<String> parts) {
    return List.of();
  }
}
