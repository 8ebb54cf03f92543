package dev.mlops.core.internal.delta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.Frame;
import dev.mlops.core.UnsupportedTableFeatureException;
import dev.mlops.core.Workspace;
import io.delta.kernel.types.BinaryType;
import io.delta.kernel.types.BooleanType;
import io.delta.kernel.types.ByteType;
import io.delta.kernel.types.DateType;
import io.delta.kernel.types.DecimalType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.FloatType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.ShortType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampNTZType;
import io.delta.kernel.types.TimestampType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Parquet files written by DuckDB (another engine's writer: its own encodings, page layout and
 * decimal/timestamp mappings) read by the SDK's columnar reader exactly as DuckDB reads them back,
 * and as Kernel's reader does.
 */
class DuckDbFilesTest {
  @TempDir Path dir;

  static final int N = 10_000;

  static final StructType SCHEMA = new StructType().add("id", LongType.LONG).add("l", LongType.LONG)
      .add("i", IntegerType.INTEGER).add("s", ShortType.SHORT).add("b", ByteType.BYTE).add("d", DoubleType.DOUBLE)
      .add("f", FloatType.FLOAT).add("flag", BooleanType.BOOLEAN).add("str", StringType.STRING)
      .add("bin", BinaryType.BINARY).add("day", DateType.DATE).add("ts", TimestampType.TIMESTAMP)
      .add("ntz", TimestampNTZType.TIMESTAMP_NTZ).add("dec4", new DecimalType(4, 1))
      .add("dec9", new DecimalType(9, 2)).add("dec18", new DecimalType(18, 4)).add("dec38", new DecimalType(38, 10));

  static final String SELECT = """
      SELECT i::BIGINT AS id,
        CASE WHEN i % 7 = 0 THEN NULL ELSE (i * 1000003 - 5000000) * (CASE WHEN i % 2 = 0 THEN 1 ELSE -1 END) END::BIGINT AS l,
        CASE WHEN i % 11 = 0 THEN NULL ELSE (i * 37) % 100000 - 50000 END::INTEGER AS i,
        ((i * 13) % 60000 - 30000)::SMALLINT AS s,
        CASE WHEN i % 9 = 0 THEN NULL ELSE ((i * 7) % 250 - 125) END::TINYINT AS b,
        CASE WHEN i % 5 = 0 THEN NULL ELSE i / 7.0 END::DOUBLE AS d,
        (i % 1000 / 3.0)::FLOAT AS f,
        CASE WHEN i % 4 = 0 THEN NULL ELSE i % 3 = 0 END AS flag,
        CASE WHEN i % 13 = 0 THEN NULL ELSE 'v' || (i % 100) || repeat('é', i % 4) END AS str,
        CASE WHEN i % 17 = 0 THEN NULL ELSE ('b' || (i % 500))::BLOB END AS bin,
        CASE WHEN i % 19 = 0 THEN NULL ELSE DATE '1500-01-01' + (i * 7)::INTEGER END AS day,
        CASE WHEN i % 23 = 0 THEN NULL ELSE make_timestamp(i::BIGINT * 987654321 - 9000000000000000)::TIMESTAMPTZ END AS ts,
        make_timestamp(i::BIGINT * 123456789 + 1)::TIMESTAMP AS ntz,
        CAST(((i % 2000) - 1000) / 10.0 AS DECIMAL(4,1)) AS dec4,
        CAST(((i * 7919) % 10000000 - 5000000) / 100.0 AS DECIMAL(9,2)) AS dec9,
        CASE WHEN i % 29 = 0 THEN NULL ELSE CAST((i::BIGINT * 1234567891) AS DECIMAL(18,4)) END AS dec18,
        CAST((CASE WHEN i % 2 = 0 THEN '-' ELSE '' END) || i || '1234567890123456789.' || lpad(((i * 7) % 10000000000)::VARCHAR, 10, '0') AS DECIMAL(38,10)) AS dec38
      FROM range(N_ROWS) t(i)
      """.replace("N_ROWS", Integer.toString(N));

  /** What DuckDB itself reads back, as the comparable values of {@link ParquetFiles#value}. */
  static List<List<Object>> duck;

  static Connection connect() throws Exception {
    Connection c = DriverManager.getConnection("jdbc:duckdb:");
    try (Statement s = c.createStatement()) {
      s.execute("SET TimeZone = 'UTC'");
    }
    return c;
  }

