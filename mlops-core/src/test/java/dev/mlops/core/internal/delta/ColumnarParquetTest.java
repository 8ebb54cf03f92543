package dev.mlops.core.internal.delta;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Frame;
import dev.mlops.core.Schema;
import dev.mlops.core.Workspace;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.FileReadResult;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The columnar fast path reads every value exactly as Kernel's own Parquet reader does. */
class ColumnarParquetTest {
  @TempDir Path dir;

  static final Schema S = Schema.of(Field.of("id", DataType.LONG), Field.of("n", DataType.INT),
      Field.of("x", DataType.DOUBLE), Field.of("flag", DataType.BOOLEAN), Field.of("city", DataType.STRING),
      Field.of("word", DataType.STRING), Field.of("ts", DataType.TIMESTAMP), Field.of("day", DataType.DATE),
      Field.of("small", DataType.LONG));

  @Test
  void fast_path_equals_the_default_reader_on_random_data_with_nulls_pages_and_dictionaries() throws Exception {
    Random r = new Random(3);
    int n = 300_000; // several pages per column; dictionary (city, small) and plain (x, word) encodings
    Frame.Builder b = Frame.builder(S);
    String[] cities = {"Oslo", "Lima", "Rome", "Nuuk", "Åland"};
    for (int i = 0; i < n; i++) {
      b.row((long) i, r.nextInt(10) == 0 ? null : r.nextInt(), r.nextInt(20) == 0 ? null : r.nextGaussian(),
          r.nextInt(7) == 0 ? null : r.nextBoolean(), r.nextInt(9) == 0 ? null : cities[r.nextInt(cities.length)],
          r.nextInt(11) == 0 ? null : Long.toString(r.nextLong(), 36),
          r.nextInt(13) == 0 ? null : Instant.ofEpochSecond(r.nextInt(2_000_000_000) - 1_000_000_000L, r.nextInt(1000) * 1000L),
          r.nextInt(5) == 0 ? null : LocalDate.ofEpochDay(r.nextInt(40_000) - 10_000), (long) r.nextInt(4));
    }
    Frame data = b.build();
    Path files;
    try (Workspace ws = Workspace.open(dir)) {
      ws.tables().create("main.t.p").schema(S).create().append(data);
      // the SDK reads back through the fast path: same rows
      Frame back = ws.tables().get("main.t.p").read().load();
      long[] ids = back.column("id").toLongArray();
      int[] order = new int[n];
      for (int i = 0; i < n; i++) {
        order[(int) ids[i]] = i;
      }
      assertThat(back.take(order)).isEqualTo(data);
      files = dir.resolve("tables/main/t/p");
    }
    // file by file, against Kernel's default reader on the physical schema (column-mapped names)
    DeltaStore store = new DeltaStore(dir.toUri(), dir, Map.of());
    var snapshot = io.delta.kernel.TableManager.loadSnapshot(store.location(dev.mlops.core.TableName.parse("main.t.p")))
        .build(store.engine());
    StructType physical = KernelInternals.physicalReadSchema(snapshot.getScanBuilder().build().getScanState(store.engine()));
    var plain = DefaultEngine.create(new LocalFileIO(Map.of())).getParquetHandler();
    List<Path> parquet;
    try (Stream<Path> s = Files.walk(files)) {
      parquet = s.filter(p -> p.toString().endsWith(".parquet") && !p.toString().contains("_delta_log")).toList();
    }
    assertThat(parquet).isNotEmpty();
    int checked = 0;
    for (Path p : parquet) {
      Optional<List<ColumnarBatch>> fast = ColumnarParquet.read(p, physical);
      assertThat(fast).as("fast path applies to %s", p).isPresent();
      List<Object[]> expected = new ArrayList<>();
      try (CloseableIterator<FileReadResult> it = plain.readParquetFiles(
          Iters.of(List.of(FileStatus.of(p.toUri().toString(), Files.size(p), 0))), physical, Optional.empty())) {
        while (it.hasNext()) {
          rows(it.next().getData(), expected);
        }
      }
      List<Object[]> got = new ArrayList<>();
      for (ColumnarBatch batch : fast.get()) {
        rows(batch, got);
      }
      assertThat(got).hasSameSizeAs(expected);
      for (int i = 0; i < got.size(); i++) {
        assertThat(got.get(i)).as("row %s of %s", i, p).containsExactly(expected.get(i));
      }
      checked += got.size();
    }
    assertThat(checked).isEqualTo(n);
  }

