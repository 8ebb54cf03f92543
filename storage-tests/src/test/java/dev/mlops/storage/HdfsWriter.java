package dev.mlops.storage;

import dev.mlops.core.DataType;
import dev.mlops.core.DeltaTable;
import dev.mlops.core.Field;
import dev.mlops.core.Frame;
import dev.mlops.core.Schema;
import dev.mlops.core.Workspace;
import java.net.URI;
import java.util.Map;

/**
 * One writer process of {@link HdfsWorkspaceTest}: appends its own rows and upserts one shared key in
 * a table on HDFS, printing "committed N" for each commit. Args: workspace URI, table, writer id, rounds.
 */
public final class HdfsWriter {
  static final Schema SCHEMA = Schema.of(
      Field.of("id", DataType.LONG), Field.of("city", DataType.STRING), Field.of("spend", DataType.DOUBLE));

  private HdfsWriter() {}

  public static void main(String[] args) {
    URI root = URI.create(args[0]);
    int writer = Integer.parseInt(args[2]);
    int rounds = Integer.parseInt(args[3]);
    try (Workspace ws = Workspace.open(root, Map.of("dfs.replication", "1"))) {
      DeltaTable t = ws.tables().get(args[1]);
      for (int i = 0; i < rounds; i++) {
        long own = writer * 1000L + i;
        System.out.println("committed " + t.append(Frame.builder(SCHEMA).row(own, "w" + writer, (double) i).build())
            .version());
        System.out.println("committed " + t.upsert(Frame.builder(SCHEMA).row(-1L, "w" + writer, (double) i).build(),
            "id").version());
      }
    }
    System.out.flush();
    // Hadoop's client leaves non-daemon threads behind; the commits are durable, so leave now.
    System.exit(0);
  }
}
