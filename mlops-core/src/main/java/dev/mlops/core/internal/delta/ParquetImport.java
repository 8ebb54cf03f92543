package dev.mlops.core.internal.delta;

import dev.mlops.core.ColumnNotFoundException;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.FileSchemaMismatchException;
import dev.mlops.core.Filter;
import dev.mlops.core.Frame;
import dev.mlops.core.FrameStream;
import dev.mlops.core.Schema;
import dev.mlops.core.SchemaMismatchException;
import dev.mlops.core.StorageException;
import dev.mlops.core.internal.Errors;
import io.delta.kernel.types.BinaryType;
import io.delta.kernel.types.BooleanType;
import io.delta.kernel.types.ByteType;
import io.delta.kernel.types.DateType;
import io.delta.kernel.types.DecimalType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.FloatType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.ShortType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampNTZType;
import io.delta.kernel.types.TimestampType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.stream.Stream;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * Reads Parquet files written by any engine into frames, batch by batch. The footers of the files
 * give the schema, united across files (a column missing from a file reads as nulls; a column whose
 * type differs between files is refused naming the file), each Parquet type mapped to the SDK type
 * that holds it exactly (tinyint, smallint, float, decimal(p,s), binary, timestamp_ntz keep their
 * type). {@link ParquetColumnsReader} decodes the pages (page by page with the columnar reader's
 * bulk decoding, or with parquet-mr's column readers for what that one does not convert: dictionary
 * and plain, v1 and v2, INT96, every codec) straight into column arrays. Files are read one after
 * another, a row group at a time; a batch holds at most the requested rows, so memory does not grow
 * with the file.
 */
public final class ParquetImport {
  private ParquetImport() {}

  /** One Parquet column: SDK field, the Kernel type to request, or why it cannot be read. */
  private record Col(String name, DataType type, io.delta.kernel.types.DataType kernel, String unsupported) {}

  /**
   * The Parquet files of a file or folder, sorted by path; hidden files ({@code _x}, {@code .x})
   * and folders are skipped.
   *
   * @throws StorageException when there is none
   */
  public static List<Path> files(Path p) {
    if (!Files.exists(p)) {
      throw Errors.importNothingParquetFile(p);
    }
    if (Files.isRegularFile(p)) {
      return List.of(p);
    }
    List<Path> out;
    try (Stream<Path> s = Files.walk(p)) {
      out = s.filter(Files::isRegularFile).filter(f -> visible(p, f))
          .filter(f -> f.getFileName().toString().endsWith(".parquet") || f.getFileName().toString().endsWith(".parq"))
          .sorted().toList();
    } catch (IOException e) {
      throw Errors.listFolder(p, e.getMessage(), e);
    }
    if (out.isEmpty()) {
      throw Errors.noParquetInFolder(p, Files.isDirectory(p.resolve("_delta_log")));
    }
    return out;
  }

  private static boolean visible(Path root, Path f) {
    for (Path part : root.relativize(f)) {
      String n = part.toString();
      if (n.startsWith("_") || n.startsWith(".")) {
        return false;
      }
    }
    return true;
  }

