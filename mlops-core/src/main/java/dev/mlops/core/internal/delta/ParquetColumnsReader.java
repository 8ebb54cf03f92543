package dev.mlops.core.internal.delta;

import dev.mlops.core.ColumnType;
import dev.mlops.core.Field;
import dev.mlops.core.Frame;
import dev.mlops.core.Schema;
import dev.mlops.core.internal.ColumnAccess;
import dev.mlops.core.internal.Values;
import io.delta.kernel.types.BinaryType;
import io.delta.kernel.types.DecimalType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import java.io.Closeable;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * The import's Parquet reader: flat columns of any writer, one row group at a time, batch by batch.
 * A file goes to the page-level reader ({@link ColumnarParquet.Batches}: PLAIN pages copied in bulk,
 * dictionaries decoded once, about ten times fewer samples than below on DuckDB's files) when it
 * converts every column; otherwise each column is decoded by parquet-mr's own column reader (every
 * encoding, v1 and v2 pages, every codec) straight into the SDK's primitive arrays, batch by batch. Kernel's reader assembles records value by value
 * and its vectors are then copied into frames; here a batch is one loop per column and no copy.
 * Memory: the row group's compressed column chunks (as with any parquet-mr reader) plus one batch.
 * Columns a file lacks read as nulls. Checked value by value against files of parquet-hadoop, Spark
 * and DuckDB in ParquetSourceTest and DuckDbParquetImportTest.
 */
final class ParquetColumnsReader implements Closeable {
  private static final ColumnAccess.Access COLUMNS = ColumnAccess.obtain();

  private static final long JULIAN_EPOCH_DAY = 2_440_588L;
  private static final long MICROS_PER_DAY = 86_400_000_000L;
  private static final int READ_BUFFER = 256 << 10;
  /** Files read by the page-level reader (the tests check it ran). */
  static final java.util.concurrent.atomic.LongAdder PAGE_LEVEL_FILES = new java.util.concurrent.atomic.LongAdder();

  private final List<Path> files;
  private final StructType read; // the columns, with the Kernel type each one is read as
  private final Schema schema;
  private final int batchRows;
  private int fileIndex;
  private ParquetFileReader reader;
  private Path file;
  private ColumnReader[] columns; // null for a column the file lacks
  private long groupLeft;
  /** The file's batches when the page-level reader takes the file (the general column readers otherwise). */
  private ColumnarParquet.Batches fast;
  private final ColumnarParquet.Buffers buffers = new ColumnarParquet.Buffers(false);
  private final boolean general;

  ParquetColumnsReader(List<Path> files, StructType read, Schema schema, int batchRows) {
    this(files, read, schema, batchRows, false);
  }

  /**
   * @param general true to read every file with parquet-mr's column readers (the tests compare the
   *     page-level reader with them)
   */
  ParquetColumnsReader(List<Path> files, StructType read, Schema schema, int batchRows, boolean general) {
    this.general = general;
    this.files = files;
    this.read = read;
    this.schema = schema;
    this.batchRows = batchRows;
  }

  /** The file being read (for error messages), or null before the first. */
  Path file() {
    return file;
  }

  /** The next batch of at most batchRows rows (never crossing a row group), or null at the end. */
  Frame next() throws IOException {
    while (true) {
      if (fast != null) {
        long left = fast.groupLeft();
        if (left > 0) {
          return Frame.of(fast.next((int) Math.min(batchRows, left)));
        }
        fast.close();
        fast = null;
      } else if (reader != null) {
        if (groupLeft > 0) {
          int n = (int) Math.min(batchRows, groupLeft);
          List<dev.mlops.core.Column> out = new ArrayList<>(read.length());
          for (int c = 0; c < read.length(); c++) {
            out.add(decode(c, n));
          }
          groupLeft -= n;
          return Frame.of(out);
        }
        columns = null; // the finished row group's pages can go before the next one is read
        PageReadStore rg = reader.readNextRowGroup();
        if (rg != null) {
          startGroup(rg);
        } else {
          reader.close();
          reader = null;
        }
      } else if (fileIndex == files.size()) {
        return null;
      } else {
        file = files.get(fileIndex++);
        // PLAIN pages of numbers copied in bulk, dictionaries decoded once per chunk: parquet-mr's column
        // readers below cost a virtual call and a stream read per value (over half of the import's time)
        fast = general ? null : ColumnarParquet.Batches.open(file, read, buffers, READ_BUFFER).orElse(null);
        if (fast == null) {
          openGeneral();
        } else {
          PAGE_LEVEL_FILES.increment();
        }
      }
    }
  }

