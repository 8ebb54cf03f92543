package dev.mlops.core.internal.delta;

import dev.mlops.core.Column;
import dev.mlops.core.ColumnType;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Schema;
import dev.mlops.core.internal.ColumnAccess;
import io.delta.kernel.types.ArrayType;
import io.delta.kernel.types.BinaryType;
import io.delta.kernel.types.MapType;
import io.delta.kernel.types.BooleanType;
import io.delta.kernel.types.ByteType;
import io.delta.kernel.types.DateType;
import io.delta.kernel.types.DecimalType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.FieldMetadata;
import io.delta.kernel.types.FloatType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.ShortType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampNTZType;
import io.delta.kernel.types.TimestampType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** SDK types ↔ Delta Kernel types. */
final class TypeMapping {
  private static final ColumnAccess.Access COLUMNS = ColumnAccess.obtain();

  private TypeMapping() {}

  static final String COMMENT = "comment";

  static io.delta.kernel.types.DataType toKernel(DataType t) {
    return toKernel(ColumnType.of(t));
  }

  static io.delta.kernel.types.DataType toKernel(ColumnType ct) {
    switch (ct.kind()) {
      case LONG:
        return LongType.LONG;
      case INT:
        return IntegerType.INTEGER;
      case SHORT:
        return ShortType.SHORT;
      case BYTE:
        return ByteType.BYTE;
      case DOUBLE:
        return DoubleType.DOUBLE;
      case FLOAT:
        return FloatType.FLOAT;
      case BOOLEAN:
        return BooleanType.BOOLEAN;
      case STRING:
        return StringType.STRING;
      case BINARY:
        return BinaryType.BINARY;
      case TIMESTAMP:
        return TimestampType.TIMESTAMP;
      case TIMESTAMP_NTZ:
        return TimestampNTZType.TIMESTAMP_NTZ;
      case DATE:
        return DateType.DATE;
      case DECIMAL: {
        ColumnType.Decimal d = (ColumnType.Decimal) ct;
        return new DecimalType(d.precision(), d.scale());
      }
      case STRUCT: {
        List<StructField> out = new ArrayList<>();
        for (Field f : ((ColumnType.Struct) ct).fields()) {
          out.add(toKernel(f));
        }
        return new StructType(out);
      }
      case ARRAY: {
        ColumnType.ArrayOf a = (ColumnType.ArrayOf) ct;
        return new ArrayType(toKernel(a.element()), a.containsNull());
      }
      case MAP: {
        ColumnType.MapOf m = (ColumnType.MapOf) ct;
        return new MapType(toKernel(m.key()), toKernel(m.value()), m.valueContainsNull());
      }
      default:
        throw new AssertionError(ct);
    }
  }

  /** The SDK type a Delta type is read as (exactly), or empty when the SDK cannot hold it. */
  static Optional<ColumnType> fromKernel(io.delta.kernel.types.DataType t) {
    DataType k = null;
    if (t instanceof LongType) {
      k = DataType.LONG;
    } else if (t instanceof IntegerType) {
      k = DataType.INT;
    } else if (t instanceof ShortType) {
      k = DataType.SHORT;
    } else if (t instanceof ByteType) {
      k = DataType.BYTE;
    } else if (t instanceof DoubleType) {
      k = DataType.DOUBLE;
    } else if (t instanceof FloatType) {
      k = DataType.FLOAT;
    } else if (t instanceof BooleanType) {
      k = DataType.BOOLEAN;
    } else if (t instanceof StringType) {
      k = DataType.STRING;
    } else if (t instanceof BinaryType) {
      k = DataType.BINARY;
    } else if (t instanceof TimestampType) {
      k = DataType.TIMESTAMP;
    } else if (t instanceof TimestampNTZType) {
      k = DataType.TIMESTAMP_NTZ;
    } else if (t instanceof DateType) {
      k = DataType.DATE;
    } else if (t instanceof DecimalType d) {
      return Optional.of(ColumnType.decimal(d.getPrecision(), d.getScale()));
    } else if (t instanceof StructType st) {
      List<Field> out = new ArrayList<>();
      for (StructField f : st.fields()) {
        Optional<ColumnType> ft = fromKernel(f.getDataType());
        if (ft.isEmpty() || !validName(f.getName())) {
          return Optional.empty();
        }
        out.add(new Field(f.getName(), ft.get(), f.isNullable(), comment(f)));
      }
      return out.isEmpty() ? Optional.empty() : Optional.of(new ColumnType.Struct(out));
    } else if (t instanceof ArrayType at) {
      return fromKernel(at.getElementType()).map(e -> new ColumnType.ArrayOf(e, at.containsNull()));
    } else if (t instanceof MapType mt) {
      Optional<ColumnType> key = fromKernel(mt.getKeyType());
      Optional<ColumnType> value = fromKernel(mt.getValueType());
      return key.isEmpty() || value.isEmpty() ? Optional.empty()
          : Optional.of(new ColumnType.MapOf(key.get(), value.get(), mt.isValueContainsNull()));
    }
    return k == null ? Optional.empty() : Optional.of(ColumnType.of(k));
  }

