package dev.mlops.core.internal.delta;

import static dev.mlops.core.internal.delta.ColumnarParquetWriterTest.footer;
import static dev.mlops.core.internal.delta.ColumnarParquetWriterTest.kernelSchema;
import static dev.mlops.core.internal.delta.ColumnarParquetWriterTest.read;
import static dev.mlops.core.internal.delta.ColumnarParquetWriterTest.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.Column;
import dev.mlops.core.ColumnType;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Frame;
import dev.mlops.core.Schema;
import dev.mlops.core.Workspace;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.types.FieldMetadata;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.DataFileStatus;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Arrays and maps of flat types written column by column, against Kernel's own (record by record)
 * writer on the same batch: the same Parquet schema (three-level LIST and MAP), every value read back
 * exactly by Kernel's reader, the SDK's reader and DuckDB, including a null array, an empty array, a
 * null element, a null map, an empty map and a null map value; and chunk by chunk the same statistics,
 * null counts, value counts and repetition/definition level histograms as parquet-mr's record writer.
 */
class ColumnarParquetWriterNestedTest {
  @TempDir Path dir;

  static final ColumnType.Decimal D5 = ColumnType.decimal(5, 2);
  static final ColumnType.Decimal D15 = ColumnType.decimal(15, 3);
  static final ColumnType.Decimal D30 = ColumnType.decimal(30, 10);

  static final ColumnType STRINGS = ColumnType.array(DataType.STRING);
  static final ColumnType PROBS = ColumnType.map(ColumnType.of(DataType.STRING), ColumnType.of(DataType.DOUBLE));

  /** Element types, one array column each (elements may be null). */
  static final List<ColumnType> ELEMENTS = List.of(ColumnType.of(DataType.LONG), ColumnType.of(DataType.INT),
      ColumnType.of(DataType.SHORT), ColumnType.of(DataType.BYTE), ColumnType.of(DataType.DOUBLE),
      ColumnType.of(DataType.FLOAT), ColumnType.of(DataType.BOOLEAN), ColumnType.of(DataType.STRING),
      ColumnType.of(DataType.BINARY), ColumnType.of(DataType.TIMESTAMP), ColumnType.of(DataType.TIMESTAMP_NTZ),
      ColumnType.of(DataType.DATE), D5, D15, D30);

  static Schema schema() {
    List<Field> fields = new ArrayList<>();
    fields.add(new Field("id", ColumnType.of(DataType.LONG), false, ""));
    fields.add(Field.of("tags", STRINGS));
    fields.add(Field.of("probabilities", PROBS));
    // elements / values declared NOT NULL, and columns declared NOT NULL
    fields.add(Field.of("codes", new ColumnType.ArrayOf(ColumnType.of(DataType.STRING), false)));
    fields.add(new Field("scores", new ColumnType.MapOf(ColumnType.of(DataType.STRING),
        ColumnType.of(DataType.DOUBLE), false), false, ""));
    fields.add(new Field("ids", new ColumnType.ArrayOf(ColumnType.of(DataType.LONG), true), false, ""));
    for (ColumnType e : ELEMENTS) {
      fields.add(Field.of("a_" + name(e), ColumnType.array(e)));
    }
    fields.add(Field.of("m_int_string", ColumnType.map(ColumnType.of(DataType.INT), ColumnType.of(DataType.STRING))));
    fields.add(Field.of("m_long_d30", ColumnType.map(ColumnType.of(DataType.LONG), D30)));
    fields.add(Field.of("m_date_ts", ColumnType.map(ColumnType.of(DataType.DATE), ColumnType.of(DataType.TIMESTAMP))));
    fields.add(Field.of("all_null", STRINGS));
    fields.add(Field.of("all_empty", PROBS));
    return new Schema(fields);
  }

  private static String name(ColumnType t) {
    return t.sql().replaceAll("[^a-z0-9]+", "_");
  }

