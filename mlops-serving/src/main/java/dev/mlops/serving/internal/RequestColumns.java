package dev.mlops.serving.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.Column;
import dev.mlops.core.DataType;
import dev.mlops.core.Frame;
import dev.mlops.serving.ScoringException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A request's columns before typing: raw JSON values or CSV text by column name. {@link #toFrame} types
 * them by the model's inputs as MLflow's signature enforcement does: a missing required column is an
 * error naming it, extra columns are ignored, only lossless conversions are made (a JSON integer into
 * an int, long or double column; any JSON number into a double column), and a null in a column the
 * model never saw nulls in is an error.
 */
public final class RequestColumns {
  private final Map<String, Object[]> columns;
  private final int rows;

  private RequestColumns(Map<String, Object[]> columns, int rows) {
    this.columns = columns;
    this.rows = rows;
  }

  /** Rows in the request. */
  public int rows() {
    return rows;
  }

  /** Column names in the request. */
  public List<String> names() {
    return new ArrayList<>(columns.keySet());
  }

  // ------------------------------------------------------------------ JSON

  /** The format keys MLflow accepts, exactly one per request. */
  public static final List<String> FORMATS = List.of("dataframe_split", "dataframe_records", "instances", "inputs");

  /** Reads the one format key of a JSON request body. */
  public static RequestColumns fromJson(JsonNode body) {
    if (!body.isObject()) {
      throw bad("The request body is a JSON " + body.getNodeType().name().toLowerCase(Locale.ROOT) + "; it must be an"
          + " object with exactly one of the input fields " + FORMATS + ", e.g. {\"dataframe_records\": [{\"x\": 1}]}.");
    }
    List<String> present = new ArrayList<>();
    for (String f : FORMATS) {
      if (body.has(f)) {
        present.add(f);
      }
    }
    if (present.size() != 1) {
      throw bad("The request body must hold exactly one of the input fields " + FORMATS + "; it has "
          + (present.isEmpty() ? "none (fields: " + fieldNames(body) + ")" : present) + ".");
    }
    String f = present.get(0);
    JsonNode v = body.get(f);
    switch (f) {
      case "dataframe_split":
        return split(v);
      case "dataframe_records":
        return records(v, f);
      default: // instances, inputs: row objects or columns of values
        if (v.isObject()) {
          return columnar(v, f);
        }
        return records(v, f);
    }
  }

  private static List<String> fieldNames(JsonNode o) {
    List<String> out = new ArrayList<>();
    o.fieldNames().forEachRemaining(out::add);
    return out;
  }

  private static RequestColumns split(JsonNode v) {
    if (!v.isObject() || !v.path("columns").isArray() || !v.path("data").isArray()) {
      throw bad("dataframe_split must be an object {\"columns\": [names], \"data\": [[row values]]}; got " + abbreviate(v) + ".");
    }
    List<String> names = new ArrayList<>();
    for (JsonNode c : v.get("columns")) {
      if (!c.isTextual()) {
        throw bad("dataframe_split.columns must hold column names (strings); found " + c + ".");
      }
      if (names.contains(c.asText())) {
        throw bad("dataframe_split.columns names '" + c.asText() + "' twice.");
      }
      names.add(c.asText());
    }
    JsonNode data = v.get("data");
    int n = data.size();
    Map<String, Object[]> cols = new LinkedHashMap<>();
    for (String name : names) {
      cols.put(name, new Object[n]);
    }
    for (int r = 0; r < n; r++) {
      JsonNode row = data.get(r);
      if (!row.isArray() || row.size() != names.size()) {
        throw bad("dataframe_split.data row " + r + " must be an array of " + names.size() + " values (one per column "
            + names + "); got " + abbreviate(row) + ".");
      }
      for (int c = 0; c < names.size(); c++) {
        cols.get(names.get(c))[r] = row.get(c);
      }
    }
    return new RequestColumns(cols, n);
  }

