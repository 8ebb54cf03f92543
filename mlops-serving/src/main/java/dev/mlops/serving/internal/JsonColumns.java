package dev.mlops.serving.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.mlops.core.Column;
import dev.mlops.core.Frame;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fast path for JSON request bodies: read with Jackson's streaming parser straight from the body's
 * bytes into primitive columns (no string of the body, no JSON tree, no boxed values) and typed by the
 * model's inputs into primitive {@link Column}s.
 *
 * <p>It never disagrees with the tree path ({@link RequestColumns#fromJson} then
 * {@link RequestColumns#toFrame}): it takes only bodies whose answer it can give exactly as the tree
 * path would, and <b>declines</b> (returns null) on anything else — invalid UTF-8 or JSON, a control
 * character or byte-order mark, zero or two input fields, a shape the protocol refuses, a value that does
 * not fit its column, a missing column, a null where none is allowed. The caller then runs the tree
 * path, which gives the same frame or words the error. Values it does not hold as primitives (strings,
 * booleans, nested values, integers beyond a long, numbers with an exponent, a zero written as a decimal)
 * are kept as the same {@link JsonNode}s the tree path makes and converted by the same code.
 */
public final class JsonColumns {
  /**
   * The scoring server's request mapper: duplicate keys and trailing tokens are errors, decimals are read
   * as {@code BigDecimal} (a number's text decides, never a double rounded twice).
   */
  public static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
      // parses a decimal from the parser's buffer; the JDK's parser made a String and two buffers per
      // number. Both round correctly, so the double is the same.
      .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build())
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  /** Reads one value in the middle of a body exactly as {@link #MAPPER} reads it in a whole body. */
  private static final ObjectReader VALUE = MAPPER.readerFor(JsonNode.class)
      .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private static final byte NULL = 0; // JSON null, or absent from a record
  private static final byte LONG = 1; // an integer within a long: longs[r]
  private static final byte DOUBLE = 2; // a plain decimal (no exponent, not zero): doubles[r]
  private static final byte NODE = 3; // anything else, as the tree path's node: nodes[r]

  /** One request column: a kind per row and the value in the array of its kind. */
  static final class Cells {
    final String name;
    byte[] kinds;
    long[] longs;
    double[] doubles;
    JsonNode[] nodes;

    Cells(String name, int capacity) {
      this.name = name;
      this.kinds = new byte[capacity];
    }

    void ensure(int row) {
      if (row >= kinds.length) {
        int cap = Math.max(row + 1, kinds.length * 2);
        kinds = Arrays.copyOf(kinds, cap);
        if (longs != null) {
          longs = Arrays.copyOf(longs, cap);
        }
        if (doubles != null) {
          doubles = Arrays.copyOf(doubles, cap);
        }
        if (nodes != null) {
          nodes = Arrays.copyOf(nodes, cap);
        }
      }
    }

    /** Reads the value at the parser's current token into a row. */
    void read(JsonParser p, JsonToken t, int row) throws IOException {
      if (t == null) {
        throw Errors.endOfInputInsideValue(); // not reached: the parser throws first
      }
      ensure(row);
      switch (t) {
        case VALUE_NULL:
          kinds[row] = NULL;
          return;
        case VALUE_NUMBER_INT:
          if (p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
            if (longs == null) {
              longs = new long[kinds.length];
            }
            longs[row] = p.getLongValue();
            kinds[row] = LONG;
            return;
          }
          node(row, VALUE.readTree(p));
          return;
        case VALUE_NUMBER_FLOAT:
          if (plainDecimal(p)) {
            double d = p.getDoubleValue();
            // A plain decimal's double equals BigDecimal(text).doubleValue() (both correctly rounded),
            // except for zero: the tree path's BigDecimal has no -0.0. Such values go as nodes.
            if (d != 0 && Double.isFinite(d)) {
              if (doubles == null) {
                doubles = new double[kinds.length];
              }
              doubles[row] = d;
              kinds[row] = DOUBLE;
              return;
            }
          }
          node(row, VALUE.readTree(p));
          return;
        case VALUE_STRING:
          node(row, TextNode.valueOf(p.getText()));
          return;
        case VALUE_TRUE:
          node(row, BooleanNode.TRUE);
          return;
        case VALUE_FALSE:
          node(row, BooleanNode.FALSE);
          return;
        default: // an array or object: the tree path's node (it will not fit a column, the tree path words why)
          node(row, VALUE.readTree(p));
      }
    }

    private void node(int row, JsonNode n) {
      if (nodes == null) {
        nodes = new JsonNode[kinds.length];
      }
      nodes[row] = n;
      kinds[row] = n.isNull() ? NULL : NODE;
    }

    int nonNull(int rows) {
      ensure(rows - 1); // a record column last seen before the last row: the rows after it are null
      int n = 0;
      for (int r = 0; r < rows; r++) {
        n += kinds[r] == NULL ? 0 : 1;
      }
      return n;
    }

    /** The column typed as the model takes it, or null when a value does not fit (the tree path words it). */
    Column typed(ServedModel.InputField f, int rows) {
      boolean[] nulls = null;
      switch (f.type()) {
        case DOUBLE: {
          double[] v = new double[rows];
          for (int r = 0; r < rows; r++) {
            switch (kinds[r]) {
              case LONG -> v[r] = longs[r];
              case DOUBLE -> v[r] = doubles[r];
              case NODE -> {
                Object o = RequestColumns.fromJson(nodes[r], f.type());
                if (o == null) {
                  return null;
                }
                v[r] = (Double) o;
              }
              default -> nulls = markNull(nulls, rows, r);
            }
          }
          return Column.ofDoubles(f.name(), v, nulls);
        }
        case FLOAT: {
          float[] v = new float[rows];
          for (int r = 0; r < rows; r++) {
            if (kinds[r] == NULL) {
              nulls = markNull(nulls, rows, r);
              continue;
            }
            Object o = kinds[r] == LONG ? RequestColumns.exactFloat(longs[r])
                : kinds[r] == DOUBLE ? RequestColumns.exactFloat(doubles[r])
                : RequestColumns.fromJson(nodes[r], f.type());
            if (o == null) {
              return null;
            }
            v[r] = (Float) o;
          }
          return Column.ofFloats(f.name(), v, nulls);
        }
        case LONG:
        case INT:
        case SHORT:
        case BYTE: {
          long min = f.type() == dev.mlops.core.DataType.LONG ? Long.MIN_VALUE
              : f.type() == dev.mlops.core.DataType.INT ? Integer.MIN_VALUE
              : f.type() == dev.mlops.core.DataType.SHORT ? Short.MIN_VALUE : Byte.MIN_VALUE;
          long max = f.type() == dev.mlops.core.DataType.LONG ? Long.MAX_VALUE
              : f.type() == dev.mlops.core.DataType.INT ? Integer.MAX_VALUE
              : f.type() == dev.mlops.core.DataType.SHORT ? Short.MAX_VALUE : Byte.MAX_VALUE;
          long[] v = new long[rows];
          for (int r = 0; r < rows; r++) {
            if (kinds[r] == NULL) {
              nulls = markNull(nulls, rows, r);
            } else if (kinds[r] == LONG && longs[r] >= min && longs[r] <= max) {
              v[r] = longs[r];
            } else {
              return null; // a decimal, a string, an integer out of range: the tree path words it
            }
          }
          return integral(f, v, nulls);
        }
        default: {
          // strings, booleans, timestamps, dates: converted from the tree path's nodes by its own code
          List<Object> vals = new ArrayList<>(rows);
          for (int r = 0; r < rows; r++) {
            if (kinds[r] == NULL) {
              vals.add(null);
              continue;
            }
            Object o = kinds[r] == NODE ? RequestColumns.fromJson(nodes[r], f.type()) : null;
            if (o == null) {
              return null;
            }
            vals.add(o);
          }
          return Column.of(f.name(), f.type(), vals);
        }
      }
    }
  }

  private static Column integral(ServedModel.InputField f, long[] v, boolean[] nulls) {
    int n = v.length;
    switch (f.type()) {
      case LONG:
        return Column.ofLongs(f.name(), v, nulls);
      case INT: {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
          a[i] = (int) v[i];
        }
        return Column.ofInts(f.name(), a, nulls);
      }
      case SHORT: {
        short[] a = new short[n];
        for (int i = 0; i < n; i++) {
          a[i] = (short) v[i];
        }
        return Column.ofShorts(f.name(), a, nulls);
      }
      default: {
        byte[] a = new byte[n];
        for (int i = 0; i < n; i++) {
          a[i] = (byte) v[i];
        }
        return Column.ofBytes(f.name(), a, nulls);
      }
    }
  }

  private static boolean[] markNull(boolean[] nulls, int rows, int r) {
    boolean[] m = nulls == null ? new boolean[rows] : nulls;
    m[r] = true;
    return m;
  }

  /** True for a number written without an exponent (digits, a point, digits). */
  private static boolean plainDecimal(JsonParser p) throws IOException {
    char[] b = p.getTextCharacters();
    int end = p.getTextOffset() + p.getTextLength();
    for (int i = p.getTextOffset(); i < end; i++) {
      if (b[i] == 'e' || b[i] == 'E') {
        return false;
      }
    }
    return true;
  }

  private final Map<String, Cells> columns;
  private final int rows;
  private final String clientRequestId;
  private final boolean returnProbabilities;

  private JsonColumns(Map<String, Cells> columns, int rows, String clientRequestId, boolean returnProbabilities) {
    this.columns = columns;
    this.rows = rows;
    this.clientRequestId = clientRequestId;
    this.returnProbabilities = returnProbabilities;
  }

  /** Rows in the request. */
  public int rows() {
    return rows;
  }

  /** The body's {@code client_request_id}, or null. */
  public String clientRequestId() {
    return clientRequestId;
  }

  /** {@code params.return_probabilities}, read as the tree path reads it ({@code asBoolean(false)}). */
  public boolean returnProbabilities() {
    return returnProbabilities;
  }

  /**
   * Reads a JSON body, or declines.
   *
   * @return the columns, or null when the body needs the tree path (which also words every error)
   */
  public static JsonColumns parse(byte[] body) {
    if (!plainUtf8(body)) {
      return null;
    }
    try (JsonParser p = MAPPER.getFactory().createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      Map<String, Cells> cols = null;
      int[] rows = new int[1];
      String client = null;
      boolean probabilities = false;
      for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
        if (t != JsonToken.FIELD_NAME) {
          return null; // not reached: the parser throws first; kept so that no null reaches the switch
        }
        String key = p.currentName();
        JsonToken v = p.nextToken();
        switch (key) {
          case "dataframe_split":
          case "dataframe_records":
          case "instances":
          case "inputs":
            if (cols != null) {
              return null; // two input fields: the tree path words it
            }
            if (key.equals("dataframe_split")) {
              cols = v == JsonToken.START_OBJECT ? split(p, rows) : null;
            } else if (v == JsonToken.START_ARRAY) {
              cols = records(p, rows);
            } else if (v == JsonToken.START_OBJECT && !key.equals("dataframe_records")) {
              cols = columnar(p, rows);
            }
            if (cols == null) {
              return null;
            }
            break;
          case "client_request_id":
            if (v != JsonToken.VALUE_STRING) {
              return null;
            }
            client = p.getText();
            break;
          case "params": {
            JsonNode params = VALUE.readTree(p);
            if (params == null || !params.isObject()) {
              return null;
            }
            probabilities = params.path("return_probabilities").asBoolean(false);
            break;
          }
          default:
            VALUE.readTree(p); // read, not skipped: its numbers must convert as in the tree path
        }
      }
      if (cols == null || p.nextToken() != null) {
        return null;
      }
      return new JsonColumns(cols, rows[0], client, probabilities);
    } catch (IOException | NumberFormatException e) {
      return null; // NumberFormatException: a number BigDecimal cannot hold (e.g. 1e99999999999), read by the tree path
    }
  }

  /**
   * True when the bytes are UTF-8 with no control character other than tab, CR and LF and no byte-order
   * mark (so Jackson's byte parser sees what the tree path's decoded text holds).
   */
  static boolean plainUtf8(byte[] b) {
    boolean ascii = true;
    for (byte x : b) {
      if (x < 0x20) {
        if (x < 0) {
          ascii = false;
        } else if (x != '\t' && x != '\n' && x != '\r') {
          return false;
        }
      }
    }
    if (ascii) {
      return true;
    }
    if (b.length >= 3 && (b[0] & 0xff) == 0xEF && (b[1] & 0xff) == 0xBB && (b[2] & 0xff) == 0xBF) {
      return false;
    }
    try {
      StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  /** {@code {"columns": [...], "data": [[...], ...]}} with columns first; null to decline. */
  private static Map<String, Cells> split(JsonParser p, int[] rows) throws IOException {
    List<Cells> order = null;
    Map<String, Cells> cols = null;
    boolean data = false;
    for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
      String key = p.currentName();
      JsonToken v = p.nextToken();
      if (key.equals("columns")) {
        if (v != JsonToken.START_ARRAY || data) {
          return null; // not an array, or after the data (the width was unknown while reading it)
        }
        cols = new LinkedHashMap<>();
        order = new ArrayList<>();
        for (JsonToken c = p.nextToken(); c != JsonToken.END_ARRAY; c = p.nextToken()) {
          if (c != JsonToken.VALUE_STRING) {
            return null;
          }
          String name = p.getText();
          Cells cells = new Cells(name, 1);
          if (cols.put(name, cells) != null) {
            return null;
          }
          order.add(cells);
        }
      } else if (key.equals("data")) {
        if (v != JsonToken.START_ARRAY || order == null) {
          return null;
        }
        data = true;
        int r = 0;
        for (JsonToken row = p.nextToken(); row != JsonToken.END_ARRAY; row = p.nextToken()) {
          if (row != JsonToken.START_ARRAY) {
            return null;
          }
          int c = 0;
          for (JsonToken x = p.nextToken(); x != JsonToken.END_ARRAY; x = p.nextToken()) {
            if (c == order.size()) {
              return null;
            }
            order.get(c++).read(p, x, r);
          }
          if (c != order.size()) {
            return null;
          }
          r++;
        }
        rows[0] = r;
      } else {
        VALUE.readTree(p); // e.g. "index": read as the tree path reads it
      }
    }
    return data ? cols : null;
  }

  /** {@code [{"x": 1, ...}, ...]}; null to decline. */
  private static Map<String, Cells> records(JsonParser p, int[] rows) throws IOException {
    Map<String, Cells> cols = new LinkedHashMap<>();
    int r = 0;
    for (JsonToken row = p.nextToken(); row != JsonToken.END_ARRAY; row = p.nextToken()) {
      if (row != JsonToken.START_OBJECT) {
        return null;
      }
      for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        Cells c = cols.get(name);
        if (c == null) {
          c = new Cells(name, r + 1);
          cols.put(name, c);
        }
        c.read(p, v, r);
      }
      r++;
    }
    rows[0] = r;
    return cols;
  }

  /** {@code {"x": [1, 2], "y": 3}} (a scalar is one row); null to decline. */
  private static Map<String, Cells> columnar(JsonParser p, int[] rows) throws IOException {
    Map<String, Cells> cols = new LinkedHashMap<>();
    int n = -1;
    for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
      String name = p.currentName();
      JsonToken v = p.nextToken();
      Cells c = new Cells(name, 1);
      int len;
      if (v == JsonToken.START_ARRAY) {
        len = 0;
        for (JsonToken x = p.nextToken(); x != JsonToken.END_ARRAY; x = p.nextToken()) {
          c.read(p, x, len++);
        }
      } else {
        c.read(p, v, 0);
        len = 1;
      }
      if (n >= 0 && len != n) {
        return null;
      }
      n = len;
      cols.put(name, c);
    }
    rows[0] = Math.max(n, 0);
    return cols;
  }

  /**
   * The columns typed by the model's inputs, or null when the request does not fit them (the tree path
   * then words the error).
   */
  public Frame toFrame(List<ServedModel.InputField> inputs) {
    if (rows == 0) {
      return null;
    }
    List<Column> out = new ArrayList<>(inputs.size());
    for (ServedModel.InputField f : inputs) {
      Cells c = columns.get(f.name());
      if (c == null) {
        if (f.required()) {
          return null;
        }
        continue;
      }
      int given = c.nonNull(rows);
      if (!f.required()) {
        if (given == 0) {
          continue; // as in the tree path: an optional feature sent as all nulls is absent
        }
        if (given < rows) {
          return null;
        }
      }
      if (given < rows && !f.nullable()) {
        return null;
      }
      Column typed = c.typed(f, rows);
      if (typed == null) {
        return null;
      }
      out.add(typed);
    }
    return Frame.of(out);
  }
}
