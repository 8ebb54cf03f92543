package dev.mlops.benchmarks.delta;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * The DuckDB peer (in-process, through its JDBC driver): reads the SDK's Parquet data files with
 * read_parquet and writes the same rows with COPY ... (FORMAT PARQUET, COMPRESSION ZSTD). DuckDB
 * uses both cores (threads = 2 here) where the SDK's write path is one thread.
 */
final class DuckDbPeer implements AutoCloseable {
  private final Connection conn;

  DuckDbPeer() throws SQLException {
    conn = DriverManager.getConnection("jdbc:duckdb:");
  }

  String version() throws SQLException {
    return scalarString("SELECT version()");
  }

  int threads() throws SQLException {
    return Integer.parseInt(scalarString("SELECT current_setting('threads')::VARCHAR"));
  }

  private String scalarString(String sql) throws SQLException {
    try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  void exec(String sql) throws SQLException {
    try (Statement st = conn.createStatement()) {
      st.execute(sql);
    }
  }

  static String quote(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  /** Loads the rows into an in-memory DuckDB table (replacing it) through the appender. */
  void load(String table, BenchRows r) throws SQLException {
    exec("DROP TABLE IF EXISTS " + table);
    exec("CREATE TABLE " + table + " (id BIGINT, k BIGINT, bucket INTEGER, f1 DOUBLE, f2 DOUBLE, f3 DOUBLE,"
        + " f4 DOUBLE, f5 DOUBLE, cat VARCHAR, ts TIMESTAMP)");
    try (DuckDBAppender a = ((DuckDBConnection) conn).createAppender(DuckDBConnection.DEFAULT_SCHEMA, table)) {
      for (int i = 0; i < r.n; i++) {
        a.beginRow();
        a.append(r.id[i]);
        a.append(r.k[i]);
        a.append(r.bucket[i]);
        a.append(r.f[0][i]);
        a.append(r.f[1][i]);
        a.append(r.f[2][i]);
        a.append(r.f[3][i]);
        a.append(r.f[4][i]);
        a.append(r.cat[i]);
        a.appendEpochMicros(r.ts[i]);
        a.endRow();
      }
    }
  }

  /** COPY a table to one Parquet file with ZSTD. */
  void copyTo(String table, Path file) throws SQLException {
    exec("COPY " + table + " TO " + quote(file.toString()) + " (FORMAT PARQUET, COMPRESSION ZSTD)");
  }

  /** Column names of the Parquet files matched by the glob, in file order. */
  List<String> columns(String glob) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement st = conn.createStatement();
        ResultSet rs = st.executeQuery("DESCRIBE SELECT * FROM read_parquet(" + quote(glob) + ")")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  /**
   * Runs a query whose 10 columns are in the benchmark's order and copies every row into Java
   * arrays through the JDBC ResultSet (what reaching the rows from Java costs); returns the row count.
   */
  int readIntoArrays(String sql, int expected) throws SQLException {
    int cap = Math.max(expected, 16);
    long[] id = new long[cap];
    long[] k = new long[cap];
    int[] bucket = new int[cap];
    double[][] f = new double[5][cap];
    String[] cat = new String[cap];
    long[] ts = new long[cap];
    int n = 0;
    try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        if (n == cap) {
          cap *= 2;
          id = java.util.Arrays.copyOf(id, cap);
          k = java.util.Arrays.copyOf(k, cap);
          bucket = java.util.Arrays.copyOf(bucket, cap);
          for (int j = 0; j < 5; j++) {
            f[j] = java.util.Arrays.copyOf(f[j], cap);
          }
          cat = java.util.Arrays.copyOf(cat, cap);
          ts = java.util.Arrays.copyOf(ts, cap);
        }
        id[n] = rs.getLong(1);
        k[n] = rs.getLong(2);
        bucket[n] = rs.getInt(3);
        for (int j = 0; j < 5; j++) {
          f[j][n] = rs.getDouble(4 + j);
        }
        cat[n] = rs.getString(9);
        ts[n] = rs.getLong(10); // epoch micros: the query casts the timestamp with epoch_us
        n++;
      }
    }
    return n;
  }

  /** A count query's result. */
  long count(String sql) throws SQLException {
    try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Override
  public void close() throws SQLException {
    conn.close();
  }
}
