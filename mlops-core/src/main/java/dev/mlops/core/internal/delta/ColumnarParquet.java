package dev.mlops.core.internal.delta;

import dev.mlops.core.Column;
import dev.mlops.core.ColumnType;
import dev.mlops.core.DataType;
import dev.mlops.core.UnsupportedTableFeatureException;
import dev.mlops.core.internal.ColumnAccess;
import dev.mlops.core.internal.Errors;
import dev.mlops.core.internal.Values;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.bytes.ByteBufferInputStream;
import org.apache.parquet.bytes.BytesUtils;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Dictionary;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ValuesType;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DataPageV2;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.column.values.ValuesReader;
import org.apache.parquet.column.values.rle.RunLengthBitPackingHybridDecoder;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;

/**
 * A column-at-a-time Parquet reader for flat tables, straight into the SDK's column arrays. Kernel's
 * default reader assembles records value by value through parquet-mr, which measured as most of the
 * time of every read; here PLAIN pages of numbers are copied in bulk and dictionaries decoded once per
 * column chunk. It reads every flat Delta type (long, int, short, byte, double, float, decimal in
 * INT32/INT64/FIXED_LEN_BYTE_ARRAY/BINARY, boolean, string, binary, date, timestamp in
 * INT64 micros/millis or INT96, timestamp_ntz), v1 and v2 data pages, every encoding parquet-mr
 * decodes, and rebases Spark's legacy-calendar dates and timestamps ({@link SparkCalendar}).
 * Anything else (nested types, field ids, metadata columns, a file type that differs from the
 * table's) answers empty and the caller uses Kernel's reader, so this is a fast path, never the
 * only path. Tested value by value against the default reader in ColumnarParquetTest.
 */
final class ColumnarParquet {
  private static final ColumnAccess.Access COLUMNS = ColumnAccess.obtain();

  private ColumnarParquet() {}

  private static final boolean ZSTD_JNI = present("com.github.luben.zstd.ZstdDecompressCtx");
  /** Pages decompressed by {@link Buffers}' one-call ZSTD path (the tests check it ran). */
  static final java.util.concurrent.atomic.LongAdder ZSTD_PAGES = new java.util.concurrent.atomic.LongAdder();

  /**
   * The reusable memory of one reading thread, so that a scan of many row groups allocates (almost)
   * nothing per group: parquet-mr's column-chunk buffers (handed back when a group is done), one
   * direct buffer for decompressed pages with a ZSTD context that decompresses a page in one call
   * (parquet-mr streams it through a new native stream and a fresh array per page), the definition
   * levels, and,
   * when {@code reuseArrays}, the decoded column arrays themselves. Those are megabytes each for
   * large row groups: with small heaps every one was a G1 "humongous" object and most collections of
   * a streamed join were humongous-allocation pauses. Not thread-safe: one per thread; close it.
   */
  static final class Buffers implements AutoCloseable {
    final boolean reuseArrays;
    private final List<ByteBuffer> free = new ArrayList<>();
    private final java.util.Set<ByteBuffer> lent = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    private ByteBuffer zin = ByteBuffer.allocateDirect(0);
    private ByteBuffer zout = ByteBuffer.allocateDirect(0);
    private int[] defs = new int[0];
    private Object[] values = new Object[0];
    private boolean[][] nulls = new boolean[0][];
    private Object zstd; // a ZstdDecompressCtx, made on first use (zstd-jni is optional at run time)

    /**
     * @param reuseArrays whether the decoded column arrays are reused from one row group to the next
     *     (then whoever receives them copies what it keeps)
     */
    Buffers(boolean reuseArrays) {
      this.reuseArrays = reuseArrays;
    }

    /** parquet-mr's buffers for the column chunks it reads: given back when a row group is closed. */
    final org.apache.parquet.bytes.ByteBufferAllocator allocator = new org.apache.parquet.bytes.ByteBufferAllocator() {
      @Override
      public ByteBuffer allocate(int size) {
        int best = -1;
        for (int i = 0; i < free.size(); i++) {
          int cap = free.get(i).capacity();
          if (cap >= size && (best < 0 || cap < free.get(best).capacity())) {
            best = i;
          }
        }
        ByteBuffer b = best < 0 ? ByteBuffer.allocate(size) : free.remove(best);
        b.clear().limit(size);
        lent.add(b);
        return b;
      }

      @Override
      public void release(ByteBuffer b) {
        if (lent.remove(b) && free.size() < 64) { // only what was lent, once
          free.add(b);
        }
      }

      @Override
      public boolean isDirect() {
        return false;
      }
    };

    /** The file's codecs, with ZSTD pages decompressed in one call into the reused page buffer. */
    org.apache.parquet.compression.CompressionCodecFactory codecs(
        org.apache.parquet.compression.CompressionCodecFactory base) {
      return new org.apache.parquet.compression.CompressionCodecFactory() {
        @Override
        public BytesInputCompressor getCompressor(CompressionCodecName codec) {
          return base.getCompressor(codec);
        }

        @Override
        public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
          BytesInputDecompressor d = base.getDecompressor(codec);
          return codec == CompressionCodecName.ZSTD && ZSTD_JNI ? new ZstdPages(d) : d;
        }

        @Override
        public void release() {
          base.release();
        }
      };
    }

    /**
     * Decompresses a ZSTD page into the page buffer. Every page is consumed before the next is read
     * (and dictionaries are decoded as soon as read), so one buffer serves them all.
     */
    private final class ZstdPages implements org.apache.parquet.compression.CompressionCodecFactory.BytesInputDecompressor {
      private final org.apache.parquet.compression.CompressionCodecFactory.BytesInputDecompressor base;

      ZstdPages(org.apache.parquet.compression.CompressionCodecFactory.BytesInputDecompressor base) {
        this.base = base;
      }

