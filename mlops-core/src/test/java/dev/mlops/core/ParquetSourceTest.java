package dev.mlops.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Parquet import: files written by parquet-hadoop (every mapped type, dictionary and plain, v1 and v2
 * pages, codecs), folders written by Spark, projection, filter, batch bounds, refusals, and table
 * creation and appends from a source in one commit.
 */
class ParquetSourceTest {
  @TempDir Path dir;

  static final MessageType TYPES = MessageTypeParser.parseMessageType("message m {"
      + " required int64 id;"
      + " optional int32 i;"
      + " optional int32 i8 (INTEGER(8,true));"
      + " optional int32 i16 (INTEGER(16,true));"
      + " optional double d;"
      + " optional float f;"
      + " optional boolean b;"
      + " optional binary s (STRING);"
      + " optional binary e (ENUM);"
      + " optional int32 day (DATE);"
      + " optional int64 ts_us (TIMESTAMP(MICROS,true));"
      + " optional int64 ts_ms (TIMESTAMP(MILLIS,true));"
      + " optional int64 ts_local (TIMESTAMP(MICROS,false));"
      + " optional int96 ts96;"
      + " optional int32 dec9 (DECIMAL(9,2));"
      + " optional int64 dec18 (DECIMAL(18,4));"
      + " optional fixed_len_byte_array(16) dec38 (DECIMAL(38,6));"
      + "}");

  /** Row i as written: decimals as unscaled values (int, long, BigInteger), timestamps as Instants. */
  static Object[] raw(int i) {
    Random r = new Random(i);
    boolean nul = i % 7 == 3;
    long us = r.nextLong() % 4_000_000_000_000_000L; // ~ years 1843..2096
    if (nul) {
      return new Object[] {(long) i, null, null, null, null, null, null, null, null, null, null, null, null, null,
          null, null, null};
    }
    return new Object[] {
        (long) i,
        r.nextInt(),
        (int) (byte) r.nextInt(),
        (int) (short) r.nextInt(),
        i % 11 == 0 ? Double.NaN : r.nextGaussian() * 1e6,
        (float) r.nextGaussian(),
        r.nextBoolean(),
        "s" + (i % 50) + (i % 13 == 0 ? "é😀" : ""), // few distinct values: dictionary pages
        "E" + (i % 3),
        LocalDate.ofEpochDay(r.nextInt(100_000) - 50_000),
        Instant.EPOCH.plus(us, ChronoUnit.MICROS),
        Instant.ofEpochMilli(us / 1000),
        Instant.EPOCH.plus(us + 7, ChronoUnit.MICROS),
        Instant.EPOCH.plus(us - 3, ChronoUnit.MICROS),
        r.nextInt(1_000_000_000),
        r.nextLong() % 100_000_000_000_000L,
        java.math.BigInteger.valueOf(r.nextLong()).multiply(java.math.BigInteger.TEN)
    };
  }

  /** Row i as the SDK should read it: every Parquet type exactly (tinyint, smallint, float, decimal, ntz). */
  static Object[] expected(int i) {
    Object[] v = raw(i).clone();
    if (v[1] != null) {
      v[2] = (byte) (int) v[2];
      v[3] = (short) (int) v[3];
      v[12] = java.time.LocalDateTime.ofInstant((Instant) v[12], java.time.ZoneOffset.UTC);
      v[14] = BigDecimal.valueOf((int) v[14], 2);
      v[15] = BigDecimal.valueOf((long) v[15], 4);
      v[16] = new BigDecimal((java.math.BigInteger) v[16], 6);
    }
    return v;
  }

  static final Schema EXPECTED_SCHEMA = Schema.of(Field.of("id", DataType.LONG), Field.of("i", DataType.INT),
      Field.of("i8", DataType.BYTE), Field.of("i16", DataType.SHORT), Field.of("d", DataType.DOUBLE),
      Field.of("f", DataType.FLOAT), Field.of("b", DataType.BOOLEAN), Field.of("s", DataType.STRING),
      Field.of("e", DataType.STRING), Field.of("day", DataType.DATE), Field.of("ts_us", DataType.TIMESTAMP),
      Field.of("ts_ms", DataType.TIMESTAMP), Field.of("ts_local", DataType.TIMESTAMP_NTZ),
      Field.of("ts96", DataType.TIMESTAMP), Field.of("dec9", ColumnType.decimal(9, 2)),
      Field.of("dec18", ColumnType.decimal(18, 4)), Field.of("dec38", ColumnType.decimal(38, 6)));

