package dev.mlops.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Parquet files written by DuckDB (in-process, through its JDBC driver) with every flat Delta type,
 * read value by value against what DuckDB itself returns for the same rows, under several of its
 * writer options, imported into a Delta table, and folders whose files disagree.
 */
class DuckDbParquetImportTest {
  @TempDir Path dir;
  Connection duck;

  /** Every flat Delta type, nulls in every nullable column, extremes in the first rows. */
  static final String ROWS = "SELECT i::BIGINT AS id,"
      + " CASE WHEN i = 0 THEN -128 WHEN i = 1 THEN 127 WHEN i % 9 = 5 THEN NULL ELSE (i % 200) - 100 END::TINYINT AS i8,"
      + " CASE WHEN i = 0 THEN -32768 WHEN i = 1 THEN 32767 WHEN i % 9 = 6 THEN NULL ELSE i % 30000 END::SMALLINT AS i16,"
      + " CASE WHEN i = 0 THEN -2147483648 WHEN i = 1 THEN 2147483647 WHEN i % 9 = 7 THEN NULL ELSE i * 7 END::INTEGER AS i32,"
      + " CASE WHEN i = 0 THEN -9223372036854775808 WHEN i = 1 THEN 9223372036854775807 WHEN i % 9 = 8 THEN NULL"
      + "   ELSE i * 1000003 END::BIGINT AS i64,"
      + " CASE WHEN i = 0 THEN 'nan'::FLOAT WHEN i = 1 THEN 'inf'::FLOAT WHEN i = 2 THEN '-inf'::FLOAT"
      + "   WHEN i % 9 = 4 THEN NULL ELSE (i / 7.0)::FLOAT END AS f32,"
      + " CASE WHEN i = 0 THEN 'nan'::DOUBLE WHEN i = 1 THEN 'inf'::DOUBLE WHEN i = 2 THEN -0.0::DOUBLE"
      + "   WHEN i % 9 = 3 THEN NULL ELSE i / 3.0 END::DOUBLE AS f64,"
      + " CASE WHEN i = 0 THEN -999.99 WHEN i = 1 THEN 999.99 WHEN i % 9 = 2 THEN NULL ELSE (i % 99999) / 100.0 END::DECIMAL(5,2) AS dec5,"
      + " CASE WHEN i = 0 THEN -999999999999.999 WHEN i = 1 THEN 999999999999.999 WHEN i % 9 = 1 THEN NULL"
      + "   ELSE i * 1.001 END::DECIMAL(15,3) AS dec15,"
      + " CASE WHEN i = 0 THEN -99999999999999999999.9999999999 WHEN i = 1 THEN 99999999999999999999.9999999999"
      + "   WHEN i % 9 = 0 AND i > 8 THEN NULL ELSE i * 12345.6789012345 END::DECIMAL(30,10) AS dec30,"
      + " CASE WHEN i % 11 = 0 AND i > 8 THEN NULL ELSE i % 3 = 0 END AS flag,"
      + " CASE WHEN i = 0 THEN '' WHEN i = 1 THEN 'Åland ✓ 𝄞' WHEN i % 13 = 0 THEN NULL"
      + "   ELSE 'w' || (i % 50)::VARCHAR END AS word,"
      + " CASE WHEN i = 0 THEN ''::BLOB WHEN i = 1 THEN '\\x00\\xFF\\x7F'::BLOB WHEN i % 14 = 0 THEN NULL"
      + "   ELSE ('b' || i::VARCHAR)::BLOB END AS raw,"
      + " CASE WHEN i = 0 THEN DATE '0001-01-01' WHEN i = 1 THEN DATE '9999-12-31' WHEN i % 15 = 0 THEN NULL"
      + "   ELSE DATE '1970-01-01' + (i % 40000 - 20000)::INTEGER END AS day,"
      + " CASE WHEN i = 0 THEN TIMESTAMP '0001-01-01 00:00:00' WHEN i = 1 THEN TIMESTAMP '9999-12-31 23:59:59.999999'"
      + "   WHEN i % 16 = 0 THEN NULL ELSE TIMESTAMP '1500-01-01' + to_microseconds(i * 977777777) END AS local_ts,"
      + " CASE WHEN i = 0 THEN TIMESTAMPTZ '0001-01-01 00:00:00+00' WHEN i = 1 THEN TIMESTAMPTZ '9999-12-31 23:59:59.999999+00'"
      + "   WHEN i % 17 = 0 THEN NULL ELSE TIMESTAMPTZ '1969-12-31 23:00:00+00' + to_microseconds(i * 123456789) END AS utc_ts"
      + " FROM range(0, 30000) r(i)";