  /** A random flat value of the type; the first rows of each column get the extremes. */
  static Object value(ColumnType t, Random r, int k) {
    return switch (t.kind()) {
      case LONG -> k == 0 ? Long.MIN_VALUE : k == 1 ? Long.MAX_VALUE : r.nextLong();
      case INT -> k == 0 ? Integer.MIN_VALUE : k == 1 ? Integer.MAX_VALUE : r.nextInt(1000);
      case SHORT -> (short) (k == 0 ? Short.MIN_VALUE : r.nextInt());
      case BYTE -> (byte) (k == 0 ? Byte.MIN_VALUE : r.nextInt());
      case DOUBLE -> k < 5 ? new double[] {Double.NaN, -0.0, 0.0, Double.NEGATIVE_INFINITY, Double.MAX_VALUE}[k]
          : r.nextGaussian();
      case FLOAT -> k < 3 ? new float[] {Float.NaN, -0.0f, Float.POSITIVE_INFINITY}[k] : (float) r.nextGaussian();
      case BOOLEAN -> r.nextBoolean();
      case STRING -> k < 3 ? new String[] {"", "Åland ✓ 𝄞", "x".repeat(300)}[k] : Long.toString(r.nextLong(), 36);
      case BINARY -> {
        byte[] b = new byte[k == 0 ? 0 : r.nextInt(12)];
        r.nextBytes(b);
        yield b;
      }
      case TIMESTAMP -> Instant.EPOCH.plusSeconds(r.nextInt(2_000_000_000)).plusNanos(r.nextInt(1_000_000) * 1000L);
      case TIMESTAMP_NTZ -> LocalDateTime.ofEpochSecond(r.nextInt(2_000_000_000) - 1_000_000_000L,
          r.nextInt(1_000_000) * 1000, ZoneOffset.UTC);
      case DATE -> LocalDate.ofEpochDay(r.nextInt(60_000) - 20_000);
      case DECIMAL -> {
        ColumnType.Decimal d = (ColumnType.Decimal) t;
        BigInteger max = BigInteger.TEN.pow(d.precision()).subtract(BigInteger.ONE);
        BigInteger u = k == 0 ? max.negate() : k == 1 ? max : new BigInteger(max.bitLength() - 1, r);
        yield new BigDecimal(r.nextBoolean() ? u : u.negate(), d.scale());
      }
      default -> throw new AssertionError(t);
    };
  }

