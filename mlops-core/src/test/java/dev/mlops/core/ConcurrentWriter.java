package dev.mlops.core;

import java.nio.file.Path;

/**
 * A writer process for {@link ConcurrentWritesTest}: upserts batches of keys that every writer also
 * upserts (so new keys race), appends rows only it writes, and prints each committed version.
 * Args: workspace dir, table name, writer id, rounds.
 */
public final class ConcurrentWriter {
  private ConcurrentWriter() {}

  static final int SHARED_KEYS_PER_ROUND = 20;
  static final int APPEND_ROWS = 5;

  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    String table = args[1];
    int writer = Integer.parseInt(args[2]);
    int rounds = Integer.parseInt(args[3]);
    try (Workspace ws = Workspace.open(dir)) {
      run(ws, table, writer, rounds, v -> System.out.println("committed " + v));
    }
  }

  static void run(Workspace ws, String table, int writer, int rounds, java.util.function.LongConsumer committed) {
    DeltaTable t = ws.tables().get(table);
    for (int round = 0; round < rounds; round++) {
      long[] keys = new long[SHARED_KEYS_PER_ROUND];
      long[] who = new long[SHARED_KEYS_PER_ROUND];
      for (int i = 0; i < keys.length; i++) {
        keys[i] = round * (long) SHARED_KEYS_PER_ROUND + i; // the same keys in every writer
        who[i] = writer;
      }
      committed.accept(t.upsert(Frame.of(Column.ofLongs("id", keys), Column.ofLongs("writer", who),
          Column.ofLongs("round", filled(keys.length, round))), "id").version());
      long[] own = new long[APPEND_ROWS];
      for (int i = 0; i < own.length; i++) {
        own[i] = 1_000_000L * (writer + 1) + round * (long) APPEND_ROWS + i;
      }
      committed.accept(t.append(Frame.of(Column.ofLongs("id", own), Column.ofLongs("writer", filled(own.length, writer)),
          Column.ofLongs("round", filled(own.length, round)))).version());
    }
  }

  static long[] filled(int n, long v) {
    long[] a = new long[n];
    java.util.Arrays.fill(a, v);
    return a;
  }
}