  private static List<Col> fileColumns(Path file) {
    MessageType schema;
    ParquetReadOptions options = ParquetReadOptions.builder(new PlainParquetConfiguration()).build();
    try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(file), options)) {
      schema = r.getFooter().getFileMetaData().getSchema();
    } catch (IOException | RuntimeException e) {
      throw Errors.readParquetFooterParquet(file, e.getMessage(), e);
    }
    List<Col> out = new ArrayList<>();
    for (Type t : schema.getFields()) {
      out.add(map(t));
    }
    return out;
  }

  private static Col map(Type t) {
    String n = t.getName();
    if (!t.isPrimitive()) {
      return new Col(n, null, null, "a nested group " + t.getLogicalTypeAnnotation());
    }
    if (t.isRepetition(Type.Repetition.REPEATED)) {
      return new Col(n, null, null, "a repeated column");
    }
    PrimitiveType p = t.asPrimitiveType();
    LogicalTypeAnnotation a = p.getLogicalTypeAnnotation();
    switch (p.getPrimitiveTypeName()) {
      case BOOLEAN:
        return new Col(n, DataType.BOOLEAN, BooleanType.BOOLEAN, null);
      case INT32:
        if (a == null) {
          return new Col(n, DataType.INT, IntegerType.INTEGER, null);
        }
        if (a instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation) {
          return new Col(n, DataType.DATE, DateType.DATE, null);
        }
        if (a instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation d) {
          return new Col(n, DataType.DOUBLE, new DecimalType(d.getPrecision(), d.getScale()), null);
        }
        if (a instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation i && i.isSigned()) {
          io.delta.kernel.types.DataType k = i.getBitWidth() == 8 ? ByteType.BYTE
              : i.getBitWidth() == 16 ? ShortType.SHORT : IntegerType.INTEGER;
          return new Col(n, DataType.INT, k, null);
        }
        return new Col(n, null, null, "INT32 " + a);
      case INT64:
        if (a == null || a instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation i && i.isSigned()) {
          return new Col(n, DataType.LONG, LongType.LONG, null);
        }
        if (a instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation ts) {
          return new Col(n, DataType.TIMESTAMP, ts.isAdjustedToUTC() ? TimestampType.TIMESTAMP
              : TimestampNTZType.TIMESTAMP_NTZ, null);
        }
        if (a instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation d) {
          return new Col(n, DataType.DOUBLE, new DecimalType(d.getPrecision(), d.getScale()), null);
        }
        return new Col(n, null, null, "INT64 " + a);
      case INT96:
        return new Col(n, DataType.TIMESTAMP, TimestampType.TIMESTAMP, null);
      case FLOAT:
        return new Col(n, DataType.DOUBLE, FloatType.FLOAT, null);
      case DOUBLE:
        return new Col(n, DataType.DOUBLE, DoubleType.DOUBLE, null);
      case BINARY:
      case FIXED_LEN_BYTE_ARRAY:
        if (a instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
            || a instanceof LogicalTypeAnnotation.EnumLogicalTypeAnnotation
            || a instanceof LogicalTypeAnnotation.JsonLogicalTypeAnnotation) {
          return new Col(n, DataType.STRING, StringType.STRING, null);
        }
        if (a instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation d) {
          return new Col(n, DataType.DOUBLE, new DecimalType(d.getPrecision(), d.getScale()), null);
        }
        if (a == null && p.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.BINARY) {
          return new Col(n, DataType.BINARY, BinaryType.BINARY, null); // Spark's and DuckDB's BINARY/BLOB
        }
        return new Col(n, null, null, "binary " + (a == null ? "" : a.toString()));
      default:
        return new Col(n, null, null, p.getPrimitiveTypeName().toString());
    }
  }

  /** The united columns of a set of files, and the first type conflict found for each column. */
  private record United(List<Col> cols, Map<String, FileSchemaMismatchException> conflicts) {
    /** Fails when the column's type differs between files. */
    void check(String column) {
      FileSchemaMismatchException e = conflicts.get(column);
      if (e != null) {
        throw new FileSchemaMismatchException(e.file(), e.column(), e.getMessage());
      }
    }
  }

  /**
   * The columns of all files, united: the first file's columns in its order, then columns that first
   * appear in later files (files without a column read it as nulls). A column whose type in a later
   * file differs from its type in an earlier one fails the import when it is read, naming both files
   * and types.
   */
  private static United unitedColumns(Path path, List<Path> files) {
    Map<String, Col> all = new LinkedHashMap<>();
    Map<String, Path> seenIn = new LinkedHashMap<>();
    Map<String, FileSchemaMismatchException> conflicts = new LinkedHashMap<>();
    for (Path f : files) {
      for (Col c : fileColumns(f)) {
        Col prev = all.get(c.name());
        if (prev == null) {
          all.put(c.name(), c);
          seenIn.put(c.name(), f);
        } else if (!sameType(prev, c) && !conflicts.containsKey(c.name())) {
          conflicts.put(c.name(), Errors.columnParquetFileFiles(f, c.name(), describe(c), describe(prev),
              seenIn.get(c.name()), path));
        }
      }
    }
    return new United(new ArrayList<>(all.values()), conflicts);
  }

  private static boolean sameType(Col a, Col b) {
    if (a.unsupported() != null || b.unsupported() != null) {
      return a.unsupported() != null && b.unsupported() != null;
    }
    return a.kernel().equals(b.kernel());
  }

  private static String describe(Col c) {
    return c.unsupported() != null ? c.unsupported().strip()
        : TypeMapping.fromKernel(c.kernel()).map(Object::toString).orElse(c.kernel().toString());
  }

  /** The columns chosen (all when empty), checked. */
  private static List<Col> chosen(Path path, List<Path> files, List<String> columns) {
    United united = unitedColumns(path, files);
    List<Col> all = united.cols();
    List<String> names = all.stream().map(Col::name).toList();
    List<Col> out = new ArrayList<>();
    if (columns.isEmpty()) {
      List<String> bad = new ArrayList<>();
      for (Col c : all) {
        united.check(c.name());
        if (c.unsupported() != null) {
          bad.add("'" + c.name() + "' (" + c.unsupported().strip() + ")");
        }
        out.add(c);
      }
      if (!bad.isEmpty()) {
        throw Errors.parquetColumnSTypes(path, bad,
            all.stream().filter(c -> c.unsupported() == null).map(Col::name).toList());
      }
      return out;
    }
    for (String want : columns) {
      int i = names.indexOf(want);
      if (i < 0) {
        throw Errors.columnNotInParquet(want, names, path);
      }
      Col c = all.get(i);
      united.check(want);
      if (c.unsupported() != null) {
        throw Errors.columnParquetTypeSdk(want, path, c.unsupported().strip());
      }
      out.add(c);
    }
    return out;
  }

  private static Schema schemaOf(List<Col> cols) {
    List<Field> fields = new ArrayList<>();
    for (Col c : cols) {
      // exact: the SDK type of the Kernel type the file is read with (no widening since every Delta type exists)
      fields.add(Field.of(c.name(), TypeMapping.fromKernel(c.kernel()).orElseThrow()));
    }
    return new Schema(fields);
  }

  /** The SDK schema of the chosen columns. */
  public static Schema schema(Path path, List<String> columns) {
    return schemaOf(chosen(path, files(path), columns));
  }

  /** Streams the files' rows (projection, then filter) in batches of at most batchRows. */
  public static FrameStream open(Path path, List<String> columns, Filter filter, int batchRows) {
    return open(path, columns, filter, batchRows, false);
  }

  /**
   * As {@link #open(Path, List, Filter, int)}; general: every file through parquet-mr's column readers
   * (the tests compare the page-level reader with them).
   */
  static FrameStream open(Path path, List<String> columns, Filter filter, int batchRows, boolean general) {
    List<Path> files = files(path);
    List<Col> out = chosen(path, files, columns);
    Schema outSchema = schemaOf(out);
    List<Col> read = new ArrayList<>(out);
    if (filter != null) {
      United united = unitedColumns(path, files);
      List<Col> all = united.cols();
      Schema allSchema = schemaOf(all.stream().filter(c -> c.unsupported() == null).toList());
      FilterEval.validate(filter, allSchema, "Parquet " + path);
      for (String c : FilterEval.columns(filter)) {
        united.check(c);
        if (read.stream().noneMatch(x -> x.name().equals(c))) {
          read.add(all.stream().filter(x -> x.name().equals(c)).findFirst().orElseThrow());
        }
      }
    }
    Schema readSchema = schemaOf(read);
    List<StructField> kf = new ArrayList<>();
    for (Col c : read) {
      kf.add(new StructField(c.name(), c.kernel(), true));
    }
    StructType physical = new StructType(kf);
    return new Stream_(new ParquetColumnsReader(files, physical, readSchema, batchRows, general), path, outSchema, filter,
        batchRows);
  }

  private static final class Stream_ implements FrameStream {
    private final ParquetColumnsReader raw;
    private final Path path;
    private final Schema outSchema;
    private final Filter filter;
    private final int batchRows;
    private Frame carry; // a batch read but not yet handed out (it did not fit the previous one)
    private Frame ready;
    private boolean closed;

    Stream_(ParquetColumnsReader raw, Path path, Schema outSchema, Filter filter, int batchRows) {
      this.raw = raw;
      this.path = path;
      this.outSchema = outSchema;
      this.filter = filter;
      this.batchRows = batchRows;
    }

    @Override
    public Schema schema() {
      return outSchema;
    }

    @Override
    public boolean hasNext() {
      if (ready != null) {
        return true;
      }
      if (closed) {
        return false;
      }
      List<Frame> parts = new ArrayList<>();
      int rows = 0;
      if (carry != null) {
        parts.add(carry);
        rows = carry.rowCount();
        carry = null;
      }
      try {
        // the reader's batches (at most batchRows, within one row group) are handed out whole; small ones
        // (after a filter, or at the end of a row group) are joined up to batchRows
        while (rows < batchRows) {
          Frame f = raw.next();
          if (f == null) {
            break;
          }
          if (filter != null) {
            boolean[] keep = FilterEval.evaluate(filter, f);
            f = f.filter(i -> keep[i]);
          }
          if (f.rowCount() == 0) {
            continue;
          }
          f = f.columnCount() == outSchema.size() ? f : f.select(outSchema.names());
          if (rows > 0 && rows + f.rowCount() > batchRows) {
            carry = f;
            break;
          }
          parts.add(f);
          rows += f.rowCount();
        }
      } catch (IOException e) {
        String file = String.valueOf(raw.file());
        close();
        throw Errors.readParquetFileWhole(file, path, e.getMessage(), e);
      } catch (UncheckedIOException e) {
        String file = String.valueOf(raw.file());
        close();
        throw Errors.readParquetFile(file, e.getCause().getMessage(), e);
      } catch (RuntimeException e) {
        if (e instanceof dev.mlops.core.MlopsException) {
          close();
          throw e;
        }
        String file = String.valueOf(raw.file());
        close();
        throw Errors.readParquetFileWhole(file, path, e.getMessage(), e);
      }
      if (rows == 0) {
        close();
        return false;
      }
      ready = parts.size() == 1 ? parts.get(0) : Frame.concat(parts);
      return true;
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

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        try {
          raw.close();
        } catch (IOException e) {
          throw Errors.closeParquet(path, e.getMessage(), e);
        }
      }
    }
  }
}