  private static void rows(ColumnarBatch b, List<Object[]> out) {
    StructType s = b.getSchema();
    for (int r = 0; r < b.getSize(); r++) {
      Object[] row = new Object[s.length()];
      for (int c = 0; c < s.length(); c++) {
        ColumnVector v = b.getColumnVector(c);
        StructField f = s.at(c);
        if (v.isNullAt(r)) {
          row[c] = null;
        } else if (f.getDataType() instanceof io.delta.kernel.types.LongType
            || f.getDataType() instanceof io.delta.kernel.types.TimestampType) {
          row[c] = v.getLong(r);
        } else if (f.getDataType() instanceof io.delta.kernel.types.IntegerType
            || f.getDataType() instanceof io.delta.kernel.types.DateType) {
          row[c] = v.getInt(r);
        } else if (f.getDataType() instanceof io.delta.kernel.types.DoubleType) {
          row[c] = v.getDouble(r);
        } else if (f.getDataType() instanceof io.delta.kernel.types.BooleanType) {
          row[c] = v.getBoolean(r);
        } else {
          row[c] = v.getString(r);
        }
      }
      out.add(row);
    }
  }

  @Test
  void the_new_flat_types_written_by_the_sdk_read_as_kernel_reads_them() throws Exception {
    Schema s = Schema.of(Field.of("id", DataType.LONG), Field.of("sh", DataType.SHORT), Field.of("by", DataType.BYTE),
        Field.of("fl", DataType.FLOAT), Field.of("d9", dev.mlops.core.ColumnType.decimal(9, 2)),
        Field.of("d18", dev.mlops.core.ColumnType.decimal(18, 4)), Field.of("d38", dev.mlops.core.ColumnType.decimal(38, 10)),
        Field.of("bin", DataType.BINARY), Field.of("ntz", DataType.TIMESTAMP_NTZ), Field.of("day", DataType.DATE));
    Random r = new Random(11);
    int n = 40_000;
    Frame.Builder b = Frame.builder(s);
    for (int i = 0; i < n; i++) {
      byte[] bytes = new byte[r.nextInt(12)];
      r.nextBytes(bytes);
      b.row((long) i, r.nextInt(9) == 0 ? null : (short) r.nextInt(1 << 16),
          r.nextInt(9) == 0 ? null : (byte) r.nextInt(1 << 8),
          r.nextInt(9) == 0 ? null : (float) r.nextGaussian(),
          r.nextInt(9) == 0 ? null : java.math.BigDecimal.valueOf(r.nextInt(2_000_000) - 1_000_000, 2),
          r.nextInt(9) == 0 ? null : java.math.BigDecimal.valueOf(r.nextLong() % 100_000_000_000_000L, 4),
          r.nextInt(9) == 0 ? null : new java.math.BigDecimal(new java.math.BigInteger(120, r), 10),
          r.nextInt(9) == 0 ? null : bytes,
          r.nextInt(9) == 0 ? null : java.time.LocalDateTime.of(1 + r.nextInt(9000), 1 + r.nextInt(12), 1 + r.nextInt(28),
              r.nextInt(24), r.nextInt(60), r.nextInt(60), r.nextInt(1_000_000) * 1000),
          r.nextInt(9) == 0 ? null : LocalDate.ofEpochDay(r.nextInt(3_000_000) - 1_000_000));
    }
    Frame data = b.build();
    try (Workspace ws = Workspace.open(dir)) {
      ws.tables().create("main.t.n").schema(s).create().append(data);
      Frame back = ws.tables().get("main.t.n").read().load();
      long[] ids = back.column("id").toLongArray();
      int[] order = new int[n];
      for (int i = 0; i < n; i++) {
        order[(int) ids[i]] = i;
      }
      assertThat(back.take(order)).isEqualTo(data);
    }
    DeltaStore store = new DeltaStore(dir.toUri(), dir, Map.of());
    var snapshot = io.delta.kernel.TableManager.loadSnapshot(store.location(dev.mlops.core.TableName.parse("main.t.n")))
        .build(store.engine());
    StructType physical = KernelInternals.physicalReadSchema(snapshot.getScanBuilder().build().getScanState(store.engine()));
    List<Path> parquet;
    try (Stream<Path> st = Files.walk(dir.resolve("tables/main/t/n"))) {
      parquet = st.filter(p -> p.toString().endsWith(".parquet") && !p.toString().contains("_delta_log")).toList();
    }
    assertThat(parquet).isNotEmpty();
    int checked = 0;
    for (Path p : parquet) {
      List<List<Object>> fast = ParquetFiles.fastRows(p, physical);
      assertThat(fast).isEqualTo(ParquetFiles.kernelRows(p, physical));
      checked += fast.size();
    }
    assertThat(checked).isEqualTo(n);
  }