  static Frame expectedFrame(int from, int to) {
    Frame.Builder b = Frame.builder(EXPECTED_SCHEMA);
    for (int i = from; i < to; i++) {
      b.row(expected(i));
    }
    return b.build();
  }

  static Binary int96(Instant t) {
    long micros = ChronoUnit.MICROS.between(Instant.EPOCH, t);
    long days = Math.floorDiv(micros, 86_400_000_000L);
    long nanosOfDay = Math.floorMod(micros, 86_400_000_000L) * 1000;
    ByteBuffer buf = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
    buf.putLong(nanosOfDay).putInt((int) (days + 2_440_588));
    return Binary.fromConstantByteArray(buf.array());
  }

  static Binary fixed16(BigDecimal d) {
    byte[] v = d.unscaledValue().toByteArray();
    byte[] out = new byte[16];
    byte pad = (byte) (v[0] < 0 ? -1 : 0);
    java.util.Arrays.fill(out, pad);
    System.arraycopy(v, 0, out, 16 - v.length, v.length);
    return Binary.fromConstantByteArray(out);
  }

  /** Writes rows [from, to) with parquet-hadoop's example writer. */
  static void write(Path file, int from, int to, boolean dictionary, ParquetProperties.WriterVersion version,
      CompressionCodecName codec) throws IOException {
    SimpleGroupFactory g = new SimpleGroupFactory(TYPES);
    try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new LocalOutputFile(file)).withType(TYPES)
        .withConf(new Configuration(false)).withDictionaryEncoding(dictionary).withWriterVersion(version)
        .withCompressionCodec(codec).withPageSize(4096).withRowGroupSize(256L * 1024).build()) {
      for (int i = from; i < to; i++) {
        Object[] e = raw(i);
        Group row = g.newGroup().append("id", (long) i);
        if (e[1] != null) {
          row.append("i", (int) e[1]).append("i8", (int) e[2]).append("i16", (int) e[3]).append("d", (double) e[4])
              .append("f", (float) e[5]).append("b", (boolean) e[6]).append("s", (String) e[7])
              .append("e", (String) e[8]).append("day", (int) ((LocalDate) e[9]).toEpochDay())
              .append("ts_us", ChronoUnit.MICROS.between(Instant.EPOCH, (Instant) e[10]))
              .append("ts_ms", ((Instant) e[11]).toEpochMilli())
              .append("ts_local", ChronoUnit.MICROS.between(Instant.EPOCH, (Instant) e[12]));
          row.append("ts96", int96((Instant) e[13]));
          row.append("dec9", (int) e[14]).append("dec18", (long) e[15])
              .append("dec38", fixed16(new BigDecimal((java.math.BigInteger) e[16], 6)));
        }
        w.write(row);
      }
    }
  }

  @ParameterizedTest(name = "dictionary={0} pages={1} codec={2}")
  @CsvSource({"true,PARQUET_1_0,SNAPPY", "false,PARQUET_1_0,UNCOMPRESSED", "true,PARQUET_2_0,ZSTD",
      "false,PARQUET_2_0,GZIP"})
  void reads_every_mapped_type_written_by_parquet_hadoop(boolean dictionary, ParquetProperties.WriterVersion version,
      CompressionCodecName codec) throws IOException {
    Path file = dir.resolve("data.parquet");
    write(file, 0, 5000, dictionary, version, codec);
    ParquetSource src = ParquetSource.of(file);
    assertThat(src.schema()).isEqualTo(EXPECTED_SCHEMA);
    Frame all = src.batchRows(1000).load();
    assertThat(all).isEqualTo(expectedFrame(0, 5000));
  }

  @Test
  void a_folder_reads_its_files_in_order_skipping_hidden_files_with_projection_filter_and_bounded_batches()
      throws IOException {
    Path folder = Files.createDirectories(dir.resolve("export"));
    write(folder.resolve("part-0.parquet"), 0, 3000, true, ParquetProperties.WriterVersion.PARQUET_1_0,
        CompressionCodecName.SNAPPY);
    Files.createDirectories(folder.resolve("year=2"));
    write(folder.resolve("year=2/part-1.parquet"), 3000, 7000, false, ParquetProperties.WriterVersion.PARQUET_2_0,
        CompressionCodecName.ZSTD);
    Files.writeString(folder.resolve("_SUCCESS"), "");
    Files.writeString(folder.resolve(".part-0.parquet.crc"), "junk");
    ParquetSource src = ParquetSource.of(folder).columns("s", "id").filter(Filter.gt("i16", 0)).batchRows(777);
    assertThat(src.schema().names()).containsExactly("s", "id");
    List<Frame> batches = new ArrayList<>();
    try (FrameStream s = src.open()) {
      s.forEachRemaining(batches::add);
      assertThat(s.hasNext()).isFalse();
    }
    assertThat(batches).allSatisfy(b -> assertThat(b.rowCount()).isBetween(1, 777));
    Frame got = Frame.concat(batches);
    Frame all = expectedFrame(0, 7000);
    Frame want = all.filter(i -> !all.column("i16").isNull(i) && ((Number) all.column("i16").get(i)).intValue() > 0).select("s", "id");
    assertThat(got).isEqualTo(want);
  }

  @Test
  void spark_written_data_files_read_like_the_delta_table_they_belong_to() {
    for (String name : List.of("int96", "plain")) {
      Path table = Path.of("src/test/resources/spark-tables/" + name).toAbsolutePath();
      try (Workspace ws = Workspace.open(dir.resolve(name))) {
        DeltaTable t = ws.tables().atPath(table.toString());
        Frame viaDelta = sortById(t.read().load());
        Frame viaParquet = sortById(ParquetSource.of(table).load());
        if (t.history().stream().noneMatch(c -> !c.operation().contains("WRITE") && !c.operation().contains("CREATE"))) {
          assertThat(viaParquet).as(name).isEqualTo(viaDelta);
        } else {
          assertThat(viaParquet.rowCount()).as(name).isGreaterThanOrEqualTo(viaDelta.rowCount());
        }
      }
    }
  }

  static Frame sortById(Frame f) {
    Integer[] idx = new Integer[f.rowCount()];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = i;
    }
    java.util.Arrays.sort(idx, Comparator.comparingLong(i -> ((Number) f.column("id").get(i)).longValue()));
    return f.take(java.util.Arrays.stream(idx).mapToInt(Integer::intValue).toArray());
  }

  @Test
  void nested_columns_are_refused_naming_them_and_can_be_left_out() {
    Path table = Path.of("src/test/resources/spark-tables/nested_types").toAbsolutePath();
    assertThatThrownBy(() -> ParquetSource.of(table).load()).isInstanceOf(SchemaMismatchException.class)
        .hasMessageContaining("columns(...)");
    assertThat(ParquetSource.of(table).columns("id").load().rowCount()).isPositive();
    assertThatThrownBy(() -> ParquetSource.of(table).columns("nope").schema())
        .isInstanceOf(ColumnNotFoundException.class).hasMessageContaining("nope");
    assertThatThrownBy(() -> ParquetSource.of(dir.resolve("missing.parquet")))
        .isInstanceOf(StorageException.class).hasMessageContaining("missing.parquet");
  }

  @Test
  void create_and_append_from_a_source_commit_once_and_a_failed_import_changes_nothing() throws IOException {
    Path file = dir.resolve("rows.parquet");
    write(file, 0, 4000, true, ParquetProperties.WriterVersion.PARQUET_1_0, CompressionCodecName.ZSTD);
    try (Workspace ws = Workspace.open(dir.resolve("ws"))) {
      DeltaTable t = ws.tables().create("main.raw.rows").createFrom(ParquetSource.of(file).batchRows(500));
      assertThat(t.version()).isEqualTo(1);
      assertThat(sortById(t.read().load())).isEqualTo(expectedFrame(0, 4000));
      CommitResult r = t.appendFrom(ParquetSource.of(file).filter(Filter.lt("id", 10L)));
      assertThat(r.version()).isEqualTo(2);
      assertThat(r.rowsInserted()).isEqualTo(10);
      // a source that does not fit: no commit, no new files
      long files = countFiles(dir.resolve("ws"));
      assertThatThrownBy(() -> t.appendFrom(ParquetSource.of(file).columns("id", "s")))
          .isInstanceOf(SchemaMismatchException.class).hasMessageContaining("missing column");
      assertThat(ws.tables().get("main.raw.rows").version()).isEqualTo(2);
      assertThat(countFiles(dir.resolve("ws"))).isEqualTo(files);
      // a create whose import fails leaves no table behind
      assertThatThrownBy(() -> ws.tables().create("main.raw.bad").schema(EXPECTED_SCHEMA.select(List.of("id", "s")))
          .createFrom(ParquetSource.of(file).columns("s", "i"))).isInstanceOf(SchemaMismatchException.class);
      assertThat(ws.tables().exists("main.raw.bad")).isFalse();
    }
  }

  static long countFiles(Path root) throws IOException {
    try (var s = Files.walk(root)) {
      return s.filter(p -> p.toString().endsWith(".parquet")).count();
    }
  }
}