  /** Opens the current file for parquet-mr's general column readers. */
  private void openGeneral() throws IOException {
    // row groups are read in buffers of at most 256 KiB: a small heap need not find 8 MiB in one piece
    reader = ParquetFileReader.open(new LocalInputFile(file),
        ParquetReadOptions.builder(new PlainParquetConfiguration()).withMaxAllocationInBytes(READ_BUFFER).build());
    MessageType fileSchema = reader.getFooter().getFileMetaData().getSchema();
    List<Type> wanted = new ArrayList<>();
    for (StructField f : read.fields()) {
      if (fileSchema.containsField(f.getName())) {
        wanted.add(fileSchema.getType(f.getName()));
      }
    }
    reader.setRequestedSchema(new MessageType(fileSchema.getName(), wanted));
  }

  private void startGroup(PageReadStore rg) {
    MessageType fileSchema = reader.getFooter().getFileMetaData().getSchema();
    List<Type> wanted = new ArrayList<>();
    for (StructField f : read.fields()) {
      if (fileSchema.containsField(f.getName())) {
        wanted.add(fileSchema.getType(f.getName()));
      }
    }
    MessageType projection = new MessageType(fileSchema.getName(), wanted);
    ColumnReadStoreImpl store = new ColumnReadStoreImpl(rg, new NoConverter(), projection,
        reader.getFooter().getFileMetaData().getCreatedBy());
    columns = new ColumnReader[read.length()];
    for (int c = 0; c < read.length(); c++) {
      String name = read.at(c).getName();
      if (projection.containsField(name)) {
        columns[c] = store.getColumnReader(projection.getColumnDescription(new String[] {name}));
      }
    }
    groupLeft = rg.getRowCount();
  }

