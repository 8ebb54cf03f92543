package dev.mlops.core;

import dev.mlops.core.internal.Errors;
import dev.mlops.core.internal.delta.ParquetImport;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A Parquet file, or a folder of Parquet files (as Spark, DuckDB, pandas/pyarrow or parquet-hadoop
 * write them; {@code _SUCCESS}, {@code .crc} and other hidden files are skipped), read in batches.
 * Immutable: each method returns a changed copy.
 *
 * <p>Types are kept exactly: 8/16/32/64-bit signed integers as BYTE/SHORT/INT/LONG, FLOAT, DOUBLE,
 * DECIMAL(p,s), BOOLEAN, strings (UTF8/ENUM/JSON) as STRING, plain binary as BINARY, DATE, INT96
 * and UTC-adjusted INT64 timestamps (millis, micros, nanos) as TIMESTAMP, local (not UTC-adjusted)
 * ones as TIMESTAMP_NTZ. Nested, repeated and unsigned columns are refused unless left out with
 * {@link #columns}.
 *
 * <p>A folder's files are united: a column missing from some files reads as nulls there; a column
 * whose type differs between files fails with {@link FileSchemaMismatchException} naming the file
 * and the column, before any row is read.
 *
 * <pre>{@code
 * FrameSource s = ParquetSource.of(Path.of("exports/features.parquet"))
 *     .columns("customer_id", "as_of", "spend_30d")
 *     .filter(Filter.ge("as_of", Instant.parse("2026-01-01T00:00:00Z")));
 * try (FrameStream batches = s.open()) {
 *   batches.forEachRemaining(b -> System.out.println(b.rowCount()));
 * }
 * DeltaTable t = ws.tables().create("main.raw.features").createFrom(s);   // bounded memory
 * }</pre>
 */
public final class ParquetSource implements FrameSource {
  /** Rows per batch unless set with {@link #batchRows}. */
  public static final int DEFAULT_BATCH_ROWS = 1 << 17;

  private final Path path;
  private final List<String> columns;
  private final Filter filter;
  private final int batchRows;

  private ParquetSource(Path path, List<String> columns, Filter filter, int batchRows) {
    this.path = path;
    this.columns = List.copyOf(columns);
    this.filter = filter;
    this.batchRows = batchRows;
  }

  /**
   * A Parquet file or a folder of them (searched recursively).
   *
   * @throws StorageException when the path does not exist or a folder holds no Parquet file
   */
  public static ParquetSource of(Path fileOrFolder) {
    Path p = Objects.requireNonNull(fileOrFolder, "path").toAbsolutePath().normalize();
    ParquetImport.files(p); // fail now, naming the path, rather than at the first read
    return new ParquetSource(p, List.of(), null, DEFAULT_BATCH_ROWS);
  }

  /** Only these columns, in this order (default: every column). */
  public ParquetSource columns(String... names) {
    return new ParquetSource(path, Arrays.asList(names), filter, batchRows);
  }

  /** Only rows where the filter holds (its columns need not be among {@link #columns}). */
  public ParquetSource filter(Filter where) {
    return new ParquetSource(path, columns, Objects.requireNonNull(where, "filter"), batchRows);
  }

  /**
   * Rows per batch (default {@value #DEFAULT_BATCH_ROWS}).
   *
   * @throws IllegalArgumentException when not positive
   */
  public ParquetSource batchRows(int rows) {
    if (rows <= 0) {
      throw Errors.batchRowsPositive(rows);
    }
    return new ParquetSource(path, columns, filter, rows);
  }

  /** The file or folder. */
  public Path path() {
    return path;
  }

  /** The projection (empty = all columns). */
  public List<String> columns() {
    return columns;
  }

  /** The filter, if any. */
  public Optional<Filter> filter() {
    return Optional.ofNullable(filter);
  }

  /**
   * The columns batches will have.
   *
   * @throws SchemaMismatchException for a requested column that is missing or of a type the SDK cannot hold
   */
  @Override
  public Schema schema() {
    return ParquetImport.schema(path, columns);
  }

  /** Starts reading the files in path order. */
  @Override
  public FrameStream open() {
    return ParquetImport.open(path, columns, filter, batchRows);
  }

  @Override
  public String describe() {
    return "Parquet " + path;
  }

  @Override
  public String toString() {
    return "ParquetSource[" + path + (columns.isEmpty() ? "" : " columns=" + columns)
        + (filter == null ? "" : " filter=" + filter) + "]";
  }
}
