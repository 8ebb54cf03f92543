package dev.mlops.core.internal.delta;

import dev.mlops.core.Column;
import dev.mlops.core.DataType;
import dev.mlops.core.Frame;
import dev.mlops.core.SchemaMismatchException;
import io.delta.kernel.types.FieldMetadata;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
          throw new SchemaMismatchException("Value " + dev.mlops.core.internal.Values.quote(v) + " at row " + r
              + " of column '" + col.name() + "' has " + chars + " characters, more than the column's type "
              + (isChar ? "CHAR(" : "VARCHAR(") + limit + ") of table " + table + " allows (Spark refuses it too)."
              + " Nothing was written. Shorten the value or widen the column's type.");
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
