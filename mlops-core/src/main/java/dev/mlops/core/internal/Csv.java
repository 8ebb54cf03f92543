package dev.mlops.core.internal;

import dev.mlops.core.Column;
import dev.mlops.core.ColumnNotFoundException;
import dev.mlops.core.ColumnType;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Filter;
import dev.mlops.core.Frame;
import dev.mlops.core.FrameStream;
import dev.mlops.core.MlopsException;
import dev.mlops.core.Schema;
import dev.mlops.core.SchemaMismatchException;
import dev.mlops.core.StorageException;
import dev.mlops.core.internal.delta.FilterEval;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * RFC 4180 CSV, streamed: records are tokenized from a buffered reader, the column types are inferred
 * from a sample of the first records (or given, in full or per column), and rows are parsed straight
 * into primitive arrays, one batch at a time, so a file of any size reads in bounded memory.
 *
 * <p>Rules: an unquoted empty field, or an unquoted field equal to a null token, is null; a quoted
 * empty field ({@code ""}) is an empty string in a STRING column. Blank lines are skipped, except in
 * a one-column file, where a blank line is a null (that is how {@link #write} writes one). A byte
 * order mark is ignored; header names are trimmed. Timestamps without an offset are in the given
 * zone (UTC unless set). Errors name the file, line and column.
 *
 * <p>Text of each type, read and written alike: integers (LONG, INT, SHORT, BYTE) as digits with an
 * optional sign, in the type's range; DOUBLE and FLOAT as decimal literals ({@code -1.5e3}, {@code NaN},
 * {@code Infinity}; a FLOAT literal beyond its range is refused, not made infinite); DECIMAL(p,s) as a
 * plain decimal with at most s digits after the point and p-s before (written with exactly s);
 * BINARY as <b>base64</b> (RFC 4648, with padding; the empty value as a quoted empty field) — base64
 * rather than hex because it is what the SDK's JSON and most tools use for bytes, and it is a third
 * shorter; TIMESTAMP as an ISO-8601 instant; TIMESTAMP_NTZ as an ISO-8601 local date-time
 * ({@code 2024-01-31T12:00:00.5}, a space for the T is fine; a value with an offset is refused, since it
 * is not a wall-clock time); DATE as {@code yyyy-MM-dd}. Inference never picks DECIMAL, FLOAT, SHORT,
 * BYTE, BINARY or TIMESTAMP_NTZ: give them in the schema. STRUCT, ARRAY and MAP columns have no CSV text:
 * reading or writing one is a {@link SchemaMismatchException} naming the column.
 */
public final class Csv {
  private static final ColumnAccess.Access COLUMNS = ColumnAccess.obtain();

  private Csv() {}

  /**
   * How to read a file.
   *
   * @param header whether the first record names the columns
   * @param names column names when there is no header (empty: c1, c2, ...)
   * @param delimiter field separator
   * @param quote quote character
   * @param nullTokens unquoted texts read as null (the empty field always is)
   * @param types per-column type overrides (the rest inferred)
   * @param schema every column's name and type (no inference), or null
   * @param sampleRows records used to infer types
   * @param zone zone of timestamps written without an offset
   */
  public record Options(boolean header, List<String> names, char delimiter, char quote, Set<String> nullTokens,
      Map<String, DataType> types, Schema schema, int sampleRows, ZoneId zone) {
    /** Copies collections. */
    public Options {
      names = List.copyOf(names);
      nullTokens = Set.copyOf(nullTokens);
      types = Map.copyOf(types);
    }

    /** The defaults: header, comma, double quote, no null tokens, 10,000 sample rows, UTC. */
    public static Options defaults() {
      return new Options(true, List.of(), ',', '"', Set.of(), Map.of(), null, 10_000, ZoneOffset.UTC);
    }
  }

  /** Reads a whole CSV file; schema null means infer. */
  public static Frame read(Path path, Schema schema) {
    Options o = Options.defaults();
    o = new Options(o.header(), o.names(), o.delimiter(), o.quote(), o.nullTokens(), o.types(), schema,
        Integer.MAX_VALUE, o.zone());
    try (FrameStream s = open(path, o, List.of(), null, Integer.MAX_VALUE)) {
      return s.collect();
    }
  }

  /** The columns a file would give (reads the header and the type sample only). */
  public static Schema schema(Path path, Options o, List<String> columns) {
    try (Reading r = new Reading(path, o, columns, null, 1)) {
      return r.outSchema;
    }
  }

  /** Streams a file's rows in batches of at most batchRows. */
  public static FrameStream open(Path path, Options o, List<String> columns, Filter filter, int batchRows) {
    return new Reading(path, o, columns, filter, batchRows);
  }

  // ------------------------------------------------------------------ tokenizer

  /** One record: fields (null = unquoted empty), whether each was quoted, the line it starts on. */
  static final class Rec {
    String[] f = new String[16];
    boolean[] q = new boolean[16];
    int n;
    long line;

    void add(String v, boolean quoted) {
      if (n == f.length) {
        f = Arrays.copyOf(f, n * 2);
        q = Arrays.copyOf(q, n * 2);
      }
      f[n] = v;
      q[n] = quoted;
      n++;
    }

    Rec copy() {
      Rec r = new Rec();
      r.f = Arrays.copyOf(f, n);
      r.q = Arrays.copyOf(q, n);
      r.n = n;
      r.line = line;
      return r;
    }
  }

  /** Splits characters into records; quotes may hold delimiters, quotes ("") and line breaks. */
  static final class Tokenizer {
    private final Reader in;
    private final Path path;
    private final char delim;
    private final char quote;
    private final char[] buf = new char[1 << 16];
    private int pos;
    private int len;
    private long line = 1;
    private final StringBuilder field = new StringBuilder();

    Tokenizer(Reader in, Path path, char delim, char quote) {
      this.in = in;
      this.path = path;
      this.delim = delim;
      this.quote = quote;
    }

    private int read() throws IOException {
      if (pos == len) {
        len = in.read(buf, 0, buf.length);
        pos = 0;
        if (len <= 0) {
          len = 0;
          return -1;
        }
      }
      return buf[pos++];
    }

    private int peek() throws IOException {
      if (pos == len) {
        len = in.read(buf, 0, buf.length);
        pos = 0;
        if (len <= 0) {
          len = 0;
          return -1;
        }
      }
      return buf[pos];
    }

    void skipBom() throws IOException {
      if (peek() == '\uFEFF') {
        pos++;
      }
    }

    /** The next record into {@code r} (n = 0 for a blank line); false at the end of the file. */
    boolean next(Rec r) throws IOException {
      r.n = 0;
      r.line = line;
      field.setLength(0);
      boolean quoted = false;
      boolean started = false;
      int ch = read();
      if (ch == -1) {
        return false;
      }
      while (true) {
        if (ch == -1) {
          if (started) {
            r.add(value(quoted), quoted);
          }
          return true;
        }
        char c = (char) ch;
        if (c == quote && field.length() == 0 && !quoted) {
          quoted = true;
          started = true;
          long opened = line;
          while (true) {
            int d = read();
            if (d == -1) {
              throw Errors.csvFileEndsInside(path, opened);
            }
            if (d == quote) {
              if (peek() == quote) {
                pos++;
                field.append(quote);
              } else {
                break;
              }
            } else {
              if (d == '\n') {
                line++;
              }
              field.append((char) d);
            }
          }
        } else if (c == delim) {
          r.add(value(quoted), quoted);
          field.setLength(0);
          quoted = false;
          started = true;
        } else if (c == '\n' || c == '\r') {
          if (c == '\r' && peek() == '\n') {
            pos++;
          }
          line++;
          if (started) {
            r.add(value(quoted), quoted);
          }
          return true;
        } else {
          field.append(c);
          started = true;
        }
        ch = read();
      }
    }

    private String value(boolean quoted) {
      return field.length() == 0 && !quoted ? null : field.toString();
    }
  }

  // ------------------------------------------------------------------ reading

  private static final class Reading implements FrameStream {
    private final Path path;
    private final String file;
    private final Options o;
    private final Reader reader;
    private final Tokenizer tok;
    private final List<String> header;
    private final ColumnType[] types; // per file column
    private final int[] read; // file column of each read column
    private final Schema readSchema;
    final Schema outSchema;
    private final Filter filter;
    private final int batchRows;
    private final Deque<Rec> pending = new ArrayDeque<>();
    private final Rec scratch = new Rec();
    private long dataRow; // data rows handed to parsing so far (0-based), for messages
    private Frame ready;
    private boolean done;
    private boolean closed;

    Reading(Path path, Options o, List<String> columns, Filter filter, int batchRows) {
      this.path = path;
      this.file = String.valueOf(path.getFileName());
      this.o = o;
      this.filter = filter;
      this.batchRows = batchRows;
      try {
        reader = Files.newBufferedReader(path, StandardCharsets.UTF_8);
      } catch (NoSuchFileException e) {
        throw Errors.readCsvFileExist(path, e);
      } catch (IOException e) {
        throw Errors.cannotReadCsv(path, e);
      }
      try {
        tok = new Tokenizer(reader, path, o.delimiter(), o.quote());
        tok.skipBom();
        header = header();
        int nc = header.size();
        // the sample: read ahead, parsed again with the rest
        boolean inferring = o.schema() == null && !o.types().keySet().containsAll(header);
        int sample = inferring ? o.sampleRows() : 0;
        for (int i = 0; i < sample; i++) {
          Rec r = nextData();
          if (r == null) {
            break;
          }
          pending.add(r.copy());
        }
        types = new ColumnType[nc];
        for (int c = 0; c < nc; c++) {
          String name = header.get(c);
          types[c] = o.schema() != null ? o.schema().get(c).columnType()
              : o.types().containsKey(name) ? override(name, o.types().get(name)) : ColumnType.of(infer(c));
          if (types[c].kind().isNested()) {
            throw nested(name, types[c], "CSV file " + path);
          }
        }
        for (String t : o.types().keySet()) {
          if (!header.contains(t)) {
            throw Errors.csvFileNamedType(t, header, path);
          }
        }
        List<Field> all = new ArrayList<>();
        for (int c = 0; c < nc; c++) {
          all.add(Field.of(header.get(c), types[c]));
        }
        Schema allSchema = new Schema(all);
        List<String> want = columns.isEmpty() ? header : columns;
        for (String w : want) {
          if (!header.contains(w)) {
            throw Errors.columnNotInCsv(w, header, path);
          }
        }
        outSchema = allSchema.select(want);
        List<String> readNames = new ArrayList<>(want);
        if (filter != null) {
          FilterEval.validate(filter, allSchema, "CSV file " + path);
          for (String c : FilterEval.columns(filter)) {
            if (!readNames.contains(c)) {
              readNames.add(c);
            }
          }
        }
        readSchema = allSchema.select(readNames);
        read = new int[readNames.size()];
        for (int i = 0; i < read.length; i++) {
          read[i] = header.indexOf(readNames.get(i));
        }
      } catch (CharacterCodingException e) {
        closeQuietly();
        throw notUtf8(e);
      } catch (IOException e) {
        closeQuietly();
        throw Errors.cannotReadCsv(path, e);
      } catch (RuntimeException e) {
        closeQuietly();
        throw e;
      }
    }

    /** A per-column type override: DECIMAL needs its precision and scale, nested kinds have no CSV text. */
    private ColumnType override(String column, DataType t) {
      if (t == DataType.DECIMAL) {
        throw Errors.columnCsvFileRead(column, path);
      }
      if (t.isNested()) {
        throw nested(column, null, "CSV file " + path);
      }
      return ColumnType.of(t);
    }

    private StorageException notUtf8(CharacterCodingException e) {
      return Errors.readCsvFileNear(path, tok.line, e);
    }

    private List<String> header() throws IOException {
      if (!o.header()) {
        // the first data record tells the width
        Rec first = nextData();
        int nc = first == null ? o.names().size() : first.n;
        if (first != null) {
          pending.add(first.copy());
        }
        List<String> names = new ArrayList<>();
        if (o.schema() != null) {
          names.addAll(o.schema().names());
        } else if (!o.names().isEmpty()) {
          names.addAll(o.names());
        } else {
          for (int c = 1; c <= nc; c++) {
            names.add("c" + c);
          }
        }
        if (first != null && names.size() != nc) {
          throw Errors.csvFileLineFields(path, first.line, nc, names.size(), names);
        }
        return names;
      }
      Rec h = new Rec();
      do {
        if (!tok.next(h)) {
          throw Errors.csvFileEmptyNeeds(path);
        }
      } while (h.n == 0);
      List<String> names = new ArrayList<>();
      Set<String> seen = new HashSet<>();
      for (int c = 0; c < h.n; c++) {
        String name = h.f[c] == null ? "" : h.f[c].trim();
        if (name.isEmpty()) {
          throw Errors.csvFileNameColumn(path, (c + 1), h.line);
        }
        if (!seen.add(name)) {
          throw Errors.csvFileNamesColumn(path, name, h.line);
        }
        names.add(name);
      }
      if (o.schema() != null && !o.schema().names().equals(names)) {
        throw Errors.csvFileColumnsSchema(path, names, o.schema().names());
      }
      return names;
    }

    /** The next data record (blank lines skipped or read as a null row), or null at the end. */
    private Rec nextData() throws IOException {
      while (tok.next(scratch)) {
        if (scratch.n == 0) {
          if (header != null && header.size() == 1) {
            scratch.add(null, false);
            return scratch;
          }
          continue;
        }
        if (header != null && scratch.n != header.size()) {
          throw Errors.csvFieldCount(path, scratch.line, scratch.n, header.size(), o.delimiter());
        }
        return scratch;
      }
      return null;
    }

    private boolean isNull(Rec r, int c) {
      String v = r.f[c];
      return v == null || !r.q[c] && !o.nullTokens().isEmpty() && o.nullTokens().contains(v);
    }

    private DataType infer(int c) {
      boolean isLong = true;
      boolean isDouble = true;
      boolean isBool = true;
      boolean isDate = true;
      boolean isTs = true;
      boolean any = false;
      for (Rec rec : pending) {
        if (c >= rec.n || isNull(rec, c)) {
          continue;
        }
        String s = rec.f[c].trim();
        if (s.isEmpty()) {
          continue;
        }
        any = true;
        if (isLong) {
          isLong = Values.isIntegerText(s) && parsesAsLong(s);
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
            timestamp(s, o.zone());
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

    private static boolean parsesAsLong(String s) {
      try {
        Long.parseLong(s);
        return true;
      } catch (NumberFormatException e) {
        return false;
      }
    }

    @Override
    public Schema schema() {
      return outSchema;
    }

    @Override
    public boolean hasNext() {
      while (ready == null && !done) {
        Frame f = readBatch();
        if (f == null) {
          done = true;
          close();
        } else if (f.rowCount() > 0) {
          ready = f;
        }
      }
      return ready != null;
    }

    @Override
    public Frame next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Frame f = ready;
      ready = null;
      return f;
    }

    /** Up to batchRows rows after the filter; null at the end of the file. */
    private Frame readBatch() {
      int cap = (int) Math.min(batchRows, 1 << 16);
      int nc = read.length;
      Object[] arrs = new Object[nc];
      boolean[][] nulls = new boolean[nc][];
      for (int i = 0; i < nc; i++) {
        arrs[i] = Values.newArray(types[read[i]], cap);
      }
      int n = 0;
      try {
        while (n < batchRows) {
          Rec r = pending.isEmpty() ? nextData() : pending.poll();
          if (r == null) {
            break;
          }
          if (n == cap) {
            cap = (int) Math.min(batchRows, (long) cap * 2);
            for (int i = 0; i < nc; i++) {
              arrs[i] = Values.grow(arrs[i], cap);
              if (nulls[i] != null) {
                nulls[i] = Arrays.copyOf(nulls[i], cap);
              }
            }
          }
          for (int i = 0; i < nc; i++) {
            int c = read[i];
            DataType k = types[c].kind();
            if (isNull(r, c) || k != DataType.STRING && r.f[c].isBlank() && !(k == DataType.BINARY && r.q[c])) {
              if (nulls[i] == null) {
                nulls[i] = new boolean[cap];
              }
              nulls[i][n] = true;
            } else {
              parseInto(arrs[i], n, r.f[c], types[c], header.get(c), r.line);
            }
          }
          n++;
          dataRow++;
        }
      } catch (CharacterCodingException e) {
        closeQuietly();
        throw notUtf8(e);
      } catch (IOException e) {
        closeQuietly();
        throw Errors.cannotReadCsv(path, e);
      } catch (RuntimeException e) {
        closeQuietly();
        throw e;
      }
      if (n == 0) {
        return null;
      }
      List<Column> cols = new ArrayList<>(nc);
      for (int i = 0; i < nc; i++) {
        boolean[] nl = nulls[i] == null ? null : nulls[i].length == n ? nulls[i] : Arrays.copyOf(nulls[i], n);
        cols.add(COLUMNS.wrap(readSchema.get(i).name(), readSchema.get(i).columnType(), arrs[i], nl, n));
      }
      Frame f = Frame.of(cols);
      if (filter != null) {
        boolean[] keep = FilterEval.evaluate(filter, f);
        f = f.filter(i -> keep[i]);
      }
      return f.columnCount() == outSchema.size() ? f : f.select(outSchema.names());
    }

    private void parseInto(Object arr, int i, String text, ColumnType ct, String column, long line) {
      DataType t = ct.kind();
      String s = t == DataType.STRING ? text : text.trim();
      try {
        switch (t) {
          case LONG, TIMESTAMP -> ((long[]) arr)[i] = t == DataType.LONG ? parseLong(s)
              : Values.instantToMicros(timestamp(s, o.zone()));
          case INT, DATE -> ((int[]) arr)[i] = t == DataType.INT ? Math.toIntExact(parseLong(s))
              : Math.toIntExact(LocalDate.parse(s).toEpochDay());
          case SHORT -> ((short[]) arr)[i] = inRange(parseLong(s), Short.MIN_VALUE, Short.MAX_VALUE);
          case BYTE -> ((byte[]) arr)[i] = (byte) inRange(parseLong(s), Byte.MIN_VALUE, Byte.MAX_VALUE);
          case DOUBLE -> ((double[]) arr)[i] = parseDouble(s);
          case FLOAT -> ((float[]) arr)[i] = parseFloat(s);
          case DECIMAL -> ((BigDecimal[]) arr)[i] = parseDecimal(s, (ColumnType.Decimal) ct);
          case BOOLEAN -> ((boolean[]) arr)[i] = parseBoolean(s);
          case STRING -> ((String[]) arr)[i] = s;
          case BINARY -> ((byte[][]) arr)[i] = Base64.getDecoder().decode(s);
          case TIMESTAMP_NTZ -> ((long[]) arr)[i] = Values.localToMicros(localDateTime(s));
          default -> throw new AssertionError(t);
        }
      } catch (RuntimeException e) {
        throw Errors.csvValueNotOfType(Values.quote(text), column, dataRow, line, file, ct, expected(ct),
            o.schema() == null && !o.types().containsKey(column) ? o.sampleRows() : -1);
      }
    }

    private static short inRange(long v, int min, int max) {
      if (v < min || v > max) {
        throw Errors.outRange();
      }
      return (short) v;
    }

    /** As parseDouble, refusing a finite literal beyond FLOAT's range (Java would make it infinite). */
    private static float parseFloat(String s) {
      double d = parseDouble(s);
      float f = Float.parseFloat(s);
      if (Float.isInfinite(f) && !Double.isInfinite(d)) {
        throw Errors.beyondFloatSRange();
      }
      return f;
    }

    /** A plain decimal (exponent allowed) that fits DECIMAL(p,s) without rounding, at scale s. */
    private static BigDecimal parseDecimal(String s, ColumnType.Decimal t) {
      if (!Values.isDecimalText(s) || s.endsWith("N") || s.endsWith("y")) {
        throw new NumberFormatException(s);
      }
      BigDecimal d = new BigDecimal(s).setScale(t.scale(), RoundingMode.UNNECESSARY);
      if (d.precision() > t.precision() && d.signum() != 0) {
        throw Errors.tooManyDigits();
      }
      return d;
    }

    /** A wall-clock date-time; text with an offset or Z names an instant, not a local time, and is refused. */
    private static LocalDateTime localDateTime(String s) {
      return LocalDateTime.parse(s.indexOf(' ') == 10 ? s.substring(0, 10) + 'T' + s.substring(11) : s);
    }

    /** Digits with an optional sign (no regex: this runs once per value). */
    private static long parseLong(String s) {
      int n = s.length();
      int i = n > 0 && (s.charAt(0) == '-' || s.charAt(0) == '+') ? 1 : 0;
      if (i == n) {
        throw new NumberFormatException(s);
      }
      for (int k = i; k < n; k++) {
        char c = s.charAt(k);
        if (c < '0' || c > '9') {
          throw new NumberFormatException(s);
        }
      }
      return Long.parseLong(s);
    }

    /** A decimal literal as Values.isDecimalText reads it; Java suffixes (1d, 2f) and hex are refused. */
    private static double parseDouble(String s) {
      int n = s.length();
      char last = n == 0 ? ' ' : s.charAt(n - 1);
      if (!(last >= '0' && last <= '9' || last == '.' || last == 'N' || last == 'y')) {
        throw new NumberFormatException(s);
      }
      for (int k = 0; k < n; k++) {
        char c = s.charAt(k);
        if (c == 'x' || c == 'X' || c == 'p' || c == 'P' || c == '_') {
          throw new NumberFormatException(s);
        }
      }
      if ((last == 'N' || last == 'y') && !Values.isDecimalText(s)) {
        throw new NumberFormatException(s);
      }
      return Double.parseDouble(s);
    }

    private static boolean parseBoolean(String s) {
      if (s.equalsIgnoreCase("true")) {
        return true;
      }
      if (s.equalsIgnoreCase("false")) {
        return false;
      }
      throw new IllegalArgumentException(s);
    }

    private static String expected(ColumnType ct) {
      return switch (ct.kind()) {
        case LONG, INT -> "digits with an optional sign";
        case SHORT -> "digits with an optional sign, from -32768 to 32767";
        case BYTE -> "digits with an optional sign, from -128 to 127";
        case DOUBLE -> "a decimal number like -1.5e3, NaN or Infinity";
        case FLOAT -> "a decimal number like -1.5e3, NaN or Infinity, within FLOAT's range (about 3.4e38)";
        case DECIMAL -> {
          ColumnType.Decimal d = (ColumnType.Decimal) ct;
          yield "a decimal number with at most " + d.scale() + " digits after the point and "
              + (d.precision() - d.scale()) + " before";
        }
        case BOOLEAN -> "true or false";
        case BINARY -> "base64 (RFC 4648) like AAEC/w==";
        case TIMESTAMP -> "ISO-8601 like 2024-01-31T12:00:00Z; without an offset it is in the reading zone";
        case TIMESTAMP_NTZ -> "an ISO-8601 local date-time like 2024-01-31T12:00:00.5, without offset or Z";
        case DATE -> "yyyy-MM-dd";
        default -> "text";
      };
    }

    private void closeQuietly() {
      try {
        close();
      } catch (RuntimeException ignored) {
        // the first error is the one to report
      }
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        done = true;
        try {
          reader.close();
        } catch (IOException e) {
          throw Errors.closeCsvFile(path, e.getMessage(), e);
        }
      }
    }
  }

  /** An instant from ISO text: with Z or an offset as given, else a local date-time in the zone. */
  static Instant timestamp(String s, ZoneId zone) {
    String t = s.indexOf(' ') == 10 ? s.substring(0, 10) + 'T' + s.substring(11) : s;
    char last = t.charAt(t.length() - 1);
    if (last == 'Z' || last == 'z') {
      return Instant.parse(t.substring(0, t.length() - 1) + 'Z');
    }
    if (t.length() > 10 && (t.lastIndexOf('+') > 10 || t.lastIndexOf('-') > 10)) {
      return OffsetDateTime.parse(t).toInstant();
    }
    try {
      return LocalDateTime.parse(t).atZone(zone).toInstant();
    } catch (DateTimeException e) {
      return Values.parseTimestamp(s);
    }
  }

  // ------------------------------------------------------------------ writing

  /** Writes a frame as CSV with a header (see the class comment for each type's text). */
  public static void write(Frame f, Path path) {
    for (Field c : f.schema().fields()) {
      if (c.type().isNested()) {
        throw nested(c.name(), c.columnType(), "CSV file " + path + " (nothing was written)");
      }
    }
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
            w.write(escape(text(v)));
          }
        }
        w.write('\n');
      }
    } catch (IOException e) {
      throw Errors.writeCsvFile(path, e);
    }
  }

  /** The CSV text of a non-null value: base64 for bytes, plain decimals, ISO text for time. */
  static String text(Object v) {
    if (v instanceof byte[] b) {
      return Base64.getEncoder().encodeToString(b);
    }
    if (v instanceof BigDecimal d) {
      return d.toPlainString();
    }
    return String.valueOf(v);
  }

  /** The error for a STRUCT, ARRAY or MAP column, which has no CSV text. */
  private static SchemaMismatchException nested(String column, ColumnType type, String where) {
    return Errors.columnCsvTextStruct(column, where, type);
  }

  private static String escape(String s) {
    if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0
        || s.isEmpty()) {
      return '"' + s.replace("\"", "\"\"") + '"';
    }
    return s;
  }
}
