package dev.mlops.core.internal.delta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.parquet.column.ParquetProperties.WriterVersion;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.format.CompressionCodec;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Parquet files written by parquet-hadoop itself (not by Kernel's writer): every flat Delta type in
 * every physical encoding, v1 and v2 data pages, dictionary, plain and dictionary-overflow chunks,
 * nulls, several row groups and pages, and every codec parquet-hadoop can write here. The SDK's
 * columnar reader must return exactly what Kernel's reader returns, and what was written.
 */
class ParquetHadoopFilesTest {
  @TempDir Path dir;

  static final MessageType FILE_SCHEMA = MessageTypeParser.parseMessageType("""
      message spark_schema {
        required int64 id;
        optional int64 l;
        optional int32 i;
        optional int32 s (INTEGER(16,true));
        optional int32 b (INTEGER(8,true));
        optional double d;
        optional float f;
        optional boolean flag;
        optional binary str (STRING);
        optional binary bin;
        optional int32 day (DATE);
        optional int64 ts (TIMESTAMP(MICROS,true));
        optional int64 ts_ms (TIMESTAMP(MILLIS,true));
        optional int96 ts96;
        optional int64 ntz (TIMESTAMP(MICROS,false));
        optional int32 dec9 (DECIMAL(9,2));
        optional int64 dec18 (DECIMAL(18,4));
        optional fixed_len_byte_array(16) dec38 (DECIMAL(38,10));
        optional binary dec20 (DECIMAL(20,3));
      }
      """);

  static final StructType SCHEMA = new StructType().add("id", LongType.LONG).add("l", LongType.LONG)
      .add("i", IntegerType.INTEGER).add("s", ShortType.SHORT).add("b", ByteType.BYTE)
      .add("d", DoubleType.DOUBLE).add("f", FloatType.FLOAT).add("flag", BooleanType.BOOLEAN)
      .add("str", StringType.STRING).add("bin", BinaryType.BINARY).add("day", DateType.DATE)
      .add("ts", TimestampType.TIMESTAMP).add("ts_ms", TimestampType.TIMESTAMP).add("ts96", TimestampType.TIMESTAMP)
      .add("ntz", TimestampNTZType.TIMESTAMP_NTZ).add("dec9", new DecimalType(9, 2))
      .add("dec18", new DecimalType(18, 4)).add("dec38", new DecimalType(38, 10)).add("dec20", new DecimalType(20, 3));

  /** How the writer encodes values: plain only, dictionary, or a dictionary that overflows to plain mid-chunk. */
  enum Dict { PLAIN, DICTIONARY, OVERFLOW }

  /** Rows as the comparable values {@link ParquetFiles#value} produces, and how to write each. */
  record Data(List<List<Object>> expected, List<Group> groups) {}

  static Data data(int n, long seed, boolean pooled) {
    Random r = new Random(seed);
    SimpleGroupFactory gf = new SimpleGroupFactory(FILE_SCHEMA);
    // values drawn from a small pool (dictionary-friendly) most of the time when pooled
    Random pool = new Random(seed + 1);
    List<List<Object>> expected = new ArrayList<>();
    List<Group> groups = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      Random v = pooled && r.nextInt(10) != 0 ? new Random(seed * 31 + pool.nextInt(40)) : r;
      Group g = gf.newGroup();
      List<Object> row = new ArrayList<>();
      g.append("id", (long) k);
      row.add((long) k);
      boolean nulls = r.nextInt(6) == 0; // this row: some columns null
      long l = v.nextLong();
      row.add(put(g, "l", nulls && r.nextBoolean() ? null : l));
      row.add(put(g, "i", nulls && r.nextBoolean() ? null : v.nextInt()));
      row.add(put(g, "s", nulls && r.nextBoolean() ? null : (short) v.nextInt(1 << 16)));
      row.add(put(g, "b", nulls && r.nextBoolean() ? null : (byte) v.nextInt(1 << 8)));
      double d = v.nextInt(50) == 0 ? Double.NaN : v.nextGaussian() * 1e6;
      row.add(put(g, "d", nulls && r.nextBoolean() ? null : d));
      float f = v.nextInt(50) == 0 ? Float.NEGATIVE_INFINITY : (float) (v.nextGaussian() * 1e3);
      row.add(put(g, "f", nulls && r.nextBoolean() ? null : f));
      row.add(put(g, "flag", nulls && r.nextBoolean() ? null : v.nextBoolean()));
      String str = v.nextInt(30) == 0 ? "" : "ß→" + Long.toString(v.nextLong(), 36);
      row.add(put(g, "str", nulls && r.nextBoolean() ? null : str));
      byte[] bin = new byte[v.nextInt(20)];
      v.nextBytes(bin);
      if (nulls && r.nextBoolean()) {
        row.add(null);
      } else {
        g.append("bin", Binary.fromConstantByteArray(bin));
        row.add(HexFormat.of().formatHex(bin));
      }
      int day = v.nextInt(3_000_000) - 1_000_000; // years ~ -770 to 10100
      row.add(put(g, "day", nulls && r.nextBoolean() ? null : day));
      long ts = v.nextLong() % 250_000_000_000_000_000L; // ±7900 years
      row.add(put(g, "ts", nulls && r.nextBoolean() ? null : ts));
      long ms = v.nextLong() % 250_000_000_000_000L;
      if (nulls && r.nextBoolean()) {
        row.add(null);
      } else {
        g.append("ts_ms", ms);
        row.add(ms * 1000);
      }
      int julianDay = 1_721_426 + v.nextInt(3_652_059); // 0001-01-01 .. 9999-12-31
      long nanos = Math.floorMod(v.nextLong(), 86_400_000_000_000L);
      if (nulls && r.nextBoolean()) {
        row.add(null);
      } else {
        g.append("ts96", Binary.fromConstantByteArray(ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN)
            .putLong(nanos).putInt(julianDay).array()));
        row.add((julianDay - 2_440_588L) * 86_400_000_000L + nanos / 1000);
      }
      row.add(put(g, "ntz", nulls && r.nextBoolean() ? null : v.nextLong() % 250_000_000_000_000_000L));
      int u9 = v.nextInt(1_999_999_999) - 999_999_999;
      if (nulls && r.nextBoolean()) {
        row.add(null);
      } else {
        g.append("dec9", u9);
        row.add(BigDecimal.valueOf(u9, 2));
      }
      long u18 = v.nextLong() % 1_000_000_000_000_000_000L;
      if (nulls && r.nextBoolean()) {
        row.add(null);
      } else {
        g.append("dec18", u18);
        row.add(BigDecimal.valueOf(u18, 4));
      }
      BigInteger u38 = new BigInteger(125, v).subtract(BigInteger.ONE.shiftLeft(124)); // |u| < 10^38
      if (nulls && r.nextBoolean()) {
        row.add(null);
      } else {
        g.append("dec38", Binary.fromConstantByteArray(fixed(u38, 16)));
        row.add(new BigDecimal(u38, 10));
      }
      BigInteger u20 = BigInteger.valueOf(v.nextLong()).multiply(BigInteger.valueOf(v.nextInt(10) + 1));
      if (nulls && r.nextBoolean()) {
        row.add(null);
      } else {
        g.append("dec20", Binary.fromConstantByteArray(u20.toByteArray())); // minimal two's complement
        row.add(new BigDecimal(u20, 3));
      }
      expected.add(row);
      groups.add(g);
    }
    return new Data(expected, groups);
  }

  private static Object put(Group g, String field, Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof Long x) {
      g.append(field, x);
    } else if (value instanceof Integer x) {
      g.append(field, x);
    } else if (value instanceof Short x) {
      g.append(field, (int) x);
    } else if (value instanceof Byte x) {
      g.append(field, (int) x);
    } else if (value instanceof Double x) {
      g.append(field, x);
    } else if (value instanceof Float x) {
      g.append(field, x);
    } else if (value instanceof Boolean x) {
      g.append(field, x);
    } else if (value instanceof String x) {
      g.append(field, x);
    } else {
      throw new AssertionError(value);
    }
    return value;
  }

  /** Big-endian two's complement in exactly {@code len} bytes. */
  static byte[] fixed(BigInteger v, int len) {
    byte[] min = v.toByteArray();
    byte[] out = new byte[len];
    Arrays.fill(out, 0, len - min.length, v.signum() < 0 ? (byte) -1 : 0);
    System.arraycopy(min, 0, out, len - min.length, min.length);
    return out;
  }

  static Path write(Path file, Data data, WriterVersion version, Dict dict, CompressionCodecName codec,
      Map<String, String> footer) throws Exception {
    try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new LocalOutputFile(file))
        .withType(FILE_SCHEMA).withWriterVersion(version).withCompressionCodec(codec)
        .withDictionaryEncoding(dict != Dict.PLAIN)
        .withDictionaryPageSize(dict == Dict.OVERFLOW ? 2048 : 1 << 20)
        .withPageSize(8 * 1024).withPageRowCountLimit(300).withRowGroupSize(64 * 1024L)
        .withExtraMetaData(footer).build()) {
      for (Group g : data.groups()) {
        w.write(g);
      }
    }
    return file;
  }

  static Stream<Arguments> layouts() {
    List<Arguments> out = new ArrayList<>();
    for (WriterVersion v : WriterVersion.values()) {
      for (Dict d : Dict.values()) {
        out.add(Arguments.of(v, d));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("layouts")
  void every_flat_type_reads_as_written_and_as_kernel_reads_it(WriterVersion version, Dict dict) throws Exception {
    Data data = data(10_000, version.ordinal() * 10 + dict.ordinal(), dict != Dict.PLAIN);
    Path file = write(dir.resolve("f.parquet"), data, version, dict, CompressionCodecName.SNAPPY, Map.of());
    assertLayout(file, version, dict);
    List<List<Object>> fast = ParquetFiles.fastRows(file, SCHEMA);
    List<List<Object>> kernel = ParquetFiles.kernelRows(file, SCHEMA);
    assertThat(kernel).hasSize(data.expected().size());
    for (int r = 0; r < kernel.size(); r++) {
      assertThat(kernel.get(r)).as("Kernel, row %s", r).isEqualTo(data.expected().get(r));
      assertThat(fast.get(r)).as("columnar reader, row %s", r).isEqualTo(kernel.get(r));
    }
    assertThat(fast).hasSameSizeAs(kernel);
  }

  /** The file really has the layout the test is about (several row groups; the encodings asked for). */
  private static void assertLayout(Path file, WriterVersion version, Dict dict) throws Exception {
    try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(file))) {
      List<BlockMetaData> blocks = r.getFooter().getBlocks();
      assertThat(blocks).as("row groups").hasSizeGreaterThan(1);
      ColumnChunkMetaData str = blocks.get(0).getColumns().stream()
          .filter(c -> c.getPath().toDotString().equals("str")).findFirst().orElseThrow();
      boolean dictionary = str.getEncodings().stream().anyMatch(Encoding::usesDictionary);
      assertThat(dictionary).as("dictionary pages").isEqualTo(dict != Dict.PLAIN);
      if (dict == Dict.OVERFLOW) {
        assertThat(str.getEncodings()).as("plain pages after the dictionary overflowed")
            .contains(version == WriterVersion.PARQUET_1_0 ? Encoding.PLAIN : Encoding.DELTA_BYTE_ARRAY);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(value = CompressionCodecName.class, names = {"UNCOMPRESSED", "SNAPPY", "GZIP", "ZSTD", "LZ4", "LZ4_RAW"})
  void every_codec_parquet_hadoop_writes_is_read_by_both_readers_and_through_a_table(CompressionCodecName codec)
      throws Exception {
    Data data = data(3_000, codec.ordinal(), true);
    Path table = dir.resolve("t");
    Files.createDirectories(table);
    Path file = write(table.resolve("part-0.parquet"), data, WriterVersion.PARQUET_2_0, Dict.DICTIONARY, codec, Map.of());
    try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(file))) {
      assertThat(r.getFooter().getBlocks().get(0).getColumns().get(0).getCodec()).isEqualTo(codec);
    }
    assertThat(ParquetFiles.fastRows(file, SCHEMA)).isEqualTo(data.expected());
    assertThat(ParquetFiles.kernelRows(file, SCHEMA)).isEqualTo(data.expected());
    ParquetFiles.commitFiles(table, SCHEMA, List.of(file));
    try (Workspace ws = Workspace.open(dir.resolve("ws"))) {
      var frame = ws.tables().atPath(table.toString()).read().load();
      assertThat(frame.rowCount()).isEqualTo(data.expected().size());
      for (int r = 0; r < 50; r++) {
        int row = (int) frame.column("id").getLong(r);
        Object dec = data.expected().get(row).get(SCHEMA.indexOf("dec38"));
        assertThat(frame.column("dec38").isNull(r) ? null : frame.column("dec38").get(r)).isEqualTo(dec);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(value = CompressionCodec.class, names = {"BROTLI", "LZO"})
  void files_in_codecs_the_sdk_lacks_fail_with_a_typed_error_naming_file_and_codec(CompressionCodec codec)
      throws Exception {
    Data data = data(200, 5, false);
    Path table = dir.resolve("t");
    Files.createDirectories(table);
    Path file = write(table.resolve("part-0.parquet"), data, WriterVersion.PARQUET_1_0, Dict.PLAIN,
        CompressionCodecName.UNCOMPRESSED, Map.of());
    // parquet-hadoop cannot write these codecs here (no codec classes): mark the chunks as such,
    // which is what a reader sees first
    ParquetFooters.rewrite(file, md -> md.getRow_groups().forEach(
        rg -> rg.getColumns().forEach(cc -> cc.getMeta_data().setCodec(codec))));
    SdkEngine engine = localEngine();
    // the columnar path and the Kernel path (a schema the columnar reader leaves to Kernel)
    StructType nested = new StructType().add("id", LongType.LONG)
        .add("x", new StructType().add("a", IntegerType.INTEGER));
    for (StructType schema : List.of(SCHEMA, nested)) {
      assertThatThrownBy(() -> ParquetFiles.rows(engine.getParquetHandler(), file, schema))
          .isInstanceOf(UnsupportedTableFeatureException.class)
          .hasMessageContaining(file.toString()).hasMessageContaining(codec.name());
    }
    ParquetFiles.commitFiles(table, SCHEMA, List.of(file));
    try (Workspace ws = Workspace.open(dir.resolve("ws"))) {
      assertThatThrownBy(() -> ws.tables().atPath(table.toString()).read().load())
          .isInstanceOf(UnsupportedTableFeatureException.class)
          .hasMessageContaining("part-0.parquet").hasMessageContaining(codec.name());
    }
  }

  @Test
  void a_file_type_that_differs_from_the_table_type_is_left_to_kernel() throws Exception {
    Data data = data(100, 9, false);
    Path file = write(dir.resolve("f.parquet"), data, WriterVersion.PARQUET_1_0, Dict.PLAIN,
        CompressionCodecName.SNAPPY, Map.of());
    // decimal(20,3) in the file read as decimal(21,3); int96 read as timestamp_ntz; a string as binary
    for (StructType s : List.of(new StructType().add("dec20", new DecimalType(21, 3)),
        new StructType().add("ts96", TimestampNTZType.TIMESTAMP_NTZ), new StructType().add("str", BinaryType.BINARY),
        new StructType().add("ts", TimestampNTZType.TIMESTAMP_NTZ), new StructType().add("ntz", TimestampType.TIMESTAMP))) {
      assertThat(ColumnarParquet.read(file, s)).as("%s", s).isEmpty();
    }
  }

  private static SdkEngine localEngine() {
    LocalFileIO local = new LocalFileIO(java.util.Map.of());
    return new SdkEngine(io.delta.kernel.defaults.engine.DefaultEngine.create(local), local);
  }
}
