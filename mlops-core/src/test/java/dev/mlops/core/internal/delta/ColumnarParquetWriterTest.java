package dev.mlops.core.internal.delta;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.Column;
import dev.mlops.core.ColumnType;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Frame;
import dev.mlops.core.Schema;
import dev.mlops.core.TableName;
import dev.mlops.core.Workspace;
import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.engine.FileReadResult;
import io.delta.kernel.expressions.Literal;
import io.delta.kernel.expressions.Predicate;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.statistics.DataFileStatistics;
import io.delta.kernel.utils.DataFileStatus;
import io.delta.kernel.utils.FileStatus;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The columnar writer against Kernel's own writer on the same batch: every flat type, nulls and
 * extreme values read back exactly (by Kernel's reader and the SDK's), the Delta statistics are the
 * ones Kernel's writer gives, files roll and row groups split at the configured sizes, and data
 * skipping works on tables it wrote.
 */
class ColumnarParquetWriterTest {
  @TempDir Path dir;

  static final ColumnType.Decimal D5 = ColumnType.decimal(5, 2);
  static final ColumnType.Decimal D15 = ColumnType.decimal(15, 3);
  static final ColumnType.Decimal D30 = ColumnType.decimal(30, 10);

  static final Schema ALL = new Schema(List.of(new Field("id", DataType.LONG, false, ""),
      Field.of("l", DataType.LONG), Field.of("i", DataType.INT), Field.of("s", DataType.SHORT),
      Field.of("b", DataType.BYTE), Field.of("d", DataType.DOUBLE), Field.of("f", DataType.FLOAT),
      Field.of("bo", DataType.BOOLEAN), Field.of("str", DataType.STRING), Field.of("bin", DataType.BINARY),
      Field.of("ts", DataType.TIMESTAMP), Field.of("ntz", DataType.TIMESTAMP_NTZ), Field.of("day", DataType.DATE),
      Field.of("d5", D5), Field.of("d15", D15), Field.of("d30", D30), Field.of("allnull", DataType.DOUBLE)));

  static final long MIN_MICROS = -62_135_596_800_000_000L; // 0001-01-01T00:00:00Z
  static final long MAX_MICROS = 253_402_300_799_999_999L; // 9999-12-31T23:59:59.999999Z

