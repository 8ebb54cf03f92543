package dev.mlops.core.internal.delta;

import dev.mlops.core.internal.Errors;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.KeyValue;
import org.apache.parquet.format.Util;

/**
 * Changes the footer of a Parquet file the SDK has just written and not yet committed: the data
 * pages stay where they are (every offset in the footer stays valid), the footer is re-serialized
 * in place and the file is cut or grown to its new end. Used to add the key-value metadata that
 * Kernel's Parquet writer has no option for ({@link SparkCalendar#writerKeys()}).
 */
final class ParquetFooters {
  private ParquetFooters() {}

  private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);

  /**
   * Sets these key-value entries in the footer (replacing entries of the same key); returns the
   * file's new size.
   */
  static long putKeys(Path file, Map<String, String> keys) throws IOException {
    return rewrite(file, md -> {
      List<KeyValue> kept = new ArrayList<>();
      if (md.getKey_value_metadata() != null) {
        for (KeyValue kv : md.getKey_value_metadata()) {
          if (!keys.containsKey(kv.getKey())) {
            kept.add(kv);
          }
        }
      }
      keys.entrySet().stream().sorted(Map.Entry.comparingByKey())
          .forEach(e -> kept.add(new KeyValue(e.getKey()).setValue(e.getValue())));
      md.setKey_value_metadata(kept);
    });
  }

  /** Applies a change to the footer's metadata and writes it back in place; returns the new size. */
  static long rewrite(Path file, Consumer<FileMetaData> change) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long size = ch.size();
      if (size < 12) {
        throw Errors.parquetFileBytes(size, file);
      }
      ByteBuffer tail = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(ch, tail, size - 8);
      int len = tail.getInt(0);
      for (int i = 0; i < 4; i++) {
        if (tail.get(4 + i) != MAGIC[i]) {
          throw Errors.plainParquetFilePar1(file);
        }
      }
      long start = size - 8 - len;
      if (len <= 0 || start < 4) {
        throw Errors.parquetFooterLengthFit(len, file);
      }
      ByteBuffer footer = ByteBuffer.allocate(len);
      readFully(ch, footer, start);
      FileMetaData md = Util.readFileMetaData(new ByteArrayInputStream(footer.array()));
      change.accept(md);
      ByteArrayOutputStream out = new ByteArrayOutputStream(len + 256);
      Util.writeFileMetaData(md, out);
      int newLen = out.size();
      ByteBuffer w = ByteBuffer.allocate(newLen + 8).order(ByteOrder.LITTLE_ENDIAN);
      w.put(out.toByteArray()).putInt(newLen).put(MAGIC).flip();
      long pos = start;
      while (w.hasRemaining()) {
        pos += ch.write(w, pos);
      }
      ch.truncate(pos);
      return pos;
    }
  }

  private static void readFully(FileChannel ch, ByteBuffer b, long at) throws IOException {
    long pos = at;
    while (b.hasRemaining()) {
      int r = ch.read(b, pos);
      if (r < 0) {
        throw Errors.unexpectedEndFile();
      }
      pos += r;
    }
  }
}
