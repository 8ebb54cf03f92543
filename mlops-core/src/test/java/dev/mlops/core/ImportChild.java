package dev.mlops.core;

import java.nio.file.Path;

/** Run in a child JVM with a small heap: imports a Parquet file into a new table and prints the result. */
public final class ImportChild {
  private ImportChild() {}

  public static void main(String[] args) {
    try (Workspace ws = Workspace.open(Path.of(args[0]))) {
      DeltaTable t = ws.tables().create(args[1]).createFrom(ParquetSource.of(Path.of(args[2])));
      System.out.println("committed " + t.version() + " heap " + Runtime.getRuntime().maxMemory());
    }
  }
}
