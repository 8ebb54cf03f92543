package dev.mlops.serving;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Reading a request body: sized by Content-Length when given, grown otherwise, capped either way. */
class ScoringHandlerBodyTest {
  private static final int CAP = 5000;
  private final ScoringHandler handler = new ScoringHandler(null, null, null, CAP, 1_000_000_000L);

  /** A stream handing out at most {@code step} bytes per read, as a socket may. */
  private static InputStream trickle(byte[] data, int step) {
    return new ByteArrayInputStream(data) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, step));
      }
    };
  }

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  @Test
  void a_body_is_read_whole_with_or_without_a_content_length_and_in_small_reads() throws IOException {
    for (int n : new int[] {0, 1, 100, 1023, 1024, 1025, 4096, CAP}) {
      byte[] body = bytes(n);
      for (int step : new int[] {1, 7, 1 << 20}) {
        assertThat(handler.readBody(trickle(body, step), n)).as("declared %d, step %d", n, step).isEqualTo(body);
        assertThat(handler.readBody(trickle(body, step), -1)).as("chunked %d, step %d", n, step).isEqualTo(body);
      }
    }
  }

  @Test
  void a_body_one_byte_over_the_cap_is_refused_whether_declared_or_not() throws IOException {
    byte[] over = bytes(CAP + 1);
    assertThat(handler.readBody(trickle(over, 1 << 20), -1)).isNull();
    assertThat(handler.readBody(trickle(over, 3), -1)).isNull();
    // a stream longer than its (wrong) declared length is still read to its end and capped
    assertThat(handler.readBody(trickle(over, 1 << 20), 10)).isNull();
    byte[] longer = bytes(200);
    assertThat(handler.readBody(trickle(longer, 9), 50)).isEqualTo(longer);
    // a stream shorter than declared (the client gave up) yields what came, for the parser to refuse
    assertThat(handler.readBody(trickle(longer, 9), 300)).isEqualTo(longer);
  }
}