  /**
   * One row's array: rows 0..4 of every array column are the edge cases (null array, empty array,
   * one null element, value + null + value, many values), then random: one in ten null, one in ten
   * empty, one element in six null.
   */
  static List<Object> list(ColumnType e, boolean nullElements, Random r, int row, int[] k) {
    int size = switch (row) {
      case 0 -> -1;
      case 1 -> 0;
      case 2 -> nullElements ? 1 : 2;
      case 3 -> 3;
      case 4 -> 40;
      default -> r.nextInt(10) == 0 ? -1 : r.nextInt(10) == 0 ? 0 : 1 + r.nextInt(5);
    };
    if (size < 0) {
      return null;
    }
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      boolean nul = nullElements && ((row == 2) || (row == 3 && i == 1) || (row > 4 && r.nextInt(6) == 0));
      out.add(nul ? null : value(e, r, k[0]++));
    }
    return out;
  }

  static Map<Object, Object> map(ColumnType key, ColumnType value, boolean nullValues, Random r, int row, int[] k) {
    List<Object> keys = list(key, false, r, row, k);
    if (keys == null) {
      return null;
    }
    Map<Object, Object> out = new LinkedHashMap<>();
    for (Object kv : keys) {
      boolean nul = nullValues && (row == 2 || (row > 4 && r.nextInt(6) == 0));
      out.put(kv, nul ? null : value(value, r, k[0]++));
    }
    return out;
  }

  static Frame data(Schema s, int n, long seed) {
    Random r = new Random(seed);
    List<Column> cols = new ArrayList<>();
    long[] id = new long[n];
    Arrays.setAll(id, i -> i);
    cols.add(Column.ofLongs("id", id));
    for (Field f : s.fields().subList(1, s.size())) {
      int[] k = {0};
      List<Object> v = new ArrayList<>(n);
      for (int row = 0; row < n; row++) {
        Object x;
        if (f.name().equals("all_null")) {
          x = null;
        } else if (f.name().equals("all_empty")) {
          x = Map.of();
        } else if (f.columnType() instanceof ColumnType.ArrayOf a) {
          x = list(a.element(), a.containsNull(), r, row, k);
        } else {
          ColumnType.MapOf m = (ColumnType.MapOf) f.columnType();
          x = map(m.key(), m.value(), m.valueContainsNull(), r, row, k);
        }
        if (x == null && !f.nullable()) {
          x = f.columnType() instanceof ColumnType.MapOf ? Map.of() : List.of();
        }
        v.add(x);
      }
      cols.add(Column.of(f.name(), f.columnType(), v));
    }
    return Frame.of(cols);
  }

  private static Engine[] engines(Map<String, String> conf) {
    LocalFileIO io = new LocalFileIO(conf);
    Engine kernel = DefaultEngine.create(io);
    return new Engine[] {kernel, new SdkEngine(kernel, io)};
  }

  @Test
  void arrays_and_maps_of_every_flat_type_read_back_exactly_as_kernels_writer_writes_them() throws Exception {
    Schema s = schema();
    Frame data = data(s, 10_000, 7); // pages of 20,000 values: two pages for most leaves
    StructType schema = kernelSchema(s);
    Engine[] e = engines(Map.of("parquet.compression", "ZSTD"));
    Engine kernel = e[0];
    Engine sdk = e[1];
    List<DataFileStatus> ours = write(sdk, dir.resolve("ours"), data, schema);
    List<DataFileStatus> theirs = write(kernel, dir.resolve("kernel"), data, schema);
    ParquetMetadata a = footer(ours.get(0));
    ParquetMetadata b = footer(theirs.get(0));
    assertThat(a.getFileMetaData().getKeyValueMetaData()).containsEntry("writer.model.name", "mlops-sdk-columnar");
    assertThat(a.getFileMetaData().getSchema()).isEqualTo(b.getFileMetaData().getSchema());

    assertThat(read(kernel, ours, schema, s)).isEqualTo(data);
    assertThat(read(sdk, ours, schema, s)).isEqualTo(data);
    assertThat(read(kernel, theirs, schema, s)).isEqualTo(data);
    // the edge rows, spelled out (Frame equality could not tell a null array from an empty one otherwise)
    Frame back = read(sdk, ours, schema, s);
    assertThat(back.column("tags").isNull(0)).isTrue();
    assertThat(back.column("tags").get(1)).isEqualTo(List.of());
    assertThat(back.column("tags").get(2)).isEqualTo(Arrays.asList((Object) null));
    assertThat(((List<?>) back.column("tags").get(3)).get(1)).isNull();
    assertThat(back.column("probabilities").isNull(0)).isTrue();
    assertThat(back.column("probabilities").get(1)).isEqualTo(Map.of());
    assertThat(((Map<?, ?>) back.column("probabilities").get(2)).values()).containsOnlyNulls().isNotEmpty();
    assertThat(back.column("all_null").nullCount()).isEqualTo(10_000);

    assertSameChunks(a, b);
    assertThat(ours.get(0).getStatistics().orElseThrow().serializeAsJson(schema))
        .isEqualTo(theirs.get(0).getStatistics().orElseThrow().serializeAsJson(schema));

    // DuckDB reads the same rows from both files, and tells null from empty from [NULL]
    try (java.sql.Connection duck = java.sql.DriverManager.getConnection("jdbc:duckdb:");
        java.sql.Statement st = duck.createStatement()) {
      String x = "read_parquet('" + LocalFileIO.toPath(ours.get(0).getPath()) + "')";
      String y = "read_parquet('" + LocalFileIO.toPath(theirs.get(0).getPath()) + "')";
      StringBuilder cols = new StringBuilder("id");
      for (Field f : s.fields().subList(1, s.size())) {
        cols.append(", ").append(f.name()).append("::VARCHAR AS ").append(f.name());
      }
      for (String q : List.of(
          "SELECT count(*) FROM (SELECT " + cols + " FROM " + x + " EXCEPT ALL SELECT " + cols + " FROM " + y + ")",
          "SELECT count(*) FROM (SELECT " + cols + " FROM " + y + " EXCEPT ALL SELECT " + cols + " FROM " + x + ")")) {
        try (java.sql.ResultSet rs = st.executeQuery(q)) {
          rs.next();
          assertThat(rs.getLong(1)).as(q).isZero();
        }
      }
      long nullTags = 0;
      long emptyTags = 0;
      long nullElements = 0;
      long entries = 0;
      for (int i = 0; i < data.rowCount(); i++) {
        List<?> l = (List<?>) data.column("tags").get(i);
        nullTags += l == null ? 1 : 0;
        emptyTags += l != null && l.isEmpty() ? 1 : 0;
        nullElements += l == null ? 0 : l.stream().filter(v -> v == null).count();
        Map<?, ?> m = (Map<?, ?>) data.column("probabilities").get(i);
        entries += m == null ? 0 : m.size();
      }
      try (java.sql.ResultSet rs = st.executeQuery("SELECT count(*), count(*) FILTER (WHERE tags IS NULL), "
          + "count(*) FILTER (WHERE len(tags) = 0), sum(len(list_filter(tags, t -> t IS NULL))), "
          + "sum(cardinality(probabilities)), min(id), max(id) FROM " + x)) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(10_000);
        assertThat(rs.getLong(2)).isEqualTo(nullTags).isPositive();
        assertThat(rs.getLong(3)).isEqualTo(emptyTags).isPositive();
        assertThat(rs.getLong(4)).isEqualTo(nullElements).isPositive();
        assertThat(rs.getLong(5)).isEqualTo(entries);
      }
      try (java.sql.ResultSet rs = st.executeQuery("SELECT tags[2] IS NULL, tags[3], probabilities['"
          + ((Map<?, ?>) data.column("probabilities").get(3)).keySet().iterator().next() + "'] FROM " + x
          + " WHERE id = 3")) {
        rs.next();
        List<?> tags = (List<?>) data.column("tags").get(3);
        assertThat(rs.getBoolean(1)).isTrue();
        assertThat(rs.getString(2)).isEqualTo(tags.get(2));
        assertThat(rs.getObject(3)).isEqualTo(((Map<?, ?>) data.column("probabilities").get(3)).values().iterator()
            .next());
      }
    }
  }

  /** Per leaf column chunk: statistics, null count, value count, encodings and level histograms. */
  static void assertSameChunks(ParquetMetadata a, ParquetMetadata b) {
    assertThat(a.getBlocks()).hasSameSizeAs(b.getBlocks());
    int leaves = 0;
    for (int g = 0; g < a.getBlocks().size(); g++) {
      List<ColumnChunkMetaData> ca = a.getBlocks().get(g).getColumns();
      List<ColumnChunkMetaData> cb = b.getBlocks().get(g).getColumns();
      assertThat(ca).hasSameSizeAs(cb);
      for (int c = 0; c < ca.size(); c++) {
        String col = ca.get(c).getPath().toDotString();
        assertThat(col).isEqualTo(cb.get(c).getPath().toDotString());
        if (col.equals("id")) {
          continue; // a flat column: dictionary chosen by sample here, by trial there (ColumnarParquetWriterTest)
        }
        leaves++;
        assertThat(ca.get(c).getStatistics()).as(col).isEqualTo(cb.get(c).getStatistics());
        assertThat(ca.get(c).getStatistics().getNumNulls()).as(col).isEqualTo(cb.get(c).getStatistics().getNumNulls());
        assertThat(ca.get(c).getValueCount()).as(col).isEqualTo(cb.get(c).getValueCount());
        assertThat(ca.get(c).getEncodings()).as(col).isEqualTo(cb.get(c).getEncodings());
        assertThat(ca.get(c).getSizeStatistics().getRepetitionLevelHistogram()).as(col)
            .isEqualTo(cb.get(c).getSizeStatistics().getRepetitionLevelHistogram());
        assertThat(ca.get(c).getSizeStatistics().getDefinitionLevelHistogram()).as(col)
            .isEqualTo(cb.get(c).getSizeStatistics().getDefinitionLevelHistogram());
      }
    }
    assertThat(leaves).isPositive();
  }

  /**
   * Map rows that are views over columns of doubles ({@link dev.mlops.core.internal.ColumnMaps}, the
   * inference log's probabilities) are written from the columns in bulk pages ({@link MapPages}): Kernel,
   * the SDK and DuckDB read the rows ordinary maps with the same entries give, and both leaves' chunks
   * have the statistics, null counts, value counts and level histograms of parquet-mr's writer: null
   * maps, null values, several pages; the mostly distinct values plain.
   */
  @Test
  void map_rows_over_columns_write_the_chunks_their_maps_would() throws Exception {
    int n = 45_000; // more than one page of 20,000 values per leaf
    Random r = new Random(5);
    String[] keys = {"0", "1", "yes ✓"};
    Column[] values = new Column[keys.length];
    for (int j = 0; j < keys.length; j++) {
      double[] v = new double[n];
      boolean[] nulls = new boolean[n];
      for (int i = 0; i < n; i++) {
        v[i] = j == 2 ? i % 3 : r.nextDouble(); // distinct values, and a column of three values
        nulls[i] = j == 1 && i % 13 == 5;
      }
      values[j] = Column.ofDoubles("p" + j, v, nulls);
    }
    var maps = new dev.mlops.core.internal.ColumnMaps(keys, values);
    List<Object> views = new ArrayList<>();
    List<Object> plain = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      boolean none = i % 17 == 4; // a null map
      views.add(none ? null : maps.row(i));
      Map<Object, Object> m = new LinkedHashMap<>();
      for (int j = 0; j < keys.length; j++) {
        m.put(keys[j], values[j].isNull(i) ? null : values[j].getDouble(i));
      }
      plain.add(none ? null : m);
    }
    // any reader sees an ordinary map in key order, unmodifiable
    assertThat(views.get(5)).isEqualTo(plain.get(5)).hasSameHashCodeAs(plain.get(5));
    assertThat(new ArrayList<Object>(((Map<?, ?>) views.get(5)).keySet())).containsExactly((Object[]) keys);
    assertThat(((Map<?, ?>) views.get(5)).get("1")).isNull();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> maps.row(0).put("2", 1.0))
        .isInstanceOf(UnsupportedOperationException.class);

    Schema s = Schema.of(Field.of("id", DataType.LONG), Field.of("probabilities", PROBS));
    long[] ids = new long[n];
    Arrays.setAll(ids, i -> i);
    boolean[] nullMask = new boolean[n];
    for (int i = 0; i < n; i++) {
      nullMask[i] = views.get(i) == null;
    }
    var access = dev.mlops.core.internal.ColumnAccess.obtain(); // the views as they are (Column.of copies maps)
    Frame fromViews = Frame.of(Column.ofLongs("id", ids),
        access.wrap("probabilities", PROBS, views.toArray(), nullMask, n));
    Frame fromMaps = Frame.of(Column.ofLongs("id", ids), Column.of("probabilities", PROBS, plain));
    StructType schema = kernelSchema(s);
    Engine[] e = engines(Map.of("parquet.compression", "SNAPPY"));
    List<DataFileStatus> a = write(e[1], dir.resolve("views"), fromViews, schema);
    List<DataFileStatus> b = write(e[1], dir.resolve("maps"), fromMaps, schema);
    assertThat(a).hasSize(1);
    assertSameMapFile(e, a, b, schema, s, fromMaps, true);
    long nullMaps = views.stream().filter(v -> v == null).count();
    assertThat(footer(a.get(0)).getBlocks().get(0).getColumns().get(2).getValueCount()) // a null map: one null level
        .isEqualTo((n - nullMaps) * keys.length + nullMaps);

    // value columns of another type than the map's values are written as the maps they read as
    Column[] longs = {Column.ofLongs("l0", ids), Column.ofLongs("l1", ids)};
    var other = new dev.mlops.core.internal.ColumnMaps(new String[] {"a", "b"}, longs);
    List<Object> rows = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      rows.add(other.row(i));
    }
    ColumnType longMaps = ColumnType.map(ColumnType.of(DataType.STRING), ColumnType.of(DataType.LONG));
    Schema ls = Schema.of(Field.of("m", longMaps));
    Frame longFrame = Frame.of(access.wrap("m", longMaps, rows.toArray(), null, rows.size()));
    List<DataFileStatus> c = write(e[1], dir.resolve("longs"), longFrame, kernelSchema(ls));
    assertThat(read(e[0], c, kernelSchema(ls), ls).column("m").get(7)).isEqualTo(Map.of("a", 7L, "b", 7L));
  }

  /**
   * Views of two prediction groups with other keys in another order, maps of no entry, null maps, and
   * views whose rows are not the frame's rows, over values that repeat (as one request body repeated
   * gives): dictionary-encoded values, read back and chunked as parquet-mr's writer writes the same maps.
   */
  @Test
  void map_views_of_several_groups_and_repeated_values_write_their_maps() throws Exception {
    int n = 50_000;
    Column[] a = {Column.ofDoubles("a0", new double[n]), Column.ofDoubles("a1", new double[n])};
    double[] a0 = (double[]) dev.mlops.core.internal.ColumnAccess.obtain().values(a[0]);
    double[] a1 = (double[]) dev.mlops.core.internal.ColumnAccess.obtain().values(a[1]);
    for (int i = 0; i < n; i++) {
      a0[i] = (i % 4) * 0.25;
      a1[i] = 1 - a0[i];
    }
    boolean[] bNulls = new boolean[n];
    for (int i = 0; i < n; i++) {
      bNulls[i] = i % 9 == 2;
    }
    var groupA = new dev.mlops.core.internal.ColumnMaps(new String[] {"0", "1"}, a);
    var groupB = new dev.mlops.core.internal.ColumnMaps(new String[] {"yes", "0", "no"}, new Column[] {
        Column.ofDoubles("b0", constant(n, 0.5), bNulls), Column.ofDoubles("b1", constant(n, -0.0)),
        Column.ofDoubles("b2", constant(n, Double.NaN))});
    var none = new dev.mlops.core.internal.ColumnMaps(new String[0], new Column[0]);
    Object[] views = new Object[n];
    boolean[] nullMask = new boolean[n];
    List<Object> plain = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Map<Object, Object> v = i % 7 == 3 ? null : i % 11 == 5 ? none.row(i) : i % 3 == 1 ? groupB.row(i)
          : groupA.row(n - 1 - i); // rows of the value columns in another order than the frame's
      views[i] = v;
      nullMask[i] = v == null;
      plain.add(v == null ? null : new LinkedHashMap<>(v));
    }
    Schema s = Schema.of(Field.of("probabilities", PROBS));
    var access = dev.mlops.core.internal.ColumnAccess.obtain();
    Frame fromViews = Frame.of(access.wrap("probabilities", PROBS, views, nullMask, n));
    Frame fromMaps = Frame.of(Column.of("probabilities", PROBS, plain));
    StructType schema = kernelSchema(s);
    Engine[] e = engines(Map.of());
    List<DataFileStatus> x = write(e[1], dir.resolve("groups-views"), fromViews, schema);
    List<DataFileStatus> y = write(e[1], dir.resolve("groups-maps"), fromMaps, schema);
    assertSameMapFile(e, x, y, schema, s, fromMaps, false);
    Frame back = read(e[1], x, schema, s);
    assertThat(back.column("probabilities").get(5)).isEqualTo(Map.of());
    assertThat(back.column("probabilities").isNull(3)).isTrue();
    assertThat(new ArrayList<Object>(((Map<?, ?>) back.column("probabilities").get(1)).keySet()))
        .containsExactly((Object) "yes", "0", "no");
    assertThat(((Map<?, ?>) back.column("probabilities").get(2)).get("0")).isEqualTo(a0[n - 3]);
  }

  private static double[] constant(int n, double v) {
    double[] d = new double[n];
    Arrays.fill(d, v);
    return d;
  }

  /**
   * A file of map views ({@code views}) against parquet-mr's file of the same maps ({@code maps}): the
   * same rows through Kernel, the SDK and DuckDB; per leaf chunk the same statistics, null count, value
   * count, level histograms and unencoded sizes; the values plain ({@code plainValues}) or, as
   * parquet-mr's, dictionary-encoded.
   */
  private void assertSameMapFile(Engine[] e, List<DataFileStatus> views, List<DataFileStatus> maps, StructType schema,
      Schema s, Frame expected, boolean plainValues) throws Exception {
    assertThat(read(e[0], views, schema, s)).isEqualTo(expected);
    assertThat(read(e[1], views, schema, s)).isEqualTo(expected);
    ParquetMetadata a = footer(views.get(0));
    ParquetMetadata b = footer(maps.get(0));
    assertThat(a.getBlocks()).hasSameSizeAs(b.getBlocks());
    for (int g = 0; g < a.getBlocks().size(); g++) {
      List<ColumnChunkMetaData> ca = a.getBlocks().get(g).getColumns();
      List<ColumnChunkMetaData> cb = b.getBlocks().get(g).getColumns();
      for (int c = 0; c < ca.size(); c++) {
        String col = ca.get(c).getPath().toDotString();
        if (!col.startsWith("probabilities.")) {
          continue;
        }
        assertThat(ca.get(c).getStatistics()).as(col).isEqualTo(cb.get(c).getStatistics());
        assertThat(ca.get(c).getStatistics().getNumNulls()).as(col).isEqualTo(cb.get(c).getStatistics().getNumNulls());
        assertThat(ca.get(c).getValueCount()).as(col).isEqualTo(cb.get(c).getValueCount());
        assertThat(ca.get(c).getSizeStatistics().getRepetitionLevelHistogram()).as(col)
            .isEqualTo(cb.get(c).getSizeStatistics().getRepetitionLevelHistogram());
        assertThat(ca.get(c).getSizeStatistics().getDefinitionLevelHistogram()).as(col)
            .isEqualTo(cb.get(c).getSizeStatistics().getDefinitionLevelHistogram());
        assertThat(ca.get(c).getSizeStatistics().getUnencodedByteArrayDataBytes()).as(col)
            .isEqualTo(cb.get(c).getSizeStatistics().getUnencodedByteArrayDataBytes());
        if (plainValues && col.endsWith(".value")) { // written here: plain (parquet-mr: a dictionary, by trial)
          assertThat(ca.get(c).getEncodings()).as(col).contains(org.apache.parquet.column.Encoding.PLAIN)
              .doesNotContain(org.apache.parquet.column.Encoding.PLAIN_DICTIONARY);
        } else {
          assertThat(ca.get(c).getEncodings()).as(col).isEqualTo(cb.get(c).getEncodings());
        }
      }
    }
    try (java.sql.Connection duck = java.sql.DriverManager.getConnection("jdbc:duckdb:");
        java.sql.Statement st = duck.createStatement()) {
      String x = "(SELECT probabilities::VARCHAR AS p FROM read_parquet('" + LocalFileIO.toPath(views.get(0).getPath())
          + "'))";
      String y = "(SELECT probabilities::VARCHAR AS p FROM read_parquet('" + LocalFileIO.toPath(maps.get(0).getPath())
          + "'))";
      for (String q : List.of("SELECT count(*) FROM (SELECT * FROM " + x + " EXCEPT ALL SELECT * FROM " + y + ")",
          "SELECT count(*) FROM (SELECT * FROM " + y + " EXCEPT ALL SELECT * FROM " + x + ")",
          "SELECT count(*) - " + expected.rowCount() + " FROM " + x)) {
        try (java.sql.ResultSet rs = st.executeQuery(q)) {
          rs.next();
          assertThat(rs.getLong(1)).as(q).isZero();
        }
      }
    }
  }

  @Test
  void column_mapping_ids_with_nested_columns_stay_with_kernels_writer() throws Exception {
    // Kernel's writer wants ids on array elements and map keys/values too (column mapping's nested ids,
    // which only its schema converter places): such batches are left to it, as before
    Schema s = Schema.of(Field.of("id", DataType.LONG), Field.of("tags", STRINGS), Field.of("probabilities", PROBS));
    Frame data = data(s, 50, 3);
    List<StructField> fields = new ArrayList<>();
    int id = 7;
    for (StructField f : kernelSchema(s).fields()) {
      fields.add(new StructField("col-" + f.getName(), f.getDataType(), f.isNullable(),
          FieldMetadata.builder().putLong("parquet.field.id", id++).build()));
    }
    StructType physical = new StructType(fields);
    FrameBatch batch = new FrameBatch(physical, data.columns(), 0, data.rowCount());
    assertThat(ColumnarParquetWriter.supports(new FilteredColumnarBatch(batch, Optional.empty()))).isFalse();
    StructType flat = new StructType(List.of(fields.get(0)));
    FrameBatch ids = new FrameBatch(flat, List.of(data.column("id")), 0, data.rowCount());
    assertThat(ColumnarParquetWriter.supports(new FilteredColumnarBatch(ids, Optional.empty()))).isTrue();
    FrameBatch plain = new FrameBatch(kernelSchema(s), data.columns(), 0, data.rowCount());
    assertThat(ColumnarParquetWriter.supports(new FilteredColumnarBatch(plain, Optional.empty()))).isTrue();
  }

  @Test
  void a_table_with_array_and_map_columns_is_written_column_by_column_and_reads_back() throws Exception {
    Schema s = Schema.of(Field.of("id", DataType.LONG), Field.of("tags", STRINGS), Field.of("probabilities", PROBS),
        Field.of("score", DataType.DOUBLE));
    Frame nested = data(Schema.of(Field.of("id", DataType.LONG), Field.of("tags", STRINGS),
        Field.of("probabilities", PROBS)), 3_000, 11);
    double[] score = new double[3_000];
    Arrays.setAll(score, i -> i * 0.5);
    Frame data = Frame.of(nested.column("id"), nested.column("tags"), nested.column("probabilities"),
        Column.ofDoubles("score", score));
    Path root = dir.resolve("ws");
    try (Workspace ws = Workspace.open(root)) {
      ws.tables().create("main.t.nested").schema(s).create().append(data);
      ws.tables().get("main.t.nested").append(data.head(10));
      Frame back = ws.tables().get("main.t.nested").read().load();
      assertThat(back.rowCount()).isEqualTo(3_010);
      // files come back in no set order: the 3,000-row file's rows, in order, wherever they are
      int at = back.column("id").getLong(0) == 0 && back.column("id").getLong(10) == 10 ? 0 : 10;
      assertThat(back.slice(at, at + 3_000)).isEqualTo(data);
      assertThat(back.slice(at == 0 ? 3_000 : 0, at == 0 ? 3_010 : 10)).isEqualTo(data.head(10));
      assertThat(ws.tables().get("main.t.nested").read()
          .filter(dev.mlops.core.Filter.gt("score", 1_000.0)).load().rowCount()).isEqualTo(999);
    }
    List<Path> files;
    try (Stream<Path> w = Files.walk(root.resolve("tables/main/t/nested"))) {
      files = w.filter(p -> p.toString().endsWith(".parquet") && !p.toString().contains("_delta_log")).toList();
    }
    assertThat(files).hasSize(2);
    for (Path f : files) {
      try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(f))) {
        assertThat(r.getFooter().getFileMetaData().getKeyValueMetaData())
            .containsEntry("writer.model.name", "mlops-sdk-columnar");
      }
    }
  }

  @Test
  void a_null_where_the_files_type_allows_none_is_refused_naming_the_column() throws Exception {
    // a batch that bypassed the table's NOT NULL checks: the writer refuses rather than write a wrong level
    Schema loose = Schema.of(Field.of("codes", new ColumnType.ArrayOf(ColumnType.of(DataType.STRING), true)));
    Frame data = Frame.of(Column.of("codes", loose.field("codes").columnType(),
        List.of(List.of("a"), Arrays.asList("b", null))));
    StructType strict = new StructType().add("codes",
        new io.delta.kernel.types.ArrayType(io.delta.kernel.types.StringType.STRING, false), true);
    Engine[] e = engines(Map.of());
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> write(e[1], dir.resolve("ours"), data, strict))
        .isInstanceOf(dev.mlops.core.SchemaMismatchException.class).hasMessageContaining("codes")
        .hasMessageContaining("row 1");
  }
}
