package dev.mlops.serving.internal;

import static dev.mlops.serving.internal.HttpTransportTest.read;
import static dev.mlops.serving.internal.HttpTransportTest.send;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What only the NIO transport enforces itself: bounded heads, framing errors, deadlines, caps. */
class NioHttpTransportTest {
  NioHttpTransport server;
  final List<String> seen = new CopyOnWriteArrayList<>();

  NioHttpTransport start(long bodyCap, long readMillis, long idleMillis, int maxConcurrent, int maxConnections,
      HttpTransport.Handler h) {
    server = NioHttpTransport.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64,
        new NioHttpTransport.Limits(bodyCap, Deadlines.millis(300), Deadlines.millis(readMillis),
            Deadlines.millis(idleMillis), maxConcurrent, maxConnections, 2), h);
    return server;
  }

  NioHttpTransport start() {
    return start(1024, 300, 10_000, 16, 100, ex -> {
      byte[] body = ex.body().readAllBytes();
      seen.add(ex.method() + " " + ex.path() + " " + body.length + (ex.overCapacity() ? " over" : ""));
      ex.respond(200, Map.of(), ("len=" + body.length).getBytes(StandardCharsets.UTF_8), false);
    });
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  Socket socket() throws IOException {
    Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port());
    s.setSoTimeout(5_000);
    return s;
  }

  /** Everything until the server closes. */
  static String rest(Socket s) throws IOException {
    StringBuilder sb = new StringBuilder();
    InputStream in = s.getInputStream();
    byte[] b = new byte[8192];
    try {
      for (int n = in.read(b); n > 0; n = in.read(b)) {
        sb.append(new String(b, 0, n, StandardCharsets.ISO_8859_1));
      }
    } catch (SocketException e) {
      // reset: closed
    } catch (SocketTimeoutException e) {
      throw new AssertionError("not closed within 5 s: " + sb);
    }
    return sb.toString();
  }

  void assertServes() throws IOException {
    try (Socket s = socket()) {
      send(s, "GET /ok HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(read(s.getInputStream(), false).body()).isEqualTo("len=0");
    }
  }

  @Test
  void oversized_heads_malformed_headers_and_bad_framing_are_refused_and_the_server_stays_up() throws Exception {
    start();
    String longHeader = "X-Big: " + "a".repeat(NioHttpTransport.MAX_HEAD_BYTES) + "\r\n";
    StringBuilder many = new StringBuilder();
    for (int i = 0; i <= NioHttpTransport.MAX_HEADERS; i++) {
      many.append("X-").append(i).append(": v\r\n");
    }
    Map<String, String> cases = new java.util.LinkedHashMap<>();
    cases.put("GET / HTTP/1.1\r\n" + longHeader + "\r\n", "431");
    cases.put("GET / HTTP/1.1\r\n" + many + "\r\n", "431");
    cases.put("GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n", "400");
    cases.put("GET / HTTP/1.1\r\nNo colon here\r\n\r\n", "400");
    cases.put("GET / HTTP/1.1\r\nBad Name: v\r\n\r\n", "400");
    cases.put("GET / HTTP/1.1\r\nX: a\u0001b\r\n\r\n", "400");
    cases.put("GET /a b HTTP/1.1\r\n\r\n", "400");
    cases.put("GET / HTTP/2.0\r\n\r\n", "400");
    cases.put("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", "400");
    cases.put("POST / HTTP/1.1\r\nContent-Length: 12x\r\n\r\n", "400");
    cases.put("POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", "400");
    cases.put("POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", "400");
    cases.put("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "400");
    cases.put("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1234567890abcdef0\r\n", "400");
    cases.put("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX", "400");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      try (Socket s = socket()) {
        send(s, c.getKey());
        String answer = rest(s);
        assertThat(answer).as(c.getKey().substring(0, Math.min(60, c.getKey().length())))
            .startsWith("HTTP/1.1 " + c.getValue()).contains("Connection: close").contains("\"error_code\"");
      }
    }
    assertThat(seen).isEmpty(); // none reached the handler
    assertServes();
    assertThat(server.activeRequests()).isZero();
  }

  @Test
  void bodies_over_the_cap_reach_the_handler_one_byte_over_or_not_at_all_and_the_connection_closes() throws Exception {
    start();
    try (Socket s = socket()) {
      send(s, "POST /cl HTTP/1.1\r\nContent-Length: 1000000\r\n\r\n");
      assertThat(rest(s)).startsWith("HTTP/1.1 200").contains("len=0").contains("Connection: close");
    }
    try (Socket s = socket()) {
      send(s, "POST /chunked HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n800\r\n" + "x".repeat(2048) + "\r\n0\r\n\r\n");
      assertThat(rest(s)).startsWith("HTTP/1.1 200").contains("len=1025").contains("Connection: close");
    }
    assertThat(seen).containsExactly("POST /cl 0", "POST /chunked 1025");
    assertServes();
  }

  @Test
  void clients_that_stall_in_the_head_the_body_or_the_answer_are_cut_off_and_counted() throws Exception {
    byte[] big = new byte[32 << 20]; // more than loopback's socket buffers hold
    start(1024, 300, 10_000, 16, 100, ex -> ex.respond(200, Map.of(), ex.path().equals("/big") ? big : new byte[0],
        false));
    try (Socket head = socket(); Socket body = socket(); Socket reader = socket()) {
      reader.setReceiveBufferSize(4096);
      send(head, "GET / HTTP/1.1\r\nHo");
      send(body, "POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc");
      send(reader, "GET /big HTTP/1.1\r\n\r\n"); // and never reads
      long t0 = System.nanoTime();
      assertThat(rest(head)).isEmpty();
      assertThat(rest(body)).isEmpty();
      while (server.cutOff() < 3 && System.nanoTime() - t0 < 5_000_000_000L) {
        Thread.sleep(20);
      }
      assertThat(server.cutOff()).isEqualTo(3);
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
    }
    assertThat(server.activeRequests()).isZero();
  }

  @Test
  void idle_connections_are_closed_after_the_idle_time_and_not_counted_as_cut_off() throws Exception {
    start(1024, 300, 300, 16, 100, ex -> ex.respond(200, Map.of(), new byte[0], false));
    try (Socket s = socket()) {
      send(s, "GET / HTTP/1.1\r\n\r\n");
      assertThat(read(s.getInputStream(), false).status()).isEqualTo(200);
      assertThat(s.getInputStream().read()).isEqualTo(-1); // closed by the idle timer (before the 5 s timeout)
    }
    assertThat(server.cutOff()).isZero();
  }

  @Test
  void connections_beyond_the_cap_are_closed_at_once_and_requests_beyond_it_are_marked() throws Exception {
    start(1024, 2000, 10_000, 1, 3, ex -> {
      if (ex.path().equals("/slow")) {
        ex.body().readAllBytes();
      }
      ex.respond(200, Map.of(), (ex.overCapacity() ? "over" : "ok").getBytes(StandardCharsets.UTF_8),
          ex.overCapacity());
    });
    try (Socket a = socket(); Socket b = socket(); Socket c = socket(); Socket d = socket()) {
      assertThat(d.getInputStream().read()).isEqualTo(-1); // the fourth connection
      send(a, "POST /slow HTTP/1.1\r\nContent-Length: 4\r\n\r\nab"); // holds the one slot while its body comes
      awaitActive(1);
      send(b, "GET /b HTTP/1.1\r\n\r\n");
      assertThat(read(b.getInputStream(), false).body()).isEqualTo("over");
      send(a, "cd");
      assertThat(read(a.getInputStream(), false).body()).isEqualTo("ok");
      send(c, "GET /c HTTP/1.1\r\n\r\n");
      assertThat(read(c.getInputStream(), false).body()).isEqualTo("ok");
    }
  }

  @Test
  void chunk_extensions_and_trailers_are_skipped_in_pieces() throws Exception {
    start();
    try (Socket s = socket()) {
      send(s, "POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5;name=value\r\nhel");
      Thread.sleep(50);
      send(s, "lo\r\nA\r");
      Thread.sleep(50);
      send(s, "\n0123456789\r\n0\r\nX-Trailer: 1\r\n\r\nGET /next HTTP/1.1\r\n\r\n");
      assertThat(read(s.getInputStream(), false).body()).isEqualTo("len=15");
      assertThat(read(s.getInputStream(), false).body()).isEqualTo("len=0");
    }
    assertThat(seen).containsExactly("POST /x 15", "GET /next 0");
  }

  @Test
  void a_request_that_blocks_runs_on_a_worker_while_the_loop_answers_others_and_pipelining_keeps_order()
      throws Exception {
    java.util.concurrent.ExecutorService workers = ServerExecutor.workers();
    try {
      HttpTransport.Handler h = new HttpTransport.Handler() {
        @Override
        public void handle(HttpTransport.Exchange ex) throws IOException {
          if (ex.path().equals("/slow")) {
            try {
              Thread.sleep(1_000);
            } catch (InterruptedException e) {
              throw new IOException(e);
            }
          }
          seen.add(ex.path() + " on " + (Thread.currentThread().getName().startsWith("mlops-serving-nio") ? "loop"
              : "worker"));
          ex.answerReady();
          ex.respond(200, Map.of(), ex.path().getBytes(StandardCharsets.UTF_8), false);
        }

        @Override
        public boolean blocks(HttpTransport.Exchange ex) {
          return ex.path().startsWith("/slow");
        }
      };
      // one loop: a blocking request on it must not hold the other connection
      server = NioHttpTransport.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64,
          new NioHttpTransport.Limits(1024, Deadlines.millis(300), Deadlines.millis(300), Deadlines.millis(10_000),
              16, 100, 1), h, workers);
      try (Socket slow = socket(); Socket fast = socket()) {
        send(slow, "GET /slow HTTP/1.1\r\n\r\nGET /after HTTP/1.1\r\n\r\n");
        awaitActive(1); // /slow is admitted (and on its worker) before /fast is sent
        long t0 = System.nanoTime();
        send(fast, "GET /fast HTTP/1.1\r\n\r\n");
        assertThat(read(fast.getInputStream(), false).body()).isEqualTo("/fast");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(700));
        assertThat(read(slow.getInputStream(), false).body()).isEqualTo("/slow"); // after 1 s: no read deadline
        assertThat(read(slow.getInputStream(), false).body()).isEqualTo("/after");
      }
      assertThat(seen).containsExactly("/fast on loop", "/slow on worker", "/after on loop");
      assertThat(server.cutOff()).isZero();
      assertThat(server.activeRequests()).isZero();
    } finally {
      server.close();
      workers.shutdownNow();
    }
  }

  @Test
  void two_connections_sending_byte_by_byte_in_turn_get_their_own_answers() throws Exception {
    start();
    String r1 = "POST /one HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc";
    String r2 = "POST /two HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n";
    try (Socket a = socket(); Socket b = socket()) {
      for (int i = 0; i < Math.max(r1.length(), r2.length()); i++) {
        if (i < r1.length()) {
          send(a, r1.substring(i, i + 1));
        }
        if (i < r2.length()) {
          send(b, r2.substring(i, i + 1));
        }
      }
      assertThat(read(a.getInputStream(), false).body()).isEqualTo("len=3");
      assertThat(read(b.getInputStream(), false).body()).isEqualTo("len=5");
    }
    assertThat(seen).containsExactlyInAnyOrder("POST /one 3", "POST /two 5");
  }

  @Test
  void a_handler_that_throws_or_does_not_answer_closes_only_its_connection() throws Exception {
    start(1024, 300, 10_000, 16, 100, ex -> {
      switch (ex.path()) {
        case "/throw" -> throw new IllegalStateException("boom");
        case "/silent" -> { }
        default -> ex.respond(200, Map.of(), new byte[0], false);
      }
    });
    try (Socket keep = socket()) {
      send(keep, "GET / HTTP/1.1\r\n\r\n");
      assertThat(read(keep.getInputStream(), false).status()).isEqualTo(200);
      for (String p : List.of("/throw", "/silent")) {
        try (Socket s = socket()) {
          send(s, "GET " + p + " HTTP/1.1\r\n\r\n");
          assertThat(rest(s)).isEmpty();
        }
      }
      send(keep, "GET / HTTP/1.1\r\n\r\n");
      assertThat(read(keep.getInputStream(), false).status()).isEqualTo(200);
    }
    assertThat(server.activeRequests()).isZero();
  }

  /** Waits (at most 5 s) until the server has admitted this many requests, instead of sleeping a guess. */
  private void awaitActive(int n) throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (server.activeRequests() < n && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(server.activeRequests()).as("requests admitted").isEqualTo(n);
  }
}
