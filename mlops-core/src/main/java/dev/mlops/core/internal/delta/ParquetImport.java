package dev.mlops.core.internal.delta;

import dev.mlops.core.ColumnNotFoundException;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Filter;
import dev.mlops.core.Frame;
import dev.mlops.core.FrameStream;
import dev.mlops.core.Schema;
import dev.mlops.core.SchemaMismatchException;
import dev.mlops.core.StorageException;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.engine.FileReadResult;
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
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
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
 * Reads Parquet files written by any engine into frames, batch by batch: the footer of the first
 * file gives the schema (each Parquet type mapped to the SDK type that holds it exactly: tinyint,
 * smallint, float, decimal(p,s), timestamp_ntz keep their type); Kernel's Parquet reader decodes
 * the pages (dictionary and plain, v1 and v2, INT96, every codec), so every writer's files read the
 * same way Delta tables do. Files are read one after another; a batch holds at most the requested
 * rows, so memory does not grow with the file.
 */
public final class ParquetImport {
  private ParquetImport() {}

  /** One Parquet column: SDK field, the Kernel type to request, or why it cannot be read. */
  private record Col(String name, DataType type, io.delta.kernel.types.DataType kernel, String unsupported) {}

  private static volatile Engine engine;

  private static Engine engine() {
    Engine e = engine;
    if (e == null) {
      synchronized (ParquetImport.class) {
        if (engine == null) {
          Map<String, String> conf = new LinkedHashMap<>();
          conf.put("delta.kernel.default.parquet.reader.batch-size", "65536");
          engine = DefaultEngine.create(new LocalFileIO(conf));
        }
        e = engine;
      }
    }
    return e;
  }

  /**
   * The Parquet files of a file or folder, sorted by path; hidden files ({@code _x}, {@code .x})
   * and folders are skipped.
   *
   * @throws StorageException when there is none
   */
  public static List<Path> files(Path p) {
    if (!Files.exists(p)) {
      throw new StorageException("Cannot import " + p + ": nothing is there. Give a Parquet file or a folder of"
          + " Parquet files.", null);
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
      throw new StorageException("Cannot list folder " + p + ": " + e.getMessage(), e);
    }
    if (out.isEmpty()) {
      throw new StorageException("Folder " + p + " holds no Parquet file (*.parquet). Give a Parquet file or a folder"
          + " of them" + (Files.isDirectory(p.resolve("_delta_log")) ? "; it is a Delta table: open it with"
          + " ws.tables().atPath(\"" + p + "\")" : "") + ".", null);
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
      throw new StorageException("Cannot read the Parquet footer of " + file + ": " + e.getMessage()
          + ". Is it a Parquet file?", e);
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
        return new Col(n, null, null, "binary " + (a == null ? "" : a.toString()));
      default:
        return new Col(n, null, null, p.getPrimitiveTypeName().toString());
    }
  }

  /** The columns chosen (all when empty), checked. */
  private static List<Col> chosen(Path path, List<Path> files, List<String> columns) {
    List<Col> all = fileColumns(files.get(0));
    List<String> names = all.stream().map(Col::name).toList();
    List<Col> out = new ArrayList<>();
    if (columns.isEmpty()) {
      List<String> bad = new ArrayList<>();
      for (Col c : all) {
        if (c.unsupported() != null) {
          bad.add("'" + c.name() + "' (" + c.unsupported().strip() + ")");
        }
        out.add(c);
      }
      if (!bad.isEmpty()) {
        throw new SchemaMismatchException("Parquet " + path + " has column(s) of types the SDK cannot hold: " + bad
            + ". Leave them out with columns(...); the readable columns are "
            + all.stream().filter(c -> c.unsupported() == null).map(Col::name).toList() + ".");
      }
      return out;
    }
    for (String want : columns) {
      int i = names.indexOf(want);
      if (i < 0) {
        throw new ColumnNotFoundException(want, names, "Parquet " + path);
      }
      Col c = all.get(i);
      if (c.unsupported() != null) {
        throw new SchemaMismatchException("Column '" + want + "' of Parquet " + path + " is " + c.unsupported().strip()
            + ", a type the SDK cannot hold. Leave it out of columns(...).");
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
    List<Path> files = files(path);
    List<Col> out = chosen(path, files, columns);
    Schema outSchema = schemaOf(out);
    List<Col> read = new ArrayList<>(out);
    if (filter != null) {
      List<Col> all = fileColumns(files.get(0));
      Schema allSchema = schemaOf(all.stream().filter(c -> c.unsupported() == null).toList());
      FilterEval.validate(filter, allSchema, "Parquet " + path);
      for (String c : FilterEval.columns(filter)) {
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
    List<FileStatus> statuses = new ArrayList<>();
    for (Path f : files) {
      try {
        statuses.add(FileStatus.of(f.toUri().toString(), Files.size(f), Files.getLastModifiedTime(f).toMillis()));
      } catch (IOException e) {
        throw new StorageException("Cannot read " + f + ": " + e.getMessage(), e);
      }
    }
    CloseableIterator<FileReadResult> raw;
    try {
      raw = engine().getParquetHandler().readParquetFiles(Iters.of(statuses), physical, Optional.empty());
    } catch (IOException e) {
      throw new StorageException("Cannot read Parquet " + path + ": " + e.getMessage(), e);
    }
    return new Stream_(raw, path, readSchema, outSchema, filter, batchRows);
  }

  private static final class Stream_ implements FrameStream {
    private final CloseableIterator<FileReadResult> raw;
    private final Path path;
    private final Schema readSchema;
    private final Schema outSchema;
    private final Filter filter;
    private final int batchRows;
    private Frame carry; // rows read but not yet handed out
    private Frame ready;
    private boolean closed;

    Stream_(CloseableIterator<FileReadResult> raw, Path path, Schema readSchema, Schema outSchema, Filter filter,
        int batchRows) {
      this.raw = raw;
      this.path = path;
      this.readSchema = readSchema;
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
      String file = path.toString();
      try {
        while (rows < batchRows && raw.hasNext()) {
          FileReadResult r = raw.next();
          file = r.getFilePath();
          Frame f = BatchReader.toFrame(new FilteredColumnarBatch(r.getData(), Optional.empty()), readSchema);
          if (filter != null) {
            boolean[] keep = FilterEval.evaluate(filter, f);
            f = f.filter(i -> keep[i]);
          }
          if (f.rowCount() > 0) {
            parts.add(f.columnCount() == outSchema.size() ? f : f.select(outSchema.names()));
            rows += f.rowCount();
          }
        }
      } catch (UncheckedIOException e) {
        close();
        throw new StorageException("Cannot read Parquet file " + file + ": " + e.getCause().getMessage(), e);
      } catch (RuntimeException e) {
        if (e instanceof dev.mlops.core.MlopsException) {
          close();
          throw e;
        }
        close();
        throw new StorageException("Cannot read Parquet file " + file + " (of " + path + "): " + e.getMessage()
            + ". Files in one import must share the first file's column types.", e);
      }
      if (rows == 0) {
        close();
        return false;
      }
      Frame all = parts.size() == 1 ? parts.get(0) : Frame.concat(parts);
      if (all.rowCount() > batchRows) {
        carry = all.slice(batchRows, all.rowCount());
        all = all.slice(0, batchRows);
      }
      ready = all;
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
          throw new StorageException("Cannot close Parquet " + path + ": " + e.getMessage(), e);
        }
      }
    }
  }
}