  @BeforeAll
  static void expected() throws Exception {
    duck = new ArrayList<>();
    try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
        "SELECT *, day - DATE '1970-01-01' AS day_n FROM (" + SELECT + ") ORDER BY id")) {
      while (rs.next()) {
        List<Object> row = new ArrayList<>();
        row.add(rs.getLong("id"));
        row.add(obj(rs, "l", rs.getLong("l")));
        row.add(obj(rs, "i", rs.getInt("i")));
        row.add(obj(rs, "s", rs.getShort("s")));
        row.add(obj(rs, "b", rs.getByte("b")));
        row.add(obj(rs, "d", rs.getDouble("d")));
        row.add(obj(rs, "f", rs.getFloat("f")));
        row.add(obj(rs, "flag", rs.getBoolean("flag")));
        row.add(rs.getString("str"));
        java.sql.Blob blob = rs.getBlob("bin");
        byte[] bin = blob == null ? null : blob.getBytes(1, (int) blob.length());
        row.add(bin == null ? null : HexFormat.of().formatHex(bin));
        // epoch days from DuckDB itself: JDBC's LocalDate goes through java.sql.Date, whose hybrid
        // calendar moves dates before 1582-10-15
        long day = rs.getLong("day_n");
        row.add(rs.wasNull() ? null : Math.toIntExact(day));
        OffsetDateTime ts = rs.getObject("ts", OffsetDateTime.class);
        row.add(ts == null ? null : ts.toEpochSecond() * 1_000_000 + ts.getNano() / 1000);
        LocalDateTime ntz = rs.getObject("ntz", LocalDateTime.class);
        row.add(ntz.toEpochSecond(ZoneOffset.UTC) * 1_000_000 + ntz.getNano() / 1000);
        row.add(rs.getBigDecimal("dec4"));
        row.add(rs.getBigDecimal("dec9"));
        row.add(rs.getBigDecimal("dec18"));
        row.add(rs.getBigDecimal("dec38"));
        duck.add(row);
      }
    }
    assertThat(duck).hasSize(N);
  }

  private static Object obj(ResultSet rs, String col, Object v) throws Exception {
    return rs.wasNull() ? null : v;
  }

  static Path copy(Path file, String options) throws Exception {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("COPY (" + SELECT + ") TO '" + file + "' (FORMAT parquet, " + options + ")");
    }
    return file;
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = ';', value = {
      "COMPRESSION snappy, ROW_GROUP_SIZE 6000",
      "COMPRESSION zstd, PARQUET_VERSION v2, ROW_GROUP_SIZE 6000",
      "COMPRESSION gzip",
      "COMPRESSION lz4",
      "COMPRESSION uncompressed, PARQUET_VERSION v2"})
  void duckdb_files_read_exactly_as_duckdb_and_kernel_read_them(String options) throws Exception {
    Path file = copy(dir.resolve("duck.parquet"), options);
    List<List<Object>> fast = ParquetFiles.fastRows(file, SCHEMA);
    List<List<Object>> kernel = ParquetFiles.kernelRows(file, SCHEMA);
    assertThat(fast).hasSize(N);
    assertThat(kernel).hasSize(N);
    for (int r = 0; r < N; r++) {
      int id = (int) (long) (Long) fast.get(r).get(0);
      assertThat(fast.get(r)).as("row %s against DuckDB", id).isEqualTo(duck.get(id));
      assertThat(fast.get(r)).as("row %s against Kernel", id).isEqualTo(kernel.get(r));
    }
  }

  @Test
  void a_duckdb_file_in_a_delta_table_reads_through_the_sdk() throws Exception {
    Path table = dir.resolve("t");
    Files.createDirectories(table);
    Path file = copy(table.resolve("part-0.parquet"), "COMPRESSION zstd, ROW_GROUP_SIZE 5000");
    ParquetFiles.commitFiles(table, SCHEMA, List.of(file));
    try (Workspace ws = Workspace.open(dir.resolve("ws"))) {
      Frame f = ws.tables().atPath(table.toString()).read().load();
      assertThat(f.rowCount()).isEqualTo(N);
      for (int r = 0; r < N; r += 37) {
        int id = (int) f.column("id").getLong(r);
        List<Object> want = duck.get(id);
        assertThat(f.get(r, "dec38")).isEqualTo(want.get(16));
        assertThat(f.get(r, "day")).isEqualTo(want.get(10) == null ? null : LocalDate.ofEpochDay((Integer) want.get(10)));
        assertThat(f.get(r, "str")).isEqualTo(want.get(8));
        Object bin = f.get(r, "bin");
        assertThat(bin == null ? null : HexFormat.of().formatHex((byte[]) bin)).isEqualTo(want.get(9));
      }
    }
  }

  @Test
  void a_brotli_file_from_duckdb_fails_with_a_typed_error() throws Exception {
    Path file = copy(dir.resolve("brotli.parquet"), "COMPRESSION brotli");
    SdkEngine engine = localEngine();
    assertThatThrownBy(() -> ParquetFiles.rows(engine.getParquetHandler(), file, SCHEMA))
        .isInstanceOf(UnsupportedTableFeatureException.class)
        .hasMessageContaining(file.toString()).hasMessageContaining("BROTLI");
  }

  private static SdkEngine localEngine() {
    LocalFileIO local = new LocalFileIO(java.util.Map.of());
    return new SdkEngine(io.delta.kernel.defaults.engine.DefaultEngine.create(local), local);
  }
}
