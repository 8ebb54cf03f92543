package dev.mlops.core.internal;

import dev.mlops.core.Column;
import dev.mlops.core.DataType;
import dev.mlops.core.Frame;
import dev.mlops.core.MlopsException;
import dev.mlops.core.Schema;
import dev.mlops.core.SchemaMismatchException;
import dev.mlops.core.StorageException;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** RFC 4180 CSV reading (with type inference) and writing for {@link Frame}. */
public final class Csv {
  private Csv() {}

  /** Reads a CSV file; schema null means infer. */
  public static Frame read(Path path, Schema schema) {
    List<List<String>> records;
    try (BufferedReader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      records = parse(r, path);
    } catch (IOException e) {
      throw new StorageException("Cannot read CSV file " + path + ": " + e.getMessage(), e);
    }
    if (records.isEmpty()) {
      throw new MlopsException("CSV file " + path + " is empty: it needs a header line naming the columns.");
    }
    List<String> header = records.get(0);
    int nc = header.size();
    for (int i = 1; i < records.size(); i++) {
      if (records.get(i).size() != nc) {
        throw new SchemaMismatchException("CSV file " + path + " line " + (i + 1) + " has "
            + records.get(i).size() + " fields but the header has " + nc + ": quote fields that contain commas.");
      }
    }
    if (schema != null && !schema.names().equals(header)) {
      throw new SchemaMismatchException("CSV file " + path + " has columns " + header
          + " but the schema given has " + schema.names() + ": make them match (same names, same order).");
    }
    List<Column> cols = new ArrayList<>(nc);
    for (int c = 0; c < nc; c++) {
      String name = header.get(c).trim();
      DataType t = schema != null ? schema.get(c).type() : infer(records, c);
      List<Object> vals = new ArrayList<>(records.size() - 1);
      for (int r = 1; r < records.size(); r++) {
        vals.add(Values.parse(records.get(r).get(c), t, name, r + 1));
      }
      cols.add(Column.of(name, t, vals));
    }
    return Frame.of(cols);
  }

  private static DataType infer(List<List<String>> records, int c) {
    boolean isLong = true;
    boolean isDouble = true;
    boolean isBool = true;
    boolean isDate = true;
    boolean isTs = true;
    boolean any = false;
    for (int r = 1; r < records.size(); r++) {
      String s = records.get(r).get(c).trim();
      if (s.isEmpty()) {
        continue;
      }
      any = true;
      if (isLong) {
        try {
          Long.parseLong(s);
        } catch (NumberFormatException e) {
          isLong = false;
        }
      }
      if (isDouble) {
        try {
          Double.parseDouble(s);
        } catch (NumberFormatException e) {
          isDouble = false;
        }
      }
      isBool &= s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false");
      if (isDate) {
        try {
          LocalDate.parse(s);
        } catch (RuntimeException e) {
          isDate = false;
        }
      }
      if (isTs) {
        try {
          Values.parseTimestamp(s);
        } catch (RuntimeException e) {
          isTs = false;
        }
      }
    }
    if (!any) {
      return DataType.STRING;
    }
    return isLong ? DataType.LONG : isDouble ? DataType.DOUBLE : isBool ? DataType.BOOLEAN
        : isDate ? DataType.DATE : isTs ? DataType.TIMESTAMP : DataType.STRING;
  }

  private static List<List<String>> parse(BufferedReader r, Path path) throws IOException {
    List<List<String>> out = new ArrayList<>();
    List<String> rec = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    boolean fieldStarted = false;
    int line = 1;
    int ch;
    while ((ch = r.read()) != -1) {
      char c = (char) ch;
      if (quoted) {
        if (c == '"') {
          r.mark(1);
          int next = r.read();
          if (next == '"') {
            field.append('"');
          } else {
            quoted = false;
            if (next != -1) {
              r.reset();
            }
          }
        } else {
          if (c == '\n') {
            line++;
          }
          field.append(c);
        }
      } else if (c == '"' && field.length() == 0) {
        quoted = true;
        fieldStarted = true;
      } else if (c == ',') {
        rec.add(field.toString());
        field.setLength(0);
        fieldStarted = true;
      } else if (c == '\n' || c == '\r') {
        if (c == '\r') {
          r.mark(1);
          if (r.read() != '\n') {
            r.reset();
          }
        }
        line++;
        if (fieldStarted || field.length() > 0 || !rec.isEmpty()) {
          rec.add(field.toString());
          out.add(rec);
        }
        rec = new ArrayList<>();
        field.setLength(0);
        fieldStarted = false;
      } else {
        field.append(c);
        fieldStarted = true;
      }
    }
    if (quoted) {
      throw new MlopsException("CSV file " + path + " ends inside a quoted field (opened before line "
          + line + "): close the quote.");
    }
    if (fieldStarted || field.length() > 0 || !rec.isEmpty()) {
      rec.add(field.toString());
      out.add(rec);
    }
    return out;
  }

  /** Writes a frame as CSV with a header. */
  public static void write(Frame f, Path path) {
    try (BufferedWriter w = Files.newBufferedWriter(path, StandardCharsets.UTF_8)) {
      List<String> names = f.schema().names();
      for (int c = 0; c < names.size(); c++) {
        w.write((c > 0 ? "," : "") + escape(names.get(c)));
      }
      w.write('\n');
      for (int r = 0; r < f.rowCount(); r++) {
        for (int c = 0; c < f.columnCount(); c++) {
          if (c > 0) {
            w.write(',');
          }
          Object v = f.column(c).get(r);
          if (v != null) {
            w.write(escape(String.valueOf(v)));
          }
        }
        w.write('\n');
      }
    } catch (IOException e) {
      throw new StorageException("Cannot write CSV file " + path, e);
    }
  }

  private static String escape(String s) {
    if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0
        || s.isEmpty()) {
      return '"' + s.replace("\"", "\"\"") + '"';
    }
    return s;
  }

}
