package dev.mlops.core.internal.delta;

import dev.mlops.core.Column;
import dev.mlops.core.DataType;
import dev.mlops.core.Frame;
import dev.mlops.core.SchemaMismatchException;
import dev.mlops.core.UnsupportedTableFeatureException;
import dev.mlops.core.internal.Errors;
import io.delta.kernel.types.ArrayType;
import io.delta.kernel.types.FieldMetadata;
import io.delta.kernel.types.MapType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules a write follows so that the table stays what other Delta engines (Spark, Databricks)
 * expect: one place, called from {@link TableOps} where data or schema is about to be written.
 *
 * <ul>
 *   <li>{@code VARCHAR(n)} / {@code CHAR(n)} columns (Spark stores them as string with the metadata key
 *       {@value #CHAR_VARCHAR_KEY}): values longer than n characters are refused, as Spark refuses them
 *       on insert; like Spark, only trailing spaces beyond n are cut, and CHAR values are padded with
 *       spaces to n.</li>
 *   <li>Columns the SDK adds to a column-mapped table get what Spark gives them: the physical name
 *       {@code col-<random uuid>} (never the logical name: after Spark drops or renames a column, a new
 *       column of the same name must not read the old values or share a physical name) and the next id
 *       above {@code delta.columnMapping.maxColumnId}, nested fields included (Kernel raises the
 *       property to the largest id in the same commit; it refuses to let a writer set it).</li>
 *   <li>Column mapping mode {@code id}: Spark reads Parquet columns by field id, so every data file
 *       carries the Parquet {@code field_id} of each column and nested field (the Delta
 *       {@code delta.columnMapping.id}); without them Spark refuses the whole table.</li>
 *   <li>Writer features: the SDK writes only to tables whose every writer feature it implements
 *       ({@link #WRITER_FEATURES}), and names the feature that stops it. Row tracking: appends get fresh
 *       row ids from Kernel, but a copy-on-write rewrite would give copied and updated rows new ids
 *       (Spark keeps them), so only appends and schema/property changes are allowed there.</li>
 *   <li>v2 checkpoints: the SDK's checkpoints are classic ones without the {@code checkpointMetadata}
 *       action the feature requires, so on such tables it writes none and leaves checkpoints to the engine
 *       that owns the feature.</li>
 * </ul>
 */
final class WriteProtocol {
  private WriteProtocol() {}

  /** The field metadata key where Spark keeps the declared {@code char(n)} / {@code varchar(n)} type. */
  static final String CHAR_VARCHAR_KEY = "__CHAR_VARCHAR_TYPE_STRING";

  private static final Pattern CHAR_VARCHAR = Pattern.compile("\\s*(char|varchar)\\s*\\(\\s*(\\d+)\\s*\\)\\s*");

  /**
   * The aligned data (columns in table order, named by logical name) with CHAR/VARCHAR lengths applied
   * as Spark applies them on write.
   *
   * @throws SchemaMismatchException naming the table, column, row, value and limit when a value is too long
   */
  static Frame applyCharVarchar(StructType logical, Frame data, String table) {
    List<Column> out = null;
    for (int c = 0; c < data.columnCount(); c++) {
      Column col = data.column(c);
      if (col.type() != DataType.STRING || logical.indexOf(col.name()) < 0) {
        continue;
      }
      StructField f = logical.get(col.name());
      FieldMetadata md = f.getMetadata();
      if (md == null || !md.contains(CHAR_VARCHAR_KEY)) {
        continue;
      }
      Matcher m = CHAR_VARCHAR.matcher(String.valueOf(md.get(CHAR_VARCHAR_KEY)).toLowerCase(Locale.ROOT));
      if (!m.matches()) {
        continue;
      }
      boolean isChar = m.group(1).equals("char");
      int limit = Integer.parseInt(m.group(2));
      Column fixed = limit(col, isChar, limit, table);
      if (fixed != col) {
        if (out == null) {
          out = new ArrayList<>(data.columns());
        }
        out.set(c, fixed);
      }
    }
    return out == null ? data : Frame.of(out);
  }

  static final String COLUMN_ID = "delta.columnMapping.id";
  static final String PHYSICAL_NAME = "delta.columnMapping.physicalName";
  static final String MAX_COLUMN_ID = "delta.columnMapping.maxColumnId";

  /** New fields with ids and physical names assigned, and the table's new maxColumnId. */
  record NewColumns(List<StructField> fields, long maxColumnId) {}

  /**
   * Gives every new field (nested ones included) a unique {@code col-<uuid>} physical name and the next
   * column id, counting from the larger of the table's {@code delta.columnMapping.maxColumnId} and the
   * largest id in its schema.
   */
  static NewColumns assignColumnMapping(StructType current, Map<String, String> properties, List<StructField> added) {
    long max = Math.max(maxId(current), parseLong(properties.get(MAX_COLUMN_ID)));
    long[] next = {max};
    List<StructField> out = new ArrayList<>(added.size());
    for (StructField f : added) {
      out.add(assign(f, next));
    }
    return new NewColumns(out, next[0]);
  }

  private static long parseLong(String s) {
    try {
      return s == null ? 0 : Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static long maxId(io.delta.kernel.types.DataType t) {
    long max = 0;
    if (t instanceof StructType st) {
      for (StructField f : st.fields()) {
        FieldMetadata md = f.getMetadata();
        if (md != null && md.contains(COLUMN_ID)) {
          max = Math.max(max, ((Number) md.get(COLUMN_ID)).longValue());
        }
        max = Math.max(max, maxId(f.getDataType()));
      }
    } else if (t instanceof ArrayType at) {
      max = maxId(at.getElementType());
    } else if (t instanceof MapType mt) {
      max = Math.max(maxId(mt.getKeyType()), maxId(mt.getValueType()));
    }
    return max;
  }

  private static StructField assign(StructField f, long[] next) {
    FieldMetadata.Builder md = FieldMetadata.builder().fromMetadata(f.getMetadata());
    md.putLong(COLUMN_ID, ++next[0]);
    md.putString(PHYSICAL_NAME, "col-" + UUID.randomUUID());
    return new StructField(f.getName(), assignNested(f.getDataType(), next), f.isNullable(), md.build());
  }

  private static io.delta.kernel.types.DataType assignNested(io.delta.kernel.types.DataType t, long[] next) {
    if (t instanceof StructType st) {
      List<StructField> out = new ArrayList<>();
      for (StructField f : st.fields()) {
        out.add(assign(f, next));
      }
      return new StructType(out);
    } else if (t instanceof ArrayType at) {
      return new ArrayType(assignNested(at.getElementType(), next), at.containsNull());
    } else if (t instanceof MapType mt) {
      return new MapType(assignNested(mt.getKeyType(), next), assignNested(mt.getValueType(), next),
          mt.isValueContainsNull());
    }
    return t;
  }

  static final String PARQUET_FIELD_ID = "parquet.field.id";

  /**
   * The field of the data-file schema for a physical table field: only Parquet field ids are kept as
   * metadata (in mode {@code id}, from each field's column-mapping id, nested fields included); any
   * other metadata is not for the Parquet writer.
   */
  static StructField dataField(StructField physical, Map<String, String> properties) {
    boolean ids = "id".equalsIgnoreCase(properties.getOrDefault("delta.columnMapping.mode", "none"));
    return dataField(physical, ids);
  }

  private static StructField dataField(StructField f, boolean ids) {
    FieldMetadata md = f.getMetadata();
    FieldMetadata.Builder out = FieldMetadata.builder();
    if (ids && md != null) {
      if (md.contains(PARQUET_FIELD_ID)) {
        out.putLong(PARQUET_FIELD_ID, ((Number) md.get(PARQUET_FIELD_ID)).longValue());
      } else if (md.contains(COLUMN_ID)) {
        out.putLong(PARQUET_FIELD_ID, ((Number) md.get(COLUMN_ID)).longValue());
      }
    }
    return new StructField(f.getName(), dataType(f.getDataType(), ids), f.isNullable(), out.build());
  }

  private static io.delta.kernel.types.DataType dataType(io.delta.kernel.types.DataType t, boolean ids) {
    if (t instanceof StructType st) {
      List<StructField> out = new ArrayList<>();
      for (StructField f : st.fields()) {
        out.add(dataField(f, ids));
      }
      return new StructType(out);
    } else if (t instanceof ArrayType at) {
      return new ArrayType(dataType(at.getElementType(), ids), at.containsNull());
    } else if (t instanceof MapType mt) {
      return new MapType(dataType(mt.getKeyType(), ids), dataType(mt.getValueType(), ids), mt.isValueContainsNull());
    }
    return t;
  }

  /**
   * The writer features the SDK's write path implements or enforces (some with checks elsewhere:
   * append-only, CHECK constraints present, change data feed on upsert, Iceberg compatibility, and
   * Kernel's own checks, e.g. for invariants).
   */
  static final Set<String> WRITER_FEATURES = Set.of("appendOnly", "invariants", "checkConstraints", "changeDataFeed",
      "columnMapping", "deletionVectors", "timestampNtz", "typeWidening", "typeWidening-preview", "domainMetadata",
      "inCommitTimestamp", "vacuumProtocolCheck", "clustering", "v2Checkpoint", "rowTracking", "icebergCompatV1",
      "icebergCompatV2", "icebergCompatV3");

  /** Operations that add files without rewriting any row. */
  private static final Set<String> NO_REWRITE = Set.of("APPEND", "ADD COLUMNS", "SET PROPERTIES");

  /**
   * Refuses a write to a table with a writer feature the SDK does not implement, or an operation that
   * would break row tracking.
   *
   * @throws UnsupportedTableFeatureException naming the table, operation and feature; nothing is changed
   */
  static void checkWriterFeatures(Set<String> features, StructType schema, String op, String table) {
    List<String> unknown = new ArrayList<>();
    for (String f : features) {
      // legacy protocols (writer version 4 to 6) imply these; they matter only when a column uses them
      boolean unused = (f.equals("generatedColumns") && !usesMetadata(schema, "delta.generationExpression"))
          || (f.equals("identityColumns") && !usesMetadata(schema, "delta.identity.start"));
      if (!WRITER_FEATURES.contains(f) && !unused) {
        unknown.add(f);
      }
    }
    if (!unknown.isEmpty()) {
      throw Errors.unknownWriterFeature(op, table, unknown);
    }
    if (features.contains("rowTracking") && !NO_REWRITE.contains(op)) {
      throw Errors.rowTrackingRewrite(op, table);
    }
  }

  private static boolean usesMetadata(io.delta.kernel.types.DataType t, String key) {
    if (t instanceof StructType st) {
      for (StructField f : st.fields()) {
        if ((f.getMetadata() != null && f.getMetadata().contains(key)) || usesMetadata(f.getDataType(), key)) {
          return true;
        }
      }
    } else if (t instanceof ArrayType at) {
      return usesMetadata(at.getElementType(), key);
    } else if (t instanceof MapType mt) {
      return usesMetadata(mt.getKeyType(), key) || usesMetadata(mt.getValueType(), key);
    }
    return false;
  }

  /** False when the SDK must not write checkpoints of the table (v2 checkpoints, which it does not write). */
  static boolean mayCheckpoint(Set<String> features) {
    return !features.contains("v2Checkpoint");
  }

  private static Column limit(Column col, boolean isChar, int limit, String table) {
    String[] changed = null;
    for (int r = 0; r < col.size(); r++) {
      String v = col.getString(r);
      if (v == null) {
        continue;
      }
      int chars = v.codePointCount(0, v.length());
      String w = v;
      if (chars > limit) {
        int cut = v.offsetByCodePoints(0, limit);
        if (!v.substring(cut).chars().allMatch(ch -> ch == ' ')) {
          throw Errors.valueTooLong(dev.mlops.core.internal.Values.quote(v), r, col.name(), chars, isChar, limit,
              table);
        }
        w = v.substring(0, cut);
        chars = limit;
      }
      if (isChar && chars < limit) {
        w = w + " ".repeat(limit - chars);
      }
      if (!w.equals(v)) {
        if (changed == null) {
          changed = col.toStringArray();
        }
        changed[r] = w;
      }
    }
    return changed == null ? col : Column.ofStrings(col.name(), changed);
  }
}