  private static boolean validName(String name) {
    try {
      dev.mlops.core.internal.Errors.checkColumnName(name);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  static StructField toKernel(Field f) {
    FieldMetadata md = f.comment().isEmpty() ? FieldMetadata.empty()
        : FieldMetadata.builder().putString(COMMENT, f.comment()).build();
    return new StructField(f.name(), toKernel(f.columnType()), f.nullable(), md);
  }

  static StructType toKernel(Schema s) {
    List<StructField> out = new ArrayList<>();
    for (Field f : s.fields()) {
      out.add(toKernel(f));
    }
    return new StructType(out);
  }

  /**
   * The data column in the table's type, or null when it cannot be converted without loss: the same
   * type as is; INT widened to LONG; a DECIMAL of smaller scale/precision rescaled (values are
   * checked against the table's precision).
   */
  static Column conform(Column c, Field target) {
    ColumnType from = c.columnType();
    ColumnType to = target.columnType();
    if (sameShape(from, to)) {
      return from.equals(to) ? c : COLUMNS.wrap(c.name(), to, COLUMNS.values(c), COLUMNS.nulls(c), c.size());
    }
    boolean integral = from.kind() == DataType.INT || from.kind() == DataType.SHORT || from.kind() == DataType.BYTE;
    if ((integral && to.kind() == DataType.LONG) || ((integral || from.kind() == DataType.LONG
        || from.kind() == DataType.DECIMAL) && to.kind() == DataType.DECIMAL)
        || (to.kind() == DataType.INT && (from.kind() == DataType.SHORT || from.kind() == DataType.BYTE))
        || (to.kind() == DataType.SHORT && from.kind() == DataType.BYTE)
        || (to.kind() == DataType.DOUBLE && from.kind() == DataType.FLOAT)) {
      List<Object> vals = new ArrayList<>(c.size());
      for (int i = 0; i < c.size(); i++) {
        Object v = c.get(i);
        vals.add(v instanceof Float f ? Double.valueOf(f.toString()) : v);
      }
      if (to.kind() == DataType.DOUBLE) {
        double[] out = new double[c.size()];
        for (int i = 0; i < out.length; i++) {
          out[i] = c.isNull(i) ? 0 : c.getFloat(i);
        }
        return COLUMNS.wrap(c.name(), to, out, COLUMNS.nulls(c), c.size());
      }
      return Column.of(c.name(), to, vals);
    }
    return null;
  }

  /**
   * Kinds a table may be partitioned by: not DOUBLE or FLOAT (too many distinct values, and NaN/-0.0
   * have no single text form), not BINARY, not nested (Delta does not allow it).
   */
  static boolean canPartitionBy(DataType t) {
    return !(t == DataType.DOUBLE || t == DataType.FLOAT || t == DataType.BINARY || t.isNested());
  }

  /** Same types ignoring nullability inside nested types and comments of nested fields. */
  static boolean sameShape(ColumnType a, ColumnType b) {
    if (a.kind() != b.kind()) {
      return false;
    }
    if (a instanceof ColumnType.Struct x && b instanceof ColumnType.Struct y) {
      if (x.fields().size() != y.fields().size()) {
        return false;
      }
      for (int i = 0; i < x.fields().size(); i++) {
        Field p = x.fields().get(i);
        Field q = y.fields().get(i);
        if (!p.name().equals(q.name()) || !sameShape(p.columnType(), q.columnType())) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof ColumnType.ArrayOf x && b instanceof ColumnType.ArrayOf y) {
      return sameShape(x.element(), y.element());
    }
    if (a instanceof ColumnType.MapOf x && b instanceof ColumnType.MapOf y) {
      return sameShape(x.key(), y.key()) && sameShape(x.value(), y.value());
    }
    return a.equals(b);
  }

  static String comment(StructField f) {
    FieldMetadata md = f.getMetadata();
    if (md != null && md.contains(COMMENT)) {
      Object v = md.get(COMMENT);
      return v == null ? "" : String.valueOf(v);
    }
    return "";
  }

  /** Names of columns whose types the SDK cannot hold. */
  static List<String> unsupported(StructType s) {
    List<String> out = new ArrayList<>();
    for (StructField f : s.fields()) {
      if (fromKernel(f.getDataType()).isEmpty()) {
        out.add(f.getName() + " " + shortName(f.getDataType()));
      }
    }
    return out;
  }

  /** A short, SQL-like name of a Delta type for messages (struct, array, map, binary, ...). */
  static String shortName(io.delta.kernel.types.DataType t) {
    if (t instanceof StructType) {
      return "struct";
    } else if (t instanceof io.delta.kernel.types.ArrayType) {
      return "array";
    } else if (t instanceof io.delta.kernel.types.MapType) {
      return "map";
    }
    return t.toString();
  }

  /** The SDK schema of the supported columns of a Delta schema. */
  static Schema fromKernel(StructType s) {
    List<Field> out = new ArrayList<>();
    for (StructField f : s.fields()) {
      fromKernel(f.getDataType()).ifPresent(t -> out.add(new Field(f.getName(), t, f.isNullable(), comment(f))));
    }
    return new Schema(out);
  }
}