  @BeforeEach
  void open() throws Exception {
    duck = DriverManager.getConnection("jdbc:duckdb:");
    exec("SET TimeZone = 'UTC'");
    exec("CREATE TABLE t AS " + ROWS);
  }

  @AfterEach
  void close() throws Exception {
    duck.close();
  }

  private void exec(String sql) throws Exception {
    try (Statement st = duck.createStatement()) {
      st.execute(sql);
    }
  }

  /**
   * The SQL expression that gives a column as DuckDB holds it, with dates as epoch days and
   * timestamps as epoch microseconds (so that no JDBC calendar conversion is involved).
   */
  private static String numeric(String expr, Field f) {
    return switch (f.type()) {
      case DATE -> "(" + expr + " - DATE '1970-01-01')::INTEGER";
      case TIMESTAMP, TIMESTAMP_NTZ -> "epoch_us(" + expr + ")";
      default -> expr;
    };
  }

  /** What DuckDB returns for these column expressions (in schema order), as a frame of the schema. */
  private Frame query(List<String> exprs, String from, Schema schema) throws Exception {
    List<String> select = new ArrayList<>();
    for (int c = 0; c < schema.size(); c++) {
      select.add(numeric(exprs.get(c), schema.fields().get(c)));
    }
    String sql = "SELECT " + String.join(", ", select) + " " + from;
    int n;
    try (Statement st = duck.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM (SELECT 1 " + from + ")")) {
      rs.next();
      n = rs.getInt(1);
    }
    List<List<Object>> boxed = new ArrayList<>();
    long[][] longs = new long[schema.size()][n];
    int[][] ints = new int[schema.size()][n];
    boolean[][] nulls = new boolean[schema.size()][n];
    for (int c = 0; c < schema.size(); c++) {
      boxed.add(new ArrayList<>());
    }
    try (Statement st = duck.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      int row = 0;
      while (rs.next()) {
        for (int c = 0; c < schema.size(); c++) {
          Field f = schema.fields().get(c);
          switch (f.type()) {
            case DATE -> ints[c][row] = rs.getInt(c + 1);
            case TIMESTAMP, TIMESTAMP_NTZ -> longs[c][row] = rs.getLong(c + 1);
            case BINARY -> boxed.get(c).add(rs.getBytes(c + 1));
            default -> boxed.get(c).add(rs.getObject(c + 1));
          }
          if (rs.wasNull()) {
            nulls[c][row] = true;
            if (!boxed.get(c).isEmpty() && boxed.get(c).size() == row + 1) {
              boxed.get(c).set(row, null);
            }
          }
        }
        row++;
      }
      assertThat(row).isEqualTo(n);
    }
    List<Column> out = new ArrayList<>();
    for (int c = 0; c < schema.size(); c++) {
      Field f = schema.fields().get(c);
      out.add(switch (f.type()) {
        case DATE -> Column.ofDates(f.name(), ints[c], nulls[c]);
        case TIMESTAMP -> Column.ofTimestamps(f.name(), longs[c], nulls[c]);
        case TIMESTAMP_NTZ -> Column.ofTimestampsNtz(f.name(), longs[c], nulls[c]);
        default -> Column.of(f.name(), f.columnType(), boxed.get(c));
      });
    }
    return Frame.of(out);
  }

  static final Schema EXPECTED = new Schema(List.of(Field.of("id", DataType.LONG), Field.of("i8", DataType.BYTE),
      Field.of("i16", DataType.SHORT), Field.of("i32", DataType.INT), Field.of("i64", DataType.LONG),
      Field.of("f32", DataType.FLOAT), Field.of("f64", DataType.DOUBLE), Field.of("dec5", ColumnType.decimal(5, 2)),
      Field.of("dec15", ColumnType.decimal(15, 3)), Field.of("dec30", ColumnType.decimal(30, 10)),
      Field.of("flag", DataType.BOOLEAN), Field.of("word", DataType.STRING), Field.of("raw", DataType.BINARY),
      Field.of("day", DataType.DATE), Field.of("local_ts", DataType.TIMESTAMP_NTZ),
      Field.of("utc_ts", DataType.TIMESTAMP)));

