package dev.mlops.core.internal.delta;

import io.delta.kernel.defaults.engine.fileio.FileIO;
import io.delta.kernel.expressions.Column;
import io.delta.kernel.expressions.Literal;
import io.delta.kernel.statistics.DataFileStatistics;
import io.delta.kernel.types.BinaryType;
import io.delta.kernel.types.BooleanType;
import io.delta.kernel.types.ByteType;
import io.delta.kernel.types.DataType;
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
import io.delta.kernel.utils.DataFileStatus;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.statistics.BinaryStatistics;
import org.apache.parquet.column.statistics.IntStatistics;
import org.apache.parquet.column.statistics.LongStatistics;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.format.converter.ParquetMetadataConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;
import org.apache.parquet.schema.LogicalTypeAnnotation;

/**
 * Delta file statistics (row count, per-column min, max and null count) of a written data file,
 * from its Parquet footer. Kernel's default engine does this in a class compiled against the
 * relocated Guava of Hadoop's shaded client jar (hadoop-client-runtime, 30 MB), which the SDK does
 * not ship; so the SDK asks Kernel's writer for no statistics and adds them here, with the same
 * rules: a column gets statistics only when every row group has valid ones; an all-null column has
 * null min and max; timestamps are INT64 microseconds as Kernel writes them.
 */
final class FooterStats {
  private FooterStats() {}

  /** The written file with statistics for {@code statsColumns} (physical column paths). */
  static DataFileStatus withStats(FileIO io, DataFileStatus file, StructType dataSchema, List<Column> statsColumns)
      throws IOException {
    ParquetMetadata footer;
    try (ParquetFileReader r = ParquetFileReader.open(inputFile(io, file.getPath(), file.getSize()),
        ParquetReadOptions.builder(new PlainParquetConfiguration()).build())) {
      footer = r.getFooter();
    }
    return new DataFileStatus(file.getPath(), file.getSize(), file.getModificationTime(),
        Optional.of(of(footer, dataSchema, statsColumns)));
  }

  /**
   * The file just written with statistics for {@code statsColumns}, from its writer's footer as it
   * holds it in memory: each chunk's statistics go through parquet-mr's own conversion to the file's
   * form and back, so they are the ones {@link #withStats} reads from the file (no min and max for a
   * chunk with NaN, -0.0 and 0.0 widened, none at all beyond its size limit), without opening and
   * parsing the file again (a read per data file, 4% of the inference log's commit CPU).
   */
  static DataFileStatus withStats(DataFileStatus file, ParquetMetadata written, StructType dataSchema,
      List<Column> statsColumns) {
    return new DataFileStatus(file.getPath(), file.getSize(), file.getModificationTime(),
        Optional.of(of(written, dataSchema, statsColumns, written.getFileMetaData().getCreatedBy())));
  }

  private static final ParquetMetadataConverter CONVERTER = new ParquetMetadataConverter();

  /** Statistics of a footer for the given physical column paths of {@code dataSchema}. */
  static DataFileStatistics of(ParquetMetadata footer, StructType dataSchema, List<Column> statsColumns) {
    return of(footer, dataSchema, statsColumns, null);
  }

  /**
   * As {@link #of(ParquetMetadata, StructType, List)}; {@code createdBy} non-null when the footer is a
   * writer's in memory, whose chunk statistics are then taken as a reader of the file would see them.
   */
  private static DataFileStatistics of(ParquetMetadata footer, StructType dataSchema, List<Column> statsColumns,
      String createdBy) {
    long rows = 0;
    Map<Column, List<ColumnChunkMetaData>> chunks = new LinkedHashMap<>();
    for (BlockMetaData block : footer.getBlocks()) {
      rows += block.getRowCount();
      for (ColumnChunkMetaData c : block.getColumns()) {
        chunks.computeIfAbsent(new Column(c.getPath().toArray()), k -> new ArrayList<>()).add(c);
      }
    }
    Map<Column, Literal> min = new HashMap<>();
    Map<Column, Literal> max = new HashMap<>();
    Map<Column, Long> nulls = new HashMap<>();
    for (Column col : statsColumns) {
      DataType type = typeOf(dataSchema, col.getNames());
      List<ColumnChunkMetaData> list = chunks.get(col);
      if (type == null || list == null || !supported(type)) {
        continue;
      }
      Statistics<?> merged = merge(list, createdBy);
      if (merged == null) {
        continue;
      }
      long n = merged.getNumNulls();
      nulls.put(col, n);
      if (n == rows) {
        min.put(col, Literal.ofNull(type));
        max.put(col, Literal.ofNull(type));
        continue;
      }
      Literal lo = literal(type, merged, true);
      Literal hi = literal(type, merged, false);
      if (lo != null) {
        min.put(col, lo);
      }
      if (hi != null) {
        max.put(col, hi);
      }
    }
    return new DataFileStatistics(rows, min, max, nulls, Optional.empty());
  }

