package dev.mlops.core.internal.delta;

import dev.mlops.core.Column;
import dev.mlops.core.DataType;
import dev.mlops.core.internal.ColumnAccess;
import dev.mlops.core.internal.Values;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.types.BooleanType;
import io.delta.kernel.types.DateType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.bytes.ByteBufferInputStream;
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
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * A column-at-a-time Parquet reader for flat tables of the SDK's types, straight into primitive
 * arrays. Kernel's default reader assembles records value by value through parquet-mr, which measured
 * as most of the time of every read; here PLAIN pages of numbers are copied in bulk and dictionary
 * pages decoded by id. Anything else (nested or other types, INT96 or millisecond timestamps, v2
 * pages, field ids, metadata columns) answers empty and the caller uses Kernel's reader, so this is
 * a fast path, never the only path. Tested against the default reader in ColumnarParquetTest.
 */
final class ColumnarParquet {
  private static final ColumnAccess.Access COLUMNS = ColumnAccess.obtain();

  private ColumnarParquet() {}

  /** Thrown inside a read to give the file to the default reader. */
  private static final class Unsupported extends Exception {
    private static final long serialVersionUID = 1L;

    Unsupported() {
      super(null, null, false, false);
    }
  }

  /** True when every requested column has a type this reader can produce. */
  static boolean supports(StructType physical) {
    for (StructField f : physical.fields()) {
      if (f.isMetadataColumn() || f.getMetadata().contains("parquet.field.id") || sdkType(f) == null) {
        return false;
      }
    }
    return true;
  }

  private static DataType sdkType(StructField f) {
    io.delta.kernel.types.DataType t = f.getDataType();
    if (t instanceof LongType) {
      return DataType.LONG;
    } else if (t instanceof TimestampType) {
      return DataType.TIMESTAMP;
    } else if (t instanceof IntegerType) {
      return DataType.INT;
    } else if (t instanceof DateType) {
      return DataType.DATE;
    } else if (t instanceof DoubleType) {
      return DataType.DOUBLE;
    } else if (t instanceof BooleanType) {
      return DataType.BOOLEAN;
    } else if (t instanceof StringType) {
      return DataType.STRING;
    }
    return null;
  }