  private static Frame sortById(Frame f) {
    long[] ids = f.column("id").toLongArray();
    Integer[] order = new Integer[ids.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (a, b) -> Long.compare(ids[a], ids[b]));
    int[] o = new int[order.length];
    for (int i = 0; i < o.length; i++) {
      o[i] = order[i];
    }
    return f.take(o);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", ", COMPRESSION zstd, ROW_GROUP_SIZE 4096", ", COMPRESSION uncompressed, PARQUET_VERSION v2",
      ", COMPRESSION gzip, PARQUET_VERSION v2, ROW_GROUP_SIZE 10000"})
  void every_flat_type_duckdb_writes_reads_back_as_duckdb_reads_it(String options) throws Exception {
    Path file = dir.resolve("duck.parquet");
    exec("COPY t TO '" + file + "' (FORMAT parquet" + options + ")");
    Frame expected = query(EXPECTED.names(), "FROM t ORDER BY id", EXPECTED);
    Frame back = ParquetSource.of(file).load();
    assertThat(back.schema()).isEqualTo(EXPECTED);
    assertThat(sortById(back)).isEqualTo(expected);
    // the same rows as a Delta table (written column by column), read back exactly
    try (Workspace ws = Workspace.open(dir.resolve("ws"))) {
      DeltaTable t = ws.tables().create("main.duck.t").createFrom(ParquetSource.of(file).batchRows(7000));
      assertThat(t.schema()).isEqualTo(EXPECTED);
      assertThat(sortById(t.read().load())).isEqualTo(expected);
    }
  }

  @Test
  void a_folder_of_duckdb_files_unites_columns_and_names_the_file_whose_column_differs() throws Exception {
    Path folder = dir.resolve("parts");
    Files.createDirectories(folder);
    exec("COPY (SELECT id, i64, word FROM t WHERE id < 1000) TO '" + folder.resolve("a.parquet") + "' (FORMAT parquet)");
    exec("COPY (SELECT id, i64 FROM t WHERE id >= 1000 AND id < 1500) TO '" + folder.resolve("b.parquet")
        + "' (FORMAT parquet)");
    exec("COPY (SELECT id, word, day FROM t WHERE id >= 1500 AND id < 2000) TO '" + folder.resolve("c.parquet")
        + "' (FORMAT parquet)");
    Frame all = ParquetSource.of(folder).load();
    assertThat(all.schema().names()).containsExactly("id", "i64", "word", "day");
    Frame expected = query(List.of("id", "CASE WHEN id < 1500 THEN i64 END",
        "CASE WHEN id < 1000 OR id >= 1500 THEN word END", "CASE WHEN id >= 1500 THEN day END"),
        "FROM t WHERE id < 2000 ORDER BY id", all.schema());
    assertThat(sortById(all)).isEqualTo(expected);

    // a later file with another type for a column: refused before any row is read, naming file and column
    exec("COPY (SELECT id, word AS i64 FROM t WHERE id >= 2000 AND id < 2100) TO '" + folder.resolve("d.parquet")
        + "' (FORMAT parquet)");
    assertThatThrownBy(() -> ParquetSource.of(folder).open())
        .isInstanceOfSatisfying(FileSchemaMismatchException.class, e -> {
          assertThat(e.file()).isEqualTo(folder.resolve("d.parquet"));
          assertThat(e.column()).isEqualTo("i64");
        })
        .hasMessageContaining("d.parquet").hasMessageContaining("a.parquet").hasMessageContaining("STRING")
        .hasMessageContaining("LONG");
    try (Workspace ws = Workspace.open(dir.resolve("ws"))) {
      assertThatThrownBy(() -> ws.tables().create("main.duck.parts").createFrom(ParquetSource.of(folder)))
          .isInstanceOf(FileSchemaMismatchException.class);
      assertThat(ws.tables().exists("main.duck.parts")).isFalse();
      // leaving the column out imports the rest
      DeltaTable t = ws.tables().create("main.duck.parts").createFrom(ParquetSource.of(folder).columns("id", "word"));
      assertThat(t.read().load().rowCount()).isEqualTo(2100);
    }
  }
}
