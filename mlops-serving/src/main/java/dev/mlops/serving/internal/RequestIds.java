package dev.mlops.serving.internal;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Request ids ({@code databricks_request_id}): random version-4 UUIDs, like {@link UUID#randomUUID()},
 * but drawn from the thread's {@link ThreadLocalRandom} instead of the JVM's shared {@code SecureRandom}.
 * That one serialises every caller on one lock and mixes each id through SHA-1 and a read of
 * {@code /dev/urandom}; per request that was a measurable share of the scoring server's CPU. An id
 * only has to be unique (122 random bits per id), not unpredictable: it is not a secret or a
 * credential, and a client can route itself anyway with {@code client_request_id}.
 */
public final class RequestIds {
  private RequestIds() {}

  /** A new random id in the usual 36-character UUID form. */
  public static String next() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    long msb = (r.nextLong() & ~0xF000L) | 0x4000L; // version 4
    long lsb = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // IETF variant
    return new UUID(msb, lsb).toString();
  }
}
