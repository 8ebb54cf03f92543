package dev.mlops.core.internal.delta;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;
import org.apache.parquet.bytes.ByteBufferInputStream;
import org.apache.parquet.column.values.rle.RunLengthBitPackingHybridDecoder;
import org.junit.jupiter.api.Test;

/** The RLE/bit-packed hybrid runs of the bulk map pages, decoded by parquet-mr's own decoder. */
class MapPagesTest {
  @Test
  void hybrid_runs_decode_to_their_values_at_every_width() throws Exception {
    Random r = new Random(3);
    for (int width = 0; width <= 20; width++) {
      int max = width == 0 ? 0 : (int) Math.min(Integer.MAX_VALUE, (1L << width) - 1);
      for (int count : new int[] {0, 1, 7, 8, 9, 63, 504, 505, 1000, 20_011}) {
        for (int shape = 0; shape < 4; shape++) {
          int[] v = new int[count + 3]; // longer than count: only count values are encoded
          for (int i = 0; i < v.length; i++) {
            v[i] = switch (shape) {
              case 0 -> r.nextInt(max + 1); // no runs
              case 1 -> i % 2 == 0 ? 0 : max; // levels of two-entry maps, ids of two keys
              case 2 -> (i / 37) % 2 == 0 ? max : r.nextInt(max + 1); // runs between random stretches
              default -> max; // one value
            };
          }
          v[count] = max == 0 ? 0 : max - 1; // beyond count: must not be encoded as a value
          for (boolean prefix : new boolean[] {false, true}) {
            byte[] bytes = MapPages.hybrid(v, count, width, prefix);
            int[] shifted = new int[count + 5]; // the same values behind others: encoded from an offset
            Arrays.fill(shifted, max);
            System.arraycopy(v, 0, shifted, 5, count);
            assertThat(MapPages.hybrid(shifted, 5, count, width, prefix)).isEqualTo(bytes);
            ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            if (prefix) {
              assertThat(in.getInt()).as("length prefix").isEqualTo(bytes.length - 4);
            }
            RunLengthBitPackingHybridDecoder d = new RunLengthBitPackingHybridDecoder(width,
                ByteBufferInputStream.wrap(in.slice()));
            int[] back = new int[count];
            for (int i = 0; i < count; i++) {
              back[i] = d.readInt();
            }
            assertThat(back).as("width %d, %d values, shape %d", width, count, shape)
                .isEqualTo(Arrays.copyOf(v, count));
          }
          if (shape == 3 && count > 0) { // one value: a single RLE run, a few bytes
            assertThat(MapPages.hybrid(v, count, width, false).length).isLessThanOrEqualTo(3 + (width + 7) / 8 + 1);
          }
        }
      }
    }
  }
}