  /** n values of column c from its reader (nulls when the file lacks the column). */
  private dev.mlops.core.Column decode(int c, int n) {
    Field field = schema.fields().get(c);
    ColumnType type = field.columnType();
    Object values = Values.newArray(type, n);
    boolean[] nulls = new boolean[n];
    ColumnReader r = columns[c];
    if (r == null) {
      java.util.Arrays.fill(nulls, true);
      return COLUMNS.wrap(field.name(), type, values, nulls, n);
    }
    ColumnDescriptor d = r.getDescriptor();
    int maxDef = d.getMaxDefinitionLevel();
    PrimitiveType p = d.getPrimitiveType();
    io.delta.kernel.types.DataType k = read.at(c).getDataType();
    switch (p.getPrimitiveTypeName()) {
      case INT32 -> {
        if (values instanceof int[] a) {
          for (int i = 0; i < n; i++) {
            if (r.getCurrentDefinitionLevel() == maxDef) {
              a[i] = r.getInteger();
            } else {
              nulls[i] = true;
            }
            r.consume();
          }
        } else if (values instanceof short[] a) {
          for (int i = 0; i < n; i++) {
            if (r.getCurrentDefinitionLevel() == maxDef) {
              a[i] = (short) r.getInteger();
            } else {
              nulls[i] = true;
            }
            r.consume();
          }
        } else if (values instanceof byte[] a) {
          for (int i = 0; i < n; i++) {
            if (r.getCurrentDefinitionLevel() == maxDef) {
              a[i] = (byte) r.getInteger();
            } else {
              nulls[i] = true;
            }
            r.consume();
          }
        } else {
          Object[] a = (Object[]) values;
          int scale = ((DecimalType) k).getScale();
          for (int i = 0; i < n; i++) {
            if (r.getCurrentDefinitionLevel() == maxDef) {
              a[i] = BigDecimal.valueOf(r.getInteger(), scale);
            } else {
              nulls[i] = true;
            }
            r.consume();
          }
        }
      }
      case INT64 -> {
        if (values instanceof long[] a) {
          long mul = 1;
          long div = 1;
          if (p.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation ts) {
            switch (ts.getUnit()) {
              case MILLIS -> mul = 1000;
              case NANOS -> div = 1000;
              default -> { }
            }
          }
          for (int i = 0; i < n; i++) {
            if (r.getCurrentDefinitionLevel() == maxDef) {
              long v = r.getLong();
              a[i] = div == 1 ? v * mul : Math.floorDiv(v, div);
            } else {
              nulls[i] = true;
            }
            r.consume();
          }
        } else {
          Object[] a = (Object[]) values;
          int scale = ((DecimalType) k).getScale();
          for (int i = 0; i < n; i++) {
            if (r.getCurrentDefinitionLevel() == maxDef) {
              a[i] = BigDecimal.valueOf(r.getLong(), scale);
            } else {
              nulls[i] = true;
            }
            r.consume();
          }
        }
      }
      case INT96 -> {
        long[] a = (long[]) values;
        for (int i = 0; i < n; i++) {
          if (r.getCurrentDefinitionLevel() == maxDef) {
            ByteBuffer b = r.getBinary().toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            long nanosOfDay = b.getLong();
            long julianDay = b.getInt() & 0xFFFFFFFFL;
            a[i] = (julianDay - JULIAN_EPOCH_DAY) * MICROS_PER_DAY + Math.floorDiv(nanosOfDay, 1000L);
          } else {
            nulls[i] = true;
          }
          r.consume();
        }
      }
      case FLOAT -> {
        float[] a = (float[]) values;
        for (int i = 0; i < n; i++) {
          if (r.getCurrentDefinitionLevel() == maxDef) {
            a[i] = r.getFloat();
          } else {
            nulls[i] = true;
          }
          r.consume();
        }
      }
      case DOUBLE -> {
        double[] a = (double[]) values;
        for (int i = 0; i < n; i++) {
          if (r.getCurrentDefinitionLevel() == maxDef) {
            a[i] = r.getDouble();
          } else {
            nulls[i] = true;
          }
          r.consume();
        }
      }
      case BOOLEAN -> {
        boolean[] a = (boolean[]) values;
        for (int i = 0; i < n; i++) {
          if (r.getCurrentDefinitionLevel() == maxDef) {
            a[i] = r.getBoolean();
          } else {
            nulls[i] = true;
          }
          r.consume();
        }
      }
      default -> { // BINARY, FIXED_LEN_BYTE_ARRAY
        Object[] a = (Object[]) values;
        int scale = k instanceof DecimalType dt ? dt.getScale() : 0;
        for (int i = 0; i < n; i++) {
          if (r.getCurrentDefinitionLevel() == maxDef) {
            Binary v = r.getBinary();
            if (k instanceof StringType) {
              a[i] = v.toStringUsingUTF8();
            } else if (k instanceof BinaryType) {
              a[i] = v.getBytes();
            } else {
              a[i] = new BigDecimal(new BigInteger(v.getBytes()), scale);
            }
          } else {
            nulls[i] = true;
          }
          r.consume();
        }
      }
    }
    return COLUMNS.wrap(field.name(), type, values, nulls, n);
  }

  /** True when every column is one this reader decodes (the import's flat types). */
  static boolean supports(StructType read) {
    for (StructField f : read.fields()) {
      io.delta.kernel.types.DataType t = f.getDataType();
      if (t instanceof StructType || t instanceof io.delta.kernel.types.ArrayType
          || t instanceof io.delta.kernel.types.MapType) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void close() throws IOException {
    try {
      if (fast != null) {
        fast.close();
        fast = null;
      }
      if (reader != null) {
        reader.close();
        reader = null;
      }
    } finally {
      buffers.close();
    }
    fileIndex = files.size();
    groupLeft = 0;
  }

  /** The column readers need a converter tree; values are read with getters, never converted. */
  private static final class NoConverter extends GroupConverter {
    private final PrimitiveConverter none = new PrimitiveConverter() {};

    @Override
    public Converter getConverter(int fieldIndex) {
      return none;
    }

    @Override
    public void start() {}

    @Override
    public void end() {}
  }
}
