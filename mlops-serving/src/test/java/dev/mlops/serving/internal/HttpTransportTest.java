package dev.mlops.serving.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * HTTP/1.1 framing through raw sockets, the same on both transports: pipelining, chunked bodies, HEAD,
 * {@code Connection: close}, {@code Expect: 100-continue}, HTTP/1.0, malformed request lines. The handler
 * echoes method, path and body.
 */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"nio", "jdk"})
class HttpTransportTest {
  @Parameter String kind;
  HttpTransport server;
  Deadlines deadlines;

  static final HttpTransport.Handler ECHO = ex -> {
    byte[] body = ex.body().readAllBytes();
    byte[] out = (ex.method() + " " + ex.path() + " " + new String(body, StandardCharsets.UTF_8))
        .getBytes(StandardCharsets.UTF_8);
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Content-Type", "text/plain");
    ex.answerReady();
    ex.respond(200, h, ex.method().equals("HEAD") ? new byte[0] : out, false);
  };

  @BeforeEach
  void start() {
    InetSocketAddress bind = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    if (kind.equals("jdk")) {
      deadlines = new Deadlines(10);
      server = JdkHttpTransport.start(bind, 64, new ServerExecutor(16, Deadlines.millis(2000), deadlines), ECHO);
    } else {
      server = NioHttpTransport.start(bind, 64, new NioHttpTransport.Limits(1024, Deadlines.millis(2000),
          Deadlines.millis(2000), Deadlines.millis(10_000), 16, 100, 2), ECHO);
    }
  }

  @AfterEach
  void stop() {
    server.close();
    if (deadlines != null) {
      deadlines.close();
    }
  }

  Socket socket() throws IOException {
    Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port());
    s.setSoTimeout(5_000);
    return s;
  }

  static void send(Socket s, String text) throws IOException {
    OutputStream o = s.getOutputStream();
    o.write(text.getBytes(StandardCharsets.ISO_8859_1));
    o.flush();
  }

  /** One parsed response. */
  record Response(int status, Map<String, String> headers, String body) {
    String header(String name) {
      return headers.getOrDefault(name.toLowerCase(Locale.ROOT), "");
    }
  }

  /** Reads one response (a HEAD answer has no body whatever its Content-Length says). */
  static Response read(InputStream in, boolean head) throws IOException {
    String status = line(in);
    assertThat(status).startsWith("HTTP/1.1 ");
    Map<String, String> h = new LinkedHashMap<>();
    for (String l = line(in); !l.isEmpty(); l = line(in)) {
      int c = l.indexOf(':');
      h.put(l.substring(0, c).trim().toLowerCase(Locale.ROOT), l.substring(c + 1).trim());
    }
    int len = head ? 0 : Integer.parseInt(h.getOrDefault("content-length", "0"));
    byte[] body = in.readNBytes(len);
    return new Response(Integer.parseInt(status.substring(9, 12)), h, new String(body, StandardCharsets.UTF_8));
  }

  static String line(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new IOException("closed mid-line: " + b);
      }
      if (c != '\r') {
        b.write(c);
      }
    }
    return b.toString(StandardCharsets.ISO_8859_1);
  }

  @Test
  void pipelined_requests_are_answered_in_order_on_one_connection() throws Exception {
    try (Socket s = socket()) {
      send(s, "GET /a HTTP/1.1\r\nHost: x\r\n\r\n"
          + "POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
          + "POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
          + "GET /d?q=1 HTTP/1.1\r\nHost: x\r\n\r\n");
      InputStream in = s.getInputStream();
      List<String> bodies = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        Response r = read(in, false);
        assertThat(r.status()).isEqualTo(200);
        bodies.add(r.body());
      }
      assertThat(bodies).containsExactly("GET /a ", "POST /b hello", "POST /c abc", "GET /d ");
    }
  }

  @Test
  void chunked_bodies_are_handed_over_dechunked() throws Exception {
    try (Socket s = socket()) {
      send(s, "POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
          + "5\r\nhello\r\n1\r\n \r\n");
      Thread.sleep(50); // the body arrives in pieces
      send(s, "A\r\n0123456789\r\n0\r\n\r\n");
      assertThat(read(s.getInputStream(), false).body()).isEqualTo("POST /x hello 0123456789");
    }
  }

  @Test
  void head_answers_carry_no_body_and_the_connection_goes_on() throws Exception {
    try (Socket s = socket()) {
      send(s, "HEAD /h HTTP/1.1\r\nHost: x\r\n\r\nGET /g HTTP/1.1\r\nHost: x\r\n\r\n");
      InputStream in = s.getInputStream();
      assertThat(read(in, true).status()).isEqualTo(200);
      assertThat(read(in, false).body()).isEqualTo("GET /g ");
    }
  }

  @Test
  void connection_close_and_http_1_0_close_the_connection_after_the_answer() throws Exception {
    try (Socket s = socket()) {
      send(s, "GET /a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      InputStream in = s.getInputStream();
      assertThat(read(in, false).body()).isEqualTo("GET /a ");
      assertThat(in.read()).isEqualTo(-1);
    }
    try (Socket s = socket()) {
      send(s, "GET /b HTTP/1.0\r\n\r\n");
      InputStream in = s.getInputStream();
      assertThat(read(in, false).body()).isEqualTo("GET /b ");
      assertThat(in.read()).isEqualTo(-1);
    }
  }

  @Test
  void expect_100_continue_is_answered_before_the_body_is_sent() throws Exception {
    try (Socket s = socket()) {
      send(s, "POST /e HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
      InputStream in = s.getInputStream();
      assertThat(line(in)).startsWith("HTTP/1.1 100");
      while (!line(in).isEmpty()) {
        // the JDK server sends Content-Length: 0 with it
      }
      send(s, "body");
      assertThat(read(in, false).body()).isEqualTo("POST /e body");
    }
  }

  @Test
  void a_malformed_request_line_gets_400_and_the_server_keeps_serving() throws Exception {
    for (String bad : List.of("GARBAGE\r\n\r\n", "GET\r\n\r\n")) {
      try (Socket s = socket()) {
        send(s, bad);
        InputStream in = s.getInputStream();
        assertThat(line(in)).as(bad).startsWith("HTTP/1.1 400");
      }
    }
    try (Socket s = socket()) {
      send(s, "GET /ok HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(read(s.getInputStream(), false).body()).isEqualTo("GET /ok ");
    }
  }
}