  /** The file's rows as batches (one per row group), or empty when the default reader must do it. */
  static Optional<List<ColumnarBatch>> read(Path file, StructType physical) throws IOException {
    if (!supports(physical)) {
      return Optional.empty();
    }
    ParquetReadOptions options = ParquetReadOptions.builder(new PlainParquetConfiguration()).build();
    try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file), options)) {
      MessageType fileSchema = reader.getFooter().getFileMetaData().getSchema();
      int nc = physical.length();
      ColumnDescriptor[] descs = new ColumnDescriptor[nc];
      List<Type> projected = new ArrayList<>();
      for (int c = 0; c < nc; c++) {
        StructField f = physical.at(c);
        if (!fileSchema.containsField(f.getName())) {
          continue; // a column added after this file was written: all nulls
        }
        Type t = fileSchema.getType(f.getName());
        if (!t.isPrimitive() || t.isRepetition(Type.Repetition.REPEATED)
            || !matches(t.asPrimitiveType(), sdkType(f))) {
          return Optional.empty();
        }
        projected.add(t);
        descs[c] = new ColumnDescriptor(new String[] {t.getName()}, t.asPrimitiveType(), 0,
            t.isRepetition(Type.Repetition.OPTIONAL) ? 1 : 0);
      }
      reader.setRequestedSchema(new MessageType(fileSchema.getName(), projected));
      List<ColumnarBatch> out = new ArrayList<>();
      PageReadStore group;
      while ((group = reader.readNextRowGroup()) != null) {
        int n = Math.toIntExact(group.getRowCount());
        List<Column> cols = new ArrayList<>(nc);
        for (int c = 0; c < nc; c++) {
          StructField f = physical.at(c);
          DataType t = sdkType(f);
          cols.add(descs[c] == null ? Column.nulls(f.getName(), t, n)
              : readColumn(group.getPageReader(descs[c]), descs[c], f.getName(), t, n));
        }
        out.add(new FrameBatch(physical, cols, 0, n));
      }
      return Optional.of(out);
    } catch (Unsupported e) {
      return Optional.empty();
    }
  }

  private static boolean matches(PrimitiveType p, DataType t) {
    LogicalTypeAnnotation a = p.getLogicalTypeAnnotation();
    switch (t) {
      case LONG:
        return p.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.INT64
            && (a == null || a instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation i && i.isSigned());
      case TIMESTAMP:
        return p.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.INT64
            && a instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation ts
            && ts.getUnit() == LogicalTypeAnnotation.TimeUnit.MICROS;
      case INT:
        return p.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.INT32
            && (a == null || a instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation i
                && i.isSigned() && i.getBitWidth() == 32);
      case DATE:
        return p.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.INT32
            && a instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation;
      case DOUBLE:
        return p.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.DOUBLE;
      case BOOLEAN:
        return p.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.BOOLEAN;
      case STRING:
        return p.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.BINARY
            && (a == null || a instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation);
      default:
        return false;
    }
  }

  private static Column readColumn(PageReader pages, ColumnDescriptor d, String name, DataType t, int n)
      throws IOException, Unsupported {
    Object arr = Values.newArray(t, n);
    boolean[] nulls = null;
    DictionaryPage dp = pages.readDictionaryPage();
    Dictionary dict = dp == null ? null : dp.getEncoding().initDictionary(d, dp);
    int row = 0;
    DataPage page;
    while ((page = pages.readPage()) != null) {
      if (page instanceof DataPageV2) {
        throw new Unsupported();
      }
      DataPageV1 p = (DataPageV1) page;
      int count = p.getValueCount();
      if (row + count > n) {
        throw new IOException("Page holds more values than its row group in " + name);
      }
      ByteBufferInputStream in = p.getBytes().toInputStream();
      ValuesReader rl = p.getRlEncoding().getValuesReader(d, ValuesType.REPETITION_LEVEL);
      rl.initFromPage(count, in);
      int[] defs = null;
      int present = count;
      if (d.getMaxDefinitionLevel() > 0) {
        ValuesReader dl = p.getDlEncoding().getValuesReader(d, ValuesType.DEFINITION_LEVEL);
        dl.initFromPage(count, in);
        defs = new int[count];
        present = 0;
        for (int i = 0; i < count; i++) {
          defs[i] = dl.readInteger();
          if (defs[i] == d.getMaxDefinitionLevel()) {
            present++;
          } else {
            if (nulls == null) {
              nulls = new boolean[n];
            }
            nulls[row + i] = true;
          }
        }
      }
      Encoding enc = p.getValueEncoding();
      if (enc.usesDictionary()) {
        if (dict == null) {
          throw new IOException("Dictionary-encoded page without a dictionary in column " + name);
        }
        ValuesReader ids = enc.getDictionaryBasedValuesReader(d, ValuesType.VALUES, dict);
        ids.initFromPage(count, in);
        for (int i = 0; i < count; i++) {
          if (defs == null || defs[i] == d.getMaxDefinitionLevel()) {
            fromDictionary(dict, ids.readValueDictionaryId(), arr, row + i, t);
          }
        }
      } else if (enc == Encoding.PLAIN && t != DataType.BOOLEAN) {
        plain(in, arr, row, count, defs, d.getMaxDefinitionLevel(), present, t);
      } else {
        ValuesReader vr = enc.getValuesReader(d, ValuesType.VALUES);
        vr.initFromPage(count, in);
        for (int i = 0; i < count; i++) {
          if (defs == null || defs[i] == d.getMaxDefinitionLevel()) {
            generic(vr, arr, row + i, t);
          }
        }
      }
      row += count;
    }
    if (row != n) {
      throw new IOException("Column " + name + " holds " + row + " values but its row group has " + n + " rows");
    }
    return COLUMNS.wrap(name, t, arr, nulls, n);
  }

  private static void plain(ByteBufferInputStream in, Object arr, int row, int count, int[] defs, int maxDef,
      int present, DataType t) throws IOException {
    switch (t) {
      case LONG, TIMESTAMP -> {
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

  private static void fromDictionary(Dictionary dict, int id, Object arr, int at, DataType t) {
    switch (t) {
      case LONG, TIMESTAMP -> ((long[]) arr)[at] = dict.decodeToLong(id);
      case INT, DATE -> ((int[]) arr)[at] = dict.decodeToInt(id);
      case DOUBLE -> ((double[]) arr)[at] = dict.decodeToDouble(id);
      case BOOLEAN -> ((boolean[]) arr)[at] = dict.decodeToBoolean(id);
      case STRING -> ((String[]) arr)[at] = dict.decodeToBinary(id).toStringUsingUTF8();
      default -> throw new AssertionError(t);
    }
  }

  private static void generic(ValuesReader vr, Object arr, int at, DataType t) {
    switch (t) {
      case LONG, TIMESTAMP -> ((long[]) arr)[at] = vr.readLong();
      case INT, DATE -> ((int[]) arr)[at] = vr.readInteger();
      case DOUBLE -> ((double[]) arr)[at] = vr.readDouble();
      case BOOLEAN -> ((boolean[]) arr)[at] = vr.readBoolean();
      case STRING -> ((String[]) arr)[at] = vr.readBytes().toStringUsingUTF8();
      default -> throw new AssertionError(t);
    }
  }
}
