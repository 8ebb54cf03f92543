package dev.mlops.core.internal.delta;

import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.defaults.engine.fileio.FileIO;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.engine.ExpressionHandler;
import io.delta.kernel.engine.FileReadResult;
import io.delta.kernel.engine.FileSystemClient;
import io.delta.kernel.engine.JsonHandler;
import io.delta.kernel.engine.MetricsReporter;
import io.delta.kernel.engine.ParquetHandler;
import io.delta.kernel.expressions.Column;
import io.delta.kernel.expressions.Predicate;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.DataFileStatus;
import io.delta.kernel.utils.FileStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * Kernel's default engine with these changes to Parquet: data files on local disk are read by
 * {@link ColumnarParquet} when it can (falling back to the default reader file by file); a file in a
 * codec the SDK cannot decompress fails with a typed error naming it; Spark's legacy-calendar dates
 * and timestamps are rebased in both readers ({@link SparkCalendar}); data files of the SDK's own flat
 * batches are written column by column by {@link ColumnarParquetWriter}, anything else by Kernel's
 * writer, whose files get their statistics from {@link FooterStats} (Kernel's own reader of them
 * needs Hadoop's shaded client jar, which the SDK does not ship); and every data file the SDK writes
 * carries Spark's writer-version footer key. Kernel's metrics reports go to DEBUG ({@link #REPORTERS}), and
 * its JSON handler passes {@link dev.mlops.core.internal.Pacing} points ({@link PacedJson}).
 */
final class SdkEngine implements Engine {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SdkEngine.class);

  /**
   * Kernel's metrics reports (one per snapshot load, scan and commit) logged at DEBUG, and turned into
   * JSON only when DEBUG is on. The default engine's reporter serializes each report with Jackson
   * before it hands it to an INFO log call, whatever the level: CPU in every commit (the inference
   * log's among them) and a JSON line per commit in an application's log at INFO.
   */
  static final List<MetricsReporter> REPORTERS = List.of(report -> {
    if (LOG.isDebugEnabled()) {
      try {
        LOG.debug("{} = {}", report.getClass().getSimpleName(), report.toJson());
      } catch (Exception e) {
        LOG.debug("Kernel metrics report {} could not be serialized: {}", report.getClass().getSimpleName(),
            e.toString());
      }
    }
  });
  private final Engine base;
  private final ParquetHandler parquet;
  private final JsonHandler json;

  /**
   * @param base Kernel's default engine
   * @param io the file system layer the default engine was made with (the columnar writer writes through it)
   */
  SdkEngine(Engine base, FileIO io) {
    this.base = base;
    this.parquet = new Handler(base.getParquetHandler(), io);
    this.json = new PacedJson(base.getJsonHandler());
  }

  @Override
  public ExpressionHandler getExpressionHandler() {
    return base.getExpressionHandler();
  }

  @Override
  public JsonHandler getJsonHandler() {
    return json;
  }

  /**
   * Kernel's JSON handler with {@link dev.mlops.core.internal.Pacing} points around a commit's log file
   * and between its actions: Kernel's commit (actions to JSON, the file, then the post-commit snapshot)
   * is otherwise one stretch of milliseconds in which a paced writer cannot leave the CPU.
   */
  private static final class PacedJson implements JsonHandler {
    private final JsonHandler base;

    PacedJson(JsonHandler base) {
      this.base = base;
    }

    @Override
    public ColumnarBatch parseJson(io.delta.kernel.data.ColumnVector json, StructType schema,
        Optional<io.delta.kernel.data.ColumnVector> selection) {
      return base.parseJson(json, schema, selection);
    }

    @Override
    public CloseableIterator<ColumnarBatch> readJsonFiles(CloseableIterator<FileStatus> files, StructType schema,
        Optional<Predicate> predicate) throws IOException {
      return base.readJsonFiles(files, schema, predicate);
    }

    @Override
    public void writeJsonFileAtomically(String path, CloseableIterator<io.delta.kernel.data.Row> data, boolean overwrite)
        throws IOException {
      dev.mlops.core.internal.Pacing.point();
      base.writeJsonFileAtomically(path, data.map(r -> {
        dev.mlops.core.internal.Pacing.point();
        return r;
      }), overwrite);
      dev.mlops.core.internal.Pacing.point();
    }
  }

  @Override
  public FileSystemClient getFileSystemClient() {
    return base.getFileSystemClient();
  }

  @Override
  public ParquetHandler getParquetHandler() {
    return parquet;
  }

  @Override
  public List<MetricsReporter> getMetricsReporters() {
    return REPORTERS;
  }

  /** Columnar reads for local files, everything else delegated. */
  private static final class Handler implements ParquetHandler {
    private final ParquetHandler base;
    private final FileIO io;

    Handler(ParquetHandler base, FileIO io) {
      this.base = base;
      this.io = io;
    }

    @Override
    public CloseableIterator<FileReadResult> readParquetFiles(CloseableIterator<FileStatus> files,
        StructType physicalSchema, Optional<Predicate> predicate) throws IOException {
      boolean columnar = ColumnarParquet.supports(physicalSchema);
      boolean calendarTypes = RebasedVectors.hasDatesOrTimestamps(physicalSchema);
      return new CloseableIterator<>() {
        private final Deque<FileReadResult> ready = new ArrayDeque<>();
        private CloseableIterator<FileReadResult> fallback;
        private ColumnarParquet.FileFacts fallbackFacts;

        @Override
        public boolean hasNext() {
          try {
            while (ready.isEmpty() && (fallback == null || !fallback.hasNext())) {
              if (fallback != null) {
                fallback.close();
                fallback = null;
              }
              if (!files.hasNext()) {
                return false;
              }
              FileStatus f = files.next();
              java.nio.file.Path local = DeltaStore.localPath(f.getPath());
              Optional<List<ColumnarBatch>> batches = local == null || !columnar ? Optional.empty()
                  : ColumnarParquet.read(local, physicalSchema);
              if (batches.isPresent()) {
                for (ColumnarBatch b : batches.get()) {
                  ready.add(new FileReadResult(b, f.getPath()));
                }
              } else {
                // Kernel's reader: refuse codecs it cannot decompress by name, and rebase Spark's
                // legacy-calendar dates and timestamps (Kernel does not)
                fallbackFacts = local == null ? null : ColumnarParquet.inspect(local);
                fallback = base.readParquetFiles(Iters.of(List.of(f)), physicalSchema, predicate);
              }
            }
            return true;
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }

        @Override
        public FileReadResult next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          if (!ready.isEmpty()) {
            return ready.poll();
          }
          FileReadResult r = fallback.next();
          if (!calendarTypes || fallbackFacts == null || fallbackFacts.calendar().proleptic()) {
            return r;
          }
          return new FileReadResult(RebasedVectors.rebase(r.getData(), fallbackFacts.calendar(),
              fallbackFacts.schema()), r.getFilePath());
        }

        @Override
        public void close() throws IOException {
          try {
            files.close();
          } finally {
            if (fallback != null) {
              fallback.close();
            }
          }
        }
      };
    }

    /**
     * Data files: the SDK's own flat batches (every batch of the call) column by column through
     * {@link ColumnarParquetWriter}; anything else through Kernel's writer, with Hadoop's XML defaults
     * hidden while parquet-mr builds its per-file configuration (see {@link NoHadoopDefaults}), asked
     * for no statistics: each file's statistics are then read from its footer by {@link FooterStats}.
     * Kernel's files are written while its iterator is consumed, so it is drained here.
     */
    @Override
    public CloseableIterator<DataFileStatus> writeParquetFiles(String directoryPath,
        CloseableIterator<FilteredColumnarBatch> dataIter, List<Column> statsColumns) throws IOException {
      List<FilteredColumnarBatch> batches = new java.util.ArrayList<>();
      try (dataIter) {
        while (dataIter.hasNext()) {
          batches.add(dataIter.next());
        }
      }
      if (!batches.isEmpty() && batches.stream().allMatch(ColumnarParquetWriter::supports)) {
        List<DataFileStatus> out = new java.util.ArrayList<>();
        for (FilteredColumnarBatch b : batches) {
          if (b.getData().getSize() > 0) {
            out.addAll(ColumnarParquetWriter.write(io, directoryPath, (FrameBatch) b.getData(), statsColumns));
          }
        }
        return Iters.of(out);
      }
      StructType schema = batches.isEmpty() ? null : batches.get(0).getData().getSchema();
      List<DataFileStatus> written = NoHadoopDefaults.run(() -> {
        List<DataFileStatus> out = new java.util.ArrayList<>();
        try (CloseableIterator<DataFileStatus> it = base.writeParquetFiles(directoryPath, Iters.of(batches),
            List.of())) {
          while (it.hasNext()) {
            out.add(withSparkKeys(it.next()));
          }
        }
        return out;
      });
      if (statsColumns.isEmpty() || schema == null) {
        return Iters.of(written);
      }
      List<DataFileStatus> withStats = new java.util.ArrayList<>(written.size());
      for (DataFileStatus f : written) {
        withStats.add(FooterStats.withStats(io, f, schema, statsColumns));
      }
      return Iters.of(withStats);
    }

    /**
     * A local data file Kernel's writer has just written, with Spark's writer keys added to its footer
     * ({@link SparkCalendar#writerKeys()}; Kernel's writer has no option for footer metadata), and its
     * status with the new size. Statistics are unchanged: the data pages do not move.
     */
    private static DataFileStatus withSparkKeys(DataFileStatus d) throws IOException {
      java.nio.file.Path local = DeltaStore.localPath(d.getPath());
      if (local == null) {
        return d;
      }
      long size = ParquetFooters.putKeys(local, SparkCalendar.writerKeys());
      long mtime = java.nio.file.Files.getLastModifiedTime(local).toMillis();
      return new DataFileStatus(d.getPath(), size, mtime, d.getStatistics());
    }

    /** Checkpoints: as data files. */
    @Override
    public void writeParquetFileAtomically(String filePath, CloseableIterator<FilteredColumnarBatch> data)
        throws IOException {
      NoHadoopDefaults.run(() -> {
        base.writeParquetFileAtomically(filePath, data);
        return null;
      });
    }
  }
}
