package dev.mlops.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlops.core.Workspace;
import dev.mlops.models.Algorithm;
import dev.mlops.models.ModelRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** MLflow's scoring protocol through a real JDK HttpClient and raw sockets, on each HTTP transport. */
@ParameterizedClass(name = "{0}")
@EnumSource(ScoringServer.Transport.class)
class ScoringServerTest {
  @Parameter ScoringServer.Transport transport;
  static Path dir;
  static Workspace ws;
  static ServingEndpoint abc;
  static ServingEndpoint churn;
  static ScoringServer server;
  static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  static final ObjectMapper JSON = new ObjectMapper();

  @BeforeParameterizedClassInvocation
  static void start(ScoringServer.Transport transport) throws IOException {
    dir = java.nio.file.Files.createTempDirectory("scoring-server-test");
    ws = Workspace.open(dir);
    ModelRegistry reg = ModelRegistry.of(ws);
    Fixtures.abc(reg);
    reg.setAlias(Fixtures.ABC, "champion", 1);
    Fixtures.churn(ws, Algorithm.logisticRegression());
    reg.setAlias(Fixtures.CHURN, "champion", 1);
    abc = ServingEndpoint.builder(ws, "models:/main.ml.abc@champion").build();
    churn = ServingEndpoint.builder(ws, "models:/main.ml.churn@champion").build();
    server = ScoringServer.builder(abc).transport(transport).headerTimeout(Duration.ofMillis(700)).readTimeout(Duration.ofMillis(700))
        .maxBodyBytes(64 * 1024).start();
  }