      @Override
      public org.apache.parquet.bytes.BytesInput decompress(org.apache.parquet.bytes.BytesInput bytes,
          int uncompressedSize) throws IOException {
        ByteBuffer src = bytes.toByteBuffer();
        int len = src.remaining();
        // direct memory on both sides: zstd-jni then needs no JNI critical section over heap arrays,
        // which holds the GC locker for a whole page (under load, other threads' allocations then
        // failed with OutOfMemoryError after too many GC-locker retries)
        if (zin.capacity() < len) {
          zin = ByteBuffer.allocateDirect(Math.max(len, zin.capacity() + (zin.capacity() >> 1)));
        }
        if (zout.capacity() < uncompressedSize) {
          zout = ByteBuffer.allocateDirect(Math.max(uncompressedSize, zout.capacity() + (zout.capacity() >> 1)));
        }
        zin.clear();
        zin.put(src.duplicate());
        if (zstd == null) {
          zstd = new com.github.luben.zstd.ZstdDecompressCtx();
        }
        int got;
        try {
          got = ((com.github.luben.zstd.ZstdDecompressCtx) zstd).decompressDirectByteBuffer(zout, 0, uncompressedSize,
              zin, 0, len);
        } catch (RuntimeException e) {
          throw Errors.cannotDecompressZstdPage(e);
        }
        if (got != uncompressedSize) {
          throw Errors.zstdPageSizeMismatch(got, uncompressedSize);
        }
        ZSTD_PAGES.increment();
        return org.apache.parquet.bytes.BytesInput.from(zout, 0, uncompressedSize);
      }

      @Override
      public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int uncompressedSize)
          throws IOException {
        base.decompress(input, compressedSize, output, uncompressedSize);
      }

