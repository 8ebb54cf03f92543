package dev.mlops.core.internal.delta;

import dev.mlops.core.Column;
import dev.mlops.core.ColumnType;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.internal.ColumnAccess;
import dev.mlops.core.internal.Values;
import io.delta.kernel.data.ArrayValue;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.MapValue;
import io.delta.kernel.types.ArrayType;
import io.delta.kernel.types.MapType;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Map;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import java.util.ArrayList;
import java.util.List;

/**
 * A Kernel {@link ColumnarBatch} over SDK columns, without copying. The schema gives the (physical)
 * names the Parquet writer uses; column i of the batch is SDK column i.
 */
final class FrameBatch implements ColumnarBatch {
  private static final ColumnAccess.Access COLUMNS = ColumnAccess.obtain();

  private final StructType schema;
  private final List<Column> columns;
  private final int from;
  private final int size;

  FrameBatch(StructType schema, List<Column> columns, int from, int size) {
    this.schema = schema;
    this.columns = List.copyOf(columns);
    this.from = from;
    this.size = size;
  }

  @Override
  public StructType getSchema() {
    return schema;
  }

  @Override
  public ColumnVector getColumnVector(int ordinal) {
    Column c = columns.get(ordinal);
    io.delta.kernel.types.DataType kt = schema.at(ordinal).getDataType();
    if (c.type().isParameterized() || c.type() == DataType.BINARY) {
      return new BoxedVector(kt, c.columnType(), (Object[]) COLUMNS.values(c), COLUMNS.nulls(c), from, size);
    }
    return new Vector(c, kt, from, size);
  }

  @Override
  public int getSize() {
    return size;
  }

  private List<ColumnVector> vectors() {
    List<ColumnVector> out = new ArrayList<>(columns.size());
    for (int i = 0; i < columns.size(); i++) {
      out.add(getColumnVector(i));
    }
    return out;
  }

  @Override
  public ColumnarBatch withDeletedColumnAt(int ordinal) {
    return new VectorBatch(schema, vectors(), size).withDeletedColumnAt(ordinal);
  }

  @Override
  public ColumnarBatch withNewSchema(StructType newSchema) {
    return new VectorBatch(newSchema, vectors(), size);
  }

  @Override
  public ColumnarBatch withNewColumn(int ordinal, StructField field, ColumnVector vector) {
    return new VectorBatch(schema, vectors(), size).withNewColumn(ordinal, field, vector);
  }

  /** A batch of any vectors (what Kernel's transformations need when they rename or add columns). */
  static final class VectorBatch implements ColumnarBatch {
    private final StructType schema;
    private final List<ColumnVector> vectors;
    private final int size;

    VectorBatch(StructType schema, List<ColumnVector> vectors, int size) {
      this.schema = schema;
      this.vectors = List.copyOf(vectors);
      this.size = size;
    }

    @Override
    public StructType getSchema() {
      return schema;
    }

    @Override
    public ColumnVector getColumnVector(int ordinal) {
      return vectors.get(ordinal);
    }

    @Override
    public int getSize() {
      return size;
    }

    @Override
    public ColumnarBatch withDeletedColumnAt(int ordinal) {
      List<StructField> fields = new ArrayList<>(schema.fields());
      fields.remove(ordinal);
      List<ColumnVector> v = new ArrayList<>(vectors);
      v.remove(ordinal);
      return new VectorBatch(new StructType(fields), v, size);
    }

    @Override
    public ColumnarBatch withNewSchema(StructType newSchema) {
      return new VectorBatch(newSchema, vectors, size);
    }

    @Override
    public ColumnarBatch withNewColumn(int ordinal, StructField field, ColumnVector vector) {
      List<StructField> fields = new ArrayList<>(schema.fields());
      fields.add(ordinal, field);
      List<ColumnVector> v = new ArrayList<>(vectors);
      v.add(ordinal, vector);
      return new VectorBatch(new StructType(fields), v, size);
    }
  }

  /** One column as a Kernel vector. */
  static final class Vector implements ColumnVector {
    private final io.delta.kernel.types.DataType type;
    private final int from;
    private final int size;
    private final boolean[] nulls;
    private final long[] longs;
    private final int[] ints;
    private final double[] doubles;
    private final boolean[] bools;
    private final String[] strings;
    private final short[] shorts;
    private final byte[] bytes;
    private final float[] floats;
    private final Column column;

    Vector(Column c, io.delta.kernel.types.DataType type, int from, int size) {
      this.column = c;
      this.type = type;
      this.from = from;
      this.size = size;
      this.nulls = COLUMNS.nulls(c);
      DataType t = c.type();
      longs = t == DataType.LONG || t == DataType.TIMESTAMP || t == DataType.TIMESTAMP_NTZ ? COLUMNS.longs(c) : null;
      Object raw = COLUMNS.values(c);
      shorts = raw instanceof short[] a ? a : null;
      bytes = raw instanceof byte[] a ? a : null;
      floats = raw instanceof float[] a ? a : null;
      ints = t == DataType.INT || t == DataType.DATE ? COLUMNS.ints(c) : null;
      doubles = t == DataType.DOUBLE ? COLUMNS.doubles(c) : null;
      bools = t == DataType.BOOLEAN ? COLUMNS.booleans(c) : null;
      strings = t == DataType.STRING ? COLUMNS.strings(c) : null;
    }

