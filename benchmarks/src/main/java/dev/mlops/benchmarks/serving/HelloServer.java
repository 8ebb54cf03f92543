package dev.mlops.benchmarks.serving;

import dev.mlops.serving.internal.Deadlines;
import dev.mlops.serving.internal.HttpTransport;
import dev.mlops.serving.internal.NioHttpTransport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The hello-world handler on the NIO transport in a JVM of its own, for {@link ServingBenchmark}'s
 * rounds: started as {@code HelloServer <eventLoops>}, it prints its port on one line and serves until
 * its standard input closes. In the benchmark's own JVM it would share that JVM's heap, and the young
 * pauses caused by the scoring servers' allocation (the inference log's most of all) would land in its
 * runs too, hiding what the log costs.
 */
public final class HelloServer {
  private HelloServer() {}

  /** The handler: reads the body, answers one fixed prediction. */
  static HttpTransport.Handler handler() {
    byte[] hello = "{\"predictions\": [1]}".getBytes(StandardCharsets.UTF_8);
    return e -> {
      e.body().readAllBytes();
      e.answerReady();
      e.respond(200, Map.of("Content-Type", "application/json"), hello, false);
    };
  }

  /** The NIO transport with the limits the scoring server uses. */
  static HttpTransport start(int loops) throws IOException {
    return NioHttpTransport.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024,
        new NioHttpTransport.Limits(10L << 20, Deadlines.millis(10_000), Deadlines.millis(30_000),
            Deadlines.millis(60_000), 256, 10_000, loops), handler());
  }

  public static void main(String[] args) throws Exception {
    HttpTransport server = start(Integer.parseInt(args[0]));
    try {
      System.out.println(server.port());
      System.out.flush();
      while (System.in.read() >= 0) {
        // serve until the parent closes the pipe (or dies)
      }
    } finally {
      server.close();
    }
  }
}