  /**
   * The streaming scan with reused buffers (the point-in-time join's reader): row group by row
   * group, one Buffers for every file, the arrays really reused from group to group, every value as
   * Kernel's default reader reads it, with each codec (ZSTD pages go through the one-call
   * decompression, the others through parquet-mr's codecs).
   */
  @Test
  void scan_with_reused_buffers_equals_the_default_reader_for_each_codec() throws Exception {
    for (String codec : new String[] {"ZSTD", "SNAPPY", "UNCOMPRESSED"}) {
      Path wsDir = dir.resolve("scan-" + codec);
      Random r = new Random(codec.hashCode());
      int n = 60_000;
      Frame.Builder b = Frame.builder(S);
      String[] cities = {"Oslo", "Lima", "Rome"};
      for (int i = 0; i < n; i++) {
        // nulls only in some row groups' stretches too, so a reused array meets nulls after values and back
        boolean gap = (i / 7_000) % 3 == 1;
        b.row((long) i, gap || r.nextInt(10) == 0 ? null : r.nextInt(), r.nextInt(20) == 0 ? null : r.nextGaussian(),
            r.nextInt(7) == 0 ? null : r.nextBoolean(), gap ? null : cities[r.nextInt(cities.length)],
            r.nextInt(11) == 0 ? null : Long.toString(r.nextLong(), 36),
            gap ? null : Instant.ofEpochSecond(r.nextInt(2_000_000_000), r.nextInt(1000) * 1000L),
            r.nextInt(5) == 0 ? null : LocalDate.ofEpochDay(r.nextInt(40_000) - 10_000), (long) r.nextInt(4));
      }
      try (Workspace ws = Workspace.builder(wsDir).hadoopConf(Map.of("parquet.block.size", "262144",
          "parquet.compression", codec)).open()) {
        ws.tables().create("main.t.s").schema(S).create().append(b.build());
      }
      DeltaStore store = new DeltaStore(wsDir.toUri(), wsDir, Map.of());
      var snapshot = io.delta.kernel.TableManager.loadSnapshot(store.location(dev.mlops.core.TableName.parse("main.t.s")))
          .build(store.engine());
      StructType physical = KernelInternals.physicalReadSchema(snapshot.getScanBuilder().build()
          .getScanState(store.engine()));
      List<Path> parquet;
      try (Stream<Path> st = Files.walk(wsDir.resolve("tables/main/t/s"))) {
        parquet = st.filter(p -> p.toString().endsWith(".parquet") && !p.toString().contains("_delta_log")).toList();
      }
      assertThat(parquet).isNotEmpty();
      long zstdBefore = ColumnarParquet.ZSTD_PAGES.sum();
      int groups = 0;
      int reused = 0;
      int checked = 0;
      try (ColumnarParquet.Buffers buffers = new ColumnarParquet.Buffers(true)) {
        for (Path p : parquet) {
          List<List<Object>> got = new ArrayList<>();
          Object[] lastArray = new Object[1];
          int[] counts = new int[2];
          assertThat(ColumnarParquet.scan(p, physical, buffers, (first, cols, rows) -> {
            assertThat(first).isEqualTo(got.size());
            ParquetFiles.rows(new FrameBatch(physical, cols, 0, rows), got); // copied out, as a visitor must
            Object arr = dev.mlops.core.internal.ColumnAccess.obtain().values(cols.get(0));
            counts[0]++;
            counts[1] += arr == lastArray[0] ? 1 : 0;
            lastArray[0] = arr;
          })).as("%s %s", codec, p).isTrue();
          assertThat(got).as("%s %s", codec, p).isEqualTo(ParquetFiles.kernelRows(p, physical));
          groups += counts[0];
          reused += counts[1];
          checked += got.size();
        }
      }
      assertThat(checked).isEqualTo(n);
      assertThat(groups).as("row groups (%s)", codec).isGreaterThan(parquet.size() * 2);
      assertThat(reused).as("groups decoded into the previous group's array (%s)", codec).isPositive();
      long zstd = ColumnarParquet.ZSTD_PAGES.sum() - zstdBefore;
      if (codec.equals("ZSTD")) {
        assertThat(zstd).as("pages decompressed in one call").isPositive();
      } else {
        assertThat(zstd).isZero();
      }
    }
  }

  @Test
  void unsupported_schemas_go_to_the_default_reader() {
    StructType nested = new StructType().add("s", new StructType().add("a", io.delta.kernel.types.IntegerType.INTEGER));
    assertThat(ColumnarParquet.supports(nested)).isFalse();
    StructType withId = new StructType().add(new StructField("a", io.delta.kernel.types.LongType.LONG, true,
        io.delta.kernel.types.FieldMetadata.builder().putLong("parquet.field.id", 1).build()));
    assertThat(ColumnarParquet.supports(withId)).isFalse();
    assertThat(ColumnarParquet.supports(new StructType().add("a", io.delta.kernel.types.LongType.LONG))).isTrue();
  }
}