    /** The SDK column when this vector is all of it (zero-copy read-back), else null. */
    Column wholeColumn() {
      return from == 0 && size == column.size() ? column : null;
    }

    @Override
    public io.delta.kernel.types.DataType getDataType() {
      return type;
    }

    @Override
    public int getSize() {
      return size;
    }

    @Override
    public void close() {}

    @Override
    public boolean isNullAt(int rowId) {
      return nulls != null && nulls[from + rowId];
    }

    @Override
    public boolean getBoolean(int rowId) {
      return bools[from + rowId];
    }

    @Override
    public int getInt(int rowId) {
      return ints[from + rowId];
    }

    @Override
    public long getLong(int rowId) {
      return longs[from + rowId];
    }

    @Override
    public double getDouble(int rowId) {
      return doubles[from + rowId];
    }

    @Override
    public String getString(int rowId) {
      return strings[from + rowId];
    }

    @Override
    public short getShort(int rowId) {
      return shorts[from + rowId];
    }

    @Override
    public byte getByte(int rowId) {
      return bytes[from + rowId];
    }

    @Override
    public float getFloat(int rowId) {
      return floats[from + rowId];
    }
  }

  /**
   * A vector over canonical boxed values (see {@code Values.convert}): DECIMAL, BINARY and nested
   * columns, and the children, elements, keys and values of nested ones. The SDK type gives the
   * field names of structs by ordinal, so the Kernel type may carry physical names.
   */
  static final class BoxedVector implements ColumnVector {
    private final io.delta.kernel.types.DataType type;
    private final ColumnType sdk;
    private final Object[] values;
    private final boolean[] nulls;
    private final int from;
    private final int size;

    BoxedVector(io.delta.kernel.types.DataType type, ColumnType sdk, Object[] values, boolean[] nulls, int from,
        int size) {
      this.type = type;
      this.sdk = sdk;
      this.values = values;
      this.nulls = nulls;
      this.from = from;
      this.size = size;
    }

    private Object at(int rowId) {
      return values[from + rowId];
    }

    @Override
    public io.delta.kernel.types.DataType getDataType() {
      return type;
    }

    @Override
    public int getSize() {
      return size;
    }

    @Override
    public void close() {}

    @Override
    public boolean isNullAt(int rowId) {
      return (nulls != null && nulls[from + rowId]) || at(rowId) == null;
    }

    @Override
    public boolean getBoolean(int rowId) {
      return (Boolean) at(rowId);
    }

    @Override
    public byte getByte(int rowId) {
      return (Byte) at(rowId);
    }

    @Override
    public short getShort(int rowId) {
      return (Short) at(rowId);
    }

    @Override
    public int getInt(int rowId) {
      Object v = at(rowId);
      return v instanceof LocalDate d ? Math.toIntExact(d.toEpochDay()) : (Integer) v;
    }

    @Override
    public long getLong(int rowId) {
      Object v = at(rowId);
      if (v instanceof Instant t) {
        return Values.instantToMicros(t);
      }
      if (v instanceof LocalDateTime t) {
        return Values.localToMicros(t);
      }
      return (Long) v;
    }

    @Override
    public float getFloat(int rowId) {
      return (Float) at(rowId);
    }

    @Override
    public double getDouble(int rowId) {
      return (Double) at(rowId);
    }

    @Override
    public String getString(int rowId) {
      return (String) at(rowId);
    }

    @Override
    public BigDecimal getDecimal(int rowId) {
      return (BigDecimal) at(rowId);
    }

    @Override
    public byte[] getBinary(int rowId) {
      return (byte[]) at(rowId);
    }

    @Override
    public ColumnVector getChild(int ordinal) {
      ColumnType.Struct st = (ColumnType.Struct) sdk;
      Field f = st.fields().get(ordinal);
      Object[] child = new Object[size];
      for (int i = 0; i < size; i++) {
        Object v = isNullAt(i) ? null : at(i);
        child[i] = v == null ? null : ((Map<?, ?>) v).get(f.name());
      }
      return new BoxedVector(((StructType) type).at(ordinal).getDataType(), f.columnType(), child, null, 0, size);
    }

    @Override
    public ArrayValue getArray(int rowId) {
      List<?> list = (List<?>) at(rowId);
      ColumnType.ArrayOf at = (ColumnType.ArrayOf) sdk;
      ColumnVector elements = new BoxedVector(((ArrayType) type).getElementType(), at.element(), list.toArray(), null,
          0, list.size());
      return new ArrayValue() {
        @Override
        public int getSize() {
          return list.size();
        }

        @Override
        public ColumnVector getElements() {
          return elements;
        }
      };
    }

    @Override
    public MapValue getMap(int rowId) {
      Map<?, ?> map = (Map<?, ?>) at(rowId);
      ColumnType.MapOf mt = (ColumnType.MapOf) sdk;
      MapType kt = (MapType) type;
      ColumnVector keys = new BoxedVector(kt.getKeyType(), mt.key(), map.keySet().toArray(), null, 0, map.size());
      ColumnVector vals = new BoxedVector(kt.getValueType(), mt.value(), map.values().toArray(), null, 0, map.size());
      return new MapValue() {
        @Override
        public int getSize() {
          return map.size();
        }

        @Override
        public ColumnVector getKeys() {
          return keys;
        }

        @Override
        public ColumnVector getValues() {
          return vals;
        }
      };
    }
  }
}
