package dev.mlops.storage;

import dev.mlops.core.DataType;
import dev.mlops.core.DeltaTable;
import dev.mlops.core.Field;
import dev.mlops.core.Frame;
import dev.mlops.core.Schema;
import dev.mlops.core.UnsafeConcurrentWriteException;
import dev.mlops.core.Workspace;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * One writer process of {@link S3WorkspaceTest}: appends its own rows and upserts one shared key in
 * a table on S3, printing "committed N" for each commit; a write refused because the store gives no
 * conditional writes prints "refused " and the message, and the process exits with 3.
 * Args: workspace URI, table, writer id, rounds, Hadoop configuration file (properties).
 */
public final class S3Writer {
  static final Schema SCHEMA = Schema.of(
      Field.of("id", DataType.LONG), Field.of("city", DataType.STRING), Field.of("spend", DataType.DOUBLE));

  private S3Writer() {}

  public static void main(String[] args) throws Exception {
    URI root = URI.create(args[0]);
    int writer = Integer.parseInt(args[2]);
    int rounds = Integer.parseInt(args[3]);
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(Path.of(args[4]))) {
      p.load(r);
    }
    Map<String, String> conf = new HashMap<>();
    p.stringPropertyNames().forEach(k -> conf.put(k, p.getProperty(k)));
    int exit = 0;
    try (Workspace ws = Workspace.open(root, conf)) {
      DeltaTable t = ws.tables().get(args[1]);
      for (int i = 0; i < rounds; i++) {
        long own = writer * 1000L + i;
        System.out.println("committed " + t.append(Frame.builder(SCHEMA).row(own, "w" + writer, (double) i).build())
            .version());
        System.out.println("committed " + t.upsert(Frame.builder(SCHEMA).row(-1L, "w" + writer, (double) i).build(),
            "id").version());
      }
    } catch (UnsafeConcurrentWriteException e) {
      System.out.println("refused " + e.getMessage());
      exit = 3;
    }
    System.out.flush();
    // Hadoop's S3A client leaves non-daemon threads behind; the commits are durable, so leave now.
    System.exit(exit);
  }
}
