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
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** RFC 4180 CSV reading (with type inference) and writing for {@link Frame}. */
public final class Csv {
  private Csv() {}

  /** One record of the file: its fields (none for a blank line) and the line it starts on. */
  private record Rec(List<String> fields, int line) {}

  /**
   * Reads a CSV file; schema null means infer. An unquoted empty field is a null, a quoted empty
   * field ({@code ""}) an empty string in a STRING column. Blank lines are skipped, except in a
   * one-column file, where a blank line is a null (that is how {@link #write} writes one).
   */
  public static Frame read(Path path, Schema schema) {
    List<Rec> recs;
    try (BufferedReader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      recs = parse(r, path);
    } catch (CharacterCodingException e) {
      throw new StorageException("Cannot read CSV file " + path + ": it is not UTF-8 text. Save it"
          + " as UTF-8.", e);
    } catch (IOException e) {
      throw new StorageException("Cannot read CSV file " + path + ": " + e, e);
    }
    int h = 0;
    while (h < recs.size() && recs.get(h).fields().isEmpty()) {
      h++;
    }
    if (h == recs.size()) {
      throw new MlopsException("CSV file " + path + " is empty: it needs a header line naming the columns.");
    }
    List<String> header = new ArrayList<>();
    for (String name : recs.get(h).fields()) {
      header.add(name == null ? "" : name.trim());
    }
    int nc = header.size();
    for (int c = 0; c < nc; c++) {
      if (header.get(c).isEmpty()) {
        throw new SchemaMismatchException("CSV file " + path + " has no name for column " + (c + 1)
            + " in its header (line " + recs.get(h).line() + "): name every column.");
      }
    }
    List<Rec> data = new ArrayList<>(recs.size() - h - 1);
    for (int i = h + 1; i < recs.size(); i++) {
      Rec rec = recs.get(i);
      if (rec.fields().isEmpty()) {
        if (nc == 1) {
          data.add(new Rec(Collections.singletonList(null), rec.line()));
        }
        continue;
      }
      if (rec.fields().size() != nc) {
        throw new SchemaMismatchException("CSV file " + path + " line " + rec.line() + " has "
            + rec.fields().size() + " fields but the header has " + nc
            + ": quote fields that contain commas.");
      }
      data.add(rec);
    }
    if (schema != null && !schema.names().equals(header)) {
      throw new SchemaMismatchException("CSV file " + path + " has columns " + header
          + " but the schema given has " + schema.names() + ": make them match (same names, same order).");
    }
    String file = String.valueOf(path.getFileName());
    List<Column> cols = new ArrayList<>(nc);
    for (int c = 0; c < nc; c++) {
      String name = header.get(c);
      DataType t = schema != null ? schema.get(c).type() : infer(data, c);
      List<Object> vals = new ArrayList<>(data.size());
      for (int r = 0; r < data.size(); r++) {
        String where = "row " + r + " (line " + data.get(r).line() + " of " + file + ")";
        vals.add(Values.parse(data.get(r).fields().get(c), t, name, where));
      }
      cols.add(Column.of(name, t, vals));
    }
    return Frame.of(cols);
  }

  private static DataType infer(List<Rec> data, int c) {
    boolean isLong = true;
    boolean isDouble = true;
    boolean isBool = true;
    boolean isDate = true;
    boolean isTs = true;
    boolean any = false;
    for (Rec rec : data) {
      String f = rec.fields().get(c);
      String s = f == null ? "" : f.trim();
      if (s.isEmpty()) {
        continue;
      }
      any = true;
      if (isLong) {
        try {
          isLong = Values.isIntegerText(s);
          Long.parseLong(s);
        } catch (NumberFormatException e) {
          isLong = false;
        }
      }
      isDouble &= Values.isDecimalText(s);
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
      if (!isLong && !isDouble && !isBool && !isDate && !isTs) {
        break;
      }
    }
    if (!any) {
      return DataType.STRING;
    }
    return isLong ? DataType.LONG : isDouble ? DataType.DOUBLE : isBool ? DataType.BOOLEAN
        : isDate ? DataType.DATE : isTs ? DataType.TIMESTAMP : DataType.STRING;
  }

  private static List<Rec> parse(BufferedReader r, Path path) throws IOException {
    List<Rec> out = new ArrayList<>();
    List<String> rec = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean inQuotes = false;
    boolean quoted = false; // the current field was quoted
    boolean started = false; // the current record has content
    int line = 1;
    int recLine = 1;
    int quoteLine = 1;
    r.mark(1);
    if (r.read() != '\uFEFF') { // a byte order mark, as Excel writes, is not part of the first name
      r.reset();
    }
    int ch;
    while ((ch = r.read()) != -1) {
      char c = (char) ch;
      if (inQuotes) {
        if (c == '"') {
          r.mark(1);
          int next = r.read();
          if (next == '"') {
            field.append('"');
          } else {
            inQuotes = false;
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
      } else if (c == '"' && field.length() == 0 && !quoted) {
        inQuotes = true;
        quoted = true;
        started = true;
        quoteLine = line;
      } else if (c == ',') {
        rec.add(value(field, quoted));
        field.setLength(0);
        quoted = false;
        started = true;
      } else if (c == '\n' || c == '\r') {
        if (c == '\r') {
          r.mark(1);
          if (r.read() != '\n') {
            r.reset();
          }
        }
        if (started) {
          rec.add(value(field, quoted));
          out.add(new Rec(rec, recLine));
        } else {
          out.add(new Rec(List.of(), recLine));
        }
        line++;
        recLine = line;
        rec = new ArrayList<>();
        field.setLength(0);
        quoted = false;
        started = false;
      } else {
        field.append(c);
        started = true;
      }
    }
    if (inQuotes) {
      throw new MlopsException("CSV file " + path + " ends inside a quoted field opened on line "
          + quoteLine + ": close the quote (write a quote inside a quoted field as \"\").");
    }
    if (started) {
      rec.add(value(field, quoted));
      out.add(new Rec(rec, recLine));
    }
    return out;
  }

  /** Unquoted empty text is a null; quoted empty text ("") an empty string. */
  private static String value(StringBuilder field, boolean quoted) {
    return field.length() == 0 && !quoted ? null : field.toString();
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
      throw new StorageException("Cannot write CSV file " + path + ": " + e, e);
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
