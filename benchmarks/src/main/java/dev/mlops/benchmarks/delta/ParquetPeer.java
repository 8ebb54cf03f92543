package dev.mlops.benchmarks.delta;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.InitContext;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.io.api.RecordMaterializer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

/**
 * The raw-Parquet peer: parquet-hadoop (parquet-mr, the library Delta Kernel's default engine writes
 * and reads with) driven directly from the same arrays, with the same codec (ZSTD), the same
 * writer defaults Kernel uses (ParquetWriter.Builder defaults: 128 MB row groups, 1 MB pages,
 * dictionary on), the same physical types (optional fields, INT64 TIMESTAMP(MICROS, UTC), UTF-8
 * binary strings) and the same record API (one row at a time through a RecordConsumer on write,
 * primitive converters into column arrays on read). What it leaves out is exactly the SDK + Delta
 * layer: frames, Kernel's column-vector adapters, statistics, the log and the commit.
 */
final class ParquetPeer {
  private ParquetPeer() {}

  static final MessageType SCHEMA = Types.buildMessage()
      .optional(PrimitiveTypeName.INT64).named("id")
      .optional(PrimitiveTypeName.INT64).named("k")
      .optional(PrimitiveTypeName.INT32).named("bucket")
      .optional(PrimitiveTypeName.DOUBLE).named("f1")
      .optional(PrimitiveTypeName.DOUBLE).named("f2")
      .optional(PrimitiveTypeName.DOUBLE).named("f3")
      .optional(PrimitiveTypeName.DOUBLE).named("f4")
      .optional(PrimitiveTypeName.DOUBLE).named("f5")
      .optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("cat")
      .optional(PrimitiveTypeName.INT64)
      .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS)).named("ts")
      .named("bench");

  /** Writes all rows to one file. */
  static void write(BenchRows rows, Path file) throws IOException {
    try (ParquetWriter<Integer> w = new Builder(new LocalOutputFile(file), rows)
        .withCompressionCodec(CompressionCodecName.ZSTD)
        .withWriteMode(org.apache.parquet.hadoop.ParquetFileWriter.Mode.OVERWRITE)
        .build()) {
      for (int i = 0; i < rows.n; i++) {
        w.write(i);
      }
    }
  }

  private static final class Builder extends ParquetWriter.Builder<Integer, Builder> {
    private final BenchRows rows;

    Builder(OutputFile out, BenchRows rows) {
      super(out);
      this.rows = rows;
    }

    @Override
    protected Builder self() {
      return this;
    }

    @Override
    protected WriteSupport<Integer> getWriteSupport(Configuration conf) {
      return new RowsWriteSupport(rows);
    }
  }

  /** Writes row i of the arrays. */
  private static final class RowsWriteSupport extends WriteSupport<Integer> {
    private final BenchRows r;
    private RecordConsumer c;

    RowsWriteSupport(BenchRows r) {
      this.r = r;
    }

    @Override
    public WriteContext init(Configuration configuration) {
      return new WriteContext(SCHEMA, new HashMap<>());
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
      this.c = recordConsumer;
    }

    @Override
    public void write(Integer boxed) {
      int i = boxed;
      c.startMessage();
      longField(0, "id", r.id[i]);
      longField(1, "k", r.k[i]);
      c.startField("bucket", 2);
      c.addInteger(r.bucket[i]);
      c.endField("bucket", 2);
      for (int j = 0; j < 5; j++) {
        String name = FIELD_NAMES[3 + j];
        c.startField(name, 3 + j);
        c.addDouble(r.f[j][i]);
        c.endField(name, 3 + j);
      }
      c.startField("cat", 8);
      c.addBinary(Binary.fromString(r.cat[i]));
      c.endField("cat", 8);
      longField(9, "ts", r.ts[i]);
      c.endMessage();
    }

    private void longField(int idx, String name, long v) {
      c.startField(name, idx);
      c.addLong(v);
      c.endField(name, idx);
    }
  }

  private static final String[] FIELD_NAMES = BenchRows.NAMES;

  /** What a read returns: the column arrays. */
  static final class Result {
    long[] id;
    long[] k;
    int[] bucket;
    double[][] f = new double[5][];
    String[] cat;
    long[] ts;
    int n;

    void ensure(int need) {
      if (id != null && id.length >= need) {
        return;
      }
      int cap = Math.max(need, id == null ? 1 << 16 : id.length * 2);
      id = grow(id, cap);
      k = grow(k, cap);
      ts = grow(ts, cap);
      bucket = bucket == null ? new int[cap] : java.util.Arrays.copyOf(bucket, cap);
      for (int j = 0; j < 5; j++) {
        f[j] = f[j] == null ? new double[cap] : java.util.Arrays.copyOf(f[j], cap);
      }
      cat = cat == null ? new String[cap] : java.util.Arrays.copyOf(cat, cap);
    }

    private static long[] grow(long[] a, int cap) {
      return a == null ? new long[cap] : java.util.Arrays.copyOf(a, cap);
    }
  }

  /** Reads every row of the file into arrays (sized from the footer). */
  static Result read(Path file) throws IOException {
    Result out = new Result();
    RowsReadSupport rs = new RowsReadSupport(out);
    try (ParquetReader<Result> reader = new ParquetReader.Builder<Result>(new LocalInputFile(file)) {
      @Override
      protected ReadSupport<Result> getReadSupport() {
        return rs;
      }
    }.build()) {
      while (reader.read() != null) {
        // each record is written into the arrays by the converters
      }
    }
    return out;
  }

  private static final class RowsReadSupport extends ReadSupport<Result> {
    private final Result out;

    RowsReadSupport(Result out) {
      this.out = out;
    }

    @Override
    public ReadContext init(InitContext context) {
      return new ReadContext(context.getFileSchema());
    }

    @Override
    public RecordMaterializer<Result> prepareForRead(Configuration configuration, Map<String, String> keyValueMetaData,
        MessageType fileSchema, ReadContext readContext) {
      return new RecordMaterializer<>() {
        private final RowConverter root = new RowConverter(out, fileSchema);

        @Override
        public Result getCurrentRecord() {
          return out;
        }

        @Override
        public GroupConverter getRootConverter() {
          return root;
        }
      };
    }
  }

  /** One converter per column, each storing into the current row of the arrays. */
  private static final class RowConverter extends GroupConverter {
    private final Result r;
    private final Converter[] convs;

    RowConverter(Result r, MessageType schema) {
      this.r = r;
      this.convs = new Converter[schema.getFieldCount()];
      for (int c = 0; c < convs.length; c++) {
        convs[c] = forColumn(schema.getFieldName(c));
      }
    }

    private Converter forColumn(String name) {
      switch (name) {
        case "id":
          return new PrimitiveConverter() {
            @Override
            public void addLong(long v) {
              r.id[r.n] = v;
            }
          };
        case "k":
          return new PrimitiveConverter() {
            @Override
            public void addLong(long v) {
              r.k[r.n] = v;
            }
          };
        case "ts":
          return new PrimitiveConverter() {
            @Override
            public void addLong(long v) {
              r.ts[r.n] = v;
            }
          };
        case "bucket":
          return new PrimitiveConverter() {
            @Override
            public void addInt(int v) {
              r.bucket[r.n] = v;
            }
          };
        case "cat":
          return new PrimitiveConverter() {
            @Override
            public void addBinary(Binary v) {
              r.cat[r.n] = v.toStringUsingUTF8();
            }
          };
        default:
          int j = Integer.parseInt(name.substring(1)) - 1;
          return new PrimitiveConverter() {
            @Override
            public void addDouble(double v) {
              r.f[j][r.n] = v;
            }
          };
      }
    }

    @Override
    public Converter getConverter(int fieldIndex) {
      return convs[fieldIndex];
    }

    @Override
    public void start() {
      r.ensure(r.n + 1);
    }

    @Override
    public void end() {
      r.n++;
    }
  }
}
