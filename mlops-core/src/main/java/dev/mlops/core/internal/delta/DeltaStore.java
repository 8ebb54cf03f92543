package dev.mlops.core.internal.delta;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/** Holds the Delta engine of a workspace. */
public final class DeltaStore {
  private final URI root;

  public DeltaStore(URI root, Path localRoot, Map<String, String> conf) {
    this.root = root;
  }

  public URI root() {
    return root;
  }

  public void close() {}
}