  @AfterParameterizedClassInvocation
  static void stop() throws IOException {
    server.close();
    abc.close();
    churn.close();
    ws.close();
    try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(dir)) {
      for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        java.nio.file.Files.deleteIfExists(f);
      }
    }
  }

  /** A builder on this run's transport. */
  ScoringServer.Builder builder(ServingEndpoint ep) {
    return ScoringServer.builder(ep).transport(transport);
  }

  static HttpResponse<String> post(ScoringServer s, String contentType, String body) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(s.uri().resolve("invocations")).header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> get(ScoringServer s, String path) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(s.uri().resolve(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  static List<Double> predictions(HttpResponse<String> r) throws IOException {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    List<Double> out = new ArrayList<>();
    for (JsonNode n : JSON.readTree(r.body()).get("predictions")) {
      out.add(n.asDouble());
    }
    return out;
  }

  static void assertError(HttpResponse<String> r, int status, String code, String... inMessage) throws IOException {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    JsonNode n = JSON.readTree(r.body());
    assertThat(n.get("error_code").asText()).isEqualTo(code);
    assertThat(n.get("message").asText()).doesNotContain("at dev.mlops", "Exception");
    if (inMessage.length > 0) {
      assertThat(n.get("message").asText()).contains(inMessage);
    }
  }

  @Test
  void payloads_from_mlflow_docs_in_each_json_format_and_csv_are_scored() throws Exception {
    // the examples of MLflow's "Deploy MLflow Model as a Local Inference Server" page, verbatim
    String split = "{\n  \"dataframe_split\": {\n    \"columns\": [\"a\", \"b\", \"c\"],\n    \"data\": [[1, 2, 3], [4, 5, 6]]\n  }\n}";
    String records = "{\n  \"dataframe_records\": [\n    {\"a\": 1, \"b\": 2, \"c\": 3},\n    {\"a\": 4, \"b\": 5, \"c\": 6}\n  ]\n}";
    String inputs = "{\"inputs\": {\"a\": [1, 4], \"b\": [2, 5], \"c\": [3, 6]}}";
    String instances = "{\"instances\": [{\"a\": 1, \"b\": 2, \"c\": 3}, {\"a\": 4, \"b\": 5, \"c\": 6}]}";
    for (String body : List.of(split, records, inputs, instances)) {
      HttpResponse<String> r = post(server, "application/json", body);
      assertThat(predictions(r)).as(body).satisfiesExactly(
          p -> assertThat(p).isCloseTo(1 + 4 + 9, within(1e-6)), p -> assertThat(p).isCloseTo(4 + 10 + 18, within(1e-6)));
      assertThat(r.headers().firstValue("served-model-name")).hasValue("main.ml.abc-1");
    }
    HttpResponse<String> csv = post(server, "text/csv; charset=utf-8", "a,b,c\r\n1,2,3\r\n4,5,6\r\n");
    assertThat(predictions(csv)).satisfiesExactly(p -> assertThat(p).isCloseTo(14, within(1e-6)),
        p -> assertThat(p).isCloseTo(32, within(1e-6)));
    // extra columns are ignored, columns are matched by name in any order, a double goes into the double column
    assertThat(predictions(post(server, "application/json",
        "{\"dataframe_records\": [{\"c\": 3, \"extra\": \"x\", \"b\": 2, \"a\": 1.5}], \"params\": {}, \"client_request_id\": \"r-1\"}")))
        .satisfiesExactly(p -> assertThat(p).isCloseTo(14.5, within(1e-6)));
  }

  @Test
  void ping_health_and_version() throws Exception {
    assertThat(get(server, "ping").statusCode()).isEqualTo(200);
    assertThat(get(server, "health").statusCode()).isEqualTo(200);
    HttpResponse<String> v = get(server, "version");
    assertThat(v.statusCode()).isEqualTo(200);
    assertThat(v.body()).isNotBlank();
  }

  @Test
  void every_malformed_request_gets_its_4xx_json_error_and_the_server_keeps_serving() throws Exception {
    assertError(post(server, "application/json", "{\"dataframe_records\": [{\"a\": 1,"), 400, "BAD_REQUEST", "not valid JSON");
    assertError(post(server, "application/json", "{\"dataframe_records\": [], \"instances\": []}"), 400, "BAD_REQUEST",
        "exactly one of the input fields");
    assertError(post(server, "application/json", "{\"columns\": [\"a\"]}"), 400, "BAD_REQUEST", "exactly one", "none");
    assertError(post(server, "application/json", "[{\"a\": 1}]"), 400, "BAD_REQUEST", "exactly one");
    assertError(post(server, "application/json", "{\"dataframe_records\": [{\"a\": 1, \"b\": 2}]}"), 400, "BAD_REQUEST",
        "missing column 'c'");
    assertError(post(server, "application/json", "{\"dataframe_records\": [{\"a\": \"one\", \"b\": 2, \"c\": 3}]}"), 400,
        "BAD_REQUEST", "column 'a' is double", "\"one\"");
    // only lossless conversions: 2.5 does not go into a long column, 3e10 does not fit an int
    assertError(post(server, "application/json", "{\"dataframe_records\": [{\"a\": 1, \"b\": 2.5, \"c\": 3}]}"), 400,
        "BAD_REQUEST", "column 'b' is long");
    assertError(post(server, "application/json", "{\"dataframe_records\": [{\"a\": 1, \"b\": 2, \"c\": 30000000000}]}"),
        400, "BAD_REQUEST", "column 'c' is int");
    assertError(post(server, "application/json", "{\"dataframe_records\": [{\"a\": null, \"b\": 2, \"c\": 3}]}"), 400,
        "BAD_REQUEST", "column 'a' has a null");
    assertError(post(server, "application/json", "{\"dataframe_split\": {\"columns\": [\"a\"], \"data\": [[1, 2]]}}"),
        400, "BAD_REQUEST", "row 0");
    assertError(post(server, "text/csv", "a,b,c\n1,2\n"), 400, "BAD_REQUEST", "CSV line 2");
    assertError(post(server, "text/plain", "a,b,c\n1,2,3\n"), 415, "BAD_REQUEST", "text/plain");
    assertError(post(server, "application/json; charset=latin-1", "{}"), 415, "BAD_REQUEST", "latin-1");
    assertError(post(server, "application/json; boundary=x", "{}"), 415, "BAD_REQUEST", "boundary");
    assertError(get(server, "nowhere"), 404, "ENDPOINT_NOT_FOUND", "/nowhere");
    assertError(get(server, "invocations"), 405, "BAD_REQUEST", "POST");
    HttpResponse<String> badUtf8 = CLIENT.send(HttpRequest.newBuilder(server.uri().resolve("invocations"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(
            new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'})).build(), HttpResponse.BodyHandlers.ofString());
    assertError(badUtf8, 400, "BAD_REQUEST", "UTF-8");
    // a number BigDecimal cannot hold is the client's error, not the server's (it was a 500)
    assertError(post(server, "application/json", "{\"dataframe_records\": [{\"a\": 1e99999999999, \"b\": 2, \"c\": 3}]}"),
        400, "BAD_REQUEST");
    assertError(post(server, "application/json", "{\"dataframe_records\": [{\"a\": 1, \"b\": 2, \"c\": 3}], \"x\": 1e99999999999}"),
        400, "BAD_REQUEST");
    assertThat(predictions(post(server, "text/csv", "a,b,c\n1,2,3\n"))).hasSize(1);
  }

  @Test
  void keys_only_requests_look_features_up_and_probabilities_are_returned_on_request() throws Exception {
    try (ScoringServer s = builder(churn).start()) {
      HttpResponse<String> r = post(s, "application/json", "{\"dataframe_records\": [{\"customer_id\": 3}, {\"customer_id\": 4}]}");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      JsonNode preds = JSON.readTree(r.body()).get("predictions");
      assertThat(preds).hasSize(2);
      assertThat(preds.get(0).isBoolean()).isTrue();
      JsonNode withProbs = JSON.readTree(post(s, "application/json",
          "{\"inputs\": {\"customer_id\": [3]}, \"params\": {\"return_probabilities\": true}}").body()).get("predictions");
      assertThat(withProbs.get(0).get("probability_true").asDouble() + withProbs.get(0).get("probability_false").asDouble())
          .isCloseTo(1.0, within(1e-9));
      assertThat(withProbs.get(0).get("prediction").asBoolean()).isEqualTo(preds.get(0).asBoolean());
      assertError(post(s, "application/json", "{\"dataframe_records\": [{\"customer\": 3}]}"), 400, "BAD_REQUEST",
          "missing column 'customer_id'");
      assertError(post(s, "application/json", "{\"dataframe_records\": [{\"customer_id\": 3, \"plan\": 7}]}"), 400,
          "BAD_REQUEST", "column 'plan' is string");
      assertError(post(s, "application/json", "{\"dataframe_records\": [{\"customer_id\": 3, \"plan\": \"pro\"}, {\"customer_id\": 4}]}"),
          400, "BAD_REQUEST", "column 'plan' is given for 1 of 2 rows");
      assertThat(post(s, "application/json", "{\"dataframe_records\": [{\"customer_id\": 3, \"plan\": null}]}").statusCode())
          .isEqualTo(200);
      // the feature table disappears under the running endpoint: a 500 with a request id, no stack trace
      ws.tables().drop("main.crm.customer_features");
      HttpResponse<String> broken = post(s, "application/json", "{\"dataframe_records\": [{\"customer_id\": 3}]}");
      assertError(broken, 500, "INTERNAL_ERROR", "request id");
      assertThat(broken.body()).doesNotContain("customer_features", "\tat ");
      assertThat(get(s, "ping").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void a_bearer_token_guards_invocations_and_version_but_not_ping() throws Exception {
    String token = "0123456789abcdef0123456789abcdef";
    try (ScoringServer s = builder(abc).bearerToken(token).start()) {
      String body = "{\"inputs\": {\"a\": [1], \"b\": [2], \"c\": [3]}}";
      assertError(post(s, "application/json", body), 401, "UNAUTHENTICATED", "Bearer");
      HttpResponse<String> wrong = CLIENT.send(HttpRequest.newBuilder(s.uri().resolve("invocations"))
          .header("Content-Type", "application/json").header("Authorization", "Bearer " + token.replace('0', '1'))
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(wrong.statusCode()).isEqualTo(401);
      HttpResponse<String> ok = CLIENT.send(HttpRequest.newBuilder(s.uri().resolve("invocations"))
          .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(predictions(ok)).hasSize(1);
      assertThat(get(s, "version").statusCode()).isEqualTo(401);
      assertThat(get(s, "ping").statusCode()).isEqualTo(200);
      assertThat(s.uri().getHost()).isEqualTo("127.0.0.1"); // loopback by default
    }
  }

  @Test
  void bodies_over_the_limit_get_413_with_or_without_content_length() throws Exception {
    StringBuilder big = new StringBuilder("{\"dataframe_records\": [");
    while (big.length() < 70 * 1024) {
      big.append("{\"a\": 1, \"b\": 2, \"c\": 3},");
    }
    big.append("{\"a\": 1, \"b\": 2, \"c\": 3}]}");
    assertError(post(server, "application/json", big.toString()), 413, "RESOURCE_LIMIT_EXCEEDED", "65536");
    byte[] bytes = big.toString().getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> chunked = CLIENT.send(HttpRequest.newBuilder(server.uri().resolve("invocations"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(bytes))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertError(chunked, 413, "RESOURCE_LIMIT_EXCEEDED", "65536");
    // a huge announced body is refused before it is sent
    try (Socket s = socket()) {
      send(s, "POST /invocations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000000000\r\n\r\n");
      assertThat(readAll(s)).startsWith("HTTP/1.1 413").contains("RESOURCE_LIMIT_EXCEEDED");
    }
    assertThat(predictions(post(server, "text/csv", "a,b,c\n1,2,3\n"))).hasSize(1);
  }

  @Test
  void transfer_encoding_with_content_length_is_refused() throws Exception {
    try (Socket s = socket()) {
      send(s, "POST /invocations HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\nContent-Length: 12\r\n"
          + "Transfer-Encoding: chunked\r\n\r\nc\r\na,b,c\n1,2,3\n\r\n0\r\n\r\n");
      assertThat(readAll(s)).startsWith("HTTP/1.1 400");
    }
    assertThat(predictions(post(server, "text/csv", "a,b,c\n1,2,3\n"))).hasSize(1);
  }

  @Test
  void slow_clients_are_cut_off_at_the_header_and_read_deadlines_while_others_are_served() throws Exception {
    long before = server.connectionsCutOff();
    try (Socket halfHeaders = socket(); Socket noBody = socket()) {
      send(halfHeaders, "POST /invocations HTTP/1.1\r\nHost: x\r\nContent-Ty");
      send(noBody, "POST /invocations HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\nContent-Length: 100\r\n\r\na,b");
      assertThat(predictions(post(server, "text/csv", "a,b,c\n1,2,3\n"))).hasSize(1);
      long t0 = System.nanoTime();
      assertThat(readAll(halfHeaders)).isEmpty(); // closed without an answer
      assertThat(readAll(noBody)).isEmpty();
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    }
    assertThat(server.connectionsCutOff() - before).isGreaterThanOrEqualTo(2);
    assertThat(predictions(post(server, "text/csv", "a,b,c\n1,2,3\n"))).hasSize(1);
  }

  @Test
  void a_thousand_and_twenty_four_idle_connections_do_not_stop_the_server() throws Exception {
    List<Socket> idle = new ArrayList<>();
    try {
      for (int i = 0; i < 1024; i++) {
        idle.add(socket());
      }
      for (int i = 0; i < 20; i++) {
        assertThat(predictions(post(server, "text/csv", "a,b,c\n1,2,3\n"))).hasSize(1);
      }
      assertThat(get(server, "ping").statusCode()).isEqualTo(200);
    } finally {
      for (Socket s : idle) {
        s.close();
      }
    }
  }

  /** Live threads of NIO event loops (of every server in this JVM). */
  static long loopThreads() {
    return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("mlops-serving-nio-")).count();
  }

  @Test
  void event_loops_are_as_many_as_asked_each_serving_its_share_of_connections() throws Exception {
    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> builder(abc).eventLoops(0)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("eventLoops");
    assertThat(ScoringServer.defaultEventLoops())
        .isEqualTo(Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
    long before = loopThreads();
    List<Socket> conns = new ArrayList<>();
    try (ScoringServer s = builder(abc).eventLoops(3).start()) {
      assertThat(loopThreads() - before).isEqualTo(transport == ScoringServer.Transport.NIO ? 3 : 0);
      String body = "a,b,c\n1,2,3\n";
      for (int i = 0; i < 6; i++) { // handed to the loops in turn: two connections each
        Socket c = new Socket(InetAddress.getLoopbackAddress(), s.port());
        c.setSoTimeout(10_000);
        conns.add(c);
      }
      for (int round = 0; round < 2; round++) {
        for (Socket c : conns) {
          send(c, "POST /invocations HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\nContent-Length: "
              + body.length() + "\r\n\r\n" + body);
          assertThat(readAll(c)).startsWith("HTTP/1.1 200").contains("\"predictions\"");
        }
      }
    } finally {
      for (Socket c : conns) {
        c.close();
      }
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (loopThreads() > before && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(loopThreads()).as("the loops end with the server").isEqualTo(before);
  }

  @Test
  void requests_beyond_the_concurrency_cap_get_503_and_the_held_one_completes() throws Exception {
    try (ScoringServer s = builder(abc).maxConcurrentRequests(1).readTimeout(Duration.ofSeconds(10)).start();
         Socket slow = new Socket(InetAddress.getLoopbackAddress(), s.port())) {
      slow.setSoTimeout(10_000);
      String body = "a,b,c\n1,2,3\n";
      send(slow, "POST /invocations HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\nContent-Length: " + body.length()
          + "\r\n\r\na,b");
      Thread.sleep(300); // the slow request holds the only slot while its body trickles in
      assertError(post(s, "text/csv", body), 503, "TEMPORARILY_UNAVAILABLE", "limit");
      send(slow, body.substring(3));
      String answer = readAll(slow);
      assertThat(answer).startsWith("HTTP/1.1 200").contains("\"predictions\"");
      assertThat(predictions(post(s, "text/csv", body))).hasSize(1);
    }
  }

  @Test
  void close_waits_for_the_request_in_flight_and_returns_as_it_ends_not_at_the_grace() throws Exception {
    ScoringServer s = builder(abc).readTimeout(Duration.ofSeconds(20)).shutdownGrace(Duration.ofSeconds(20))
        .start();
    java.util.concurrent.CompletableFuture<Long> closing = null;
    try (Socket slow = new Socket(InetAddress.getLoopbackAddress(), s.port())) {
      slow.setSoTimeout(10_000);
      String body = "a,b,c\n1,2,3\n";
      send(slow, "POST /invocations HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\nContent-Length: " + body.length()
          + "\r\n\r\na,b");
      Thread.sleep(300); // the request is in flight, its body trickling in
      closing = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
        long t0 = System.nanoTime();
        s.close();
        return System.nanoTime() - t0;
      });
      Thread.sleep(300);
      assertThat(closing).as("close() waits for the request in flight").isNotDone();
      send(slow, body.substring(3));
      assertThat(readAll(slow)).startsWith("HTTP/1.1 200").contains("\"predictions\"");
      long nanos = closing.get(10, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(nanos).as("woken by the last request, not at the 20 s grace").isLessThan(5_000_000_000L);
    } finally {
      if (closing == null) {
        s.close();
      }
    }
    long t0 = System.nanoTime();
    try (ScoringServer idle = builder(abc).shutdownGrace(Duration.ofSeconds(20)).start()) {
      assertThat(idle.port()).isPositive();
    }
    assertThat(System.nanoTime() - t0).isLessThan(5_000_000_000L);
  }

  @Test
  void a_closed_endpoint_answers_503_and_ping_404() throws Exception {
    Fixtures.abc(ModelRegistry.of(ws)); // version 2
    try (ServingEndpoint ep = ServingEndpoint.builder(ws, "models:/main.ml.abc/2").build();
         ScoringServer s = builder(ep).start()) {
      assertThat(post(s, "text/csv", "a,b,c\n1,2,3\n").headers().firstValue("served-model-name")).hasValue("main.ml.abc-2");
      ep.close();
      assertError(post(s, "text/csv", "a,b,c\n1,2,3\n"), 503, "TEMPORARILY_UNAVAILABLE");
      assertThat(get(s, "ping").statusCode()).isEqualTo(404);
    }
  }

  static Socket socket() throws IOException {
    Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port());
    s.setSoTimeout(5_000);
    return s;
  }

  static void send(Socket s, String text) throws IOException {
    OutputStream o = s.getOutputStream();
    o.write(text.getBytes(StandardCharsets.US_ASCII));
    o.flush();
  }

  /** Everything until the server closes (or 5 s pass: then the test fails on what was read). */
  static String readAll(Socket s) throws IOException {
    InputStream in = s.getInputStream();
    StringBuilder sb = new StringBuilder();
    byte[] buf = new byte[8192];
    try {
      int n;
      while ((n = in.read(buf)) > 0) {
        sb.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
        if (sb.indexOf("\r\n\r\n") > 0 && complete(sb)) {
          break;
        }
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("The server neither answered nor closed within 5 s; read so far: " + sb);
    } catch (IOException e) {
      // reset by the server: counts as closed
    }
    return sb.toString();
  }

  private static boolean complete(StringBuilder sb) {
    int end = sb.indexOf("\r\n\r\n");
    String head = sb.substring(0, end).toLowerCase();
    int i = head.indexOf("content-length:");
    if (i < 0) {
      return false;
    }
    int len = Integer.parseInt(head.substring(i + 15, head.indexOf('\n', i) < 0 ? head.length() : head.indexOf('\n', i)).trim());
    return sb.length() >= end + 4 + len;
  }

}
