package dev.mlops.serving;

import dev.mlops.core.Workspace;
import dev.mlops.models.ModelRegistry;
import java.nio.file.Path;

/** Another process: moves an alias in the shared workspace and exits. */
public final class AliasMover {
  private AliasMover() {}

  public static void main(String[] args) {
    try (Workspace ws = Workspace.open(Path.of(args[0]))) {
      ModelRegistry.of(ws).setAlias(args[1], args[2], Integer.parseInt(args[3]));
    }
    System.out.println("MOVED");
  }
}