  /** Merged statistics of a column over all row groups; null when any row group has none usable. */
  private static Statistics<?> merge(List<ColumnChunkMetaData> list, String createdBy) {
    Statistics<?> out = null;
    for (ColumnChunkMetaData c : list) {
      Statistics<?> s = createdBy == null ? c.getStatistics() : asRead(c.getStatistics(), createdBy);
      if (s == null || s.isEmpty() || !s.isNumNullsSet()) {
        return null;
      }
      // parquet-mr drops min/max of a chunk with NaN (hasNonNullValue false although not all null)
      if (!s.hasNonNullValue() && s.getNumNulls() != c.getValueCount()) {
        return null;
      }
      if (out == null) {
        out = s.copy();
      } else {
        out.mergeStatistics(s);
      }
    }
    return out;
  }

  /** A written chunk's statistics as a reader of the file gets them: through the footer's form and back. */
  private static Statistics<?> asRead(Statistics<?> s, String createdBy) {
    if (s == null) {
      return null;
    }
    return CONVERTER.fromParquetStatistics(createdBy, ParquetMetadataConverter.toParquetStatistics(s), s.type());
  }

  private static boolean supported(DataType t) {
    return t instanceof BooleanType || t instanceof ByteType || t instanceof ShortType || t instanceof IntegerType
        || t instanceof LongType || t instanceof FloatType || t instanceof DoubleType || t instanceof DecimalType
        || t instanceof DateType || t instanceof TimestampType || t instanceof TimestampNTZType
        || t instanceof StringType || t instanceof BinaryType;
  }

  private static Literal literal(DataType t, Statistics<?> s, boolean lowest) {
    Object v = lowest ? s.genericGetMin() : s.genericGetMax();
    if (v == null) {
      return null;
    }
    if (t instanceof BooleanType) {
      return Literal.ofBoolean((Boolean) v);
    } else if (t instanceof ByteType) {
      return Literal.ofByte(((Number) v).byteValue());
    } else if (t instanceof ShortType) {
      return Literal.ofShort(((Number) v).shortValue());
    } else if (t instanceof IntegerType) {
      return Literal.ofInt(((Number) v).intValue());
    } else if (t instanceof LongType) {
      return Literal.ofLong(((Number) v).longValue());
    } else if (t instanceof FloatType) {
      return Literal.ofFloat(((Number) v).floatValue());
    } else if (t instanceof DoubleType) {
      return Literal.ofDouble(((Number) v).doubleValue());
    } else if (t instanceof DateType) {
      return s instanceof IntStatistics ? Literal.ofDate((Integer) v) : null;
    } else if (t instanceof TimestampType) {
      return s instanceof LongStatistics ? Literal.ofTimestamp((Long) v) : null;
    } else if (t instanceof TimestampNTZType) {
      return s instanceof LongStatistics ? Literal.ofTimestampNtz((Long) v) : null;
    } else if (t instanceof StringType) {
      return Literal.ofString(new String(bytes(s, lowest), StandardCharsets.UTF_8));
    } else if (t instanceof BinaryType) {
      return Literal.ofBinary(bytes(s, lowest));
    } else if (t instanceof DecimalType d) {
      LogicalTypeAnnotation a = s.type().getLogicalTypeAnnotation();
      if (!(a instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation da) || da.getScale() != d.getScale()) {
        return null; // not a decimal as Delta declares it: no statistics rather than wrong ones
      }
      BigDecimal value;
      if (s instanceof IntStatistics) {
        value = BigDecimal.valueOf((Integer) v, d.getScale());
      } else if (s instanceof LongStatistics) {
        value = BigDecimal.valueOf((Long) v, d.getScale());
      } else if (s instanceof BinaryStatistics) {
        value = new BigDecimal(new BigInteger(bytes(s, lowest)), d.getScale());
      } else {
        return null;
      }
      return Literal.ofDecimal(value, d.getPrecision(), d.getScale());
    }
    return null;
  }

  private static byte[] bytes(Statistics<?> s, boolean lowest) {
    return lowest ? s.getMinBytes() : s.getMaxBytes();
  }

  /** The type at a physical path of nested struct fields, or null. */
  private static DataType typeOf(StructType schema, String[] path) {
    DataType t = schema;
    for (String name : path) {
      if (!(t instanceof StructType st)) {
        return null;
      }
      StructField f = null;
      for (StructField candidate : st.fields()) {
        if (candidate.getName().equals(name)) {
          f = candidate;
          break;
        }
      }
      if (f == null) {
        return null;
      }
      t = f.getDataType();
    }
    return t;
  }

  /** A Parquet input file over Kernel's file I/O (local disk or a Hadoop filesystem alike). */
  private static InputFile inputFile(FileIO io, String path, long size) {
    io.delta.kernel.defaults.engine.fileio.InputFile f = io.newInputFile(path, size);
    return new InputFile() {
      @Override
      public long getLength() throws IOException {
        return f.length();
      }

      @Override
      public SeekableInputStream newStream() throws IOException {
        io.delta.kernel.defaults.engine.fileio.SeekableInputStream in = f.newStream();
        return new DelegatingSeekableInputStream(in) {
          @Override
          public long getPos() throws IOException {
            return in.getPos();
          }

          @Override
          public void seek(long newPos) throws IOException {
            in.seek(newPos);
          }
        };
      }
    };
  }
}
