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
 * Kernel's default engine with two changes: Parquet data files on local disk are read by
 * {@link ColumnarParquet} when it can (falling back to the default reader file by file), and the
 * statistics of written data files come from {@link FooterStats} (Kernel's own reader of them needs
 * Hadoop's shaded client jar, which the SDK does not ship).
 */
final class SdkEngine implements Engine {
  private final Engine base;
  private final ParquetHandler parquet;

  SdkEngine(Engine base, FileIO io) {
    this.base = base;
    this.parquet = new Handler(base.getParquetHandler(), io);
  }

  @Override
  public ExpressionHandler getExpressionHandler() {
    return base.getExpressionHandler();
  }

  @Override
  public JsonHandler getJsonHandler() {
    return base.getJsonHandler();
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
    return base.getMetricsReporters();
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
      if (!ColumnarParquet.supports(physicalSchema)) {
        return base.readParquetFiles(files, physicalSchema, predicate);
      }
      return new CloseableIterator<>() {
        private final Deque<FileReadResult> ready = new ArrayDeque<>();
        private CloseableIterator<FileReadResult> fallback;

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
              Optional<List<ColumnarBatch>> batches = local == null ? Optional.empty()
                  : ColumnarParquet.read(local, physicalSchema);
              if (batches.isPresent()) {
                for (ColumnarBatch b : batches.get()) {
                  ready.add(new FileReadResult(b, f.getPath()));
                }
              } else {
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
          return ready.isEmpty() ? fallback.next() : ready.poll();
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
     * Data files: Kernel's writer, with Hadoop's XML defaults hidden while parquet-mr builds its
     * per-file configuration (see {@link NoHadoopDefaults}), asked for no statistics; each file's
     * statistics are then read from its footer by {@link FooterStats}. The files are written while
     * the returned iterator is consumed, so it is drained here.
     */
    @Override
    public CloseableIterator<DataFileStatus> writeParquetFiles(String directoryPath,
        CloseableIterator<FilteredColumnarBatch> dataIter, List<Column> statsColumns) throws IOException {
      StructType[] schema = new StructType[1];
      CloseableIterator<FilteredColumnarBatch> seen = dataIter.map(b -> {
        if (schema[0] == null) {
          schema[0] = b.getData().getSchema();
        }
        return b;
      });
      List<DataFileStatus> written = NoHadoopDefaults.run(() -> {
        List<DataFileStatus> out = new java.util.ArrayList<>();
        try (CloseableIterator<DataFileStatus> it = base.writeParquetFiles(directoryPath, seen, List.of())) {
          while (it.hasNext()) {
            out.add(it.next());
          }
        }
        return out;
      });
      if (statsColumns.isEmpty() || schema[0] == null) {
        return Iters.of(written);
      }
      List<DataFileStatus> withStats = new java.util.ArrayList<>(written.size());
      for (DataFileStatus f : written) {
        withStats.add(FooterStats.withStats(io, f, schema[0], statsColumns));
      }
      return Iters.of(withStats);
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
