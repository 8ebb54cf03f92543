package dev.mlops.core;

import dev.mlops.core.internal.Csv;
import dev.mlops.core.internal.Errors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A CSV file (RFC 4180) read in batches, so files of any size import in bounded memory. Column types
 * are inferred from the first {@link #sampleRows} records (LONG, DOUBLE, BOOLEAN, DATE, TIMESTAMP,
 * else STRING) unless given per column with {@link #type} or in full with {@link #schema}. An unquoted
 * empty field, or an unquoted {@link #nullTokens null token}, is null; a quoted one is text.
 * Timestamps without an offset are read in {@link #zone} (UTC by default). Errors name the line and
 * column. Immutable: each method returns a changed copy.
 *
 * <pre>{@code
 * FrameSource orders = CsvSource.of(Path.of("orders.csv"))
 *     .nullTokens("NA", "NULL")
 *     .type("zip", DataType.STRING)          // "01234" stays text
 *     .zone(ZoneId.of("Europe/Oslo"))        // "2026-03-01 09:00" is Oslo time
 *     .columns("order_id", "zip", "placed_at")
 *     .filter(Filter.isNotNull("zip"));
 * ws.tables().create("main.raw.orders").createFrom(orders);
 * Frame small = CsvSource.of(Path.of("tiny.csv")).load();
 * }</pre>
 */
public final class CsvSource implements FrameSource {
  /** Rows per batch unless set with {@link #batchRows}. */
  public static final int DEFAULT_BATCH_ROWS = 1 << 17;

  private final Path path;
  private final Csv.Options options;
  private final List<String> columns;
  private final Filter filter;
  private final int batchRows;

  private CsvSource(Path path, Csv.Options options, List<String> columns, Filter filter, int batchRows) {
    this.path = path;
    this.options = options;
    this.columns = List.copyOf(columns);
    this.filter = filter;
    this.batchRows = batchRows;
  }

  /**
   * A CSV file with a header line, comma-separated, UTF-8.
   *
   * @throws StorageException when the file does not exist
   */
  public static CsvSource of(Path file) {
    Path p = Objects.requireNonNull(file, "file").toAbsolutePath().normalize();
    if (!Files.isRegularFile(p)) {
      throw Errors.readCsvFile(p, Files.exists(p));
    }
    return new CsvSource(p, Csv.Options.defaults(), List.of(), null, DEFAULT_BATCH_ROWS);
  }

  private CsvSource with(Csv.Options o) {
    return new CsvSource(path, o, columns, filter, batchRows);
  }

  /** Whether the first line names the columns (default true); without, columns are c1, c2, ... */
  public CsvSource header(boolean present) {
    Csv.Options o = options;
    return with(new Csv.Options(present, o.names(), o.delimiter(), o.quote(), o.nullTokens(), o.types(), o.schema(),
        o.sampleRows(), o.zone()));
  }

  /** Column names for a file without a header line (implies {@code header(false)}). */
  public CsvSource columnNames(String... names) {
    Csv.Options o = options;
    return with(new Csv.Options(false, Arrays.asList(names), o.delimiter(), o.quote(), o.nullTokens(), o.types(),
        o.schema(), o.sampleRows(), o.zone()));
  }

  /** The field separator (default ','; e.g. ';' or '\t'). */
  public CsvSource delimiter(char c) {
    Csv.Options o = options;
    if (c == o.quote() || c == '\n' || c == '\r') {
      throw Errors.delimiterQuoteLineBreak(Character.getName(c));
    }
    return with(new Csv.Options(o.header(), o.names(), c, o.quote(), o.nullTokens(), o.types(), o.schema(),
        o.sampleRows(), o.zone()));
  }

  /** Unquoted texts that mean null, e.g. "NA", "NULL", "\\N" (the empty field always means null). */
  public CsvSource nullTokens(String... tokens) {
    Csv.Options o = options;
    return with(new Csv.Options(o.header(), o.names(), o.delimiter(), o.quote(), Set.of(tokens), o.types(),
        o.schema(), o.sampleRows(), o.zone()));
  }

  /** Reads this column as this type instead of inferring it. */
  public CsvSource type(String column, DataType type) {
    Csv.Options o = options;
    Map<String, DataType> t = new LinkedHashMap<>(o.types());
    t.put(Objects.requireNonNull(column, "column"), Objects.requireNonNull(type, "type"));
    return with(new Csv.Options(o.header(), o.names(), o.delimiter(), o.quote(), o.nullTokens(), t, o.schema(),
        o.sampleRows(), o.zone()));
  }

  /** Every column's name and type, in file order (nothing inferred; the header must match). */
  public CsvSource schema(Schema schema) {
    Csv.Options o = options;
    return with(new Csv.Options(o.header(), o.names(), o.delimiter(), o.quote(), o.nullTokens(), o.types(),
        Objects.requireNonNull(schema, "schema"), o.sampleRows(), o.zone()));
  }

  /**
   * Records read to infer types (default 10,000).
   *
   * @throws IllegalArgumentException when not positive
   */
  public CsvSource sampleRows(int rows) {
    if (rows <= 0) {
      throw Errors.sampleRowsPositive(rows);
    }
    Csv.Options o = options;
    return with(new Csv.Options(o.header(), o.names(), o.delimiter(), o.quote(), o.nullTokens(), o.types(),
        o.schema(), rows, o.zone()));
  }

  /** Zone of timestamps written without an offset (default UTC). */
  public CsvSource zone(ZoneId zone) {
    Csv.Options o = options;
    return with(new Csv.Options(o.header(), o.names(), o.delimiter(), o.quote(), o.nullTokens(), o.types(),
        o.schema(), o.sampleRows(), Objects.requireNonNull(zone, "zone")));
  }

  /** Only these columns, in this order (default: every column). */
  public CsvSource columns(String... names) {
    return new CsvSource(path, options, Arrays.asList(names), filter, batchRows);
  }

  /** Only rows where the filter holds (its columns need not be among {@link #columns}). */
  public CsvSource filter(Filter where) {
    return new CsvSource(path, options, columns, Objects.requireNonNull(where, "filter"), batchRows);
  }

  /**
   * Rows per batch (default {@value #DEFAULT_BATCH_ROWS}).
   *
   * @throws IllegalArgumentException when not positive
   */
  public CsvSource batchRows(int rows) {
    if (rows <= 0) {
      throw Errors.batchRowsPositive(rows);
    }
    return new CsvSource(path, options, columns, filter, rows);
  }

  /** The file. */
  public Path path() {
    return path;
  }

  /** The filter, if any. */
  public Optional<Filter> filter() {
    return Optional.ofNullable(filter);
  }

  /**
   * The columns batches will have (reads the header and the type sample).
   *
   * @throws SchemaMismatchException for a malformed header
   */
  @Override
  public Schema schema() {
    return Csv.schema(path, options, columns);
  }

  @Override
  public FrameStream open() {
    return Csv.open(path, options, columns, filter, batchRows);
  }

  @Override
  public String describe() {
    return "CSV file " + path;
  }

  @Override
  public String toString() {
    return "CsvSource[" + path + (columns.isEmpty() ? "" : " columns=" + columns) + "]";
  }
}
