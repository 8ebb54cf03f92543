package dev.mlops.features.internal;

/**
 * Open addressing from one integral key (LONG, TIMESTAMP, TIMESTAMP_NTZ; INT and DATE widened) to a
 * packed row id, key and id interleaved in one {@code long[]} so a probe reads one cache line (the
 * key index of a frame keeps keys, ids and used flags in three arrays: three misses per probe).
 * Holds live keys only; immutable once built.
 */
final class LongKeyTable {
  /** Largest table: 2^29 slots (8 GiB); beyond that the store probes its key index instead. */
  private static final int MAX_SLOTS = 1 << 29;

  /** Per slot {@code key, id + 1}; 0 in the second long marks an empty slot. */
  private final long[] slots;
  private final int mask;

  private LongKeyTable(long[] slots, int mask) {
    this.slots = slots;
    this.mask = mask;
  }

  /**
   * A table of keys[id] for every id with live[id], or null when it would be larger than
   * {@link #MAX_SLOTS}.
   */
  static LongKeyTable build(long[] keys, boolean[] live, int count) {
    long want = Math.max(16L, Long.highestOneBit(Math.max(1, count) * 2L - 1) << 1); // load <= 0.5
    if (want > MAX_SLOTS) {
      return null;
    }
    int cap = (int) want;
    long[] slots = new long[2 * cap];
    int mask = cap - 1;
    for (int id = 0; id < keys.length; id++) {
      if (!live[id]) {
        continue;
      }
      int i = slot(keys[id], mask);
      while (slots[2 * i + 1] != 0) {
        i = (i + 1) & mask;
      }
      slots[2 * i] = keys[id];
      slots[2 * i + 1] = id + 1L;
    }
    return new LongKeyTable(slots, mask);
  }

  private static int slot(long v, int mask) {
    long h = v * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 29)) & mask;
  }

  /** The id of a key, or -1. */
  int find(long key) {
    long[] s = slots;
    int i = slot(key, mask);
    long tag;
    while ((tag = s[2 * i + 1]) != 0) {
      if (s[2 * i] == key) {
        return (int) (tag - 1);
      }
      i = (i + 1) & mask;
    }
    return -1;
  }
}
