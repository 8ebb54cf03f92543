package dev.mlops.core.internal.delta;

import dev.mlops.core.Column;
import dev.mlops.core.ColumnType;
import dev.mlops.core.DataType;
import dev.mlops.core.internal.ColumnAccess;
import dev.mlops.core.internal.ColumnMaps;
import dev.mlops.core.internal.Errors;
import dev.mlops.core.internal.Pacing;
import dev.mlops.core.internal.Utf8Values;
import dev.mlops.core.internal.Values;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.defaults.engine.fileio.FileIO;
import io.delta.kernel.types.ArrayType;
import io.delta.kernel.types.BinaryType;
import io.delta.kernel.types.BooleanType;
import io.delta.kernel.types.ByteType;
import io.delta.kernel.types.DateType;
import io.delta.kernel.types.DecimalType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.FloatType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.MapType;
import io.delta.kernel.types.ShortType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampNTZType;
import io.delta.kernel.types.TimestampType;
import io.delta.kernel.statistics.DataFileStatistics;
import io.delta.kernel.utils.DataFileStatus;
import io.delta.kernel.utils.FileStatus;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.bytes.HeapByteBufferAllocator;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.page.PageWriter;
import org.apache.parquet.column.statistics.SizeStatistics;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.column.statistics.geospatial.GeospatialStatistics;
import org.apache.parquet.column.values.ValuesWriter;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveComparator;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * Writes the data files of flat tables column by column, straight from the SDK's primitive arrays.
 * Kernel's default writer goes row by row through parquet-mr's record assembly (a virtual call per
 * value to read it, a record consumer's field bookkeeping per value to write it); here each column of
 * a row group is one tight loop over its array into parquet-mr's own column writer, so the encodings,
 * pages, statistics and footer are parquet-mr's, exactly as its record writer would make them.
 *
 * <p>What stays the same as Kernel's writer: the Parquet schema (the same types, decimal layouts and
 * field ids of column-mapping tables, see {@link #parquetSchema}), the codec and sizes from the engine's
 * configuration ({@code parquet.compression}, {@code parquet.block.size}, {@code parquet.page.size},
 * {@code parquet.dictionary.page.size}, {@code parquet.enable.dictionary}), files rolled at
 * {@code delta.kernel.default.parquet.writer.targetMaxFileSize}, and the Delta statistics, read back
 * from the footer by Kernel's own statistics reader. Arrays and maps of flat types are written here
 * too, through parquet-mr's column writers with the levels its record writer gives them
 * ({@link #writeNested}); deeper nesting, structs and batches this writer does not know are left to
 * Kernel's writer ({@link #supports}). Tested value by value in ColumnarParquetWriterTest and
 * ColumnarParquetWriterNestedTest.
 */
final class ColumnarParquetWriter {
  private static final ColumnAccess.Access COLUMNS = ColumnAccess.obtain();

  private ColumnarParquetWriter() {}

  private static final String TARGET_FILE_SIZE = "delta.kernel.default.parquet.writer.targetMaxFileSize";
  private static final long DEFAULT_TARGET_FILE_SIZE = 128L << 20;
  private static final long DEFAULT_BLOCK_SIZE = 128L << 20;
  /** Row groups never hold more rows than this (bounds the buffered pages of wide-row tables). */
  private static final int MAX_ROW_GROUP_ROWS = 1 << 21;
  /**
   * Page size of paced (background) writes, below parquet-mr's 1 MiB: a page is compressed in one call
   * with no {@link Pacing#point} inside, and a 1 MiB ZSTD page of JSON bodies held a CPU for ~5 ms on a
   * 2-core machine, in which the scoring server's event loop waited (the inference log's commits).
   */
  static final int PACED_PAGE_BYTES = 64 << 10;
  /** Rows between points inside a page's values (a value costs tens of nanoseconds). */
  private static final int POINT_ROWS_MASK = 1023;
  /** parquet-mr's codecs are Hadoop codecs: one configuration without Hadoop's XML defaults, built once. */
  private static final Configuration CODEC_CONF = new Configuration(false);

  /**
   * Extra key/value pairs for every data file footer: the writer's name (as Kernel's writer records
   * its own) and the hook for engine-compatibility keys (for example Spark's
   * {@code org.apache.spark.version}, which Spark reads to pick its date rebase mode): add them here.
   */
  static Map<String, String> footerMetadata() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("writer.model.name", "mlops-sdk-columnar");
    m.putAll(SparkCalendar.writerKeys()); // Spark 3.x reads dates before 1582 without legacy rebase
    return m;
  }

  /**
   * True when the batch is the SDK's own, unfiltered, and every column is of a flat type, or an array
   * or map of flat types, written here.
   */
  static boolean supports(FilteredColumnarBatch b) {
    if (b.getSelectionVector().isPresent() || !(b.getData() instanceof FrameBatch fb)) {
      return false;
    }
    StructType schema = fb.getSchema();
    List<Column> cols = fb.columns();
    if (cols.size() != schema.length()) {
      return false;
    }
    for (int i = 0; i < cols.size(); i++) {
      if (!fits(cols.get(i).columnType(), schema.at(i))) {
        return false;
      }
    }
    return true;
  }

  /**
   * A flat column, or an array or map of flat types (one level: an array of arrays, a map of structs
   * and the like go to Kernel's writer, as do arrays and maps with Parquet field ids, column mapping
   * mode id, where Kernel's writer wants ids on the elements, keys and values too).
   */
  private static boolean fits(ColumnType sdk, StructField field) {
    io.delta.kernel.types.DataType k = field.getDataType();
    if (sdk instanceof ColumnType.ArrayOf a) {
      return k instanceof ArrayType at && flat(a.element(), at.getElementType()) && !fieldIds(field);
    }
    if (sdk instanceof ColumnType.MapOf m) {
      return k instanceof MapType mt && flat(m.key(), mt.getKeyType()) && flat(m.value(), mt.getValueType())
          && !fieldIds(field);
    }
    return fits(sdk.kind(), k);
  }

  private static boolean flat(ColumnType sdk, io.delta.kernel.types.DataType k) {
    return !sdk.kind().isNested() && fits(sdk.kind(), k);
  }

  private static boolean fieldIds(StructField f) {
    return f.getMetadata() != null && (f.getMetadata().contains(FIELD_ID)
        || f.getMetadata().contains("delta.columnMapping.nested.ids"));
  }

  private static boolean fits(DataType sdk, io.delta.kernel.types.DataType k) {
    return switch (sdk) {
      case BOOLEAN -> k instanceof BooleanType;
      case BYTE -> k instanceof ByteType;
      case SHORT -> k instanceof ShortType;
      case INT -> k instanceof IntegerType;
      case DATE -> k instanceof DateType;
      case LONG -> k instanceof LongType;
      case TIMESTAMP -> k instanceof TimestampType;
      case TIMESTAMP_NTZ -> k instanceof TimestampNTZType;
      case FLOAT -> k instanceof FloatType;
      case DOUBLE -> k instanceof DoubleType;
      case STRING -> k instanceof StringType;
      case BINARY -> k instanceof BinaryType;
      case DECIMAL -> k instanceof DecimalType;
      default -> false;
    };
  }

  /**
   * Writes the batch under the directory as one or more files (rolled at the target file size) and
   * returns their status with Delta statistics of the given columns.
   */
  static List<DataFileStatus> write(FileIO io, String directory, FrameBatch batch,
      List<io.delta.kernel.expressions.Column> statsColumns) throws IOException {
    StructType schema = batch.getSchema();
    MessageType parquetSchema = parquetSchema(schema);
    List<Column> cols = batch.columns();
    int from = batch.from();
    int size = batch.getSize();
    long target = io.getConf(TARGET_FILE_SIZE).map(Long::parseLong).orElse(DEFAULT_TARGET_FILE_SIZE);
    long blockSize = io.getConf("parquet.block.size").map(Long::parseLong).orElse(DEFAULT_BLOCK_SIZE);
    ParquetProperties.Builder pb = ParquetProperties.builder()
        .withWriterVersion(ParquetProperties.WriterVersion.PARQUET_1_0);
    int pageSize = io.getConf("parquet.page.size").map(Integer::parseInt).orElse(ParquetProperties.DEFAULT_PAGE_SIZE);
    // a page is compressed in one call: background (paced) writes keep it short
    pb.withPageSize(Pacing.active() ? Math.min(pageSize, PACED_PAGE_BYTES) : pageSize);
    io.getConf("parquet.dictionary.page.size").map(Integer::parseInt).ifPresent(pb::withDictionaryPageSize);
    io.getConf("parquet.enable.dictionary").map(Boolean::parseBoolean).ifPresent(pb::withDictionaryEncoding);
    ParquetProperties props = pb.build();
    CompressionCodecName codec = io.getConf("parquet.compression").map(CompressionCodecName::fromConf)
        .orElse(CompressionCodecName.UNCOMPRESSED);
    int groupRows = (int) Math.max(1, Math.min(MAX_ROW_GROUP_ROWS, blockSize / rowBytes(cols, from, size)));

    List<DataFileStatus> out = new ArrayList<>();
    CodecFactory codecs = new CodecFactory(CODEC_CONF, props.getPageSizeThreshold());
    org.apache.parquet.compression.CompressionCodecFactory.BytesInputCompressor compressor =
        zstdPages(io, codec) ? new ZstdPageCompressor(zstdLevel(io)) : codecs.getCompressor(codec);
    try {
      int row = 0;
      int fileNo = 0;
      while (row < size) {
        String path = directory.endsWith("/") ? directory : directory + "/";
        path += String.format("%s-%03d.parquet", UUID.randomUUID(), fileNo++);
        int start = row;
        ParquetFileWriter fw = new ParquetFileWriter(
            outputFile(io, path), parquetSchema,
            ParquetFileWriter.Mode.CREATE, blockSize, 0, null, props);
        boolean ended = false;
        try {
          fw.start();
          int ordinal = 0;
          do {
            int n = Math.min(groupRows, size - row);
            writeRowGroup(fw, parquetSchema, props, compressor, cols, from + row, n, ordinal++);
            row += n;
          } while (row < size && fw.getPos() < target);
          Pacing.point();
          fw.end(footerMetadata());
          Pacing.point();
          ended = true;
        } finally {
          if (!ended) {
            try {
              fw.close(); // the half-written file is deleted by the caller with the others it opened
            } catch (IOException | RuntimeException suppressed) {
              // the write's own failure is the one to report
            }
          }
        }
        out.add(status(io, path, schema, statsColumns, row - start, fw.getFooter()));
        Pacing.point();
      }
    } finally {
      codecs.release();
      if (compressor instanceof ZstdPageCompressor z) {
        z.release();
      }
    }
    return out;
  }

  private static final boolean ZSTD_JNI = present("com.github.luben.zstd.ZstdCompressCtx");
  /** parquet-mr's ZSTD level key and its default (its ZstandardCodec's), kept for the one-call path. */
  private static final String ZSTD_LEVEL = "parquet.compression.codec.zstd.level";
  private static final int DEFAULT_ZSTD_LEVEL = 3;

  private static boolean present(String cls) {
    try {
      Class.forName(cls, false, ColumnarParquetWriter.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** Off only in tests, to compare the one-call ZSTD pages with parquet-mr's streamed ones. */
  static volatile boolean oneCallZstd = true;

  /** ZSTD pages go through {@link ZstdPageCompressor} unless parquet-mr's multi-threaded ZSTD is asked for. */
  private static boolean zstdPages(FileIO io, CompressionCodecName codec) {
    return codec == CompressionCodecName.ZSTD && ZSTD_JNI && oneCallZstd
        && io.getConf("parquet.compression.codec.zstd.workers").map(Integer::parseInt).orElse(0) == 0;
  }

  private static int zstdLevel(FileIO io) {
    return io.getConf(ZSTD_LEVEL).map(Integer::parseInt).orElse(DEFAULT_ZSTD_LEVEL);
  }

  /**
   * ZSTD pages compressed in one zstd-jni call between two reused direct buffers, at parquet-mr's
   * level. parquet-mr's compressor streams every page through a new native stream into a growing
   * array and copies it out again (2.3 GB of the 4.2 GB the create benchmark allocated were its page
   * copies); the page store copies what this returns before the next page, so one output buffer
   * serves them all. The frames are ordinary ZSTD frames (one per page, with the content size in the
   * header), which every reader decodes as it decodes parquet-mr's; direct memory on both sides keeps
   * the GC locker out of it, as on the read side. Not thread-safe: one per file writer.
   */
  static final class ZstdPageCompressor
      implements org.apache.parquet.compression.CompressionCodecFactory.BytesInputCompressor {
    private final com.github.luben.zstd.ZstdCompressCtx ctx = new com.github.luben.zstd.ZstdCompressCtx();
    private java.nio.ByteBuffer in = java.nio.ByteBuffer.allocateDirect(0);
    private java.nio.ByteBuffer out = java.nio.ByteBuffer.allocateDirect(0);
    private final java.io.OutputStream sink = new java.io.OutputStream() {
      @Override
      public void write(int b) {
        in.put((byte) b);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        in.put(b, off, len);
      }
    };

    ZstdPageCompressor(int level) {
      ctx.setLevel(level);
    }

    @Override
    public BytesInput compress(BytesInput bytes) throws IOException {
      long size = bytes.size();
      if (size > Integer.MAX_VALUE / 2) {
        throw Errors.pageTooLarge(size);
      }
      if (in.capacity() < size) {
        in = java.nio.ByteBuffer.allocateDirect((int) Math.max(size, in.capacity() + (in.capacity() >> 1)));
      }
      in.clear();
      bytes.writeAllTo(sink);
      int bound = (int) com.github.luben.zstd.Zstd.compressBound(size);
      if (out.capacity() < bound) {
        out = java.nio.ByteBuffer.allocateDirect(Math.max(bound, out.capacity() + (out.capacity() >> 1)));
      }
      int len;
      try {
        len = ctx.compressDirectByteBuffer(out, 0, out.capacity(), in, 0, (int) size);
      } catch (RuntimeException e) {
        throw Errors.cannotCompressZstdPage(e);
      }
      return BytesInput.from(out, 0, len);
    }

    @Override
    public CompressionCodecName getCodecName() {
      return CompressionCodecName.ZSTD;
    }

    @Override
    public void release() {
      ctx.close();
    }
  }

  private static void writeRowGroup(ParquetFileWriter fw, MessageType schema, ParquetProperties fileProps,
      org.apache.parquet.compression.CompressionCodecFactory.BytesInputCompressor compressor, List<Column> cols,
      int from, int n, int ordinal) throws IOException {
    ParquetProperties props = withDictionaries(fileProps, schema, cols, from, n);
    ColumnChunkPageWriteStore pages = new ColumnChunkPageWriteStore(compressor, schema,
        HeapByteBufferAllocator.getInstance(), props.getColumnIndexTruncateLength(),
        props.getPageWriteChecksumEnabled(), null, ordinal);
    List<ColumnWriteStore> stores = new ArrayList<>();
    try {
      for (int c = 0; c < cols.size(); c++) {
        // one store per column: parquet-mr cuts pages per column by size and row count as it would for records
        MessageType one = new MessageType(schema.getName(), schema.getType(c));
        ColumnDescriptor d = one.getColumns().get(0);
        Pacing.point();
        int constant = constantAt(props, d, cols.get(c), from, n);
        if (constant >= 0) {
          writeConstantPages(pages.getPageWriter(d), props, d, cols.get(c), from, n, constant);
          Pacing.point();
          continue;
        }
        if (bulk(props, d, cols.get(c))) { // d: same path as the file's
          if (d.getPrimitiveType().getPrimitiveTypeName() == PrimitiveTypeName.BINARY) {
            writePlainBinaryPages(pages.getPageWriter(d), props, d, cols.get(c), from, n);
          } else {
            writePlainPages(pages.getPageWriter(d), props, d, cols.get(c), from, n);
          }
          Pacing.point();
          continue;
        }
        if (bulkPages && cols.get(c).columnType() instanceof ColumnType.MapOf && MapPages.write(
            pages.getPageWriter(one.getColumns().get(0)), pages.getPageWriter(one.getColumns().get(1)), props, one,
            cols.get(c), from, n)) { // maps viewed over columns of doubles (the inference log's probabilities)
          Pacing.point();
          continue;
        }
        ColumnWriteStore store = props.newColumnWriteStore(one, pages, pages);
        stores.add(store);
        if (cols.get(c).type().isNested()) {
          writeNested(store, one, cols.get(c), from, n);
        } else {
          writeColumn(store, store.getColumnWriter(d), d, cols.get(c), from, n);
        }
        store.flush();
        Pacing.point();
      }
      fw.startBlock(n);
      pages.flushToFileWriter(fw);
      Pacing.point();
      fw.endBlock();
    } finally {
      for (ColumnWriteStore s : stores) {
        s.close();
      }
      pages.close();
    }
  }

  /**
   * Dictionary encoding only for the columns whose values repeat. parquet-mr's record writer tries a
   * dictionary for every column and falls back to plain encoding when it grows past its size limit
   * (about a third of the writer's time on columns of distinct doubles, measured); here the whole
   * column is at hand, so a sample decides: more than half distinct values in up to 1,024 evenly
   * spaced rows (or none but nulls) writes the column plain from the start. The file is the same to any
   * reader.
   */
  private static ParquetProperties withDictionaries(ParquetProperties props, MessageType schema, List<Column> cols,
      int from, int n) {
    if (!props.isEnableDictionary() || n < 1024) {
      return props;
    }
    ParquetProperties.Builder b = ParquetProperties.copy(props);
    boolean changed = false;
    for (int c = 0; c < cols.size(); c++) {
      Pacing.point();
      if (mostlyDistinct(cols.get(c), from, n)) {
        b.withDictionaryEncoding(schema.getType(c).getName(), false);
        changed = true;
      }
    }
    return changed ? b.build() : props;
  }

  static boolean mostlyDistinct(Column c, int from, int n) { // package-private: tests
    Utf8Values utf8 = COLUMNS.utf8(c);
    Object raw = utf8 != null ? null : COLUMNS.values(c);
    boolean[] nulls = COLUMNS.nulls(c);
    int samples = Math.min(n, SAMPLES);
    java.util.HashSet<Object> seen = new java.util.HashSet<>();
    int taken = 0;
    int previous = -1;
    for (int k = 0; k < samples; k++) {
      int i = from + (int) ((long) k * n / samples);
      if (nulls != null && nulls[i]) {
        continue;
      }
      // a UTF-8 value equal to the one sampled before is seen already: not wrapped and hashed again
      if (utf8 == null || previous < 0 || !utf8.sameBytes(i, previous)) {
        previous = i;
        Object v = utf8 != null ? utf8Key(utf8, i) : switch (c.type()) {
          case LONG, TIMESTAMP, TIMESTAMP_NTZ -> ((long[]) raw)[i];
          case DOUBLE -> Double.doubleToLongBits(((double[]) raw)[i]);
          case INT, DATE -> ((int[]) raw)[i];
          case FLOAT -> Float.floatToIntBits(((float[]) raw)[i]);
          case STRING, DECIMAL -> ((Object[]) raw)[i];
          case BINARY -> java.nio.ByteBuffer.wrap((byte[]) ((Object[]) raw)[i]);
          default -> null; // booleans, bytes, shorts: few values by nature
        };
        if (v == null) {
          return false;
        }
        seen.add(v);
      }
      taken++;
      // stop as soon as the rest of the sample cannot change the answer (unique columns, such as ids,
      // are decided after half the sample; columns of few values likewise)
      int rest = samples - k - 1;
      if (taken >= SAMPLES / 2 && seen.size() * 2 > taken + rest) {
        return true;
      }
      if (seen.size() * 2 + rest <= taken) {
        return false;
      }
    }
    // no value in the sample: a column of nulls (an absent client id, a label not yet known) has no
    // dictionary to build, and parquet-mr's dictionary writer would take its nulls one call at a time
    return taken == 0 || (taken >= SAMPLES / 2 && seen.size() * 2 > taken);
  }

  /** Rows sampled, at most, to decide a column's encoding ({@link #mostlyDistinct}). */
  static final int SAMPLES = 1024; // MapPages samples map values as many

  /** Value i's bytes as a key that equals another value's when the bytes are equal, or null when null. */
  private static Object utf8Key(Utf8Values v, int i) {
    return v.isNull(i) ? null : java.nio.ByteBuffer.wrap(v.chunk(i), v.offset(i), v.length(i));
  }

  /** Off only in tests, to compare the bulk pages with parquet-mr's column writer on the same rows. */
  static volatile boolean bulkPages = true;

  static final VarHandle LONGS_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  static final VarHandle INTS_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

  /**
   * True when the column's pages are written here in bulk: a fixed-width column (INT64, DOUBLE, INT32
   * of ints or dates, FLOAT: {@link #writePlainPages}) or a top-level string or binary column ordered
   * by unsigned bytes ({@link #writePlainBinaryPages}), written plain (no dictionary), with no bloom
   * filter, in v1 pages. The other columns go through parquet-mr's column writer.
   */
  private static boolean bulk(ParquetProperties props, ColumnDescriptor d, Column c) {
    return !props.isDictionaryEnabled(d) && writtenHere(props, d, c);
  }

  /**
   * True when the column's pages can be written here rather than by parquet-mr's column writer: a
   * top-level flat column of a type the bulk writers know, no bloom filter, v1 pages. {@link #bulk}
   * writes such a column plain, {@link #writeConstantPages} dictionary-encoded when it holds one value.
   */
  private static boolean writtenHere(ParquetProperties props, ColumnDescriptor d, Column c) {
    if (!bulkPages || props.getWriterVersion() != ParquetProperties.WriterVersion.PARQUET_1_0
        || props.isBloomFilterEnabled(d) || d.getMaxRepetitionLevel() != 0) {
      return false;
    }
    PrimitiveTypeName p = d.getPrimitiveType().getPrimitiveTypeName();
    return switch (c.type()) {
      case LONG, TIMESTAMP, TIMESTAMP_NTZ -> p == PrimitiveTypeName.INT64;
      case DOUBLE -> p == PrimitiveTypeName.DOUBLE;
      case INT, DATE -> p == PrimitiveTypeName.INT32;
      case FLOAT -> p == PrimitiveTypeName.FLOAT;
      case STRING, BINARY -> p == PrimitiveTypeName.BINARY && d.getMaxDefinitionLevel() <= 1
          && (Object) d.getPrimitiveType().comparator() == PrimitiveComparator.UNSIGNED_LEXICOGRAPHICAL_BINARY_COMPARATOR;
      default -> false;
    };
  }

  /**
   * Rows [from, from + n) of a top-level string or binary column as plain v1 data pages, written
   * straight to the page writer: each value's bytes go behind their length into one array per page.
   * parquet-mr's column writer took a new byte array (the string's UTF-8) and a {@code Binary} per
   * value: in the serving benchmark with the inference log on, half the bytes the log's commit thread
   * allocated, for columns of ids and request bodies. ASCII strings are copied from their chars;
   * others take {@code getBytes(UTF_8)}, so the bytes are the JDK's encoding either way. A page closes
   * at the page row-count limit or once its values reach the page size (parquet-mr checks its size
   * every so many values, so its pages may be cut elsewhere; readers see the same rows). Min and max in
   * unsigned byte order, which is the comparator of these columns ({@link #bulk} checks it); levels,
   * size statistics, compression and indexes as in {@link #writePlainPages}. ColumnarParquetWriterTest
   * compares both writers' files.
   */
  private static void writePlainBinaryPages(PageWriter pw, ParquetProperties props, ColumnDescriptor d, Column c,
      int from, int n) throws IOException {
    PrimitiveType type = d.getPrimitiveType();
    Utf8Values utf8 = COLUMNS.utf8(c); // bytes as they are, no strings
    boolean strings = c.type() == DataType.STRING && utf8 == null;
    Object[] a = utf8 != null ? null : (Object[]) COLUMNS.values(c);
    boolean[] nulls = COLUMNS.nulls(c);
    int maxDef = d.getMaxDefinitionLevel();
    int pageRows = Math.max(1, props.getPageRowCountLimit());
    int pageBytes = Math.max(1, props.getPageSizeThreshold());
    boolean statsOn = props.getStatisticsEnabled(d);
    boolean sizeOn = props.getSizeStatisticsEnabled(d);
    ValuesWriter rl = props.newRepetitionLevelWriter(d);
    ValuesWriter dl = props.newDefinitionLevelWriter(d);
    // sized from a sample of the lengths, so that a page's values rarely grow it
    long guess = Math.min((long) pageBytes, (long) Math.min(n, pageRows) * (4 + averageLength(c, from, n)));
    byte[] buf = new byte[(int) guess + 1024];
    char[] chars = new char[strings ? 256 : 0];
    try {
      int start = from;
      while (start < from + n) {
        int pos = 0;
        int valueBytes = 0; // <= pos
        int nullCount = 0;
        int minAt = -1;
        int minLen = 0;
        int maxAt = -1;
        int maxLen = 0;
        int end = start;
        for (; end < from + n && end - start < pageRows && pos < pageBytes; end++) {
          if ((end & POINT_ROWS_MASK) == 0) {
            Pacing.point();
          }
          Object v = utf8 != null ? null : a[end];
          if (utf8 != null ? utf8.isNull(end) : v == null || (nulls != null && nulls[end])) {
            nullCount++;
            continue;
          }
          int at = pos + 4;
          int len;
          if (utf8 != null) {
            len = utf8.length(end);
            buf = room(buf, at + len);
            System.arraycopy(utf8.chunk(end), utf8.offset(end), buf, at, len);
          } else if (strings) {
            String str = (String) v;
            len = str.length();
            if (chars.length < len) {
              chars = new char[Math.max(len, chars.length * 2)];
            }
            buf = room(buf, at + len);
            str.getChars(0, len, chars, 0);
            int k = 0;
            while (k < len && chars[k] < 0x80) {
              buf[at + k] = (byte) chars[k];
              k++;
            }
            if (k < len) { // not ASCII: the JDK's encoder (surrogates, replacement of unpaired ones)
              byte[] encoded = str.getBytes(StandardCharsets.UTF_8);
              len = encoded.length;
              buf = room(buf, at + len);
              System.arraycopy(encoded, 0, buf, at, len);
            }
          } else {
            byte[] bytes = (byte[]) v;
            len = bytes.length;
            buf = room(buf, at + len);
            System.arraycopy(bytes, 0, buf, at, len);
          }
          INTS_LE.set(buf, pos, len);
          pos = at + len;
          valueBytes += len;
          if (minAt < 0) {
            minAt = at;
            minLen = len;
            maxAt = at;
            maxLen = len;
          } else if (Arrays.compareUnsigned(buf, at, at + len, buf, minAt, minAt + minLen) < 0) {
            minAt = at;
            minLen = len;
          } else if (Arrays.compareUnsigned(buf, at, at + len, buf, maxAt, maxAt + maxLen) > 0) {
            maxAt = at;
            maxLen = len;
          }
        }
        int rows = end - start;
        Statistics<?> st = statsOn ? Statistics.createStats(type) : Statistics.noopStats(type);
        if (minAt >= 0) {
          st.updateStats(Binary.fromConstantByteArray(Arrays.copyOfRange(buf, minAt, minAt + minLen)));
          st.updateStats(Binary.fromConstantByteArray(Arrays.copyOfRange(buf, maxAt, maxAt + maxLen)));
        }
        if (nullCount > 0) {
          st.incrementNumNulls(nullCount);
        }
        SizeStatistics.Builder size = sizeOn ? SizeStatistics.newBuilder(type, 0, maxDef)
            : SizeStatistics.noopBuilder(type, 0, maxDef);
        // a flat column has no level histograms (maxDef <= 1): one call adds the page's value bytes,
        // which is all parquet-mr's writer adds per value
        size.add(0, maxDef, Binary.fromConstantByteArray(buf, 0, valueBytes));
        BytesInput levels;
        if (maxDef == 1 && nullCount == 0 && rows >= 8) {
          levels = BytesInput.from(allDefined(rows));
        } else {
          for (int i = start; i < end && maxDef > 0; i++) {
            boolean isNull = utf8 != null ? utf8.isNull(i) : a[i] == null || (nulls != null && nulls[i]);
            dl.writeInteger(isNull ? 0 : maxDef);
          }
          levels = dl.getBytes();
        }
        writePage(pw, rl, dl, levels, BytesInput.from(buf, 0, pos), rows, st, size, Encoding.PLAIN);
        start = end;
      }
    } finally {
      rl.close();
      dl.close();
    }
  }

  /** The array, or a copy at least twice as long, with room for {@code size} bytes. */
  static byte[] room(byte[] buf, int size) {
    return buf.length >= size ? buf : Arrays.copyOf(buf, Math.max(size, buf.length * 2));
  }

  /**
   * Rows [from, from + n) of a fixed-width plain column as v1 data pages, written straight to the
   * page writer: parquet-mr's plain values writer puts each value byte by byte through its growing
   * buffer (17 % of the create benchmark's samples); here a page's values are little-endian stores
   * into one array. Everything else is parquet-mr's: the definition levels (its RLE writer), the page
   * statistics (min and max in its comparator's order, fed to its statistics object, so NaN and -0.0
   * come out as its own writer makes them; doubles and floats canonicalized as its writer does),
   * size statistics, compression, column and offset indexes. Pages hold at most the page row-count
   * limit and page size of the properties, as its writer cuts them. ColumnarParquetWriterTest reads
   * both writers' files value by value and compares their footers.
   */
  private static void writePlainPages(PageWriter pw, ParquetProperties props, ColumnDescriptor d, Column c,
      int from, int n) throws IOException {
    PrimitiveType type = d.getPrimitiveType();
    PrimitiveTypeName p = type.getPrimitiveTypeName();
    int width = p == PrimitiveTypeName.INT64 || p == PrimitiveTypeName.DOUBLE ? 8 : 4;
    boolean[] nulls = COLUMNS.nulls(c);
    Object raw = COLUMNS.values(c);
    int maxDef = d.getMaxDefinitionLevel();
    int pageRows = Math.max(1, Math.min(props.getPageRowCountLimit(), props.getPageSizeThreshold() / width));
    boolean statsOn = props.getStatisticsEnabled(d);
    boolean sizeOn = props.getSizeStatisticsEnabled(d);
    ValuesWriter rl = props.newRepetitionLevelWriter(d);
    ValuesWriter dl = props.newDefinitionLevelWriter(d);
    byte[] buf = new byte[Math.min(pageRows, n) * width];
    try {
      for (int start = from; start < from + n; start += pageRows) {
        int end = Math.min(from + n, start + pageRows);
        Statistics<?> st = statsOn ? Statistics.createStats(type) : Statistics.noopStats(type);
        SizeStatistics.Builder size = sizeOn ? SizeStatistics.newBuilder(type, 0, maxDef)
            : SizeStatistics.noopBuilder(type, 0, maxDef);
        int nullCount = 0;
        if (nulls != null) {
          for (int i = start; i < end; i++) {
            nullCount += nulls[i] ? 1 : 0;
          }
        }
        int rows = end - start;
        BytesInput levels;
        if (maxDef == 1 && nullCount == 0 && rows >= 8) {
          // all defined: parquet-mr's RLE writer gives one run, [length][varint(rows << 1)][1]
          levels = BytesInput.from(allDefined(rows));
        } else {
          for (int i = start; i < end && maxDef > 0; i++) {
            dl.writeInteger(nulls != null && nulls[i] ? 0 : maxDef);
          }
          levels = dl.getBytes();
        }
        if (maxDef > 1) { // (flat columns have no level histograms: maxDef <= 1 keeps them empty)
          for (int i = start; i < end; i++) {
            size.add(0, nulls != null && nulls[i] ? 0 : maxDef);
          }
        }
        int values = rows - nullCount;
        int pos = nullCount == 0 ? plainNoNulls(p, raw, start, end, buf, st) : -1;
        if (pos < 0) { // nulls, NaN or zeros: value by value, in the comparator's order
          pos = 0;
          switch (p) {
            case DOUBLE -> {
              double[] a = (double[]) raw;
              double min = 0;
              double max = 0;
              boolean any = false;
              for (int i = start; i < end; i++) {
                if (nulls != null && nulls[i]) {
                  continue;
                }
                double v = a[i];
                LONGS_LE.set(buf, pos, Double.doubleToLongBits(v));
                pos += 8;
                if (!any) {
                  min = v;
                  max = v;
                  any = true;
                } else {
                  if (Double.compare(min, v) > 0) {
                    min = v;
                  }
                  if (Double.compare(max, v) < 0) {
                    max = v;
                  }
                }
              }
              if (any) {
                st.updateStats(min);
                st.updateStats(max);
              }
            }
            case FLOAT -> {
              float[] a = (float[]) raw;
              float min = 0;
              float max = 0;
              boolean any = false;
              for (int i = start; i < end; i++) {
                if (nulls != null && nulls[i]) {
                  continue;
                }
                float v = a[i];
                INTS_LE.set(buf, pos, Float.floatToIntBits(v));
                pos += 4;
                if (!any) {
                  min = v;
                  max = v;
                  any = true;
                } else {
                  if (Float.compare(min, v) > 0) {
                    min = v;
                  }
                  if (Float.compare(max, v) < 0) {
                    max = v;
                  }
                }
              }
              if (any) {
                st.updateStats(min);
                st.updateStats(max);
              }
            }
            case INT64 -> {
              long[] a = (long[]) raw;
              long min = Long.MAX_VALUE;
              long max = Long.MIN_VALUE;
              for (int i = start; i < end; i++) {
                if (nulls != null && nulls[i]) {
                  continue;
                }
                long v = a[i];
                LONGS_LE.set(buf, pos, v);
                pos += 8;
                min = Math.min(min, v);
                max = Math.max(max, v);
              }
              if (values > 0) {
                st.updateStats(min);
                st.updateStats(max);
              }
            }
            default -> { // INT32: ints and dates
              int[] a = (int[]) raw;
              int min = Integer.MAX_VALUE;
              int max = Integer.MIN_VALUE;
              for (int i = start; i < end; i++) {
                if (nulls != null && nulls[i]) {
                  continue;
                }
                int v = a[i];
                INTS_LE.set(buf, pos, v);
                pos += 4;
                min = Math.min(min, v);
                max = Math.max(max, v);
              }
              if (values > 0) {
                st.updateStats(min);
                st.updateStats(max);
              }
            }
          }
        }
        if (nullCount > 0) {
          st.incrementNumNulls(nullCount);
        }
        writePage(pw, rl, dl, levels, BytesInput.from(buf, 0, pos), end - start, st, size, Encoding.PLAIN);
      }
    } finally {
      rl.close();
      dl.close();
    }
  }

  /**
   * The row of the one value of a column whose non-null values in rows [from, from + n) are all equal
   * and that is to be dictionary encoded, or -1: the columns {@link #writeConstantPages} writes. Only
   * columns {@link #writtenHere}, not NaN (whose statistics parquet-mr's writer treats apart), and not
   * a column of nulls only.
   */
  private static int constantAt(ParquetProperties props, ColumnDescriptor d, Column c, int from, int n) {
    if (!props.isDictionaryEnabled(d) || d.getMaxDefinitionLevel() > 1 || !writtenHere(props, d, c)) {
      return -1;
    }
    Utf8Values utf8 = COLUMNS.utf8(c);
    Object raw = utf8 != null ? null : COLUMNS.values(c);
    boolean[] nulls = COLUMNS.nulls(c);
    int first = -1;
    for (int i = from; i < from + n; i++) {
      if (isNull(utf8, raw, nulls, i)) {
        continue;
      }
      if (first < 0) {
        first = i;
        if (raw instanceof double[] a && Double.isNaN(a[i]) || raw instanceof float[] f && Float.isNaN(f[i])) {
          return -1;
        }
        continue;
      }
      boolean same;
      if (raw == null) {
        same = utf8.sameBytes(i, first);
      } else if (raw instanceof long[] a) {
        same = a[i] == a[first];
      } else if (raw instanceof int[] a) {
        same = a[i] == a[first];
      } else if (raw instanceof double[] a) {
        same = Double.doubleToRawLongBits(a[i]) == Double.doubleToRawLongBits(a[first]);
      } else if (raw instanceof float[] a) {
        same = Float.floatToRawIntBits(a[i]) == Float.floatToRawIntBits(a[first]);
      } else if (raw instanceof Object[] a) {
        same = a[i] instanceof byte[] b ? Arrays.equals(b, (byte[]) a[first]) : a[i].equals(a[first]);
      } else {
        same = false;
      }
      if (!same) {
        return -1;
      }
    }
    return first;
  }

  /**
   * Rows [from, from + n) of a column of one value (and nulls) as parquet-mr's dictionary writer
   * encodes it, written straight to the page writer: a dictionary page of the value, then v1 data
   * pages of the page row-count limit whose values are dictionary ids of bit width 0 (parquet-mr's own
   * RLE encoder), definition levels, statistics and size statistics as {@link #writePlainPages} gives
   * them. parquet-mr's writer looked the value up in its dictionary for every row (hashing its bytes):
   * a third of the inference log's commit CPU in the serving benchmark, whose model names, versions,
   * addresses, dates and status codes repeat in every row. Pages are cut at the row-count limit only
   * (parquet-mr checks its page size every so many values, so its pages may be cut elsewhere; readers
   * see the same rows). ColumnarParquetWriterTest compares both writers' files.
   */
  private static void writeConstantPages(PageWriter pw, ParquetProperties props, ColumnDescriptor d, Column c,
      int from, int n, int at) throws IOException {
    PrimitiveType type = d.getPrimitiveType();
    Utf8Values utf8 = COLUMNS.utf8(c);
    Object raw = utf8 != null ? null : COLUMNS.values(c);
    boolean[] nulls = COLUMNS.nulls(c);
    int maxDef = d.getMaxDefinitionLevel();
    int pageRows = Math.max(1, props.getPageRowCountLimit());
    boolean statsOn = props.getStatisticsEnabled(d);
    boolean sizeOn = props.getSizeStatisticsEnabled(d);
    byte[] plain; // the value, PLAIN encoded: the dictionary page
    Binary binary = null;
    if (raw instanceof long[] a) {
      plain = new byte[8];
      LONGS_LE.set(plain, 0, a[at]);
    } else if (raw instanceof double[] a) {
      plain = new byte[8];
      LONGS_LE.set(plain, 0, Double.doubleToRawLongBits(a[at]));
    } else if (raw instanceof int[] a) {
      plain = new byte[4];
      INTS_LE.set(plain, 0, a[at]);
    } else if (raw instanceof float[] a) {
      plain = new byte[4];
      INTS_LE.set(plain, 0, Float.floatToRawIntBits(a[at]));
    } else {
      byte[] bytes = utf8 != null ? Arrays.copyOfRange(utf8.chunk(at), utf8.offset(at), utf8.offset(at) + utf8.length(at))
          : ((Object[]) raw)[at] instanceof byte[] b ? b : ((String) ((Object[]) raw)[at]).getBytes(StandardCharsets.UTF_8);
      binary = Binary.fromConstantByteArray(bytes);
      plain = new byte[4 + bytes.length];
      INTS_LE.set(plain, 0, bytes.length);
      System.arraycopy(bytes, 0, plain, 4, bytes.length);
    }
    pw.writeDictionaryPage(new org.apache.parquet.column.page.DictionaryPage(BytesInput.from(plain), 1,
        Encoding.PLAIN_DICTIONARY));
    ValuesWriter rl = props.newRepetitionLevelWriter(d);
    ValuesWriter dl = props.newDefinitionLevelWriter(d);
    try {
      for (int start = from; start < from + n; start += pageRows) {
        int end = Math.min(from + n, start + pageRows);
        int rows = end - start;
        int nullCount = 0;
        for (int i = start; i < end; i++) {
          nullCount += isNull(utf8, raw, nulls, i) ? 1 : 0;
        }
        BytesInput levels;
        if (maxDef == 1 && nullCount == 0 && rows >= 8) {
          levels = BytesInput.from(allDefined(rows));
        } else {
          for (int i = start; i < end && maxDef > 0; i++) {
            dl.writeInteger(isNull(utf8, raw, nulls, i) ? 0 : maxDef);
          }
          levels = dl.getBytes();
        }
        int values = rows - nullCount;
        Statistics<?> st = statsOn ? Statistics.createStats(type) : Statistics.noopStats(type);
        SizeStatistics.Builder size = sizeOn ? SizeStatistics.newBuilder(type, 0, maxDef)
            : SizeStatistics.noopBuilder(type, 0, maxDef);
        if (values > 0) {
          if (raw instanceof long[] a) {
            st.updateStats(a[at]);
          } else if (raw instanceof double[] a) {
            st.updateStats(a[at]);
          } else if (raw instanceof int[] a) {
            st.updateStats(a[at]);
          } else if (raw instanceof float[] a) {
            st.updateStats(a[at]);
          } else {
            st.updateStats(binary);
          }
        }
        if (binary != null) { // flat: no level histograms, the values' unencoded bytes only
          for (int k = 0; k < values; k++) {
            size.add(0, maxDef, binary);
          }
        }
        if (nullCount > 0) {
          st.incrementNumNulls(nullCount);
        }
        // the ids: all 0, at bit width 0, behind the bit-width byte, as parquet-mr's dictionary writer makes them
        org.apache.parquet.column.values.rle.RunLengthBitPackingHybridEncoder ids =
            new org.apache.parquet.column.values.rle.RunLengthBitPackingHybridEncoder(0, 64, 1024,
                HeapByteBufferAllocator.getInstance());
        for (int k = 0; k < values; k++) {
          ids.writeInt(0);
        }
        writePage(pw, rl, dl, levels, BytesInput.concat(BytesInput.from(new byte[] {0}), ids.toBytes()), rows, st, size,
            Encoding.PLAIN_DICTIONARY);
        ids.close();
      }
    } finally {
      rl.close();
      dl.close();
    }
  }

  /** Whether row i of a column (its UTF-8 values, or its values array and null mask) is null. */
  private static boolean isNull(Utf8Values utf8, Object raw, boolean[] nulls, int i) {
    return utf8 != null ? utf8.isNull(i) : (nulls != null && nulls[i]) || (raw instanceof Object[] a && a[i] == null);
  }

  /**
   * Writes one v1 data page of the bulk writers (repetition levels, definition levels, values) and
   * readies the level writers for the next; paced background writes leave the CPU here.
   */
  private static void writePage(PageWriter pw, ValuesWriter rl, ValuesWriter dl, BytesInput levels, BytesInput values,
      int rows, Statistics<?> st, SizeStatistics.Builder size, Encoding encoding) throws IOException {
    Pacing.point(); // encoding done; compression next
    pw.writePage(BytesInput.concat(rl.getBytes(), levels, values), rows, rows, st, size.build(),
        GeospatialStatistics.noopBuilder().build(), rl.getEncoding(), dl.getEncoding(), encoding);
    Pacing.point();
    rl.reset();
    dl.reset();
  }

  /** The definition levels of a page of {@code rows >= 8} defined values (max level 1), as parquet-mr's RLE writer encodes them. */
  private static byte[] allDefined(int rows) {
    byte[] b = new byte[4 + 5 + 1];
    int n = 4;
    int header = rows << 1; // an RLE run: count << 1, low bit 0
    while ((header & ~0x7F) != 0) {
      b[n++] = (byte) ((header & 0x7F) | 0x80);
      header >>>= 7;
    }
    b[n++] = (byte) header;
    b[n++] = 1; // the repeated level, in one byte (bit width 1)
    INTS_LE.set(b, 0, n - 4);
    return Arrays.copyOf(b, n);
  }

  /**
   * The values of rows [start, end) with no nulls into {@code buf}, min and max into the statistics;
   * returns the bytes written, or -1 when a float or double page holds NaN or a zero (written again
   * by the caller's exact loop: NaN bits canonicalized as parquet-mr's writer does, -0.0 and 0.0
   * ordered by its comparator). Without those, plain {@code <} and {@code >} order values as its
   * comparator does, and the bits are the raw ones.
   */
  private static int plainNoNulls(PrimitiveTypeName p, Object raw, int start, int end, byte[] buf, Statistics<?> st) {
    int pos = 0;
    switch (p) {
      case DOUBLE -> {
        double[] a = (double[]) raw;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        boolean special = false;
        for (int i = start; i < end; i++) {
          double v = a[i];
          LONGS_LE.set(buf, pos, Double.doubleToRawLongBits(v));
          pos += 8;
          min = v < min ? v : min;
          max = v > max ? v : max;
          special |= v != v | v == 0.0;
        }
        if (special) {
          return -1;
        }
        st.updateStats(min);
        st.updateStats(max);
      }
      case FLOAT -> {
        float[] a = (float[]) raw;
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        boolean special = false;
        for (int i = start; i < end; i++) {
          float v = a[i];
          INTS_LE.set(buf, pos, Float.floatToRawIntBits(v));
          pos += 4;
          min = v < min ? v : min;
          max = v > max ? v : max;
          special |= v != v | v == 0.0f;
        }
        if (special) {
          return -1;
        }
        st.updateStats(min);
        st.updateStats(max);
      }
      case INT64 -> {
        long[] a = (long[]) raw;
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = start; i < end; i++) {
          long v = a[i];
          LONGS_LE.set(buf, pos, v);
          pos += 8;
          min = Math.min(min, v);
          max = Math.max(max, v);
        }
        st.updateStats(min);
        st.updateStats(max);
      }
      default -> {
        int[] a = (int[]) raw;
        int min = Integer.MAX_VALUE;
        int max = Integer.MIN_VALUE;
        for (int i = start; i < end; i++) {
          int v = a[i];
          INTS_LE.set(buf, pos, v);
          pos += 4;
          min = Math.min(min, v);
          max = Math.max(max, v);
        }
        st.updateStats(min);
        st.updateStats(max);
      }
    }
    return pos;
  }

  /** Ends row i's record in parquet-mr's column writers; paced writes leave the CPU every 4,096 rows. */
  private static void endRecord(ColumnWriteStore store, int i) {
    store.endRecord();
    if ((i & 4095) == 4095) {
      Pacing.point();
    }
  }

  /** Rows [from, from + n) of one column. */
  private static void writeColumn(ColumnWriteStore store, ColumnWriter w, ColumnDescriptor d, Column c, int from,
      int n) {
    int def = d.getMaxDefinitionLevel();
    boolean[] nulls = COLUMNS.nulls(c);
    Utf8Values bytes = COLUMNS.utf8(c);
    if (bytes != null) {
      writeUtf8(store, w, bytes, from, from + n, def);
      return;
    }
    Object raw = COLUMNS.values(c);
    int end = from + n;
    switch (c.type()) {
      case LONG, TIMESTAMP, TIMESTAMP_NTZ -> {
        long[] a = (long[]) raw;
        for (int i = from; i < end; i++) {
          if (nulls != null && nulls[i]) {
            w.writeNull(0, 0);
          } else {
            w.write(a[i], 0, def);
          }
          endRecord(store, i);
        }
      }
      case DOUBLE -> {
        double[] a = (double[]) raw;
        for (int i = from; i < end; i++) {
          if (nulls != null && nulls[i]) {
            w.writeNull(0, 0);
          } else {
            w.write(a[i], 0, def);
          }
          endRecord(store, i);
        }
      }
      case INT, DATE -> {
        int[] a = (int[]) raw;
        for (int i = from; i < end; i++) {
          if (nulls != null && nulls[i]) {
            w.writeNull(0, 0);
          } else {
            w.write(a[i], 0, def);
          }
          endRecord(store, i);
        }
      }
      case SHORT -> {
        short[] a = (short[]) raw;
        for (int i = from; i < end; i++) {
          if (nulls != null && nulls[i]) {
            w.writeNull(0, 0);
          } else {
            w.write((int) a[i], 0, def);
          }
          endRecord(store, i);
        }
      }
      case BYTE -> {
        byte[] a = (byte[]) raw;
        for (int i = from; i < end; i++) {
          if (nulls != null && nulls[i]) {
            w.writeNull(0, 0);
          } else {
            w.write((int) a[i], 0, def);
          }
          endRecord(store, i);
        }
      }
      case FLOAT -> {
        float[] a = (float[]) raw;
        for (int i = from; i < end; i++) {
          if (nulls != null && nulls[i]) {
            w.writeNull(0, 0);
          } else {
            w.write(a[i], 0, def);
          }
          endRecord(store, i);
        }
      }
      case BOOLEAN -> {
        boolean[] a = (boolean[]) raw;
        for (int i = from; i < end; i++) {
          if (nulls != null && nulls[i]) {
            w.writeNull(0, 0);
          } else {
            w.write(a[i], 0, def);
          }
          endRecord(store, i);
        }
      }
      case STRING -> {
        String[] a = (String[]) raw;
        Utf8 utf8 = new Utf8();
        for (int i = from; i < end; i++) {
          if ((nulls != null && nulls[i]) || a[i] == null) {
            w.writeNull(0, 0);
          } else {
            w.write(utf8.of(a[i]), 0, def);
          }
          endRecord(store, i);
        }
      }
      case BINARY -> {
        Object[] a = (Object[]) raw;
        for (int i = from; i < end; i++) {
          if ((nulls != null && nulls[i]) || a[i] == null) {
            w.writeNull(0, 0);
          } else {
            w.write(Binary.fromConstantByteArray((byte[]) a[i]), 0, def);
          }
          endRecord(store, i);
        }
      }
      case DECIMAL -> writeDecimals(store, w, d, (Object[]) raw, nulls, from, end, def);
      default -> throw Errors.flatColumn(c.columnType());
    }
  }

  /**
   * Rows [from, from + n) of an array or map column of flat values ({@link #nestedType}) through
   * parquet-mr's column writers, with the repetition and definition levels its record writer gives
   * the same values (so the pages, statistics and level histograms are the ones Kernel's writer
   * makes). Per row: a null array or map is a null below the column's level; an empty one a null at
   * it; then each element (each map entry's key and value) at repetition level 0 for the first and 1
   * for the others, a null element (null map value) at the level of the repeated group, a value at
   * the leaf's full level.
   */
  private static void writeNested(ColumnWriteStore store, MessageType one, Column c, int from, int n) {
    List<ColumnDescriptor> leaves = one.getColumns();
    boolean[] nulls = COLUMNS.nulls(c);
    Object[] a = (Object[]) COLUMNS.values(c);
    boolean optional = one.getType(0).isRepetition(Type.Repetition.OPTIONAL);
    int present = optional ? 1 : 0; // the array or map is there (possibly empty)
    int entry = present + 1; // an element or a map entry is there (its value possibly null)
    int end = from + n;
    if (c.columnType() instanceof ColumnType.ArrayOf at) {
      ColumnDescriptor ed = leaves.get(0);
      ColumnWriter w = store.getColumnWriter(ed);
      DataType kind = at.element().kind();
      int full = ed.getMaxDefinitionLevel();
      Utf8 utf8 = new Utf8();
      for (int i = from; i < end; i++) {
        Object v = nulls != null && nulls[i] ? null : a[i];
        if (v == null) {
          topNull(w, null, optional, c, i);
        } else {
          List<?> list = (List<?>) v;
          if (list.isEmpty()) {
            w.writeNull(0, present);
          }
          int rl = 0;
          for (Object e : list) {
            if (e == null) {
              elementNull(w, full, entry, c, i);
              w.writeNull(rl, entry);
            } else {
              writeValue(w, kind, ed.getPrimitiveType(), e, rl, full, utf8);
            }
            rl = 1;
          }
        }
        endRecord(store, i);
      }
      return;
    }
    ColumnType.MapOf mt = (ColumnType.MapOf) c.columnType();
    ColumnDescriptor kd = leaves.get(0);
    ColumnDescriptor vd = leaves.get(1);
    ColumnWriter kw = store.getColumnWriter(kd);
    ColumnWriter vw = store.getColumnWriter(vd);
    DataType keyKind = mt.key().kind();
    DataType valueKind = mt.value().kind();
    int full = vd.getMaxDefinitionLevel();
    Utf8 keys = new Utf8();
    Utf8 values = new Utf8();
    boolean doubleMaps = keyKind == DataType.STRING && valueKind == DataType.DOUBLE;
    ColumnMaps views = null; // the rows' last maps seen when they are views (ColumnMaps)
    boolean direct = false; // whether those are views over columns of doubles, written from the arrays
    Binary[] keyBytes = null;
    double[][] doubles = null;
    boolean[][] doubleNulls = null;
    for (int i = from; i < end; i++) {
      Object v = nulls != null && nulls[i] ? null : a[i];
      ColumnMaps m = ColumnMaps.of(v);
      if (m != null && m != views) { // once per set of maps (a prediction group), not per row
        views = m;
        direct = doubleMaps && m.doubles();
        if (direct) {
          keyBytes = new Binary[m.size()];
          doubles = new double[m.size()][];
          doubleNulls = new boolean[m.size()][];
          for (int j = 0; j < keyBytes.length; j++) {
            keyBytes[j] = Binary.fromConstantByteArray(m.key(j).getBytes(StandardCharsets.UTF_8));
            doubles[j] = (double[]) COLUMNS.values(m.values(j));
            doubleNulls[j] = COLUMNS.nulls(m.values(j));
          }
        }
      }
      if (m != null && direct) {
        // a view over columns of doubles: each entry from its column, no entry object or boxed value
        int row = ColumnMaps.rowOf(v);
        if (keyBytes.length == 0) {
          kw.writeNull(0, present);
          vw.writeNull(0, present);
        }
        for (int j = 0; j < keyBytes.length; j++) {
          int rl = j == 0 ? 0 : 1;
          kw.write(keyBytes[j], rl, entry);
          if (doubleNulls[j] != null && doubleNulls[j][row]) {
            elementNull(vw, full, entry, c, i);
            vw.writeNull(rl, entry);
          } else {
            vw.write(doubles[j][row], rl, full);
          }
        }
      } else if (v == null) {
        topNull(kw, vw, optional, c, i);
      } else {
        Map<?, ?> map = (Map<?, ?>) v;
        if (map.isEmpty()) {
          kw.writeNull(0, present);
          vw.writeNull(0, present);
        }
        int rl = 0;
        for (Map.Entry<?, ?> e : map.entrySet()) {
          writeValue(kw, keyKind, kd.getPrimitiveType(), e.getKey(), rl, entry, keys);
          if (e.getValue() == null) {
            elementNull(vw, full, entry, c, i);
            vw.writeNull(rl, entry);
          } else {
            writeValue(vw, valueKind, vd.getPrimitiveType(), e.getValue(), rl, full, values);
          }
          rl = 1;
        }
      }
      endRecord(store, i);
    }
  }

  /** A null array or map: below the column's level in every leaf; refused in a required column. */
  private static void topNull(ColumnWriter w, ColumnWriter w2, boolean optional, Column c, int row) {
    if (!optional) {
      throw Errors.nullColumnTypeAllows("row " + row, c.name(), c.columnType());
    }
    w.writeNull(0, 0);
    if (w2 != null) {
      w2.writeNull(0, 0);
    }
  }

  /** Refuses a null element (map value) where the file's type says elements are required. */
  private static void elementNull(ColumnWriter w, int full, int entry, Column c, int row) {
    if (full == entry) {
      throw Errors.nullColumnTypeAllows("row " + row, c.name(), c.columnType());
    }
  }

  /**
   * A column of {@link Utf8Values} through parquet-mr's column writer (a dictionary-encoded column):
   * one {@code Binary} over the stored bytes per run of equal values, no strings.
   */
  private static void writeUtf8(ColumnWriteStore store, ColumnWriter w, Utf8Values v, int from, int end, int def) {
    Binary last = null;
    int lastAt = -1;
    for (int i = from; i < end; i++) {
      if (v.isNull(i)) {
        w.writeNull(0, 0);
      } else {
        if (last == null || !v.sameBytes(i, lastAt)) {
          last = Binary.fromConstantByteArray(v.chunk(i), v.offset(i), v.length(i));
        }
        lastAt = i;
        w.write(last, 0, def);
      }
      endRecord(store, i);
    }
  }

  /**
   * A string's UTF-8 as a {@code Binary}, made again only when the string differs from the previous
   * one of its column. Dictionary-encoded columns hold the same string row after row (a model's name
   * and version, a map's keys, repeated bodies), and each row made a byte array and a {@code Binary}.
   * The bytes are never changed, so parquet-mr may keep the object (dictionary, min/max) as it keeps
   * any constant {@code Binary}.
   */
  private static final class Utf8 {
    private String last;
    private Binary bytes;

    Binary of(String s) {
      if (s != last && !s.equals(last)) {
        last = s;
        bytes = Binary.fromConstantByteArray(s.getBytes(StandardCharsets.UTF_8));
      }
      return bytes;
    }
  }

  /** One flat value inside an array or map, typed as {@link #writeColumn} types a column's values. */
  private static void writeValue(ColumnWriter w, DataType kind, PrimitiveType p, Object v, int rl, int dl,
      Utf8 utf8) {
    switch (kind) {
      case LONG -> w.write(((Number) v).longValue(), rl, dl);
      case TIMESTAMP -> w.write(v instanceof Instant t ? Values.instantToMicros(t) : (Long) v, rl, dl);
      case TIMESTAMP_NTZ -> w.write(v instanceof LocalDateTime t ? Values.localToMicros(t) : (Long) v, rl, dl);
      case INT, SHORT, BYTE -> w.write(((Number) v).intValue(), rl, dl);
      case DATE -> w.write(v instanceof LocalDate d ? Math.toIntExact(d.toEpochDay()) : (Integer) v, rl, dl);
      case DOUBLE -> w.write((double) (Double) v, rl, dl);
      case FLOAT -> w.write((float) (Float) v, rl, dl);
      case BOOLEAN -> w.write((boolean) (Boolean) v, rl, dl);
      case STRING -> w.write(utf8.of((String) v), rl, dl);
      case BINARY -> w.write(Binary.fromConstantByteArray((byte[]) v), rl, dl);
      case DECIMAL -> {
        int scale = ((LogicalTypeAnnotation.DecimalLogicalTypeAnnotation) p.getLogicalTypeAnnotation()).getScale();
        BigInteger u = ((BigDecimal) v).setScale(scale, RoundingMode.UNNECESSARY).unscaledValue();
        switch (p.getPrimitiveTypeName()) {
          case INT32 -> w.write(u.intValueExact(), rl, dl);
          case INT64 -> w.write(u.longValueExact(), rl, dl);
          default -> w.write(Binary.fromConstantByteArray(twosComplement(u, p.getTypeLength())), rl, dl);
        }
      }
      default -> throw Errors.flatType(kind);
    }
  }

  /** The big-endian two's complement of v in exactly len bytes (sign-extended). */
  private static byte[] twosComplement(BigInteger v, int len) {
    byte[] b = v.toByteArray();
    if (b.length == len) {
      return b;
    }
    byte[] padded = new byte[len];
    Arrays.fill(padded, 0, len - b.length, b[0] < 0 ? (byte) -1 : (byte) 0);
    System.arraycopy(b, 0, padded, len - b.length, b.length);
    return padded;
  }

  /** Decimals as Kernel's writer lays them out: INT32 / INT64 unscaled, or big-endian two's complement bytes. */
  private static void writeDecimals(ColumnWriteStore store, ColumnWriter w, ColumnDescriptor d, Object[] a,
      boolean[] nulls, int from, int end, int def) {
    PrimitiveType p = d.getPrimitiveType();
    int scale = ((LogicalTypeAnnotation.DecimalLogicalTypeAnnotation) p.getLogicalTypeAnnotation()).getScale();
    int len = p.getTypeLength();
    for (int i = from; i < end; i++) {
      if ((nulls != null && nulls[i]) || a[i] == null) {
        w.writeNull(0, 0);
      } else {
        BigDecimal v = ((BigDecimal) a[i]).setScale(scale, RoundingMode.UNNECESSARY);
        switch (p.getPrimitiveTypeName()) {
          case INT32 -> w.write(v.unscaledValue().intValueExact(), 0, def);
          case INT64 -> w.write(v.unscaledValue().longValueExact(), 0, def);
          default -> w.write(Binary.fromConstantByteArray(twosComplement(v.unscaledValue(), len)), 0, def);
        }
      }
      endRecord(store, i);
    }
  }

  /**
   * The Parquet schema Kernel's writer gives a flat schema (its converter is package-private): the
   * same physical types, annotations, repetition and field ids; ColumnarParquetWriterTest compares the
   * two footers' schemas for every flat type.
   */
  static MessageType parquetSchema(StructType schema) {
    List<Type> fields = new ArrayList<>();
    for (StructField f : schema.fields()) {
      io.delta.kernel.types.DataType t = f.getDataType();
      Type.Repetition rep = f.isNullable() ? Type.Repetition.OPTIONAL : Type.Repetition.REQUIRED;
      if (t instanceof ArrayType || t instanceof MapType) {
        fields.add(nestedType(f, rep));
        continue;
      }
      Types.PrimitiveBuilder<PrimitiveType> b;
      if (t instanceof BooleanType) {
        b = Types.primitive(PrimitiveTypeName.BOOLEAN, rep);
      } else if (t instanceof ByteType || t instanceof ShortType || t instanceof IntegerType) {
        // Kernel writes tinyint and smallint as plain INT32 (no INT(8)/INT(16) annotation); so does this
        b = Types.primitive(PrimitiveTypeName.INT32, rep);
      } else if (t instanceof DateType) {
        b = Types.primitive(PrimitiveTypeName.INT32, rep).as(LogicalTypeAnnotation.dateType());
      } else if (t instanceof LongType) {
        b = Types.primitive(PrimitiveTypeName.INT64, rep);
      } else if (t instanceof TimestampType) {
        b = Types.primitive(PrimitiveTypeName.INT64, rep)
            .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS));
      } else if (t instanceof TimestampNTZType) {
        b = Types.primitive(PrimitiveTypeName.INT64, rep)
            .as(LogicalTypeAnnotation.timestampType(false, LogicalTypeAnnotation.TimeUnit.MICROS));
      } else if (t instanceof FloatType) {
        b = Types.primitive(PrimitiveTypeName.FLOAT, rep);
      } else if (t instanceof DoubleType) {
        b = Types.primitive(PrimitiveTypeName.DOUBLE, rep);
      } else if (t instanceof StringType) {
        b = Types.primitive(PrimitiveTypeName.BINARY, rep).as(LogicalTypeAnnotation.stringType());
      } else if (t instanceof BinaryType) {
        b = Types.primitive(PrimitiveTypeName.BINARY, rep);
      } else if (t instanceof DecimalType d) {
        LogicalTypeAnnotation a = LogicalTypeAnnotation.decimalType(d.getScale(), d.getPrecision());
        if (d.getPrecision() <= 9) {
          b = Types.primitive(PrimitiveTypeName.INT32, rep).as(a);
        } else if (d.getPrecision() <= 18) {
          b = Types.primitive(PrimitiveTypeName.INT64, rep).as(a);
        } else {
          b = Types.primitive(PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY, rep).length(decimalBytes(d.getPrecision()))
              .as(a);
        }
      } else {
        throw Errors.flatType(t);
      }
      if (f.getMetadata().contains(FIELD_ID)) {
        b = b.id(((Number) f.getMetadata().get(FIELD_ID)).intValue());
      }
      fields.add(b.named(f.getName()));
    }
    return new MessageType("DefaultKernelSchema", fields);
  }

  private static final String FIELD_ID = "parquet.field.id";

  /**
   * An array or map of flat types as Kernel's schema converter writes it: the standard three-level
   * structure, {@code <rep> group name (LIST) { repeated group list { <opt|req> element; } }} and
   * {@code <rep> group name (MAP) { repeated group key_value { required key; <opt|req> value; } }}, the
   * leaves typed as flat columns are (never with field ids: {@link #fits}).
   */
  private static Type nestedType(StructField f, Type.Repetition rep) {
    Types.GroupBuilder<GroupType> g = Types.buildGroup(rep);
    if (f.getDataType() instanceof ArrayType a) {
      g = g.as(LogicalTypeAnnotation.listType())
          .addField(Types.repeatedGroup().addField(leaf("element", a.getElementType(), a.containsNull())).named("list"));
    } else {
      MapType m = (MapType) f.getDataType();
      g = g.as(LogicalTypeAnnotation.mapType()).addField(Types.repeatedGroup()
          .addField(leaf("key", m.getKeyType(), false))
          .addField(leaf("value", m.getValueType(), m.isValueContainsNull())).named("key_value"));
    }
    return g.named(f.getName());
  }

  /** The Parquet type of a flat field, as {@link #parquetSchema} types a top-level column. */
  private static Type leaf(String name, io.delta.kernel.types.DataType t, boolean nullable) {
    return parquetSchema(new StructType().add(name, t, nullable)).getType(0);
  }

  /** The fewest bytes whose two's complement holds every unscaled value of the precision. */
  private static int decimalBytes(int precision) {
    BigInteger max = BigInteger.TEN.pow(precision).subtract(BigInteger.ONE);
    return max.bitLength() / 8 + 1;
  }

  /** Parquet's view of a file created through the engine's file system layer. */
  private static org.apache.parquet.io.OutputFile outputFile(FileIO io, String path) {
    return new org.apache.parquet.io.OutputFile() {
      @Override
      public org.apache.parquet.io.PositionOutputStream create(long blockSizeHint) throws IOException {
        io.delta.kernel.defaults.engine.fileio.PositionOutputStream out = io.newOutputFile(path).create(false);
        return new org.apache.parquet.io.PositionOutputStream() {
          @Override
          public long getPos() throws IOException {
            return out.getPos();
          }

          @Override
          public void write(int b) throws IOException {
            out.write(b);
          }

          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
          }

          @Override
          public void flush() throws IOException {
            out.flush();
          }

          @Override
          public void close() throws IOException {
            out.close();
          }
        };
      }

      @Override
      public org.apache.parquet.io.PositionOutputStream createOrOverwrite(long blockSizeHint) throws IOException {
        return create(blockSizeHint);
      }

      @Override
      public boolean supportsBlockSize() {
        return false;
      }

      @Override
      public long defaultBlockSize() {
        return 0;
      }

      @Override
      public String getPath() {
        return path;
      }
    };
  }

  /** Uncompressed bytes per row, estimated (strings and binaries from a sample). */
  private static long rowBytes(List<Column> cols, int from, int size) {
    long bytes = 1;
    for (Column c : cols) {
      bytes += switch (c.type()) {
        case BOOLEAN, BYTE -> 1;
        case SHORT, INT, DATE, FLOAT -> 4;
        case DECIMAL -> 16;
        case STRING, BINARY -> 4 + averageLength(c, from, size);
        case ARRAY, MAP -> 4 + nestedLength(c, from, size);
        default -> 8;
      };
    }
    return bytes;
  }

  /** Bytes per row of an array or map column, from a sample: 4 per entry plus its values' bytes. */
  private static long nestedLength(Column c, int from, int size) {
    Object[] a = (Object[]) COLUMNS.values(c);
    int step = Math.max(1, size / 1000);
    long total = 0;
    int seen = 0;
    for (int i = from; i < from + size; i += step) {
      Object v = a[i];
      if (v != null) {
        Iterable<?> values = v instanceof Map<?, ?> m ? m.entrySet() : (List<?>) v;
        for (Object e : values) {
          total += 4 + (e instanceof Map.Entry<?, ?> me ? bytes(me.getKey()) + bytes(me.getValue()) : bytes(e));
        }
        seen++;
      }
    }
    return seen == 0 ? 0 : total / seen + 1;
  }

  private static long bytes(Object v) {
    return v instanceof String s ? s.length() : v instanceof byte[] b ? b.length : 8;
  }

  private static long averageLength(Column c, int from, int size) {
    Utf8Values utf8 = COLUMNS.utf8(c);
    Object[] a = utf8 != null ? null : (Object[]) COLUMNS.values(c);
    int step = Math.max(1, size / 1000);
    long total = 0;
    int seen = 0;
    for (int i = from; i < from + size; i += step) {
      Object v = a == null ? null : a[i];
      if (utf8 != null ? !utf8.isNull(i) : v != null) {
        total += utf8 != null ? utf8.length(i) : v instanceof String s ? s.length() : ((byte[]) v).length;
        seen++;
      }
    }
    return seen == 0 ? 0 : total / seen + 1;
  }

  private static DataFileStatus status(FileIO io, String path, StructType schema,
      List<io.delta.kernel.expressions.Column> statsColumns, long rows, ParquetMetadata footer) throws IOException {
    FileStatus fs = io.getFileStatus(path);
    String resolved = io.resolvePath(path);
    if (statsColumns.isEmpty()) {
      DataFileStatistics stats = new DataFileStatistics(rows, Map.of(), Map.of(), Map.of(), Optional.empty());
      return new DataFileStatus(resolved, fs.getSize(), fs.getModificationTime(), Optional.of(stats));
    }
    // FooterStats, not Kernel's ParquetStatsReader: that one is compiled against the relocated Guava of
    // Hadoop's shaded client jar, which the SDK no longer ships (NoClassDefFoundError at the first write)
    return FooterStats.withStats(new DataFileStatus(resolved, fs.getSize(), fs.getModificationTime(),
        Optional.empty()), footer, schema, statsColumns);
  }
}
