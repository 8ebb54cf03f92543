package dev.mlops.core.internal.delta;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.Frame;
import dev.mlops.core.FrameStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The import's page-level reader ({@link ColumnarParquet.Batches}: PLAIN pages copied in bulk,
 * dictionaries decoded once, pages split between batches) against parquet-mr's general column readers
 * (the import's reader before it), value by value and batch by batch, on DuckDB files of every flat
 * type with nulls, under several writer options and batch sizes that cut pages and row groups anywhere.
 */
class PageLevelImportTest {
  @org.junit.jupiter.api.io.TempDir Path dir;
  Connection duck;

  static final String ROWS = "SELECT i::BIGINT AS id,"
      + " CASE WHEN i % 9 = 5 THEN NULL ELSE (i % 200) - 100 END::TINYINT AS i8,"
      + " CASE WHEN i % 9 = 6 THEN NULL ELSE i % 30000 END::SMALLINT AS i16,"
      + " CASE WHEN i = 1 THEN 2147483647 WHEN i % 9 = 7 THEN NULL ELSE i * 7 END::INTEGER AS i32,"
      + " CASE WHEN i = 1 THEN -9223372036854775808 WHEN i % 9 = 8 THEN NULL ELSE i * 1000003 END::BIGINT AS i64,"
      + " i % 37 AS rep,"  // few values: a dictionary
      + " CASE WHEN i = 0 THEN 'nan'::FLOAT WHEN i % 9 = 4 THEN NULL ELSE (i / 7.0)::FLOAT END AS f32,"
      + " CASE WHEN i = 0 THEN 'nan'::DOUBLE WHEN i = 2 THEN -0.0::DOUBLE WHEN i % 9 = 3 THEN NULL ELSE i / 3.0 END AS f64,"
      + " (i / 11.0)::DOUBLE AS dense,"  // no nulls: PLAIN pages copied in bulk
      + " CASE WHEN i % 9 = 2 THEN NULL ELSE (i % 99999) / 100.0 END::DECIMAL(5,2) AS dec5,"
      + " CASE WHEN i % 9 = 1 THEN NULL ELSE i * 1.001 END::DECIMAL(15,3) AS dec15,"
      + " CASE WHEN i % 9 = 0 AND i > 8 THEN NULL ELSE i * 12345.6789012345 END::DECIMAL(30,10) AS dec30,"
      + " CASE WHEN i % 11 = 0 THEN NULL ELSE i % 3 = 0 END AS flag,"
      + " CASE WHEN i = 1 THEN 'Åland ✓ 𝄞' WHEN i % 13 = 0 THEN NULL ELSE 'w' || (i % 50)::VARCHAR END AS word,"
      + " 'distinct ' || i::VARCHAR AS text,"
      + " CASE WHEN i % 14 = 0 THEN NULL ELSE ('b' || (i % 20)::VARCHAR)::BLOB END AS raw,"
      + " CASE WHEN i % 15 = 0 THEN NULL ELSE DATE '1970-01-01' + (i % 40000 - 20000)::INTEGER END AS day,"
      + " CASE WHEN i % 16 = 0 THEN NULL ELSE TIMESTAMP '1500-01-01' + to_microseconds(i * 977777777) END AS local_ts,"
      + " CASE WHEN i % 17 = 0 THEN NULL ELSE TIMESTAMPTZ '1969-12-31 23:00:00+00' + to_microseconds(i * 123456789) END AS utc_ts,"
      + " (TIMESTAMP '2020-01-01' + to_microseconds(i * 1000))::TIMESTAMP_MS AS ms_ts"
      + " FROM range(0, 60000) r(i)";

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

  private static List<Frame> batches(Path file, int batchRows, boolean general) {
    List<Frame> out = new ArrayList<>();
    try (FrameStream s = ParquetImport.open(file, List.of(), null, batchRows, general)) {
      while (s.hasNext()) {
        out.add(s.next());
      }
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"", ", COMPRESSION zstd, ROW_GROUP_SIZE 50000", ", COMPRESSION snappy, ROW_GROUP_SIZE 4096",
      ", COMPRESSION uncompressed, PARQUET_VERSION v2", ", COMPRESSION gzip, PARQUET_VERSION v2, ROW_GROUP_SIZE 10000",
      ", COMPRESSION zstd, DICTIONARY_COMPRESSION_RATIO_THRESHOLD 0"})
  void page_level_batches_equal_the_general_readers_value_by_value(String options) throws Exception {
    Path file = dir.resolve("t.parquet");
    exec("COPY t TO '" + file + "' (FORMAT parquet" + options + ")");
    for (int batchRows : new int[] {1_000, 7_777, 65_536, 1 << 20}) {
      long before = ParquetColumnsReader.PAGE_LEVEL_FILES.sum();
      List<Frame> fast = batches(file, batchRows, false);
      assertThat(ParquetColumnsReader.PAGE_LEVEL_FILES.sum() - before).as("page-level reader used").isEqualTo(1);
      List<Frame> general = batches(file, batchRows, true);
      assertThat(fast).hasSameSizeAs(general);
      int rows = 0;
      for (int b = 0; b < fast.size(); b++) {
        assertThat(fast.get(b).rowCount()).isLessThanOrEqualTo(batchRows);
        assertThat(fast.get(b)).as("batch %d of %d rows", b, batchRows).isEqualTo(general.get(b));
        rows += fast.get(b).rowCount();
      }
      assertThat(rows).isEqualTo(60_000);
    }
  }

  @org.junit.jupiter.api.Test
  void a_file_the_page_level_reader_does_not_convert_goes_to_the_general_readers() throws Exception {
    Path file = dir.resolve("ns.parquet");
    exec("COPY (SELECT id, ts::TIMESTAMP_NS AS ns FROM (SELECT id, ms_ts AS ts FROM t)) TO '" + file
        + "' (FORMAT parquet)");
    long before = ParquetColumnsReader.PAGE_LEVEL_FILES.sum();
    List<Frame> read = batches(file, 10_000, false);
    assertThat(ParquetColumnsReader.PAGE_LEVEL_FILES.sum() - before).isZero();
    assertThat(read).isEqualTo(batches(file, 10_000, true));
    assertThat(read.stream().mapToInt(Frame::rowCount).sum()).isEqualTo(60_000);
  }

  @org.junit.jupiter.api.Test
  void a_folder_mixing_both_readers_and_missing_columns_reads_as_the_general_readers_do() throws Exception {
    Path folder = dir.resolve("parts");
    java.nio.file.Files.createDirectories(folder);
    exec("COPY (SELECT id, i64, word FROM t WHERE id < 20000) TO '" + folder.resolve("a.parquet")
        + "' (FORMAT parquet, ROW_GROUP_SIZE 3000)");
    exec("COPY (SELECT id, ms_ts::TIMESTAMP_NS AS ns FROM t WHERE id >= 20000 AND id < 30000) TO '"
        + folder.resolve("b.parquet") + "' (FORMAT parquet)");
    exec("COPY (SELECT id, word, i64 FROM t WHERE id >= 30000) TO '" + folder.resolve("c.parquet")
        + "' (FORMAT parquet, COMPRESSION zstd)");
    long before = ParquetColumnsReader.PAGE_LEVEL_FILES.sum();
    List<Frame> fast = batches(folder, 4_000, false);
    assertThat(ParquetColumnsReader.PAGE_LEVEL_FILES.sum() - before).isEqualTo(2);
    assertThat(fast).isEqualTo(batches(folder, 4_000, true));
    assertThat(fast.stream().mapToInt(Frame::rowCount).sum()).isEqualTo(60_000);
  }
}
