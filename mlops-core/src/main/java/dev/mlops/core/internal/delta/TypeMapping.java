package dev.mlops.core.internal.delta;

import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Schema;
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
  private TypeMapping() {}

  static final String COMMENT = "comment";

  static io.delta.kernel.types.DataType toKernel(DataType t) {
    switch (t) {
      case LONG:
        return LongType.LONG;
      case INT:
        return IntegerType.INTEGER;
      case DOUBLE:
        return DoubleType.DOUBLE;
      case BOOLEAN:
        return BooleanType.BOOLEAN;
      case STRING:
        return StringType.STRING;
      case TIMESTAMP:
        return TimestampType.TIMESTAMP;
      case DATE:
        return DateType.DATE;
      default:
        throw new AssertionError(t);
    }
  }

  /** The SDK type a Delta column is read as, or empty when the SDK cannot hold it. */
  static Optional<DataType> fromKernel(io.delta.kernel.types.DataType t) {
    if (t instanceof LongType) {
      return Optional.of(DataType.LONG);
    } else if (t instanceof IntegerType || t instanceof ShortType || t instanceof ByteType) {
      return Optional.of(DataType.INT);
    } else if (t instanceof DoubleType || t instanceof FloatType || t instanceof DecimalType) {
      return Optional.of(DataType.DOUBLE);
    } else if (t instanceof BooleanType) {
      return Optional.of(DataType.BOOLEAN);
    } else if (t instanceof StringType) {
      return Optional.of(DataType.STRING);
    } else if (t instanceof TimestampType || t instanceof TimestampNTZType) {
      return Optional.of(DataType.TIMESTAMP);
    } else if (t instanceof DateType) {
      return Optional.of(DataType.DATE);
    }
    return Optional.empty();
  }

  static StructField toKernel(Field f) {
    FieldMetadata md = f.comment().isEmpty() ? FieldMetadata.empty()
        : FieldMetadata.builder().putString(COMMENT, f.comment()).build();
    return new StructField(f.name(), toKernel(f.type()), f.nullable(), md);
  }

  static StructType toKernel(Schema s) {
    List<StructField> out = new ArrayList<>();
    for (Field f : s.fields()) {
      out.add(toKernel(f));
    }
    return new StructType(out);
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