  private static RequestColumns records(JsonNode v, String field) {
    if (!v.isArray()) {
      throw bad(field + " must be a list of row objects, e.g. [{\"x\": 1}]; got " + abbreviate(v) + ".");
    }
    int n = v.size();
    Map<String, Object[]> cols = new LinkedHashMap<>();
    for (int r = 0; r < n; r++) {
      JsonNode row = v.get(r);
      if (!row.isObject()) {
        throw bad(field + " row " + r + " is " + abbreviate(row) + "; each row must be an object naming the model's"
            + " columns, e.g. {\"x\": 1}.");
      }
      Iterator<Map.Entry<String, JsonNode>> it = row.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        cols.computeIfAbsent(e.getKey(), k -> new Object[n])[r] = e.getValue();
      }
    }
    return new RequestColumns(cols, n);
  }

  private static RequestColumns columnar(JsonNode v, String field) {
    Map<String, Object[]> cols = new LinkedHashMap<>();
    int n = -1;
    Iterator<Map.Entry<String, JsonNode>> it = v.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode vals = e.getValue();
      Object[] arr;
      if (vals.isArray()) {
        arr = new Object[vals.size()];
        for (int i = 0; i < arr.length; i++) {
          arr[i] = vals.get(i);
        }
      } else {
        arr = new Object[] {vals}; // a scalar is one row
      }
      if (n >= 0 && arr.length != n) {
        throw bad(field + " columns differ in length: '" + e.getKey() + "' has " + arr.length + " values, earlier"
            + " columns " + n + ".");
      }
      n = arr.length;
      cols.put(e.getKey(), arr);
    }
    return new RequestColumns(cols, Math.max(n, 0));
  }

  // ------------------------------------------------------------------ CSV

  /** Reads CSV text with a header row (RFC 4180 quoting; an empty field is a null). */
  public static RequestColumns fromCsv(String text) {
    List<List<String>> lines = Csv.parse(text);
    if (lines.isEmpty()) {
      throw bad("The CSV body is empty; send a header row with the column names, then one line per row.");
    }
    List<String> header = lines.get(0);
    Map<String, Object[]> cols = new LinkedHashMap<>();
    int n = lines.size() - 1;
    for (String h : header) {
      if (cols.put(h, new Object[n]) != null) {
        throw bad("The CSV header names column '" + h + "' twice.");
      }
    }
    for (int r = 0; r < n; r++) {
      List<String> line = lines.get(r + 1);
      if (line.size() != header.size()) {
        throw bad("CSV line " + (r + 2) + " has " + line.size() + " fields but the header has " + header.size() + " "
            + header + ".");
      }
      for (int c = 0; c < header.size(); c++) {
        String s = line.get(c);
        cols.get(header.get(c))[r] = s == null || s.isEmpty() ? null : s;
      }
    }
    return new RequestColumns(cols, n);
  }

  // ------------------------------------------------------------------ typing

  /** Types the columns the model takes. */
  public Frame toFrame(List<ServedModel.InputField> inputs) {
    if (rows == 0) {
      throw bad("The request holds no rows. Send at least one row.");
    }
    List<String> problems = new ArrayList<>();
    List<Column> out = new ArrayList<>();
    for (ServedModel.InputField f : inputs) {
      Object[] raw = columns.get(f.name());
      if (raw == null) {
        if (f.required()) {
          problems.add("missing column '" + f.name() + "' (" + typeName(f.type()) + ")");
        }
        continue;
      }
      if (!f.required()) {
        int given = 0;
        for (Object v : raw) {
          given += v == null || (v instanceof JsonNode && ((JsonNode) v).isNull()) ? 0 : 1;
        }
        if (given == 0) {
          continue; // an optional (looked-up) feature sent as all nulls is absent: the lookup fills it
        }
        if (given < rows) {
          problems.add("column '" + f.name() + "' is given for " + given + " of " + rows + " rows; it overrides the"
              + " looked-up feature, so give it for every row or for none");
          continue;
        }
      }
      List<Object> vals = new ArrayList<>(rows);
      String problem = null;
      for (int r = 0; r < rows && problem == null; r++) {
        Object v = raw[r];
        if (v == null || (v instanceof JsonNode && ((JsonNode) v).isNull())) {
          if (!f.nullable()) {
            problem = "column '" + f.name() + "' has a null at row " + r + " but the model's signature does not allow"
                + " nulls in it (the training data had none); send a value";
          }
          vals.add(null);
          continue;
        }
        Object typed = v instanceof JsonNode ? fromJson((JsonNode) v, f.type()) : fromText((String) v, f.type());
        if (typed == null) {
          problem = "column '" + f.name() + "' is " + typeName(f.type()) + " but row " + r + " holds "
              + abbreviate(v) + " (only lossless conversions are made: an integer into an integer column it fits or a"
              + " double column, any number into a double column)";
        }
        vals.add(typed);
      }
      if (problem != null) {
        problems.add(problem);
        continue;
      }
      out.add(Column.of(f.name(), f.type(), vals));
    }
    if (!problems.isEmpty()) {
      List<String> expected = new ArrayList<>();
      for (ServedModel.InputField f : inputs) {
        expected.add(f.name() + " " + typeName(f.type()) + (f.required() ? "" : " (optional)"));
      }
      throw bad("The request does not fit the model's signature: " + String.join("; ", problems) + ". The model takes "
          + expected + "; the request has " + names() + ".");
    }
    return Frame.of(out);
  }

  private static String typeName(DataType t) {
    return t.name().toLowerCase(Locale.ROOT);
  }

  /** A JSON value as the column type takes it, or null when it does not fit (lossless conversions only). */
  static Object fromJson(JsonNode v, DataType t) {
    switch (t) {
      case LONG:
        return v.isIntegralNumber() && v.canConvertToLong() ? (Object) v.longValue() : null;
      case INT:
        return v.isIntegralNumber() && v.canConvertToInt() ? (Object) v.intValue() : null;
      case SHORT:
        return v.isIntegralNumber() && v.canConvertToInt() && v.intValue() == (short) v.intValue()
            ? (Object) (short) v.intValue() : null;
      case BYTE:
        return v.isIntegralNumber() && v.canConvertToInt() && v.intValue() == (byte) v.intValue()
            ? (Object) (byte) v.intValue() : null;
      case DOUBLE:
        return v.isNumber() ? (Object) v.doubleValue() : null;
      case FLOAT:
        return v.isNumber() ? exactFloat(v.doubleValue()) : null;
      case BOOLEAN:
        return v.isBoolean() ? (Object) v.booleanValue() : null;
      case STRING:
        return v.isTextual() ? v.textValue() : null;
      default:
        return v.isTextual() ? fromText(v.textValue(), t) : null;
    }
  }

  private static Object fromText(String s, DataType t) {
    try {
      switch (t) {
        case LONG:
          return Long.parseLong(s.trim());
        case INT:
          return Integer.parseInt(s.trim());
        case SHORT:
          return Short.parseShort(s.trim());
        case BYTE:
          return Byte.parseByte(s.trim());
        case DOUBLE:
          return Double.parseDouble(s.trim());
        case FLOAT:
          return exactFloat(Double.parseDouble(s.trim()));
        case TIMESTAMP_NTZ:
          return LocalDateTime.parse(s.trim().replace(' ', 'T'));
        case BOOLEAN: {
          String b = s.trim().toLowerCase(Locale.ROOT);
          return b.equals("true") ? Boolean.TRUE : b.equals("false") ? Boolean.FALSE : null;
        }
        case STRING:
          return s;
        case TIMESTAMP:
          return instant(s.trim());
        case DATE:
          return LocalDate.parse(s.trim());
        default:
          return null;
      }
    } catch (NumberFormatException | DateTimeParseException e) {
      return null;
    }
  }

  /** A float only when the number is one (no rounding: a lossless conversion or none). */
  static Object exactFloat(double d) {
    float f = (float) d;
    return (double) f == d || Double.isNaN(d) ? (Object) f : null;
  }

  private static Instant instant(String s) {
    try {
      return OffsetDateTime.parse(s).toInstant();
    } catch (DateTimeParseException e) {
      return LocalDateTime.parse(s.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
    }
  }

  static String abbreviate(Object v) {
    String s = v instanceof String ? "'" + v + "'" : String.valueOf(v);
    return s.length() > 80 ? s.substring(0, 77) + "..." : s;
  }

  private static ScoringException bad(String message) {
    return ScoringException.badRequest(message);
  }

  @Override
  public String toString() {
    return "RequestColumns" + Arrays.toString(columns.keySet().toArray()) + " x " + rows;
  }
}
