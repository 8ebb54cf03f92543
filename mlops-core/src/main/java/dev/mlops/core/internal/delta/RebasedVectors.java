package dev.mlops.core.internal.delta;

import io.delta.kernel.data.ArrayValue;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.MapValue;
import io.delta.kernel.types.ArrayType;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.DateType;
import io.delta.kernel.types.MapType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampType;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * Kernel's Parquet reader does not rebase Spark's legacy-calendar values; this wraps the vectors it
 * returns for such a file (nested columns, which {@link ColumnarParquet} leaves to Kernel) so that
 * DATE and TIMESTAMP values, at any depth, are read proleptic as Spark reads them
 * ({@link SparkCalendar}).
 */
final class RebasedVectors {
  private RebasedVectors() {}

  /** True when the schema holds a DATE or TIMESTAMP at any depth. */
  static boolean hasDatesOrTimestamps(DataType t) {
    if (t instanceof DateType || t instanceof TimestampType) {
      return true;
    } else if (t instanceof StructType s) {
      for (StructField f : s.fields()) {
        if (hasDatesOrTimestamps(f.getDataType())) {
          return true;
        }
      }
    } else if (t instanceof ArrayType a) {
      return hasDatesOrTimestamps(a.getElementType());
    } else if (t instanceof MapType m) {
      return hasDatesOrTimestamps(m.getKeyType()) || hasDatesOrTimestamps(m.getValueType());
    }
    return false;
  }

  /**
   * The batch with its dates and timestamps rebased as the file's calendar says. Each top-level
   * column's timestamps are rebased by the key of the Parquet type the file stores them in (INT96 or
   * INT64; a column holding both kinds in nested fields follows its INT96 key).
   */
  static ColumnarBatch rebase(ColumnarBatch b, SparkCalendar calendar, MessageType fileSchema) {
    if (calendar.proleptic()) {
      return b;
    }
    StructType schema = b.getSchema();
    List<ColumnVector> vectors = new ArrayList<>(schema.length());
    for (int i = 0; i < schema.length(); i++) {
      String name = schema.at(i).getName();
      boolean int96 = fileSchema.containsField(name) && hasInt96(fileSchema.getType(name));
      vectors.add(wrap(b.getColumnVector(i), calendar, calendar.legacyDates(), calendar.legacyTimestamps(int96)));
    }
    return new FrameBatch.VectorBatch(schema, vectors, b.getSize());
  }

  private static boolean hasInt96(Type t) {
    if (t.isPrimitive()) {
      return t.asPrimitiveType().getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.INT96;
    }
    for (Type c : t.asGroupType().getFields()) {
      if (hasInt96(c)) {
        return true;
      }
    }
    return false;
  }

  private static ColumnVector wrap(ColumnVector v, SparkCalendar c, boolean dates, boolean timestamps) {
    DataType t = v.getDataType();
    return (dates || timestamps) && hasDatesOrTimestamps(t) ? new Rebased(v, c, dates, timestamps) : v;
  }

  /** A vector whose date and timestamp values (and those of its children) are rebased. */
  private static final class Rebased implements ColumnVector {
    private final ColumnVector v;
    private final SparkCalendar c;
    private final boolean dates;
    private final boolean timestamps;

    Rebased(ColumnVector v, SparkCalendar c, boolean dates, boolean timestamps) {
      this.v = v;
      this.c = c;
      this.dates = dates;
      this.timestamps = timestamps;
    }

    @Override
    public DataType getDataType() {
      return v.getDataType();
    }

    @Override
    public int getSize() {
      return v.getSize();
    }

    @Override
    public void close() {
      v.close();
    }

    @Override
    public boolean isNullAt(int rowId) {
      return v.isNullAt(rowId);
    }

    @Override
    public boolean getBoolean(int rowId) {
      return v.getBoolean(rowId);
    }

    @Override
    public byte getByte(int rowId) {
      return v.getByte(rowId);
    }

    @Override
    public short getShort(int rowId) {
      return v.getShort(rowId);
    }

    @Override
    public int getInt(int rowId) {
      int d = v.getInt(rowId);
      return dates && v.getDataType() instanceof DateType ? SparkCalendar.julianToGregorianDays(d) : d;
    }

    @Override
    public long getLong(int rowId) {
      long m = v.getLong(rowId);
      return timestamps && v.getDataType() instanceof TimestampType ? c.rebaseMicros(m) : m;
    }

    @Override
    public float getFloat(int rowId) {
      return v.getFloat(rowId);
    }

    @Override
    public double getDouble(int rowId) {
      return v.getDouble(rowId);
    }

    @Override
    public byte[] getBinary(int rowId) {
      return v.getBinary(rowId);
    }

    @Override
    public String getString(int rowId) {
      return v.getString(rowId);
    }

    @Override
    public BigDecimal getDecimal(int rowId) {
      return v.getDecimal(rowId);
    }

    @Override
    public ColumnVector getChild(int ordinal) {
      return wrap(v.getChild(ordinal), c, dates, timestamps);
    }

    @Override
    public ArrayValue getArray(int rowId) {
      ArrayValue a = v.getArray(rowId);
      ColumnVector elements = wrap(a.getElements(), c, dates, timestamps);
      return new ArrayValue() {
        @Override
        public int getSize() {
          return a.getSize();
        }

        @Override
        public ColumnVector getElements() {
          return elements;
        }
      };
    }

    @Override
    public MapValue getMap(int rowId) {
      MapValue m = v.getMap(rowId);
      ColumnVector keys = wrap(m.getKeys(), c, dates, timestamps);
      ColumnVector values = wrap(m.getValues(), c, dates, timestamps);
      return new MapValue() {
        @Override
        public int getSize() {
          return m.getSize();
        }

        @Override
        public ColumnVector getKeys() {
          return keys;
        }

        @Override
        public ColumnVector getValues() {
          return values;
        }
      };
    }
  }
}