      @Override
      public void release() {
        base.release();
      }
    }

    /** An array for column c's values of a group of n rows (reused when reuseArrays). */
    Object values(int c, DataType kind, int n) {
      if (!reuseArrays) {
        return Values.newArray(kind, n);
      }
      if (c >= values.length) {
        values = java.util.Arrays.copyOf(values, c + 1);
        nulls = java.util.Arrays.copyOf(nulls, c + 1);
      }
      Object a = values[c];
      if (a == null || a.getClass() != Values.newArray(kind, 0).getClass() || java.lang.reflect.Array.getLength(a) < n) {
        a = Values.newArray(kind, n);
        values[c] = a;
      }
      return a;
    }

    /** A null mask for column c's n rows, all false. */
    boolean[] nulls(int c, int n) {
      if (!reuseArrays) {
        return new boolean[n];
      }
      boolean[] m = nulls[c];
      if (m == null || m.length < n) {
        m = new boolean[n];
        nulls[c] = m;
      } else {
        java.util.Arrays.fill(m, 0, n, false);
      }
      return m;
    }

    /** Room for a page's definition levels (overwritten by every page). */
    int[] defs(int count) {
      if (defs.length < count) {
        defs = new int[Math.max(count, defs.length + (defs.length >> 1))];
      }
      return defs;
    }

    /** Frees the native ZSTD context (made again if these buffers read again); keeps the arrays. */
    void release() {
      if (zstd != null) {
        ((com.github.luben.zstd.ZstdDecompressCtx) zstd).close();
        zstd = null;
      }
      lent.clear();
    }

    @Override
    public void close() {
      release();
      free.clear();
    }

    /** Idle reusing buffers of finished scans, held softly: the next scan reuses them, memory pressure frees them. */
    private static final java.util.concurrent.ConcurrentLinkedQueue<java.lang.ref.SoftReference<Buffers>> IDLE =
        new java.util.concurrent.ConcurrentLinkedQueue<>();

    /** Reusing buffers for one scanning thread: an idle one when there is one, else new. Give it back after. */
    static Buffers borrow() {
      java.lang.ref.SoftReference<Buffers> r;
      while ((r = IDLE.poll()) != null) {
        Buffers b = r.get();
        if (b != null) {
          return b;
        }
      }
      return new Buffers(true);
    }

    /** Returns buffers from {@link #borrow} once their scan is done (nothing of theirs may be in use). */
    static void giveBack(Buffers b) {
      b.release();
      if (IDLE.size() < DeltaStore.THREADS) {
        IDLE.add(new java.lang.ref.SoftReference<>(b));
      } else {
        b.close();
      }
    }
  }

  /** Thrown inside a read to give the file to the default reader. */
  private static final class Unsupported extends Exception {
    private static final long serialVersionUID = 1L;

    Unsupported() {
      super(null, null, false, false);
    }
  }

  /** How a file column's physical values become the SDK column's values. */
  private enum Conv {
    /** The physical value is the stored value (long, int, double, float, boolean, UTF-8 string). */
    COPY,
    /** INT64 milliseconds to microseconds. */
    MILLIS,
    /** INT96 (nanos of day, Julian day) to microseconds. */
    INT96,
    /** INT32 to short / byte. */
    NARROW,
    /** Unscaled INT32 / INT64 / big-endian bytes to BigDecimal. */
    DEC_INT, DEC_LONG, DEC_BYTES,
    /** BINARY to byte[]. */
    BYTES
  }

  /** One requested column and how the file stores it. */
  private record Spec(String name, ColumnType type, DataType kind, Conv conv, int scale) {}

  /** True when every requested column has a type this reader can produce. */
  static boolean supports(StructType physical) {
    for (StructField f : physical.fields()) {
      if (f.isMetadataColumn() || f.getMetadata().contains("parquet.field.id") || sdkType(f) == null) {
        return false;
      }
    }
    return true;
  }

  private static ColumnType sdkType(StructField f) {
    Optional<ColumnType> t = TypeMapping.fromKernel(f.getDataType());
    return t.isPresent() && !t.get().kind().isNested() ? t.get() : null;
  }

  private static ParquetFileReader open(Path file) throws IOException {
    ParquetReadOptions options = ParquetReadOptions.builder(new PlainParquetConfiguration()).build();
    return ParquetFileReader.open(new LocalInputFile(file), options);
  }

  private static ParquetFileReader open(Path file, Buffers buffers) throws IOException {
    ParquetReadOptions base = ParquetReadOptions.builder(new PlainParquetConfiguration()).build();
    ParquetReadOptions options = ParquetReadOptions.builder(new PlainParquetConfiguration())
        .withAllocator(buffers.allocator)
        .withCodecFactory(buffers.codecs(base.getCodecFactory()))
        .build();
    return ParquetFileReader.open(new ChannelFile(file), options);
  }

  /**
   * A local file read through a FileChannel straight into parquet-mr's (pooled) buffers:
   * parquet-mr's LocalInputFile reads a column chunk into a new byte array of the chunk's size and
   * copies it over, megabytes of garbage per row group.
   */
  private static final class ChannelFile implements org.apache.parquet.io.InputFile {
    private final Path path;

    ChannelFile(Path path) {
      this.path = path;
    }

    @Override
    public long getLength() throws IOException {
      return java.nio.file.Files.size(path);
    }

    @Override
    public org.apache.parquet.io.SeekableInputStream newStream() throws IOException {
      java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(path, java.nio.file.StandardOpenOption.READ);
      return new org.apache.parquet.io.SeekableInputStream() {
        @Override
        public long getPos() throws IOException {
          return ch.position();
        }

        @Override
        public void seek(long pos) throws IOException {
          ch.position(pos);
        }

        @Override
        public int read() throws IOException {
          ByteBuffer one = ByteBuffer.allocate(1);
          return ch.read(one) < 1 ? -1 : one.get(0) & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          return len == 0 ? 0 : ch.read(ByteBuffer.wrap(b, off, len));
        }

        @Override
        public void readFully(byte[] b) throws IOException {
          readFully(ByteBuffer.wrap(b));
        }

        @Override
        public void readFully(byte[] b, int off, int len) throws IOException {
          readFully(ByteBuffer.wrap(b, off, len));
        }

        @Override
        public int read(ByteBuffer buf) throws IOException {
          return ch.read(buf);
        }

        @Override
        public void readFully(ByteBuffer buf) throws IOException {
          while (buf.hasRemaining()) {
            if (ch.read(buf) < 0) {
              throw Errors.unexpectedEndOfParquetFile(path, buf.remaining());
            }
          }
        }

        @Override
        public void close() throws IOException {
          ch.close();
        }
      };
    }

    @Override
    public String toString() {
      return path.toString();
    }
  }

  /** What a reader of a file must know before reading it with Kernel's reader. */
  record FileFacts(SparkCalendar calendar, MessageType schema) {}

  /**
   * The calendar and schema of a file. Refuses, with a typed error naming the file, a codec the SDK
   * cannot decompress.
   */
  static FileFacts inspect(Path file) throws IOException {
    try (ParquetFileReader reader = open(file)) {
      checkCodecs(file, reader.getFooter());
      return new FileFacts(SparkCalendar.of(reader.getFooter().getFileMetaData().getKeyValueMetaData()),
          reader.getFooter().getFileMetaData().getSchema());
    }
  }

  private static final boolean LZ4_JAVA = present("net.jpountz.lz4.LZ4Factory");

  private static boolean present(String cls) {
    try {
      Class.forName(cls, false, ColumnarParquet.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** True when every column chunk has a codec {@link #checkCodecs} lets through. */
  private static boolean codecsKnown(ParquetMetadata footer) {
    for (BlockMetaData b : footer.getBlocks()) {
      for (ColumnChunkMetaData c : b.getColumns()) {
        switch (c.getCodec()) {
          case UNCOMPRESSED, SNAPPY, GZIP, ZSTD, LZ4_RAW -> { }
          case LZ4 -> {
            if (!LZ4_JAVA) {
              return false;
            }
          }
          default -> {
            return false;
          }
        }
      }
    }
    return true;
  }

  /** Refuses, before anything is read, a file compressed with a codec the SDK cannot decompress. */
  static void checkCodecs(Path file, ParquetMetadata footer) {
    for (BlockMetaData b : footer.getBlocks()) {
      for (ColumnChunkMetaData c : b.getColumns()) {
        CompressionCodecName codec = c.getCodec();
        switch (codec) {
          case UNCOMPRESSED, SNAPPY, GZIP, ZSTD, LZ4_RAW -> { }
          case LZ4 -> {
            if (!LZ4_JAVA) {
              throw Errors.dataFileCompressedHadoop(file);
            }
          }
          default -> throw Errors.dataFileCompressedParquet(file, codec, c.getPath().toDotString());
        }
      }
    }
  }

  /** The file's rows as batches (one per row group), or empty when the default reader must do it. */
  static Optional<List<ColumnarBatch>> read(Path file, StructType physical) throws IOException {
    List<ColumnarBatch> out = new ArrayList<>();
    try (Buffers buffers = new Buffers(false)) {
      if (!scan(file, physical, buffers, (first, cols, n) -> out.add(new FrameBatch(physical, cols, 0, n)))) {
        return Optional.empty();
      }
    }
    return Optional.of(out);
  }

  /** Receives the row groups of one file, in file order. */
  @FunctionalInterface
  interface RowGroupVisitor {
    /**
     * One row group.
     *
     * @param firstRow the group's first row within the file
     * @param columns the requested columns (physical names), each of {@code rows} values
     * @param rows the group's row count
     */
    void accept(int firstRow, List<Column> columns, int rows);
  }

  /**
   * Reads a file row group by row group, decoding each group's columns into the buffers' arrays when
   * they reuse arrays (then a visitor must copy what it keeps: the next group overwrites them).
   *
   * @return false when the default reader must read the file (the visitor may have seen some of its
   *     row groups: discard what it gathered)
   */
  static boolean scan(Path file, StructType physical, Buffers buffers, RowGroupVisitor visitor) throws IOException {
    if (!supports(physical)) {
      return false;
    }
    try (ParquetFileReader reader = open(file, buffers)) {
      ParquetMetadata footer = reader.getFooter();
      checkCodecs(file, footer);
      SparkCalendar calendar = SparkCalendar.of(footer.getFileMetaData().getKeyValueMetaData());
      Projection proj = Projection.of(footer.getFileMetaData().getSchema(), physical);
      if (proj == null) {
        return false;
      }
      int nc = physical.length();
      ColumnDescriptor[] descs = proj.descs();
      Spec[] specs = proj.specs();
      reader.setRequestedSchema(proj.requested());
      PageReadStore group;
      int first = 0;
      while ((group = reader.readNextRowGroup()) != null) {
        int n = Math.toIntExact(group.getRowCount());
        List<Column> cols = new ArrayList<>(nc);
        try {
          for (int c = 0; c < nc; c++) {
            Spec s = specs[c];
            cols.add(descs[c] == null ? Column.nulls(s.name(), s.type(), n)
                : readColumn(group.getPageReader(descs[c]), descs[c], s, n, calendar, buffers, c));
          }
        } finally {
          group.close(); // the column chunks' buffers go back to the buffers' pool
        }
        visitor.accept(first, cols, n);
        first += n;
      }
      return true;
    } catch (Unsupported e) {
      return false;
    } catch (Exception e) {
      if (e instanceof IOException io) {
        throw io;
      }
      if (e instanceof RuntimeException re) {
        throw re;
      }
      throw new IOException(e); // PageReadStore.close declares Exception; parquet-mr's never throws one
    }
  }

  /**
   * The file columns a read decodes, one per column of the table's physical schema: a column the file
   * lacks (added after it was written) has no descriptor and reads as nulls.
   *
   * @param specs how each column converts
   * @param descs each column's file descriptor, null for a column the file lacks
   * @param requested the file schema narrowed to the columns read
   */
  private record Projection(Spec[] specs, ColumnDescriptor[] descs, MessageType requested) {
    /** The projection, or null when a column is nested, repeated or of a type the columnar reader does not convert. */
    static Projection of(MessageType fileSchema, StructType physical) {
      int nc = physical.length();
      ColumnDescriptor[] descs = new ColumnDescriptor[nc];
      Spec[] specs = new Spec[nc];
      List<Type> projected = new ArrayList<>();
      for (int c = 0; c < nc; c++) {
        StructField f = physical.at(c);
        ColumnType ct = sdkType(f);
        if (!fileSchema.containsField(f.getName())) {
          specs[c] = new Spec(f.getName(), ct, ct.kind(), null, 0);
          continue;
        }
        Type t = fileSchema.getType(f.getName());
        if (!t.isPrimitive() || t.isRepetition(Type.Repetition.REPEATED)) {
          return null;
        }
        Conv conv = conversion(t.asPrimitiveType(), ct);
        if (conv == null) {
          return null;
        }
        specs[c] = new Spec(f.getName(), ct, ct.kind(), conv, ct instanceof ColumnType.Decimal d ? d.scale() : 0);
        projected.add(t);
        descs[c] = new ColumnDescriptor(new String[] {t.getName()}, t.asPrimitiveType(), 0,
            t.isRepetition(Type.Repetition.OPTIONAL) ? 1 : 0);
      }
      return new Projection(specs, descs, new MessageType(fileSchema.getName(), projected));
    }
  }

  /** How this file column becomes a column of the SDK type, or null when Kernel's reader must decide. */
  private static Conv conversion(PrimitiveType p, ColumnType type) {
    LogicalTypeAnnotation a = p.getLogicalTypeAnnotation();
    PrimitiveTypeName pt = p.getPrimitiveTypeName();
    switch (type.kind()) {
      case LONG:
        return pt == PrimitiveTypeName.INT64
            && (a == null || a instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation i && i.isSigned())
            ? Conv.COPY : null;
      case TIMESTAMP:
        if (pt == PrimitiveTypeName.INT96) {
          return a == null ? Conv.INT96 : null;
        }
        return pt == PrimitiveTypeName.INT64 && a instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation ts
            && ts.isAdjustedToUTC() ? timeUnit(ts) : null;
      case TIMESTAMP_NTZ:
        return pt == PrimitiveTypeName.INT64 && a instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation ts
            && !ts.isAdjustedToUTC() ? timeUnit(ts) : null;
      case INT:
        return pt == PrimitiveTypeName.INT32 && (a == null || a instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation i
            && i.isSigned() && i.getBitWidth() == 32) ? Conv.COPY : null;
      case SHORT:
        return pt == PrimitiveTypeName.INT32 && (a == null || a instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation i
            && i.isSigned() && i.getBitWidth() <= 16) ? Conv.NARROW : null;
      case BYTE:
        return pt == PrimitiveTypeName.INT32 && (a == null || a instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation i
            && i.isSigned() && i.getBitWidth() == 8) ? Conv.NARROW : null;
      case DATE:
        return pt == PrimitiveTypeName.INT32 && a instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation
            ? Conv.COPY : null;
      case DOUBLE:
        return pt == PrimitiveTypeName.DOUBLE ? Conv.COPY : null;
      case FLOAT:
        return pt == PrimitiveTypeName.FLOAT ? Conv.COPY : null;
      case BOOLEAN:
        return pt == PrimitiveTypeName.BOOLEAN ? Conv.COPY : null;
      case STRING:
        return pt == PrimitiveTypeName.BINARY
            && (a == null || a instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation) ? Conv.COPY : null;
      case BINARY:
        return pt == PrimitiveTypeName.BINARY && a == null ? Conv.BYTES : null;
      case DECIMAL: {
        ColumnType.Decimal d = (ColumnType.Decimal) type;
        if (!(a instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation fd)
            || fd.getPrecision() != d.precision() || fd.getScale() != d.scale()) {
          return null;
        }
        return switch (pt) {
          case INT32 -> Conv.DEC_INT;
          case INT64 -> Conv.DEC_LONG;
          case FIXED_LEN_BYTE_ARRAY, BINARY -> Conv.DEC_BYTES;
          default -> null;
        };
      }
      default:
        return null;
    }
  }

  private static Conv timeUnit(LogicalTypeAnnotation.TimestampLogicalTypeAnnotation ts) {
    return switch (ts.getUnit()) {
      case MICROS -> Conv.COPY;
      case MILLIS -> Conv.MILLIS;
      default -> null; // nanoseconds: Kernel's reader decides
    };
  }

  private static Column readColumn(PageReader pages, ColumnDescriptor d, Spec s, int n, SparkCalendar calendar,
      Buffers buffers, int column) throws IOException, Unsupported {
    DataType k = s.kind();
    Object arr = buffers.values(column, k, n);
    DictionaryPage dp = pages.readDictionaryPage();
    Dictionary dict = dp == null ? null : dp.getEncoding().initDictionary(d, dp);
    // decoded now: a binary dictionary points into the page's bytes, which the next page may overwrite
    Object dictValues = dict == null ? null : decodeDictionary(dict, s);
    Nulls nulls = new Nulls(buffers, column, n);
    int row = 0;
    DataPage page;
    while ((page = pages.readPage()) != null) {
      if (row + page.getValueCount() > n) {
        throw Errors.pageHoldsMoreValues(s.name());
      }
      row += decodePage(page, d, s, dict, dictValues, arr, row, nulls, buffers);
    }
    if (row != n) {
      throw Errors.columnHoldsValuesRow(s.name(), row, n);
    }
    if (!calendar.proleptic()) {
      if (k == DataType.DATE && calendar.legacyDates()) {
        SparkCalendar.rebaseDays((int[]) arr, 0, n);
      } else if (k == DataType.TIMESTAMP && calendar.legacyTimestamps(s.conv() == Conv.INT96)) {
        calendar.rebaseMicros((long[]) arr, 0, n);
      }
    }
    return COLUMNS.wrap(s.name(), s.type(), arr, nulls.mask, n);
  }

  /** The null mask of a column's rows, made at the first null. */
  private static final class Nulls {
    private final Buffers buffers;
    private final int column;
    private final int rows;
    boolean[] mask;

    Nulls(Buffers buffers, int column, int rows) {
      this.buffers = buffers;
      this.column = column;
      this.rows = rows;
    }

    void set(int at) {
      if (mask == null) {
        mask = buffers == null ? new boolean[rows] : buffers.nulls(column, rows);
      }
      mask[at] = true;
    }
  }

  /**
   * Decodes one data page into arr from row on (nulls marked in nulls; a reused array's slot of a null
   * is cleared) and returns its value count (rows, nulls included).
   */
  private static int decodePage(DataPage page, ColumnDescriptor d, Spec s, Dictionary dict, Object dictValues,
      Object arr, int row, Nulls nulls, Buffers buffers) throws IOException, Unsupported {
    DataType k = s.kind();
    int maxDef = d.getMaxDefinitionLevel();
    int count = page.getValueCount();
    int[] defs = null;
    ByteBufferInputStream in;
    Encoding enc;
    if (page instanceof DataPageV1 p) {
      in = p.getBytes().toInputStream();
      ValuesReader rl = p.getRlEncoding().getValuesReader(d, ValuesType.REPETITION_LEVEL);
      rl.initFromPage(count, in);
      if (maxDef > 0 && p.getDlEncoding() == Encoding.RLE) {
        // length-prefixed RLE/bit-packed levels, as parquet-mr's reader of them takes them
        ByteBuffer levels = in.slice(BytesUtils.readIntLittleEndian(in));
        defs = levels(levels, maxDef, count, buffers);
      } else if (maxDef > 0) {
        ValuesReader dl = p.getDlEncoding().getValuesReader(d, ValuesType.DEFINITION_LEVEL);
        dl.initFromPage(count, in);
        defs = buffers.defs(count);
        for (int i = 0; i < count; i++) {
          defs[i] = dl.readInteger();
        }
      }
      enc = p.getValueEncoding();
    } else if (page instanceof DataPageV2 p) {
      if (maxDef > 0) {
        defs = levels(p.getDefinitionLevels().toByteBuffer(), maxDef, count, buffers);
      }
      in = p.getData().toInputStream();
      enc = p.getDataEncoding();
    } else {
      throw new Unsupported();
    }
    int present = count;
    if (defs != null) {
      present = 0;
      for (int i = 0; i < count; i++) {
        if (defs[i] == maxDef) {
          present++;
        } else {
          nulls.set(row + i);
          if (buffers.reuseArrays) {
            clear(arr, row + i); // a reused array holds the last group's value there
          }
        }
      }
    }
    if (enc.usesDictionary()) {
      if (dict == null) {
        throw Errors.dictionaryEncodedPageWithoutDictionary(s.name());
      }
      ValuesReader ids = enc.getDictionaryBasedValuesReader(d, ValuesType.VALUES, dict);
      ids.initFromPage(count, in);
      fromDictionary(dictValues, ids, arr, row, count, defs, maxDef, k);
    } else if (enc == Encoding.PLAIN && s.conv() == Conv.COPY && k != DataType.BOOLEAN) {
      plain(in, arr, row, count, defs, maxDef, present, k);
    } else {
      ValuesReader vr = enc.getValuesReader(d, ValuesType.VALUES);
      vr.initFromPage(count, in);
      for (int i = 0; i < count; i++) {
        if (defs == null || defs[i] == maxDef) {
          generic(vr, arr, row + i, s);
        }
      }
    }
    return count;
  }

  /**
   * The definition levels of a page's count values from their RLE/bit-packed bytes, or null when one
   * run says every value is present (the usual page of a nullable column without nulls: decoding the
   * levels one by one was the largest share of reading such a page).
   */
  private static int[] levels(ByteBuffer rle, int maxDef, int count, Buffers buffers) throws IOException {
    int width = BytesUtils.getWidthFromMaxInt(maxDef);
    ByteBuffer b = rle.duplicate();
    int header = 0;
    int shift = 0;
    while (b.hasRemaining() && shift < 32) { // ULEB128 run header
      int v = b.get() & 0xff;
      header |= (v & 0x7f) << shift;
      shift += 7;
      if ((v & 0x80) == 0) {
        break;
      }
    }
    int valueBytes = (width + 7) / 8;
    if ((header & 1) == 0 && (header >>> 1) >= count && b.remaining() >= valueBytes) {
      int value = 0;
      for (int i = 0; i < valueBytes; i++) {
        value |= (b.get() & 0xff) << (8 * i);
      }
      if (value == maxDef) {
        return null;
      }
    }
    RunLengthBitPackingHybridDecoder dl = new RunLengthBitPackingHybridDecoder(width,
        ByteBufferInputStream.wrap(rle.duplicate()));
    int[] defs = buffers.defs(count);
    for (int i = 0; i < count; i++) {
      defs[i] = dl.readInt();
    }
    return defs;
  }

  /**
   * The rows of a file's row groups in batches of any size, for the import: each column's pages are
   * decoded as they come (PLAIN numbers in bulk, dictionaries once per chunk), straight into the
   * batch's new arrays when a page fits the rest of the batch, else into the column's page buffer
   * from which the batches take their share; memory is the row group's compressed chunks (parquet-mr's
   * reader) plus one batch and one page per column. Arrays are never reused: the batches are kept.
   */
  static final class Batches implements java.io.Closeable {
    private final ParquetFileReader reader;
    private final Buffers buffers;
    private final Spec[] specs;
    private final ColumnDescriptor[] descs;
    private final Cursor[] cursors;
    private PageReadStore group;
    private long groupLeft;

    private Batches(ParquetFileReader reader, Buffers buffers, Spec[] specs, ColumnDescriptor[] descs) {
      this.reader = reader;
      this.buffers = buffers;
      this.specs = specs;
      this.descs = descs;
      this.cursors = new Cursor[specs.length];
    }

    /**
     * Opens a file for batch reads of the requested columns (physical names; a column the file lacks
     * reads as nulls), or answers empty when the general column reader must read it: a type or layout
     * this reader does not convert (nanosecond timestamps, enum/JSON strings, fixed-length strings,
     * nested or repeated columns) or a Spark legacy-calendar file.
     *
     * @param buffers the reading thread's buffers; they must not reuse arrays
     */
    static Optional<Batches> open(Path file, StructType physical, Buffers buffers, int maxAllocation)
        throws IOException {
      if (buffers.reuseArrays || !supports(physical)) {
        return Optional.empty();
      }
      ParquetReadOptions base = ParquetReadOptions.builder(new PlainParquetConfiguration()).build();
      ParquetFileReader reader = ParquetFileReader.open(new ChannelFile(file),
          ParquetReadOptions.builder(new PlainParquetConfiguration())
              .withAllocator(buffers.allocator)
              .withMaxAllocationInBytes(maxAllocation)
              .withCodecFactory(buffers.codecs(base.getCodecFactory()))
              .build());
      boolean ok = false;
      try {
        ParquetMetadata footer = reader.getFooter();
        if (!SparkCalendar.of(footer.getFileMetaData().getKeyValueMetaData()).proleptic() || !codecsKnown(footer)) {
          return Optional.empty();
        }
        Projection proj = Projection.of(footer.getFileMetaData().getSchema(), physical);
        if (proj == null) {
          return Optional.empty();
        }
        reader.setRequestedSchema(proj.requested());
        ok = true;
        return Optional.of(new Batches(reader, buffers, proj.specs(), proj.descs()));
      } finally {
        if (!ok) {
          reader.close();
        }
      }
    }

    /** Rows left in the current row group, moving on to the next group when it is done; 0 at the end. */
    long groupLeft() throws IOException {
      while (groupLeft == 0) {
        closeGroup(); // the finished group's chunks go back to the buffers before the next is read
        group = reader.readNextRowGroup();
        if (group == null) {
          return 0;
        }
        for (int c = 0; c < specs.length; c++) {
          if (descs[c] != null) {
            cursors[c] = new Cursor(group.getPageReader(descs[c]), descs[c], specs[c], buffers);
          }
        }
        groupLeft = group.getRowCount();
      }
      return groupLeft;
    }

    /** The next n rows of the current row group (n at most {@link #groupLeft}: batches never cross a group). */
    List<Column> next(int n) throws IOException {
      List<Column> out = new ArrayList<>(specs.length);
      for (int c = 0; c < specs.length; c++) {
        Spec s = specs[c];
        out.add(cursors[c] == null ? Column.nulls(s.name(), s.type(), n) : cursors[c].next(n));
      }
      groupLeft -= n;
      return out;
    }

    private void closeGroup() throws IOException {
      java.util.Arrays.fill(cursors, null);
      if (group != null) {
        PageReadStore g = group;
        group = null;
        try {
          g.close();
        } catch (RuntimeException e) {
          throw e;
        } catch (Exception e) {
          throw new IOException(e); // PageReadStore.close declares Exception; parquet-mr's never throws one
        }
      }
    }

    @Override
    public void close() throws IOException {
      try {
        closeGroup();
      } finally {
        reader.close();
      }
    }
  }

  /** One column chunk read page by page, any number of rows at a time. */
  private static final class Cursor {
    private final PageReader pages;
    private final ColumnDescriptor d;
    private final Spec s;
    private final Buffers buffers;
    private final Dictionary dict;
    private final Object dictValues;
    /** A page taken only partly by a batch: its values, its nulls (or null), how many and how many taken. */
    private Object pageValues;
    private boolean[] pageNulls;
    private int pageCount;
    private int pageAt;

    Cursor(PageReader pages, ColumnDescriptor d, Spec s, Buffers buffers) throws IOException {
      this.pages = pages;
      this.d = d;
      this.s = s;
      this.buffers = buffers;
      DictionaryPage dp = pages.readDictionaryPage();
      this.dict = dp == null ? null : dp.getEncoding().initDictionary(d, dp);
      // decoded now: a binary dictionary points into the page's bytes, which the next page may overwrite
      this.dictValues = dict == null ? null : decodeDictionary(dict, s);
    }

    Column next(int n) throws IOException {
      Object arr = Values.newArray(s.kind(), n);
      Nulls nulls = new Nulls(null, 0, n);
      int row = 0;
      while (row < n) {
        if (pageAt < pageCount) { // the rest of a page a previous batch began
          int take = Math.min(n - row, pageCount - pageAt);
          System.arraycopy(pageValues, pageAt, arr, row, take);
          if (pageNulls != null) {
            for (int i = 0; i < take; i++) {
              if (pageNulls[pageAt + i]) {
                nulls.set(row + i);
              }
            }
          }
          pageAt += take;
          row += take;
          continue;
        }
        DataPage page = pages.readPage();
        if (page == null) {
          throw Errors.columnPagesEndEarly(s.name(), n - row);
        }
        int count = page.getValueCount();
        try {
          if (count <= n - row) { // the whole page fits: straight into the batch
            decodePage(page, d, s, dict, dictValues, arr, row, nulls, buffers);
            row += count;
          } else {
            if (pageValues == null || java.lang.reflect.Array.getLength(pageValues) < count) {
              pageValues = Values.newArray(s.kind(), count);
            }
            Nulls pn = new Nulls(null, 0, count);
            decodePage(page, d, s, dict, dictValues, pageValues, 0, pn, buffers);
            pageNulls = pn.mask;
            pageCount = count;
            pageAt = 0;
          }
        } catch (Unsupported e) {
          throw Errors.pageKindUnsupported(s.name(), page.getClass().getSimpleName());
        }
      }
      return COLUMNS.wrap(s.name(), s.type(), arr, nulls.mask, n);
    }
  }

  /** Sets one value of a column array to the default (0, false, null). */
  private static void clear(Object arr, int at) {
    if (arr instanceof long[] a) {
      a[at] = 0L;
    } else if (arr instanceof int[] a) {
      a[at] = 0;
    } else if (arr instanceof double[] a) {
      a[at] = 0d;
    } else if (arr instanceof float[] a) {
      a[at] = 0f;
    } else if (arr instanceof short[] a) {
      a[at] = 0;
    } else if (arr instanceof byte[] a) {
      a[at] = 0;
    } else if (arr instanceof boolean[] a) {
      a[at] = false;
    } else {
      ((Object[]) arr)[at] = null;
    }
  }

  private static void plain(ByteBufferInputStream in, Object arr, int row, int count, int[] defs, int maxDef,
      int present, DataType t) throws IOException {
    switch (t) {
      case LONG, TIMESTAMP, TIMESTAMP_NTZ -> {
        LongBuffer b = in.slice(present * 8).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer();
        long[] a = (long[]) arr;
        if (defs == null || present == count) { // no nulls in this page: one bulk copy
          b.get(a, row, count);
        } else {
          for (int i = 0; i < count; i++) {
            if (defs[i] == maxDef) {
              a[row + i] = b.get();
            }
          }
        }
      }
      case INT, DATE -> {
        IntBuffer b = in.slice(present * 4).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer();
        int[] a = (int[]) arr;
        if (defs == null || present == count) { // no nulls in this page: one bulk copy
          b.get(a, row, count);
        } else {
          for (int i = 0; i < count; i++) {
            if (defs[i] == maxDef) {
              a[row + i] = b.get();
            }
          }
        }
      }
      case DOUBLE -> {
        DoubleBuffer b = in.slice(present * 8).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer();
        double[] a = (double[]) arr;
        if (defs == null || present == count) { // no nulls in this page: one bulk copy
          b.get(a, row, count);
        } else {
          for (int i = 0; i < count; i++) {
            if (defs[i] == maxDef) {
              a[row + i] = b.get();
            }
          }
        }
      }
      case FLOAT -> {
        FloatBuffer b = in.slice(present * 4).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        float[] a = (float[]) arr;
        if (defs == null || present == count) { // no nulls in this page: one bulk copy
          b.get(a, row, count);
        } else {
          for (int i = 0; i < count; i++) {
            if (defs[i] == maxDef) {
              a[row + i] = b.get();
            }
          }
        }
      }
      case STRING -> {
        ByteBuffer b = in.slice(in.available()).order(ByteOrder.LITTLE_ENDIAN);
        String[] a = (String[]) arr;
        for (int i = 0; i < count; i++) {
          if (defs == null || defs[i] == maxDef) {
            int len = b.getInt();
            a[row + i] = utf8(b, len);
          }
        }
      }
      default -> throw new AssertionError(t);
    }
  }

  private static String utf8(ByteBuffer b, int len) {
    if (b.hasArray()) {
      String s = new String(b.array(), b.arrayOffset() + b.position(), len, StandardCharsets.UTF_8);
      b.position(b.position() + len);
      return s;
    }
    byte[] bytes = new byte[len];
    b.get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** Every dictionary entry, converted once, in the column's storage kind. */
  private static Object decodeDictionary(Dictionary dict, Spec s) {
    int size = dict.getMaxId() + 1;
    Object out = Values.newArray(s.kind(), size);
    for (int id = 0; id < size; id++) {
      switch (s.kind()) {
        case LONG, TIMESTAMP, TIMESTAMP_NTZ -> ((long[]) out)[id] = switch (s.conv()) {
          case MILLIS -> Math.multiplyExact(dict.decodeToLong(id), 1000L);
          case INT96 -> int96Micros(dict.decodeToBinary(id));
          default -> dict.decodeToLong(id);
        };
        case INT, DATE -> ((int[]) out)[id] = dict.decodeToInt(id);
        case SHORT -> ((short[]) out)[id] = (short) dict.decodeToInt(id);
        case BYTE -> ((byte[]) out)[id] = (byte) dict.decodeToInt(id);
        case DOUBLE -> ((double[]) out)[id] = dict.decodeToDouble(id);
        case FLOAT -> ((float[]) out)[id] = dict.decodeToFloat(id);
        case BOOLEAN -> ((boolean[]) out)[id] = dict.decodeToBoolean(id);
        case STRING -> ((String[]) out)[id] = dict.decodeToBinary(id).toStringUsingUTF8();
        case BINARY -> ((byte[][]) out)[id] = dict.decodeToBinary(id).getBytes();
        case DECIMAL -> ((BigDecimal[]) out)[id] = switch (s.conv()) {
          case DEC_INT -> BigDecimal.valueOf(dict.decodeToInt(id), s.scale());
          case DEC_LONG -> BigDecimal.valueOf(dict.decodeToLong(id), s.scale());
          default -> decimal(dict.decodeToBinary(id), s.scale());
        };
        default -> throw new AssertionError(s.kind());
      }
    }
    return out;
  }

  private static void fromDictionary(Object dv, ValuesReader ids, Object arr, int row, int count, int[] defs,
      int maxDef, DataType k) {
    switch (k) {
      case LONG, TIMESTAMP, TIMESTAMP_NTZ -> {
        long[] v = (long[]) dv;
        long[] a = (long[]) arr;
        for (int i = 0; i < count; i++) {
          if (defs == null || defs[i] == maxDef) {
            a[row + i] = v[ids.readValueDictionaryId()];
          }
        }
      }
      case INT, DATE -> {
        int[] v = (int[]) dv;
        int[] a = (int[]) arr;
        for (int i = 0; i < count; i++) {
          if (defs == null || defs[i] == maxDef) {
            a[row + i] = v[ids.readValueDictionaryId()];
          }
        }
      }
      case DOUBLE -> {
        double[] v = (double[]) dv;
        double[] a = (double[]) arr;
        for (int i = 0; i < count; i++) {
          if (defs == null || defs[i] == maxDef) {
            a[row + i] = v[ids.readValueDictionaryId()];
          }
        }
      }
      case STRING -> {
        String[] v = (String[]) dv;
        String[] a = (String[]) arr;
        for (int i = 0; i < count; i++) {
          if (defs == null || defs[i] == maxDef) {
            a[row + i] = v[ids.readValueDictionaryId()];
          }
        }
      }
      case BINARY -> {
        byte[][] v = (byte[][]) dv;
        byte[][] a = (byte[][]) arr;
        for (int i = 0; i < count; i++) {
          if (defs == null || defs[i] == maxDef) {
            a[row + i] = v[ids.readValueDictionaryId()].clone(); // each row its own array
          }
        }
      }
      default -> {
        for (int i = 0; i < count; i++) {
          if (defs == null || defs[i] == maxDef) {
            int id = ids.readValueDictionaryId();
            switch (k) {
              case SHORT -> ((short[]) arr)[row + i] = ((short[]) dv)[id];
              case BYTE -> ((byte[]) arr)[row + i] = ((byte[]) dv)[id];
              case FLOAT -> ((float[]) arr)[row + i] = ((float[]) dv)[id];
              case BOOLEAN -> ((boolean[]) arr)[row + i] = ((boolean[]) dv)[id];
              case DECIMAL -> ((BigDecimal[]) arr)[row + i] = ((BigDecimal[]) dv)[id];
              default -> throw new AssertionError(k);
            }
          }
        }
      }
    }
  }

  private static void generic(ValuesReader vr, Object arr, int at, Spec s) {
    switch (s.kind()) {
      case LONG, TIMESTAMP, TIMESTAMP_NTZ -> ((long[]) arr)[at] = switch (s.conv()) {
        case MILLIS -> Math.multiplyExact(vr.readLong(), 1000L);
        case INT96 -> int96Micros(vr.readBytes());
        default -> vr.readLong();
      };
      case INT, DATE -> ((int[]) arr)[at] = vr.readInteger();
      case SHORT -> ((short[]) arr)[at] = (short) vr.readInteger();
      case BYTE -> ((byte[]) arr)[at] = (byte) vr.readInteger();
      case DOUBLE -> ((double[]) arr)[at] = vr.readDouble();
      case FLOAT -> ((float[]) arr)[at] = vr.readFloat();
      case BOOLEAN -> ((boolean[]) arr)[at] = vr.readBoolean();
      case STRING -> ((String[]) arr)[at] = vr.readBytes().toStringUsingUTF8();
      case BINARY -> ((byte[][]) arr)[at] = vr.readBytes().getBytes();
      case DECIMAL -> ((BigDecimal[]) arr)[at] = switch (s.conv()) {
        case DEC_INT -> BigDecimal.valueOf(vr.readInteger(), s.scale());
        case DEC_LONG -> BigDecimal.valueOf(vr.readLong(), s.scale());
        default -> decimal(vr.readBytes(), s.scale());
      };
      default -> throw new AssertionError(s.kind());
    }
  }

  /** Julian day number of 1970-01-01. */
  private static final long JULIAN_DAY_OF_EPOCH = 2_440_588L;

  /** An INT96 timestamp (nanoseconds of the day, then the Julian day number, little-endian) in microseconds. */
  static long int96Micros(Binary b) {
    if (b.length() != 12) {
      throw Errors.int96TimestampBytes(b.length());
    }
    ByteBuffer buf = b.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    int p = buf.position();
    long nanos = buf.getLong(p);
    int julianDay = buf.getInt(p + 8);
    return Math.addExact(Math.multiplyExact(julianDay - JULIAN_DAY_OF_EPOCH, 86_400_000_000L), nanos / 1000L);
  }

  private static BigDecimal decimal(Binary b, int scale) {
    ByteBuffer buf = b.toByteBuffer();
    BigInteger unscaled = buf.hasArray()
        ? new BigInteger(buf.array(), buf.arrayOffset() + buf.position(), buf.remaining())
        : new BigInteger(b.getBytes());
    return new BigDecimal(unscaled, scale);
  }
}
