package dev.mlops.core;

import dev.mlops.core.internal.Errors;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The full type of a column: its {@link DataType} kind plus what the kind needs to be exact (precision
 * and scale of a DECIMAL, the fields of a STRUCT, the element of an ARRAY, the key and value of a MAP).
 * Any nesting the Delta protocol allows can be written: an array of structs, a map of arrays, ...
 *
 * <pre>{@code
 * ColumnType money = ColumnType.decimal(12, 2);
 * ColumnType window = ColumnType.struct(Field.of("start", DataType.TIMESTAMP), Field.of("end", DataType.TIMESTAMP));
 * ColumnType items = ColumnType.array(ColumnType.struct(Field.of("value", DataType.STRING), Field.of("count", DataType.LONG)));
 * Schema s = Schema.of(Field.of("amount", money), Field.of("window", window), Field.of("frequent_items", items));
 * }</pre>
 */
public sealed interface ColumnType
    permits ColumnType.Simple, ColumnType.Decimal, ColumnType.Struct, ColumnType.ArrayOf, ColumnType.MapOf {

  /** The kind of this type. */
  DataType kind();

  /** Text of the type in lower case: {@code long}, {@code decimal(12,2)}, {@code array<struct<a:int>>}. */
  String sql();

  /**
   * The type of a kind that needs no parameters (every kind but DECIMAL, STRUCT, ARRAY and MAP).
   *
   * @throws IllegalArgumentException for DECIMAL, STRUCT, ARRAY or MAP, saying which factory to use
   */
  static ColumnType of(DataType kind) {
    return Simple.of(kind);
  }

  /** DECIMAL(precision, scale); see {@link Decimal}. */
  static Decimal decimal(int precision, int scale) {
    return new Decimal(precision, scale);
  }

  /** A STRUCT of the given fields. */
  static Struct struct(Field... fields) {
    return new Struct(List.of(fields));
  }

  /** An ARRAY whose elements may be null. */
  static ArrayOf array(ColumnType element) {
    return new ArrayOf(element, true);
  }

  /** An ARRAY of a kind without parameters, elements may be null. */
  static ArrayOf array(DataType element) {
    return new ArrayOf(of(element), true);
  }

  /** A MAP whose values may be null (keys never are). */
  static MapOf map(ColumnType key, ColumnType value) {
    return new MapOf(key, value, true);
  }

  /**
   * A type without parameters.
   *
   * @param kind any kind but DECIMAL, STRUCT, ARRAY and MAP
   */
  record Simple(DataType kind) implements ColumnType {
    private static final Simple[] CACHE = new Simple[DataType.values().length];

    static {
      for (DataType k : DataType.values()) {
        if (!k.isParameterized()) {
          CACHE[k.ordinal()] = new Simple(k);
        }
      }
    }

    /** Checks the kind needs no parameters. */
    public Simple {
      Objects.requireNonNull(kind, "kind");
      if (kind.isParameterized()) {
        throw Errors.needsParameters(kind, factoryFor(kind));
      }
    }

    static Simple of(DataType kind) {
      Objects.requireNonNull(kind, "kind");
      if (kind.isParameterized()) {
        throw Errors.needsParameters(kind, factoryFor(kind));
      }
      return CACHE[kind.ordinal()];
    }

    private static String factoryFor(DataType kind) {
      switch (kind) {
        case DECIMAL:
          return "ColumnType.decimal(precision, scale)";
        case STRUCT:
          return "ColumnType.struct(fields...)";
        case ARRAY:
          return "ColumnType.array(elementType)";
        default:
          return "ColumnType.map(keyType, valueType)";
      }
    }

    @Override
    public String sql() {
      return kind.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
      return kind.name();
    }
  }

  /**
   * DECIMAL(precision, scale): exact numbers held as {@link java.math.BigDecimal} with exactly this
   * scale; values with more digits are refused, never rounded.
   *
   * @param precision total digits, 1 to 38
   * @param scale digits after the point, 0 to precision
   */
  record Decimal(int precision, int scale) implements ColumnType {
    /** Checks 1 ≤ precision ≤ 38 and 0 ≤ scale ≤ precision (Delta's limits). */
    public Decimal {
      if (precision < 1 || precision > 38 || scale < 0 || scale > precision) {
        throw Errors.decimalDeltaTypePrecision(precision, scale);
      }
    }

    @Override
    public DataType kind() {
      return DataType.DECIMAL;
    }

    @Override
    public String sql() {
      return "decimal(" + precision + "," + scale + ")";
    }

    @Override
    public String toString() {
      return "DECIMAL(" + precision + "," + scale + ")";
    }
  }

  /**
   * A STRUCT: named, typed fields, held per row as an ordered {@code Map<String, Object>} of field
   * name to value.
   *
   * @param fields the fields in order: at least one, unique names
   */
  record Struct(List<Field> fields) implements ColumnType {
    /** Copies the fields; checks there is one at least and the names are unique. */
    public Struct {
      fields = List.copyOf(fields);
      if (fields.isEmpty()) {
        throw Errors.structNeedsLeastField();
      }
      Set<String> seen = new HashSet<>();
      for (Field f : fields) {
        if (!seen.add(f.name())) {
          throw Errors.fieldAppearsTwiceStruct(f.name());
        }
      }
    }

    /** The field names in order. */
    public List<String> names() {
      return fields.stream().map(Field::name).collect(Collectors.toUnmodifiableList());
    }

    @Override
    public DataType kind() {
      return DataType.STRUCT;
    }

    @Override
    public String sql() {
      return fields.stream().map(f -> f.name() + ":" + f.columnType().sql() + (f.nullable() ? "" : " not null"))
          .collect(Collectors.joining(",", "struct<", ">"));
    }

    @Override
    public String toString() {
      return sql();
    }
  }

  /**
   * An ARRAY, held per row as an unmodifiable {@code List}.
   *
   * @param element the elements' type
   * @param containsNull whether elements may be null
   */
  record ArrayOf(ColumnType element, boolean containsNull) implements ColumnType {
    /** Checks the element type is given. */
    public ArrayOf {
      Objects.requireNonNull(element, "element type");
    }

    @Override
    public DataType kind() {
      return DataType.ARRAY;
    }

    @Override
    public String sql() {
      return "array<" + element.sql() + ">";
    }

    @Override
    public String toString() {
      return sql();
    }
  }

  /**
   * A MAP, held per row as an unmodifiable, insertion-ordered {@code Map}. Keys are never null.
   *
   * @param key the keys' type
   * @param value the values' type
   * @param valueContainsNull whether values may be null
   */
  record MapOf(ColumnType key, ColumnType value, boolean valueContainsNull) implements ColumnType {
    /** Checks both types are given. */
    public MapOf {
      Objects.requireNonNull(key, "key type");
      Objects.requireNonNull(value, "value type");
    }

    @Override
    public DataType kind() {
      return DataType.MAP;
    }

    @Override
    public String sql() {
      return "map<" + key.sql() + "," + value.sql() + ">";
    }

    @Override
    public String toString() {
      return sql();
    }
  }
}
