package dev.mlops.core.internal.delta;

import dev.mlops.core.Column;
import dev.mlops.core.DataType;
import dev.mlops.core.internal.ColumnAccess;
import io.delta.kernel.data.ColumnVector;
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
    return new Vector(columns.get(ordinal), schema.at(ordinal).getDataType(), from, size);
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
    private final Column column;

    Vector(Column c, io.delta.kernel.types.DataType type, int from, int size) {
      this.column = c;
      this.type = type;
      this.from = from;
      this.size = size;
      this.nulls = ColumnAccess.nulls(c);
      DataType t = c.type();
      longs = t == DataType.LONG || t == DataType.TIMESTAMP ? ColumnAccess.longs(c) : null;
      ints = t == DataType.INT || t == DataType.DATE ? ColumnAccess.ints(c) : null;
      doubles = t == DataType.DOUBLE ? ColumnAccess.doubles(c) : null;
      bools = t == DataType.BOOLEAN ? ColumnAccess.booleans(c) : null;
      strings = t == DataType.STRING ? ColumnAccess.strings(c) : null;
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
  }
}
