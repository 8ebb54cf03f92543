package dev.mlops.core.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The values of a STRING column kept as UTF-8 bytes in a few large arrays, not as one {@code String}
 * per value: a column the SDK gathers for a long time and then writes, such as an inference-log batch
 * (request ids and bodies for up to a second of requests). Each young collection of the JVM copies
 * every live object, so tens of thousands of strings that wait for their commit made each of G1's
 * young pauses copy them again (11–37 ms pauses with the log on against 4–6 ms with it off, in the
 * serving benchmark); a chunk is one object, and a builder that is {@link Builder#clear() cleared} and
 * filled again keeps its chunks, so they soon are old objects, which young collections do not copy.
 * {@link ColumnAccess.Access#wrapUtf8} makes a column over them; the Parquet writer reads the bytes
 * ({@link ColumnAccess.Access#utf8}), and any other reader of the column gets strings, decoded once.
 *
 * <pre>{@code
 * Utf8Values.Builder ids = new Utf8Values.Builder(1024);
 * ids.add("req-1");
 * ids.add((String) null);
 * Column c = COLUMNS.wrapUtf8("request_id", ids.values(), ids.nulls(), ids.size());
 * }</pre>
 *
 * <p>A {@code Utf8Values} views its builder's arrays without copying them: it is valid until the
 * builder is {@link Builder#clear() cleared}.
 */
public final class Utf8Values {
  private final byte[][] chunks;
  /** Per value: the chunk's index in the high 32 bits, the offset in the low. */
  private final long[] at;
  /** Per value: its length in bytes, -1 for null. */
  private final int[] lengths;
  private final int size;

  private Utf8Values(byte[][] chunks, long[] at, int[] lengths, int size) {
    this.chunks = chunks;
    this.at = at;
    this.lengths = lengths;
    this.size = size;
  }

  /** Number of values. */
  public int size() {
    return size;
  }

  /** Whether value {@code i} is null. */
  public boolean isNull(int i) {
    return lengths[i] < 0;
  }

  /** The array holding value {@code i}'s bytes. */
  public byte[] chunk(int i) {
    return chunks[(int) (at[i] >>> 32)];
  }

  /** Where value {@code i}'s bytes start in {@link #chunk}. */
  public int offset(int i) {
    return (int) at[i];
  }

  /** Value {@code i}'s length in bytes (-1 when null). */
  public int length(int i) {
    return lengths[i];
  }

  /** Whether values {@code i} and {@code j} have the same bytes (two nulls are equal). */
  public boolean sameBytes(int i, int j) {
    int li = lengths[i];
    if (li != lengths[j]) {
      return false;
    }
    return li < 0 || at[i] == at[j] // the same place (a repeated value) or the same bytes
        || Arrays.equals(chunk(i), offset(i), offset(i) + li, chunk(j), offset(j), offset(j) + li);
  }

  /** Value {@code i} as a string, or null. */
  public String get(int i) {
    int len = lengths[i];
    return len < 0 ? null : new String(chunk(i), offset(i), len, StandardCharsets.UTF_8);
  }

  /** Every value as a string (null where null). */
  public String[] decode() {
    String[] out = new String[size];
    for (int i = 0; i < size; i++) {
      out[i] = i > 0 && sameBytes(i, i - 1) ? out[i - 1] : get(i); // one string per run of equal values
    }
    return out;
  }

  /**
   * Gathers strings (or UTF-8 bytes) into chunks of 256 KiB. {@link #clear()} keeps the chunks and
   * index arrays for the next batch, so that a writer which alternates two builders allocates nothing
   * per value once both have grown: a young collection then finds nothing of them to copy.
   */
  public static final class Builder {
    /**
     * The size of a chunk; a longer value gets a chunk of its own, dropped at {@link #clear()}. Under
     * half of G1's smallest region (1 MiB), so that a chunk is not a humongous object: the 1 MiB
     * chunks of the first version (two regions each) were most of the ~70 humongous objects a young
     * collection registered as reclaim candidates, 0.5 ms of each pause (0.24 ms at 256 KiB) in the
     * serving benchmark at {@code -Xmn64m}.
     */
    static final int CHUNK = 1 << 18;

    private byte[][] chunks = new byte[4][];
    /** Chunks in use; {@code chunks[chunkCount - 1]} is the one being filled. */
    private int chunkCount;
    private int pos;
    private long[] at;
    private int[] lengths;
    private int size;
    private boolean anyNull;

    /** A builder with index arrays for {@code capacity} values. */
    public Builder(int capacity) {
      at = new long[Math.max(16, capacity)];
      lengths = new int[at.length];
    }

    /** Values added since the last {@link #clear()}. */
    public int size() {
      return size;
    }

    /** Appends a string (null appends null), as the JDK encodes it (unpaired surrogates become '?'). */
    public void add(String s) {
      if (s == null) {
        addNull();
        return;
      }
      int len = s.length();
      int off = reserve(len); // room for ASCII; a longer encoding is copied below
      byte[] c = chunks[chunkCount - 1];
      int k = 0;
      while (k < len) {
        char ch = s.charAt(k);
        if (ch >= 0x80) {
          break;
        }
        c[off + k] = (byte) ch;
        k++;
      }
      if (k < len) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        off = reserve(utf8.length);
        c = chunks[chunkCount - 1];
        System.arraycopy(utf8, 0, c, off, utf8.length);
        len = utf8.length;
      }
      commit(off, len);
    }

    /** Appends a whole array of UTF-8 bytes as {@link #addUtf8(byte[], int, int)} does (null appends null). */
    public void addUtf8(byte[] bytes) {
      addUtf8(bytes, 0, bytes == null ? 0 : bytes.length);
    }

    /**
     * Appends text given as UTF-8 bytes (null appends null). Bytes that are not valid UTF-8 are stored
     * as the JDK decodes and encodes them again (each malformed sequence becomes U+FFFD), so that the
     * column holds what {@code new String(bytes, UTF_8)} would: a Parquet string column must be UTF-8.
     */
    public void addUtf8(byte[] bytes, int from, int len) {
      if (bytes == null) {
        addNull();
        return;
      }
      int end = from + len;
      int k = from;
      while (k < end && bytes[k] >= 0) {
        k++;
      }
      if (k < end && !validUtf8(bytes, k, end)) {
        add(new String(bytes, from, len, StandardCharsets.UTF_8));
        return;
      }
      int off = reserve(len);
      System.arraycopy(bytes, from, chunks[chunkCount - 1], off, len);
      commit(off, len);
    }

    /**
     * Appends the last value again without copying its bytes (both index the same bytes), or a null when
     * nothing was added: a column of few distinct values (names, versions) costs 12 bytes a value.
     */
    public void repeatLast() {
      if (size == 0) {
        addNull();
        return;
      }
      index();
      at[size] = at[size - 1];
      lengths[size] = lengths[size - 1];
      size++;
    }

    /** Appends a null. */
    public void addNull() {
      index();
      at[size] = 0;
      lengths[size] = -1;
      anyNull = true;
      size++;
    }

    /** The values added so far, over this builder's arrays (valid until {@link #clear()}). */
    public Utf8Values values() {
      return new Utf8Values(chunks, at, lengths, size);
    }

    /** A null mask of the values added so far, or null when none is null. */
    public boolean[] nulls() {
      if (!anyNull) {
        return null;
      }
      boolean[] m = new boolean[size];
      for (int i = 0; i < size; i++) {
        m[i] = lengths[i] < 0;
      }
      return m;
    }

    /** Forgets the values, keeping the chunks (but any chunk larger than {@link #CHUNK}) and index arrays. */
    public void clear() {
      for (int i = 0; i < chunkCount; i++) {
        if (chunks[i] != null && chunks[i].length > CHUNK) {
          chunks[i] = null; // one oversized value's chunk: not kept for the next batch
        }
      }
      chunkCount = 0;
      pos = 0;
      size = 0;
      anyNull = false;
    }

    private void index() {
      if (size == at.length) {
        at = Arrays.copyOf(at, size * 2);
        lengths = Arrays.copyOf(lengths, size * 2);
      }
    }

    /** The offset of {@code len} free bytes in the current chunk, moving to the next chunk when needed. */
    private int reserve(int len) {
      if (chunkCount > 0 && chunks[chunkCount - 1].length - pos >= len) {
        return pos;
      }
      if (chunkCount == chunks.length) {
        chunks = Arrays.copyOf(chunks, chunkCount * 2);
      }
      byte[] next = chunks[chunkCount];
      if (next == null || next.length < len) {
        next = new byte[Math.max(CHUNK, len)];
        chunks[chunkCount] = next;
      }
      chunkCount++;
      pos = 0;
      return 0;
    }

    private void commit(int off, int len) {
      index();
      at[size] = ((long) (chunkCount - 1) << 32) | off;
      lengths[size] = len;
      size++;
      pos = off + len;
    }
  }

  /** Whether bytes [from, end) are well-formed UTF-8 (RFC 3629: no overlongs, surrogates or values past U+10FFFF). */
  static boolean validUtf8(byte[] b, int from, int end) {
    int i = from;
    while (i < end) {
      int c = b[i] & 0xff;
      if (c < 0x80) {
        i++;
        continue;
      }
      int n;
      int min;
      if (c >= 0xc2 && c <= 0xdf) {
        n = 1;
        min = 0x80;
      } else if (c >= 0xe0 && c <= 0xef) {
        n = 2;
        min = 0x800;
      } else if (c >= 0xf0 && c <= 0xf4) {
        n = 3;
        min = 0x10000;
      } else {
        return false;
      }
      if (i + n >= end) { // truncated
        return false;
      }
      int cp = c & (0x3f >> n);
      for (int k = 1; k <= n; k++) {
        int cc = b[i + k] & 0xff;
        if ((cc & 0xc0) != 0x80) {
          return false;
        }
        cp = (cp << 6) | (cc & 0x3f);
      }
      if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
        return false;
      }
      i += n + 1;
    }
    return true;
  }
}