  /** n rows of every flat type: about one value in eight null, extremes in the first rows. */
  static Frame allTypes(int n, long idFrom, long seed) {
    Random r = new Random(seed);
    long[] id = new long[n];
    long[] l = new long[n];
    int[] i = new int[n];
    short[] s = new short[n];
    byte[] b = new byte[n];
    double[] d = new double[n];
    float[] f = new float[n];
    boolean[] bo = new boolean[n];
    String[] str = new String[n];
    List<byte[]> bin = new ArrayList<>();
    long[] ts = new long[n];
    long[] ntz = new long[n];
    int[] day = new int[n];
    long[] d5 = new long[n];
    long[] d15 = new long[n];
    List<BigDecimal> d30 = new ArrayList<>();
    boolean[][] nulls = new boolean[16][n];
    double[] specialD = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, Double.MIN_VALUE,
        Double.MAX_VALUE, -Double.MAX_VALUE};
    float[] specialF = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0.0f, Float.MIN_VALUE,
        Float.MAX_VALUE};
    String[] words = {"", "Åland ✓ 𝄞", "x".repeat(300), "Oslo", "Lima", "null"};
    for (int k = 0; k < n; k++) {
      id[k] = idFrom + k;
      l[k] = k == 0 ? Long.MIN_VALUE : k == 1 ? Long.MAX_VALUE : r.nextLong();
      i[k] = k == 0 ? Integer.MIN_VALUE : k == 1 ? Integer.MAX_VALUE : r.nextInt(1000);
      s[k] = k == 0 ? Short.MIN_VALUE : k == 1 ? Short.MAX_VALUE : (short) r.nextInt();
      b[k] = k == 0 ? Byte.MIN_VALUE : k == 1 ? Byte.MAX_VALUE : (byte) r.nextInt();
      d[k] = k < specialD.length ? specialD[k] : r.nextGaussian();
      f[k] = k < specialF.length ? specialF[k] : (float) r.nextGaussian();
      bo[k] = r.nextBoolean();
      str[k] = k < words.length ? words[k] : r.nextInt(3) == 0 ? words[r.nextInt(words.length)]
          : Long.toString(r.nextLong(), 36);
      byte[] raw = new byte[k == 0 ? 0 : r.nextInt(20)];
      r.nextBytes(raw);
      bin.add(raw);
      ts[k] = k == 0 ? MIN_MICROS : k == 1 ? MAX_MICROS : r.nextLong() % MAX_MICROS;
      ntz[k] = k == 1 ? MIN_MICROS : k == 0 ? MAX_MICROS : r.nextLong() % MAX_MICROS;
      day[k] = k == 0 ? -719_162 : k == 1 ? 2_932_896 : r.nextInt(60_000) - 20_000;
      d5[k] = k == 0 ? -99_999 : k == 1 ? 99_999 : r.nextInt(199_999) - 99_999;
      d15[k] = k == 0 ? -999_999_999_999_999L : k == 1 ? 999_999_999_999_999L : r.nextLong() % 999_999_999_999_999L;
      BigInteger big = k == 0 ? BigInteger.TEN.pow(30).subtract(BigInteger.ONE).negate()
          : k == 1 ? BigInteger.TEN.pow(30).subtract(BigInteger.ONE) : new BigInteger(90, r).subtract(BigInteger.TWO.pow(89));
      d30.add(new BigDecimal(big, 10));
      for (int c = 0; c < 16; c++) {
        nulls[c][k] = k >= 8 && r.nextInt(8) == 0;
      }
    }
    for (int k = 0; k < n; k++) {
      if (nulls[8][k]) {
        bin.set(k, null);
      }
      if (nulls[15][k]) {
        d30.set(k, null);
      }
    }
    boolean[] allNull = new boolean[n];
    java.util.Arrays.fill(allNull, true);
    return Frame.of(Column.ofLongs("id", id), Column.ofLongs("l", l, nulls[0]), Column.ofInts("i", i, nulls[1]),
        Column.ofShorts("s", s, nulls[2]), Column.ofBytes("b", b, nulls[3]), Column.ofDoubles("d", d, nulls[4]),
        Column.ofFloats("f", f, nulls[5]), Column.ofBooleans("bo", bo, nulls[6]), strings("str", str, nulls[7]),
        Column.of("bin", DataType.BINARY, bin), Column.ofTimestamps("ts", ts, nulls[9]),
        Column.ofTimestampsNtz("ntz", ntz, nulls[10]), Column.ofDates("day", day, nulls[11]),
        Column.ofDecimals("d5", D5, d5, nulls[12]), Column.ofDecimals("d15", D15, d15, nulls[13]),
        Column.of("d30", D30, d30), Column.ofDoubles("allnull", new double[n], allNull));
  }

  private static Column strings(String name, String[] v, boolean[] nulls) {
    String[] out = v.clone();
    for (int k = 0; k < out.length; k++) {
      if (nulls[k]) {
        out[k] = null;
      }
    }
    return Column.ofStrings(name, out);
  }

  static StructType kernelSchema(Schema s) {
    List<StructField> fields = new ArrayList<>();
    for (Field f : s.fields()) {
      fields.add(TypeMapping.toKernel(f));
    }
    return new StructType(fields);
  }

  private static List<io.delta.kernel.expressions.Column> statsColumns(Schema s) {
    return s.names().stream().map(io.delta.kernel.expressions.Column::new).toList();
  }

  static List<DataFileStatus> write(Engine engine, Path to, Frame data, StructType schema)
      throws Exception {
    FrameBatch batch = new FrameBatch(schema, data.columns(), 0, data.rowCount());
    List<DataFileStatus> out = new ArrayList<>();
    // Kernel's own statistics reader needs Hadoop's shaded client jar, which the SDK does not ship:
    // Kernel's writer is asked for none and its files get theirs from the footer, as SdkEngine does
    boolean kernel = !(engine instanceof SdkEngine);
    try (CloseableIterator<DataFileStatus> it = engine.getParquetHandler().writeParquetFiles(
        LocalFileIO.toUriString(to), Iters.of(List.of(new FilteredColumnarBatch(batch, Optional.empty()))),
        kernel ? List.of() : statsColumns(data.schema()))) {
      it.forEachRemaining(out::add);
    }
    if (kernel) {
      LocalFileIO io = new LocalFileIO(java.util.Map.of());
      List<DataFileStatus> withStats = new ArrayList<>();
      for (DataFileStatus f : out) {
        withStats.add(FooterStats.withStats(io, f, schema, statsColumns(data.schema())));
      }
      return withStats;
    }
    return out;
  }

  /** The files' rows through the given engine's Parquet reader, in file order. */
  static Frame read(Engine engine, List<DataFileStatus> files, StructType schema, Schema sdk)
      throws Exception {
    List<Frame> parts = new ArrayList<>();
    for (DataFileStatus f : files) {
      try (CloseableIterator<FileReadResult> it = engine.getParquetHandler().readParquetFiles(
          Iters.of(List.of(FileStatus.of(f.getPath(), f.getSize(), f.getModificationTime()))), schema,
          Optional.empty())) {
        while (it.hasNext()) {
          parts.add(BatchReader.toFrame(new FilteredColumnarBatch(it.next().getData(), Optional.empty()), sdk));
        }
      }
    }
    return Frame.concat(parts);
  }

  private static String text(Literal l) {
    return l == null ? "null" : l.getValue() instanceof byte[] b ? java.util.Arrays.toString(b) : String.valueOf(l);
  }

  private static String text(DataFileStatistics st) {
    Map<String, String> m = new TreeMap<>();
    st.getMinValues().forEach((k, v) -> m.put("min " + k, text(v)));
    st.getMaxValues().forEach((k, v) -> m.put("max " + k, text(v)));
    st.getNullCount().forEach((k, v) -> m.put("nulls " + k, String.valueOf(v)));
    return st.getNumRecords() + " " + m;
  }

  static ParquetMetadata footer(DataFileStatus f) throws Exception {
    try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(LocalFileIO.toPath(f.getPath())),
        ParquetReadOptions.builder(new PlainParquetConfiguration()).build())) {
      return r.getFooter();
    }
  }

  @Test
  void every_flat_type_reads_back_exactly_with_the_statistics_kernels_writer_gives() throws Exception {
    Frame data = allTypes(70_000, 0, 11); // pages of 20,000 rows: several pages per column, dictionaries fall back
    StructType schema = kernelSchema(ALL);
    Map<String, String> conf = Map.of("parquet.compression", "ZSTD");
    LocalFileIO io = new LocalFileIO(conf);
    Engine kernel = DefaultEngine.create(io);
    Engine sdk = new SdkEngine(kernel, io);

    List<DataFileStatus> ours = write(sdk, dir.resolve("ours"), data, schema);
    List<DataFileStatus> theirs = write(kernel, dir.resolve("kernel"), data, schema);
    assertThat(ours).hasSize(1);
    assertThat(theirs).hasSize(1);
    assertThat(footer(ours.get(0)).getFileMetaData().getKeyValueMetaData())
        .containsEntry("writer.model.name", "mlops-sdk-columnar");
    assertThat(footer(ours.get(0)).getFileMetaData().getSchema())
        .isEqualTo(footer(theirs.get(0)).getFileMetaData().getSchema());

    // Kernel's reader and the SDK's reader both give back every value
    assertThat(read(kernel, ours, schema, ALL)).isEqualTo(data);
    assertThat(read(sdk, ours, schema, ALL)).isEqualTo(data);
    assertThat(read(kernel, theirs, schema, ALL)).isEqualTo(data);

    // the same statistics as Kernel's writer: row count, min/max and null count of every column
    DataFileStatistics a = ours.get(0).getStatistics().orElseThrow();
    DataFileStatistics b = theirs.get(0).getStatistics().orElseThrow();
    assertThat(a.getNumRecords()).isEqualTo(70_000);
    assertThat(a.getNullCount()).hasSize(ALL.size() - 2); // Kernel drops the statistics of columns with NaN (d, f)
    assertThat(text(a)).isEqualTo(text(b));
    assertThat(a.serializeAsJson(schema)).isEqualTo(b.serializeAsJson(schema));
  }

  /**
   * The Delta statistics of a written file come from its writer's footer in memory, not from reading
   * the file again: they must be the ones a reader of the file gets, also where parquet-mr's footer
   * changes them on the way (NaN drops min and max, a 0.0 minimum reads as -0.0 and a -0.0 maximum as
   * 0.0, a chunk whose min and max exceed 4 KiB keeps no statistics at all).
   */
  @Test
  void statistics_from_the_writers_footer_are_the_ones_read_from_its_file() throws Exception {
    int n = 30_000;
    double[] zeroMin = new double[n];
    double[] zeroMax = new double[n];
    String[] big = new String[n];
    for (int k = 0; k < n; k++) {
      zeroMin[k] = k % 7; // 0.0 is the minimum
      zeroMax[k] = -(k % 5) - (k == 3 ? 0 : 0.5); // -0.5 .. -4.5; -0.0 at k == 0 is the maximum
      big[k] = k == 17 ? "z".repeat(5_000) : "v" + k; // min "v0", max 5,000 bytes: beyond the footer's limit
    }
    zeroMax[0] = -0.0;
    Frame data = Frame.of(allTypes(n, 0, 5).columns().toArray(new Column[0]))
        .withColumn(Column.ofDoubles("zmin", zeroMin)).withColumn(Column.ofDoubles("zmax", zeroMax))
        .withColumn(Column.ofStrings("big", big));
    StructType schema = kernelSchema(data.schema());
    LocalFileIO io = new LocalFileIO(Map.of());
    Engine sdk = new SdkEngine(DefaultEngine.create(io), io);
    List<DataFileStatus> ours = write(sdk, dir.resolve("footer"), data, schema);
    assertThat(ours).hasSize(1);

    DataFileStatus f = ours.get(0);
    DataFileStatus plain = new DataFileStatus(f.getPath(), f.getSize(), f.getModificationTime(), Optional.empty());
    DataFileStatistics fromMemory = f.getStatistics().orElseThrow();
    DataFileStatistics fromFile = FooterStats.withStats(io, plain, schema, statsColumns(data.schema()))
        .getStatistics().orElseThrow();
    assertThat(fromMemory.serializeAsJson(schema)).isEqualTo(fromFile.serializeAsJson(schema));
    // the cases that differ between parquet-mr's statistics in memory and in the file are in this file
    io.delta.kernel.expressions.Column zmin = new io.delta.kernel.expressions.Column("zmin");
    io.delta.kernel.expressions.Column zmax = new io.delta.kernel.expressions.Column("zmax");
    assertThat(Double.doubleToRawLongBits((Double) fromFile.getMinValues().get(zmin).getValue()))
        .isEqualTo(Double.doubleToRawLongBits(-0.0));
    assertThat(Double.doubleToRawLongBits((Double) fromFile.getMaxValues().get(zmax).getValue()))
        .isEqualTo(Double.doubleToRawLongBits(0.0));
    assertThat(fromFile.getNullCount()).doesNotContainKeys(new io.delta.kernel.expressions.Column("big"),
        new io.delta.kernel.expressions.Column("d"));
    assertThat(fromFile.getNullCount()).containsKeys(new io.delta.kernel.expressions.Column("str"), zmin);
  }

  /**
   * The bulk plain pages of fixed-width columns (INT64, DOUBLE, INT32, FLOAT; with and without
   * nulls, NaN, -0.0, extremes, a required column) against parquet-mr's own column writer on the same
   * rows: Kernel's reader, the SDK's reader and DuckDB read the same values from both files, and
   * every column chunk has the same statistics, encodings, value count and level histograms.
   */
  static final Schema NO_NULLS = Schema.of(Field.of("id", DataType.LONG), Field.of("d", DataType.DOUBLE),
      Field.of("dnan", DataType.DOUBLE), Field.of("dzero", DataType.DOUBLE), Field.of("f", DataType.FLOAT),
      Field.of("fspecial", DataType.FLOAT), Field.of("i", DataType.INT), Field.of("day", DataType.DATE),
      Field.of("ts", DataType.TIMESTAMP), Field.of("dinf", DataType.DOUBLE));

  /**
   * n rows without nulls (the bulk writer's fast loops): random values, and columns where one page
   * holds a NaN (with another NaN bit pattern), -0.0 and 0.0, or infinities.
   */
  static Frame noNulls(int n, long seed) {
    Random r = new Random(seed);
    long[] id = new long[n];
    double[] d = new double[n];
    double[] dnan = new double[n];
    double[] dzero = new double[n];
    float[] f = new float[n];
    float[] fs = new float[n];
    int[] i = new int[n];
    int[] day = new int[n];
    long[] ts = new long[n];
    double[] dinf = new double[n];
    for (int k = 0; k < n; k++) {
      id[k] = k * 7L - 3;
      d[k] = r.nextGaussian() * 1e6;
      dnan[k] = r.nextDouble() - 0.5;
      dzero[k] = r.nextDouble() + 0.5;
      f[k] = (float) r.nextGaussian();
      fs[k] = r.nextFloat() + 1;
      i[k] = r.nextInt();
      day[k] = r.nextInt(100_000) - 50_000;
      ts[k] = r.nextLong() % MAX_MICROS;
      dinf[k] = r.nextDouble();
    }
    dnan[25_000] = Double.NaN;
    dnan[25_001] = Double.longBitsToDouble(0x7ff0000000000123L); // another NaN: written as the canonical one
    dzero[45_000] = -0.0;
    dzero[45_001] = 0.0;
    dzero[65_000] = 0.0; // 0.0 alone in a page
    fs[5] = Float.NaN;
    fs[30_000] = -0.0f;
    dinf[100] = Double.NEGATIVE_INFINITY;
    dinf[41_000] = Double.POSITIVE_INFINITY;
    return Frame.of(Column.ofLongs("id", id), Column.ofDoubles("d", d), Column.ofDoubles("dnan", dnan),
        Column.ofDoubles("dzero", dzero), Column.ofFloats("f", f), Column.ofFloats("fspecial", fs),
        Column.ofInts("i", i), Column.ofDates("day", day), Column.ofTimestamps("ts", ts),
        Column.ofDoubles("dinf", dinf));
  }

  @Test
  void bulk_plain_pages_without_nulls_decode_exactly_as_parquet_mrs_column_writer_pages() throws Exception {
    Frame data = noNulls(70_000, 29);
    StructType schema = kernelSchema(NO_NULLS);
    TwoWays both = bulkAndPerValue("SNAPPY", data, schema);
    Engine sdk = both.sdk();
    Engine kernel = both.kernel();
    List<DataFileStatus> bulk = both.bulk();
    List<DataFileStatus> perValue = both.perValue();
    Frame back = read(kernel, bulk, schema, NO_NULLS);
    assertThat(back).isEqualTo(data);
    assertThat(read(sdk, bulk, schema, NO_NULLS)).isEqualTo(data);
    assertThat(Double.doubleToRawLongBits(back.column("dnan").getDouble(25_001))).isEqualTo(0x7ff8000000000000L);
    assertThat(Double.doubleToRawLongBits(back.column("dzero").getDouble(45_000))).isEqualTo(Long.MIN_VALUE);
    assertThat(bulk.get(0).getStatistics().orElseThrow().serializeAsJson(schema))
        .isEqualTo(perValue.get(0).getStatistics().orElseThrow().serializeAsJson(schema));
    assertSameChunks(bulk, perValue, List.of("id", "d", "dnan", "dzero", "f", "fspecial", "i", "day", "ts", "dinf"));
    try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(LocalFileIO.toPath(bulk.get(0).getPath())),
        ParquetReadOptions.builder(new PlainParquetConfiguration()).build())) {
      for (var chunk : r.getFooter().getBlocks().get(0).getColumns()) {
        var index = r.readColumnIndex(chunk);
        if (index != null) { // one min/max per page, as parquet-mr's (none for columns with NaN)
          assertThat(index.getMinValues()).hasSize(r.readOffsetIndex(chunk).getPageCount());
        }
      }
    }
  }

  @Test
  void bulk_string_and_binary_pages_decode_exactly_as_parquet_mrs_column_writer_pages() throws Exception {
    int n = 60_000;
    Random r = new Random(7);
    String[] ids = new String[n];
    String[] text = new String[n];
    String[] some = new String[n];
    List<byte[]> bytes = new ArrayList<>();
    String[] odd = {"", "Åland ✓", "𝄞 clef", "\uD800 unpaired", "x\u0000y", "é", "\u007f", "\u0080"};
    for (int k = 0; k < n; k++) {
      ids[k] = java.util.UUID.nameUUIDFromBytes(Long.toString(k).getBytes()).toString(); // distinct, ASCII
      // mostly ASCII bodies; every 97th not; one value larger than a page (1 MiB) in the middle
      text[k] = k == 30_000 ? "big".repeat(400_000) : k % 97 == 0 ? odd[k / 97 % odd.length] + k
          : "{\"dataframe_split\": {\"data\": [[" + r.nextDouble() + ", " + k + "]]}}";
      some[k] = k % 5 == 0 ? null : Long.toString(r.nextLong(), 36);
      byte[] b = new byte[k % 50 == 0 ? 0 : 1 + r.nextInt(40)];
      r.nextBytes(b);
      bytes.add(k % 7 == 0 ? null : b);
    }
    Frame data = Frame.of(Column.ofStrings("ids", ids), Column.ofStrings("text", text),
        Column.ofStrings("some", some), Column.of("bytes", DataType.BINARY, bytes));
    Schema sdkSchema = new Schema(List.of(new Field("ids", DataType.STRING, false, ""),
        Field.of("text", DataType.STRING), Field.of("some", DataType.STRING), Field.of("bytes", DataType.BINARY)));
    StructType schema = kernelSchema(sdkSchema);
    TwoWays both = bulkAndPerValue("SNAPPY", data, schema);
    Engine sdk = both.sdk();
    Engine kernel = both.kernel();
    List<DataFileStatus> bulk = both.bulk();
    List<DataFileStatus> perValue = both.perValue();
    // what UTF-8 holds: the unpaired surrogate becomes '?', as String.getBytes makes it
    String[] utf8 = new String[n];
    for (int k = 0; k < n; k++) {
      utf8[k] = new String(text[k].getBytes(java.nio.charset.StandardCharsets.UTF_8),
          java.nio.charset.StandardCharsets.UTF_8);
    }
    assertThat(utf8[97 * 3]).startsWith("? unpaired");
    Frame expected = data.withColumn(Column.ofStrings("text", utf8));
    assertThat(read(kernel, bulk, schema, sdkSchema)).isEqualTo(expected);
    assertThat(read(sdk, bulk, schema, sdkSchema)).isEqualTo(expected);
    assertThat(read(kernel, perValue, schema, sdkSchema)).isEqualTo(expected);
    assertThat(bulk.get(0).getStatistics().orElseThrow().serializeAsJson(schema))
        .isEqualTo(perValue.get(0).getStatistics().orElseThrow().serializeAsJson(schema));
    assertSameChunks(bulk, perValue, List.of("ids", "text", "some", "bytes"));
    try (ParquetFileReader f = ParquetFileReader.open(new LocalInputFile(LocalFileIO.toPath(bulk.get(0).getPath())),
        ParquetReadOptions.builder(new PlainParquetConfiguration()).build())) {
      var pages = f.readOffsetIndex(f.getFooter().getBlocks().get(0).getColumns().get(1));
      // a page closes once its values with their 4-byte lengths reach 1 MiB, and right after the 1.2 MB value
      long firstFull = 0;
      for (long bytesSoFar = 0; bytesSoFar < (1 << 20); firstFull++) {
        bytesSoFar += 4 + utf8[(int) firstFull].getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
      }
      List<Long> firstRows = new ArrayList<>();
      for (int pg = 0; pg < pages.getPageCount(); pg++) {
        firstRows.add(pages.getFirstRowIndex(pg));
      }
      assertThat(firstRows).hasSize(4).contains(30_001L);
      assertThat(firstRows.get(1)).isEqualTo(firstFull);
    }
    // the same rows through DuckDB's reader, from both files
    try (java.sql.Connection duck = java.sql.DriverManager.getConnection("jdbc:duckdb:");
        java.sql.Statement st = duck.createStatement()) {
      String x = "read_parquet('" + LocalFileIO.toPath(bulk.get(0).getPath()) + "')";
      String y = "read_parquet('" + LocalFileIO.toPath(perValue.get(0).getPath()) + "')";
      try (java.sql.ResultSet rs = st.executeQuery("SELECT count(*) FROM (SELECT * FROM " + x + " EXCEPT ALL SELECT * FROM "
          + y + ")")) {
        rs.next();
        assertThat(rs.getLong(1)).isZero();
      }
      try (java.sql.ResultSet rs = st.executeQuery("SELECT count(*), count(\"some\"), max(length(text)) FROM " + x)) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(n);
        assertThat(rs.getLong(2)).isEqualTo(n - n / 5);
        assertThat(rs.getLong(3)).isEqualTo(1_200_000);
      }
    }
  }

  /**
   * A paced write (the inference log's background commits) cuts pages at 64 KiB instead of 1 MiB: a
   * page is compressed in one call with no point to leave the CPU at, and a 1 MiB page of JSON bodies
   * held it for ~5 ms. The rows read back the same; an unpaced write keeps parquet-mr's page size.
   */
  @Test
  void paced_writes_cut_pages_at_64_kib_and_read_back_the_same_rows() throws Exception {
    int n = 40_000;
    Random r = new Random(11);
    String[] bodies = new String[n];
    double[] scores = new double[n];
    for (int k = 0; k < n; k++) {
      bodies[k] = "{\"dataframe_split\": {\"columns\": [\"a\", \"b\"], \"data\": [[" + r.nextDouble() + ", "
          + r.nextDouble() + "]]}, \"client_request_id\": \"" + k + "\"}";
      scores[k] = r.nextDouble();
    }
    Frame data = Frame.of(Column.ofStrings("body", bodies), Column.ofDoubles("score", scores));
    Schema sdkSchema = new Schema(List.of(Field.of("body", DataType.STRING), Field.of("score", DataType.DOUBLE)));
    StructType schema = kernelSchema(sdkSchema);
    LocalFileIO io = new LocalFileIO(Map.of("parquet.compression", "ZSTD"));
    Engine sdk = new SdkEngine(DefaultEngine.create(io), io);
    List<DataFileStatus> whole = write(sdk, dir.resolve("unpaced"), data, schema);
    long[] points = new long[1];
    List<DataFileStatus> paced = dev.mlops.core.internal.Pacing.run(0.9, () -> {
      try {
        List<DataFileStatus> out = write(sdk, dir.resolve("paced"), data, schema);
        points[0] = dev.mlops.core.internal.Pacing.points();
        return out;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    assertThat(read(sdk, paced, schema, sdkSchema)).isEqualTo(data);
    assertThat(paced.get(0).getStatistics().orElseThrow().serializeAsJson(schema))
        .isEqualTo(whole.get(0).getStatistics().orElseThrow().serializeAsJson(schema));
    long bodyBytes = 0;
    for (String b : bodies) {
      bodyBytes += 4 + b.length(); // ASCII: plain values with their 4-byte lengths
    }
    int[] unpacedPages = pageCounts(whole.get(0));
    int[] pacedPages = pageCounts(paced.get(0));
    // 1 MiB pages (and parquet-mr's 20,000-row limit for the doubles) unpaced; 64 KiB paced
    assertThat(unpacedPages[0]).isEqualTo((int) Math.ceil(bodyBytes / (double) (1 << 20)));
    assertThat(unpacedPages[1]).isEqualTo(2);
    assertThat(pacedPages[0]).isEqualTo((int) Math.ceil(bodyBytes / (double) ColumnarParquetWriter.PACED_PAGE_BYTES));
    assertThat(pacedPages[1]).isEqualTo((int) Math.ceil(8.0 * n / ColumnarParquetWriter.PACED_PAGE_BYTES));
    // and it left the CPU's way at every page of both columns, not only between columns
    assertThat(points[0]).isGreaterThanOrEqualTo(pacedPages[0] + pacedPages[1]);
  }

  /** Pages per column chunk of the file's first row group, from its offset index. */
  private static int[] pageCounts(DataFileStatus f) throws Exception {
    try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(LocalFileIO.toPath(f.getPath())),
        ParquetReadOptions.builder(new PlainParquetConfiguration()).build())) {
      var chunks = r.getFooter().getBlocks().get(0).getColumns();
      int[] out = new int[chunks.size()];
      for (int c = 0; c < out.length; c++) {
        out[c] = r.readOffsetIndex(chunks.get(c)).getPageCount();
      }
      return out;
    }
  }

  /**
   * Columns of UTF-8 bytes ({@link dev.mlops.core.internal.Utf8Values}, the inference log's batches) are
   * written as the same strings would be, in bulk pages and through parquet-mr's dictionary writer,
   * without ever being decoded into strings.
   */
  @Test
  void utf8_columns_write_the_files_their_strings_would_without_decoding() throws Exception {
    int n = 40_000;
    Random r = new Random(11);
    String[] odd = {"", "Åland ✓", "𝄞 clef", "\uD800 unpaired", "x\u0000y", "é", "\u007f", "\u0080"};
    var ids = new dev.mlops.core.internal.Utf8Values.Builder(16); // grows its index arrays
    var text = new dev.mlops.core.internal.Utf8Values.Builder(n);
    var some = new dev.mlops.core.internal.Utf8Values.Builder(n);
    var model = new dev.mlops.core.internal.Utf8Values.Builder(n);
    String[][] expected = new String[4][n];
    byte[] malformed = {'a', (byte) 0xC3, '(', (byte) 0xED, (byte) 0xA0, (byte) 0x80, (byte) 0xF0, (byte) 0x9D,
        (byte) 0x84, (byte) 0x9E, (byte) 0xE2};
    for (int k = 0; k < n; k++) {
      expected[0][k] = java.util.UUID.nameUUIDFromBytes(Long.toString(k).getBytes()).toString();
      ids.add(expected[0][k]);
      String t = k == 20_000 ? "big".repeat(400_000) : k % 97 == 0 ? odd[k / 97 % odd.length] + k
          : "{\"dataframe_split\": {\"data\": [[" + r.nextDouble() + ", " + k + "]]}}";
      if (k % 101 == 0) { // bytes as they came off the network, some not UTF-8: stored as the JDK decodes them
        byte[] b = (t + new String(malformed, java.nio.charset.StandardCharsets.ISO_8859_1))
            .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        byte[] padded = new byte[b.length + 6];
        System.arraycopy(b, 0, padded, 3, b.length);
        text.addUtf8(padded, 3, b.length);
        expected[1][k] = new String(b, java.nio.charset.StandardCharsets.UTF_8);
      } else {
        text.add(t);
        expected[1][k] = new String(t.getBytes(java.nio.charset.StandardCharsets.UTF_8),
            java.nio.charset.StandardCharsets.UTF_8); // an unpaired surrogate becomes '?'
      }
      expected[2][k] = k % 5 == 0 ? null : Long.toString(r.nextLong(), 36);
      some.add(expected[2][k]);
      expected[3][k] = k % 3 == 0 ? null : "main.models.churn-" + (k / 1000 % 3); // few values: a dictionary
      model.add(expected[3][k]);
    }
    assertThat(expected[1][101]).contains("\uFFFD").endsWith("\uFFFD"); // malformed and truncated sequences replaced
    var access = dev.mlops.core.internal.ColumnAccess.obtain();
    String[] names = {"ids", "text", "some", "model"};
    var builders = List.of(ids, text, some, model);
    List<Column> utf8 = new ArrayList<>();
    List<Column> strings = new ArrayList<>();
    for (int c = 0; c < 4; c++) {
      utf8.add(access.wrapUtf8(names[c], builders.get(c).values(), builders.get(c).nulls(), n));
      strings.add(Column.ofStrings(names[c], expected[c]));
    }
    Schema sdkSchema = new Schema(List.of(new Field("ids", DataType.STRING, false, ""),
        Field.of("text", DataType.STRING), Field.of("some", DataType.STRING), Field.of("model", DataType.STRING)));
    StructType schema = kernelSchema(sdkSchema);
    LocalFileIO io = new LocalFileIO(Map.of("parquet.compression", "SNAPPY"));
    Engine sdk = new SdkEngine(DefaultEngine.create(io), io);
    List<DataFileStatus> fromUtf8 = write(sdk, dir.resolve("utf8"), Frame.of(utf8), schema);
    List<DataFileStatus> fromStrings = write(sdk, dir.resolve("strings"), Frame.of(strings), schema);
    java.lang.reflect.Field decoded = Column.class.getDeclaredField("decoded");
    decoded.setAccessible(true);
    for (Column c : utf8) {
      assertThat(decoded.get(c)).as(c.name() + " decoded by the writer").isNull();
    }
    assertThat(read(DefaultEngine.create(io), fromUtf8, schema, sdkSchema)).isEqualTo(Frame.of(strings));
    assertThat(fromUtf8.get(0).getStatistics().orElseThrow().serializeAsJson(schema))
        .isEqualTo(fromStrings.get(0).getStatistics().orElseThrow().serializeAsJson(schema));
    assertSameChunks(fromUtf8, fromStrings, List.of("ids", "text", "some"));
    assertThat(footer(fromUtf8.get(0)).getBlocks().get(0).getColumns().get(3).getEncodings())
        .anyMatch(e -> e.usesDictionary());
    try (java.sql.Connection duck = java.sql.DriverManager.getConnection("jdbc:duckdb:");
        java.sql.Statement st = duck.createStatement();
        java.sql.ResultSet rs = st.executeQuery("SELECT count(*) FROM (SELECT * FROM read_parquet('"
            + LocalFileIO.toPath(fromUtf8.get(0).getPath()) + "') EXCEPT ALL SELECT * FROM read_parquet('"
            + LocalFileIO.toPath(fromStrings.get(0).getPath()) + "'))")) {
      rs.next();
      assertThat(rs.getLong(1)).isZero();
    }
    // any other reader of the column gets the strings
    assertThat(Frame.of(utf8)).isEqualTo(Frame.of(strings));
  }

  /**
   * A column of one value (and nulls), such as the inference log's model names, versions, dates and
   * status codes, is written as a dictionary page and pages of ids directly; the files read back and
   * carry the statistics, encodings and value counts of parquet-mr's dictionary writer on the same rows.
   */
  @Test
  void constant_columns_write_the_dictionary_chunks_of_parquet_mrs_writer() throws Exception {
    int n = 45_000; // three pages of 20,000 rows at most
    long[] l = new long[n];
    long[] ts = new long[n];
    int[] i = new int[n];
    int[] day = new int[n];
    double[] d = new double[n];
    double[] negZero = new double[n];
    double[] nan = new double[n];
    float[] f = new float[n];
    String[] str = new String[n];
    List<byte[]> bin = new ArrayList<>();
    long[] varies = new long[n];
    boolean[] some = new boolean[n];
    var utf8 = new dev.mlops.core.internal.Utf8Values.Builder(16);
    for (int k = 0; k < n; k++) {
      some[k] = k % 7 == 3;
      l[k] = Long.MIN_VALUE;
      ts[k] = MAX_MICROS;
      i[k] = 200;
      day[k] = 20_423;
      d[k] = 0.25;
      negZero[k] = -0.0;
      nan[k] = Double.NaN;
      f[k] = -1.5f;
      str[k] = some[k] ? null : "main.models.churn ✓";
      bin.add(new byte[] {0, (byte) 0xFF, 7});
      varies[k] = k == n - 1 ? 1 : 0; // equal but for the last row: written as parquet-mr writes it
      if (k % 11 == 0) {
        utf8.add((String) null);
      } else if (k % 2 == 0) {
        utf8.add("127.0.0.1");
      } else {
        utf8.repeatLast(); // the same bytes indexed again, as the inference log repeats a value
      }
    }
    Column repeated = dev.mlops.core.internal.ColumnAccess.obtain().wrapUtf8("u", utf8.values(), utf8.nulls(), n);
    Frame data = Frame.of(Column.ofLongs("l", l), Column.ofTimestamps("ts", ts, some), Column.ofInts("i", i),
        Column.ofDates("day", day, some), Column.ofDoubles("d", d, some), Column.ofDoubles("nz", negZero),
        Column.ofDoubles("nan", nan), Column.ofFloats("f", f, some), Column.ofStrings("str", str),
        Column.of("bin", DataType.BINARY, bin), repeated, Column.ofLongs("varies", varies));
    Schema sdkSchema = new Schema(List.of(Field.of("l", DataType.LONG), Field.of("ts", DataType.TIMESTAMP),
        Field.of("i", DataType.INT), Field.of("day", DataType.DATE), Field.of("d", DataType.DOUBLE),
        Field.of("nz", DataType.DOUBLE), Field.of("nan", DataType.DOUBLE), Field.of("f", DataType.FLOAT),
        Field.of("str", DataType.STRING), Field.of("bin", DataType.BINARY), Field.of("u", DataType.STRING),
        Field.of("varies", DataType.LONG)));
    StructType schema = kernelSchema(sdkSchema);
    TwoWays both = bulkAndPerValue("SNAPPY", data, schema);
    assertThat(read(both.kernel(), both.bulk(), schema, sdkSchema)).isEqualTo(data);
    assertThat(read(both.sdk(), both.bulk(), schema, sdkSchema)).isEqualTo(data);
    assertThat(both.bulk().get(0).getStatistics().orElseThrow().serializeAsJson(schema))
        .isEqualTo(both.perValue().get(0).getStatistics().orElseThrow().serializeAsJson(schema));
    assertSameChunks(both.bulk(), both.perValue(), List.of());
    ParquetMetadata footer = footer(both.bulk().get(0));
    for (var chunk : footer.getBlocks().get(0).getColumns()) {
      assertThat(chunk.getEncodings()).as(chunk.getPath().toDotString()).anyMatch(e -> e.usesDictionary());
      assertThat(chunk.getDictionaryPageOffset()).as(chunk.getPath().toDotString()).isPositive();
    }
    // the constant columns' pages are the writer's own: cut at the page row-count limit exactly
    try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(LocalFileIO.toPath(both.bulk().get(0).getPath())),
        ParquetReadOptions.builder(new PlainParquetConfiguration()).build())) {
      var pages = r.readOffsetIndex(footer.getBlocks().get(0).getColumns().get(0));
      assertThat(pages.getPageCount()).isEqualTo(3);
      assertThat(pages.getFirstRowIndex(1)).isEqualTo(20_000);
      assertThat(pages.getFirstRowIndex(2)).isEqualTo(40_000);
    }
    // another engine's reader: DuckDB finds the same rows in both files
    try (java.sql.Connection duck = java.sql.DriverManager.getConnection("jdbc:duckdb:");
        java.sql.Statement st = duck.createStatement();
        java.sql.ResultSet rs = st.executeQuery("SELECT (SELECT count(*) FROM (SELECT * FROM read_parquet('"
            + LocalFileIO.toPath(both.bulk().get(0).getPath()) + "') EXCEPT ALL SELECT * FROM read_parquet('"
            + LocalFileIO.toPath(both.perValue().get(0).getPath()) + "'))), (SELECT count(*) FILTER (WHERE u = '127.0.0.1'"
            + " AND i = 200 AND str = 'main.models.churn ✓') FROM read_parquet('"
            + LocalFileIO.toPath(both.bulk().get(0).getPath()) + "'))")) {
      rs.next();
      assertThat(rs.getLong(1)).isZero();
      List<Object> u = repeated.toList();
      long expected = java.util.stream.IntStream.range(0, n).filter(k -> "127.0.0.1".equals(u.get(k)) && !some[k]).count();
      assertThat(expected).isBetween(30_000L, 36_000L);
      assertThat(rs.getLong(2)).isEqualTo(expected);
    }
  }

  /**
   * The sample that turns a column's dictionary off: mostly distinct values, or nothing but nulls (an
   * absent client id, a label not known yet: no dictionary to build, and the bulk pages write their
   * nulls at once). Few values, or too few non-null ones to judge, keep the dictionary.
   */
  @Test
  void a_sample_of_the_column_decides_its_dictionary() {
    int n = 50_000;
    boolean[] all = new boolean[n];
    java.util.Arrays.fill(all, true);
    boolean[] most = all.clone();
    double[] d = new double[n];
    double[] few = new double[n];
    long[] ids = new long[n];
    for (int k = 0; k < n; k++) {
      d[k] = k * 0.5;
      few[k] = k % 3;
      ids[k] = k;
      most[k] = k % 1000 != 0; // 50 values among the nulls
    }
    assertThat(ColumnarParquetWriter.mostlyDistinct(Column.ofDoubles("nothing", new double[n], all), 0, n)).isTrue();
    var none = utf8Nulls(n); // as the inference log gathers an absent client id
    var nullStrings = dev.mlops.core.internal.ColumnAccess.obtain().wrapUtf8("client_request_id", none.values(),
        none.nulls(), n);
    assertThat(ColumnarParquetWriter.mostlyDistinct(nullStrings, 0, n)).isTrue();
    assertThat(ColumnarParquetWriter.mostlyDistinct(Column.ofDoubles("d", d), 0, n)).isTrue();
    assertThat(ColumnarParquetWriter.mostlyDistinct(Column.ofLongs("id", ids), 0, n)).isTrue();
    assertThat(ColumnarParquetWriter.mostlyDistinct(Column.ofDoubles("few", few), 0, n)).isFalse();
    assertThat(ColumnarParquetWriter.mostlyDistinct(Column.ofDoubles("sparse", d, most), 0, n)).isFalse();
  }

  private static dev.mlops.core.internal.Utf8Values.Builder utf8Nulls(int n) {
    var b = new dev.mlops.core.internal.Utf8Values.Builder(n);
    for (int k = 0; k < n; k++) {
      b.add((String) null);
    }
    return b;
  }

  /** One frame written by our writer in bulk pages and value by value, and the engines to read them. */
  private record TwoWays(List<DataFileStatus> bulk, List<DataFileStatus> perValue, Engine sdk, Engine kernel) {}

  /** The frame written by our writer twice: in bulk pages, then value by value through parquet-mr's column writer. */
  private TwoWays bulkAndPerValue(String codec, Frame data, StructType schema) throws Exception {
    LocalFileIO io = new LocalFileIO(Map.of("parquet.compression", codec));
    Engine sdk = new SdkEngine(DefaultEngine.create(io), io);
    List<DataFileStatus> bulk = write(sdk, dir.resolve("bulk"), data, schema);
    ColumnarParquetWriter.bulkPages = false;
    try {
      return new TwoWays(bulk, write(sdk, dir.resolve("per-value"), data, schema), sdk, DefaultEngine.create(io));
    } finally {
      ColumnarParquetWriter.bulkPages = true;
    }
  }

  /** Same statistics, encodings, value counts, level histograms and column-index presence, chunk by chunk. */
  private static void assertSameChunks(List<DataFileStatus> bulk, List<DataFileStatus> perValue, List<String> plain)
      throws Exception {
    ParquetMetadata a = footer(bulk.get(0));
    ParquetMetadata b = footer(perValue.get(0));
    assertThat(a.getBlocks()).hasSameSizeAs(b.getBlocks());
    List<String> plainColumns = new ArrayList<>();
    try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(LocalFileIO.toPath(bulk.get(0).getPath())),
        ParquetReadOptions.builder(new PlainParquetConfiguration()).build())) {
      for (int g = 0; g < a.getBlocks().size(); g++) {
        var ca = a.getBlocks().get(g).getColumns();
        var cb = b.getBlocks().get(g).getColumns();
        for (int c = 0; c < ca.size(); c++) {
          String col = ca.get(c).getPath().toDotString();
          assertThat(ca.get(c).getStatistics()).as(col).isEqualTo(cb.get(c).getStatistics());
          assertThat(ca.get(c).getStatistics().getNumNulls()).as(col).isEqualTo(cb.get(c).getStatistics().getNumNulls());
          assertThat(ca.get(c).getEncodings()).as(col).isEqualTo(cb.get(c).getEncodings());
          assertThat(ca.get(c).getValueCount()).as(col).isEqualTo(cb.get(c).getValueCount());
          assertThat(ca.get(c).getSizeStatistics().getDefinitionLevelHistogram()).as(col)
              .isEqualTo(cb.get(c).getSizeStatistics().getDefinitionLevelHistogram());
          assertThat(ca.get(c).getSizeStatistics().getUnencodedByteArrayDataBytes()).as(col)
              .isEqualTo(cb.get(c).getSizeStatistics().getUnencodedByteArrayDataBytes());
          if (ca.get(c).getEncodings().stream().noneMatch(e -> e.usesDictionary())) {
            plainColumns.add(col);
            var pages = r.readOffsetIndex(ca.get(c));
            for (int pg = 0; pg < pages.getPageCount(); pg++) {
              assertThat(pages.getLastRowIndex(pg, ca.get(c).getValueCount()) - pages.getFirstRowIndex(pg) + 1)
                  .isLessThanOrEqualTo(20_000);
            }
            assertThat(r.readColumnIndex(ca.get(c)) == null).as(col).isEqualTo(columnIndexMissing(perValue, g, c));
          }
        }
      }
    }
    assertThat(plainColumns).containsAll(plain);
  }

  @Test
  void bulk_plain_pages_decode_exactly_as_parquet_mrs_column_writer_pages() throws Exception {
    Frame data = allTypes(70_000, 0, 23);
    StructType schema = kernelSchema(ALL);
    TwoWays both = bulkAndPerValue("ZSTD", data, schema);
    Engine sdk = both.sdk();
    Engine kernel = both.kernel();
    List<DataFileStatus> bulk = both.bulk();
    List<DataFileStatus> perValue = both.perValue();
    assertThat(read(kernel, bulk, schema, ALL)).isEqualTo(data);
    assertThat(read(sdk, bulk, schema, ALL)).isEqualTo(data);
    assertThat(read(kernel, perValue, schema, ALL)).isEqualTo(data);
    assertThat(bulk.get(0).getStatistics().orElseThrow().serializeAsJson(schema))
        .isEqualTo(perValue.get(0).getStatistics().orElseThrow().serializeAsJson(schema));

    assertSameChunks(bulk, perValue, List.of("id", "l", "d", "f", "ts", "ntz", "day", "str", "bin"));

    // another engine's reader: DuckDB reads the same rows from both files
    try (java.sql.Connection duck = java.sql.DriverManager.getConnection("jdbc:duckdb:");
        java.sql.Statement st = duck.createStatement()) {
      String x = "read_parquet('" + LocalFileIO.toPath(bulk.get(0).getPath()) + "')";
      String y = "read_parquet('" + LocalFileIO.toPath(perValue.get(0).getPath()) + "')";
      String cols = "id, l, i, d::VARCHAR AS d, f::VARCHAR AS f, ts, ntz, day, allnull, str, bin";
      for (String q : List.of("SELECT count(*) FROM (SELECT " + cols + " FROM " + x + " EXCEPT ALL SELECT " + cols
          + " FROM " + y + ")", "SELECT count(*) FROM (SELECT " + cols + " FROM " + y + " EXCEPT ALL SELECT " + cols
          + " FROM " + x + ")")) {
        try (java.sql.ResultSet rs = st.executeQuery(q)) {
          rs.next();
          assertThat(rs.getLong(1)).as(q).isZero();
        }
      }
      try (java.sql.ResultSet rs = st.executeQuery("SELECT count(*), count(d), sum(id) FROM " + x)) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(70_000);
        assertThat(rs.getLong(2)).isEqualTo(70_000 - data.column("d").nullCount());
        assertThat(rs.getLong(3)).isEqualTo(70_000L * 69_999 / 2);
      }
    }
  }

  @Test
  void one_call_zstd_pages_decode_exactly_as_parquet_mrs_streamed_zstd_pages() throws Exception {
    Frame data = allTypes(70_000, 0, 31); // nulls, strings and keys (dictionary pages), every flat type
    StructType schema = kernelSchema(ALL);
    for (Map<String, String> conf : List.of(Map.of("parquet.compression", "ZSTD"),
        Map.of("parquet.compression", "ZSTD", "parquet.compression.codec.zstd.level", "1"))) {
      LocalFileIO io = new LocalFileIO(conf);
      Engine sdk = new SdkEngine(DefaultEngine.create(io), io);
      Engine kernel = DefaultEngine.create(io);
      String tag = conf.size() == 1 ? "default" : "level1";
      List<DataFileStatus> oneCall = write(sdk, dir.resolve("one-call-" + tag), data, schema);
      List<DataFileStatus> streamed;
      ColumnarParquetWriter.oneCallZstd = false;
      try {
        streamed = write(sdk, dir.resolve("streamed-" + tag), data, schema);
      } finally {
        ColumnarParquetWriter.oneCallZstd = true;
      }
      assertThat(read(kernel, oneCall, schema, ALL)).as(tag).isEqualTo(data); // parquet-mr's ZSTD stream decoder
      assertThat(read(sdk, oneCall, schema, ALL)).as(tag).isEqualTo(data); // the SDK's one-call decoder
      assertThat(oneCall.get(0).getStatistics().orElseThrow().serializeAsJson(schema))
          .isEqualTo(streamed.get(0).getStatistics().orElseThrow().serializeAsJson(schema));
      assertSameChunks(oneCall, streamed, List.of("id", "l", "d", "f", "ts", "ntz", "day"));
      ParquetMetadata f = footer(oneCall.get(0));
      long compressed = 0;
      long streamedCompressed = 0;
      for (int g = 0; g < f.getBlocks().size(); g++) {
        for (int c = 0; c < f.getBlocks().get(g).getColumns().size(); c++) {
          var chunk = f.getBlocks().get(g).getColumns().get(c);
          assertThat(chunk.getCodec()).isEqualTo(org.apache.parquet.hadoop.metadata.CompressionCodecName.ZSTD);
          // (uncompressed totals include the page headers, whose compressed-size varints may differ by a byte)
          assertThat((double) chunk.getTotalUncompressedSize()).isCloseTo(
              footer(streamed.get(0)).getBlocks().get(g).getColumns().get(c).getTotalUncompressedSize(),
              org.assertj.core.data.Percentage.withPercentage(0.1));
          compressed += chunk.getTotalSize();
          streamedCompressed += footer(streamed.get(0)).getBlocks().get(g).getColumns().get(c).getTotalSize();
        }
      }
      // the same level compresses to within a few percent of parquet-mr's stream (frame headers differ)
      assertThat((double) compressed).as(tag).isCloseTo(streamedCompressed, org.assertj.core.data.Percentage.withPercentage(3));
      try (java.sql.Connection duck = java.sql.DriverManager.getConnection("jdbc:duckdb:");
          java.sql.Statement st = duck.createStatement()) {
        String x = "read_parquet('" + LocalFileIO.toPath(oneCall.get(0).getPath()) + "')";
        String y = "read_parquet('" + LocalFileIO.toPath(streamed.get(0).getPath()) + "')";
        String cols = "id, l, i, d::VARCHAR AS d, f::VARCHAR AS f, ts, ntz, day, allnull, str, bin";
        for (String q : List.of("SELECT count(*) FROM (SELECT " + cols + " FROM " + x + " EXCEPT ALL SELECT " + cols
            + " FROM " + y + ")", "SELECT count(*) FROM (SELECT " + cols + " FROM " + y + " EXCEPT ALL SELECT " + cols
            + " FROM " + x + ")")) {
          try (java.sql.ResultSet rs = st.executeQuery(q)) {
            rs.next();
            assertThat(rs.getLong(1)).as(q).isZero();
          }
        }
      }
    }
  }

  private static boolean columnIndexMissing(List<DataFileStatus> files, int group, int column) throws Exception {
    try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(LocalFileIO.toPath(files.get(0).getPath())),
        ParquetReadOptions.builder(new PlainParquetConfiguration()).build())) {
      return r.readColumnIndex(r.getFooter().getBlocks().get(group).getColumns().get(column)) == null;
    }
  }

  @Test
  void files_roll_and_row_groups_split_at_the_configured_sizes() throws Exception {
    Frame data = allTypes(30_000, 0, 5);
    StructType schema = kernelSchema(ALL);
    Map<String, String> conf = new HashMap<>();
    conf.put("parquet.compression", "SNAPPY");
    conf.put("parquet.block.size", "400000");
    conf.put("delta.kernel.default.parquet.writer.targetMaxFileSize", "700000");
    LocalFileIO io = new LocalFileIO(conf);
    Engine kernel = DefaultEngine.create(io);
    Engine sdk = new SdkEngine(kernel, io);
    List<DataFileStatus> ours = write(sdk, dir.resolve("ours"), data, schema);
    assertThat(ours.size()).isGreaterThan(1);
    long rows = 0;
    int maxGroups = 0;
    for (DataFileStatus f : ours) {
      ParquetMetadata m = footer(f);
      maxGroups = Math.max(maxGroups, m.getBlocks().size());
      long fileRows = m.getBlocks().stream().mapToLong(g -> g.getRowCount()).sum();
      assertThat(f.getStatistics().orElseThrow().getNumRecords()).isEqualTo(fileRows);
      assertThat(m.getBlocks().get(0).getColumns().get(0).getCodec().name()).isEqualTo("SNAPPY");
      rows += fileRows;
    }
    assertThat(maxGroups).isGreaterThan(1);
    assertThat(rows).isEqualTo(30_000);
    assertThat(read(kernel, ours, schema, ALL)).isEqualTo(data);
  }

  @Test
  void doubly_nested_columns_still_go_through_kernels_writer() throws Exception {
    // arrays and maps of flat types are written here (ColumnarParquetWriterNestedTest); deeper nesting is not
    Schema s = Schema.of(Field.of("id", DataType.LONG),
        Field.of("tags", ColumnType.array(ColumnType.array(DataType.STRING))));
    Frame data = Frame.of(Column.ofLongs("id", 1, 2), Column.of("tags", s.field("tags").columnType(),
        List.of(List.of(List.of("a", "b")), List.of())));
    StructType schema = kernelSchema(s);
    LocalFileIO io = new LocalFileIO(Map.of("parquet.compression", "ZSTD"));
    Engine kernel = DefaultEngine.create(io);
    List<DataFileStatus> files = write(new SdkEngine(kernel, io), dir.resolve("nested"), data, schema);
    assertThat(footer(files.get(0)).getFileMetaData().getKeyValueMetaData()).doesNotContainEntry("writer.model.name", "mlops-sdk-columnar").containsKey("io.delta.kernel.default-parquet-writer");
    assertThat(read(kernel, files, schema, s)).isEqualTo(data);
  }

  @Test
  void tables_written_column_by_column_skip_files_by_every_flat_types_statistics() throws Exception {
    try (Workspace ws = Workspace.open(dir.resolve("ws"))) {
      var t = ws.tables().create("main.skip.t").schema(ALL).create();
      List<Frame> chunks = new ArrayList<>();
      for (int c = 0; c < 4; c++) {
        Frame chunk = allTypes(5_000, c * 5_000L, 100 + c);
        chunks.add(chunk);
        t.append(chunk); // one file per append, ids [5000c, 5000c + 5000)
      }
      assertThat(t.read().load().rowCount()).isEqualTo(20_000);
      DeltaStore store = new DeltaStore(ws.root(), dir.resolve("ws"), Map.of());
      String loc = store.location(TableName.parse("main.skip.t"));
      Snapshot snap = TableManager.loadSnapshot(loc).build(store.engine());
      assertThat(files(store.engine(), snap, null)).isEqualTo(4);
      var id = new io.delta.kernel.expressions.Column("id");
      assertThat(files(store.engine(), snap, new Predicate(">=", id, Literal.ofLong(15_000)))).isEqualTo(1);
      assertThat(files(store.engine(), snap, new Predicate("<", id, Literal.ofLong(5_001)))).isEqualTo(2);
      // a value outside every file's [min, max] of a column of each type skips all files
      assertThat(files(store.engine(), snap, new Predicate(">", new io.delta.kernel.expressions.Column("i"),
          Literal.ofInt(Integer.MAX_VALUE)))).isZero();
      assertThat(files(store.engine(), snap, new Predicate("=", new io.delta.kernel.expressions.Column("str"),
          Literal.ofString("\u4e00 above every value's first UTF-8 byte")))).isZero();
      assertThat(files(store.engine(), snap, new Predicate("<", new io.delta.kernel.expressions.Column("day"),
          Literal.ofDate(-719_162)))).isZero();
      assertThat(files(store.engine(), snap, new Predicate("<", new io.delta.kernel.expressions.Column("d5"),
          Literal.ofDecimal(new BigDecimal("-999.99"), 5, 2)))).isZero();
      // (timestamp statistics are kept to the millisecond, so the bound is the smallest one)
      assertThat(files(store.engine(), snap, new Predicate("<", new io.delta.kernel.expressions.Column("ts"),
          Literal.ofTimestamp(MIN_MICROS)))).isZero();
      // files written by the columnar writer
      try (var walk = Files.walk(Path.of(java.net.URI.create(loc)))) {
        List<Path> parquet = walk.filter(p -> p.toString().endsWith(".parquet") && !p.toString().contains("_delta_log"))
            .toList();
        assertThat(parquet).hasSize(4);
        for (Path p : parquet) {
          try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(p),
              ParquetReadOptions.builder(new PlainParquetConfiguration()).build())) {
            assertThat(r.getFooter().getFileMetaData().getKeyValueMetaData())
                .containsEntry("writer.model.name", "mlops-sdk-columnar");
          }
        }
      }
    }
  }

  /** Data files a scan with this filter (null: none) would read. */
  private static int files(Engine engine, Snapshot s, Predicate filter) throws Exception {
    var b = s.getScanBuilder();
    if (filter != null) {
      b = b.withFilter(filter);
    }
    int n = 0;
    try (CloseableIterator<FilteredColumnarBatch> it = b.build().getScanFiles(engine)) {
      while (it.hasNext()) {
        try (CloseableIterator<Row> rows = it.next().getRows()) {
          while (rows.hasNext()) {
            rows.next();
            n++;
          }
        }
      }
    }
    return n;
  }
}
