package dev.mlops.serving;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlops.core.Column;
import dev.mlops.core.DataType;
import dev.mlops.core.Frame;
import dev.mlops.core.Workspace;
import dev.mlops.models.Algorithm;
import dev.mlops.models.ModelRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class InferenceLogTest {
  @TempDir Path dir;
  static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  static final ObjectMapper JSON = new ObjectMapper();

  static HttpResponse<String> post(ScoringServer s, String body) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(s.uri().resolve("invocations")).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @ParameterizedTest // on each HTTP transport
  @EnumSource(ScoringServer.Transport.class)
  void every_request_lands_in_the_payload_table_with_databricks_columns_and_oversize_bodies_as_null(ScoringServer.Transport transport) throws Exception {
    try (Workspace ws = Workspace.open(dir)) {
      ModelRegistry reg = ModelRegistry.of(ws);
      Fixtures.abc(reg);
      reg.setAlias(Fixtures.ABC, "champion", 1);
      try (ServingEndpoint ep = ServingEndpoint.builder(ws, "models:/main.ml.abc@champion").build();
           InferenceLog log = InferenceLog.builder(ws, "main.serving.abc").maxPayloadBytes(400)
               .flushInterval(Duration.ofMillis(100)).build();
           ScoringServer server = ScoringServer.builder(ep).transport(transport).inferenceLog(log).start()) {
        assertThat(post(server, "{\"inputs\": {\"a\": [1], \"b\": [2], \"c\": [3]}, \"client_request_id\": \"mine-1\"}")
            .statusCode()).isEqualTo(200);
        assertThat(post(server, "{\"inputs\": {\"a\": [1], \"b\": [2]}}").statusCode()).isEqualTo(400);
        StringBuilder many = new StringBuilder("{\"dataframe_records\": [");
        for (int i = 0; i < 30; i++) {
          many.append(i == 0 ? "" : ",").append("{\"a\": ").append(i).append(", \"b\": 1, \"c\": 1}");
        }
        assertThat(post(server, many.append("]}").toString()).statusCode()).isEqualTo(200);
        log.flush();
        Frame t = ws.tables().get(log.payloadTable()).read().load();
        assertThat(t.schema().names()).containsExactly("request_date", "databricks_request_id", "client_request_id",
            "request_time", "status_code", "sampling_fraction", "execution_duration_ms", "request", "response",
            "served_entity_id", "logging_error_codes", "requester", "model_name", "model_version");
        assertThat(t.rowCount()).isEqualTo(3);
        List<java.util.Map<String, Object>> rows = new ArrayList<>(t.rows());
        rows.sort(java.util.Comparator.comparing(r -> (java.time.Instant) r.get("request_time")));
        var ok = rows.get(0);
        assertThat(ok.get("client_request_id")).isEqualTo("mine-1");
        assertThat(ok.get("status_code")).isEqualTo(200);
        assertThat(ok.get("served_entity_id")).isEqualTo("main.ml.abc-1");
        assertThat(ok.get("model_version")).isEqualTo("1");
        assertThat(ok.get("sampling_fraction")).isEqualTo(1.0);
        assertThat(JSON.readTree((String) ok.get("request")).get("client_request_id").asText()).isEqualTo("mine-1");
        assertThat(JSON.readTree((String) ok.get("response")).get("predictions")).hasSize(1);
        assertThat(ok.get("logging_error_codes")).isNull();
        assertThat((String) ok.get("databricks_request_id")).hasSize(36);
        assertThat(ok.get("requester")).isEqualTo("127.0.0.1");
        assertThat(rows.get(1).get("status_code")).isEqualTo(400);
        assertThat((String) rows.get(1).get("response")).contains("missing column 'c'");
        var big = rows.get(2);
        assertThat(big.get("request")).isNull();
        assertThat(big.get("response")).isNull();
        assertThat(big.get("logging_error_codes")).isEqualTo(List.of("MAX_REQUEST_SIZE_EXCEEDED", "MAX_RESPONSE_SIZE_EXCEEDED"));
        assertThat(t.schema().field("logging_error_codes").columnType()).isEqualTo(
            dev.mlops.core.ColumnType.array(DataType.STRING));
        assertThat(ws.tables().get(log.payloadTable()).properties()).containsEntry("delta.appendOnly", "true");
      }
    }
  }

  static HttpResponse<String> send(ScoringServer s, String path, String token, String contentType,
      HttpRequest.BodyPublisher body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(s.uri().resolve(path));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    return CLIENT.send((body == null ? b.GET() : b.POST(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @ParameterizedTest // on each HTTP transport
  @EnumSource(ScoringServer.Transport.class)
  void refused_requests_are_logged_with_a_null_request_and_the_reason_but_never_their_body(ScoringServer.Transport transport) throws Exception {
    String token = "0123456789abcdef0123456789abcdef";
    String ok = "{\"inputs\": {\"a\": [1], \"b\": [2], \"c\": [3]}}";
    StringBuilder big = new StringBuilder("{\"dataframe_records\": [");
    while (big.length() < 3000) {
      big.append("{\"a\": 1, \"b\": 2, \"c\": 3},");
    }
    String tooBig = big.append("{\"a\": 1, \"b\": 2, \"c\": 3}]}").toString();
    byte[] tooBigBytes = tooBig.getBytes(StandardCharsets.UTF_8);
    try (Workspace ws = Workspace.open(dir)) {
      ModelRegistry reg = ModelRegistry.of(ws);
      Fixtures.abc(reg);
      reg.setAlias(Fixtures.ABC, "champion", 1);
      try (ServingEndpoint ep = ServingEndpoint.builder(ws, "models:/main.ml.abc@champion").build();
           InferenceLog log = InferenceLog.builder(ws, "main.serving.refused").flushInterval(Duration.ofMillis(100))
               .build();
           ScoringServer server = ScoringServer.builder(ep).transport(transport).inferenceLog(log).bearerToken(token).maxBodyBytes(2048)
               .start()) {
        assertThat(send(server, "invocations", null, "application/json", HttpRequest.BodyPublishers.ofString(ok))
            .statusCode()).isEqualTo(401);
        assertThat(send(server, "invocations", token.replace('0', '1'), "application/json",
            HttpRequest.BodyPublishers.ofString(ok)).statusCode()).isEqualTo(401);
        assertThat(send(server, "invocations", token, "application/json",
            HttpRequest.BodyPublishers.ofString(tooBig)).statusCode()).isEqualTo(413); // Content-Length announced
        assertThat(send(server, "invocations", token, "application/json",
            HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(tooBigBytes)))
            .statusCode()).isEqualTo(413); // chunked: counted while reading
        assertThat(send(server, "invocations", token, "text/plain", HttpRequest.BodyPublishers.ofString("a,b,c\n1,2,3\n"))
            .statusCode()).isEqualTo(415);
        assertThat(send(server, "invocations", token, null, null).statusCode()).isEqualTo(405);
        assertThat(send(server, "invocations", token, "application/json", HttpRequest.BodyPublishers.ofString(ok))
            .statusCode()).isEqualTo(200);
        // not scoring requests: not logged
        assertThat(send(server, "version", null, null, null).statusCode()).isEqualTo(401);
        assertThat(send(server, "ping", null, null, null).statusCode()).isEqualTo(200);
        assertThat(send(server, "nowhere", token, null, null).statusCode()).isEqualTo(404);
        log.flush();
        Frame t = ws.tables().get(log.payloadTable()).read().load();
        List<java.util.Map<String, Object>> rows = new ArrayList<>(t.rows());
        rows.sort(java.util.Comparator.comparing(r -> (java.time.Instant) r.get("request_time")));
        assertThat(rows).extracting(r -> r.get("status_code")).containsExactly(401, 401, 413, 413, 415, 405, 200);
        for (int i = 0; i < 6; i++) {
          var r = rows.get(i);
          assertThat(r.get("request")).as("row %d", i).isNull();
          assertThat(r.get("logging_error_codes")).as("row %d", i).isEqualTo(List.of(
              (int) r.get("status_code") == 413 ? "MAX_REQUEST_SIZE_EXCEEDED" : "REQUEST_NOT_READ"));
          assertThat(JSON.readTree((String) r.get("response")).get("error_code").asText()).isNotEmpty();
          assertThat(r.get("requester")).isEqualTo("127.0.0.1");
          assertThat(r.get("model_name")).isNull();
          assertThat(r.get("served_entity_id")).isNull();
          assertThat(r.get("execution_duration_ms")).isEqualTo(0L);
          assertThat((String) r.get("databricks_request_id")).hasSize(36);
          assertThat(r.get("request_date")).isNotNull();
        }
        assertThat((String) rows.get(0).get("response")).contains("UNAUTHENTICATED");
        assertThat((String) rows.get(4).get("response")).contains("text/plain");
        assertThat(rows.get(6).get("request")).isEqualTo(ok);
        assertThat(rows.get(6).get("model_version")).isEqualTo("1");
        assertThat(new java.util.HashSet<>(t.column("databricks_request_id").toList())).hasSize(7);
        assertThat(log.refusedNotLogged()).isZero();
      }
    }
  }

  @ParameterizedTest // on each HTTP transport
  @EnumSource(ScoringServer.Transport.class)
  void a_flood_of_refused_requests_is_logged_at_the_capped_rate_and_the_rest_counted(ScoringServer.Transport transport) throws Exception {
    String token = "0123456789abcdef0123456789abcdef";
    String ok = "{\"inputs\": {\"a\": [1], \"b\": [2], \"c\": [3]}}";
    int flood = 300;
    int perSecond = 5;
    try (Workspace ws = Workspace.open(dir)) {
      ModelRegistry reg = ModelRegistry.of(ws);
      Fixtures.abc(reg);
      reg.setAlias(Fixtures.ABC, "champion", 1);
      try (ServingEndpoint ep = ServingEndpoint.builder(ws, "models:/main.ml.abc@champion").build();
           InferenceLog log = InferenceLog.builder(ws, "main.serving.flood").maxRefusedPerSecond(perSecond)
               .flushInterval(Duration.ofMillis(100)).build();
           ScoringServer server = ScoringServer.builder(ep).transport(transport).inferenceLog(log).bearerToken(token).start()) {
        long t0 = System.nanoTime();
        for (int i = 0; i < flood; i++) {
          assertThat(send(server, "invocations", "wrong-token-" + i, "application/json",
              HttpRequest.BodyPublishers.ofString(ok)).statusCode()).isEqualTo(401);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        for (int i = 0; i < 3; i++) { // accepted requests are never rate-limited
          assertThat(send(server, "invocations", token, "application/json", HttpRequest.BodyPublishers.ofString(ok))
              .statusCode()).isEqualTo(200);
        }
        log.flush();
        Frame t = ws.tables().get(log.payloadTable()).read().load();
        long logged401 = t.rows().stream().filter(r -> Integer.valueOf(401).equals(r.get("status_code"))).count();
        long logged200 = t.rows().stream().filter(r -> Integer.valueOf(200).equals(r.get("status_code"))).count();
        assertThat(logged200).isEqualTo(3);
        assertThat(logged401 + log.refusedNotLogged()).isEqualTo(flood); // every refused request logged or counted
        assertThat(logged401).isGreaterThanOrEqualTo(perSecond) // the burst
            .isLessThanOrEqualTo((long) Math.floor(perSecond + perSecond * seconds) + 1);
        assertThat(log.refusedNotLogged()).as("%d requests in %.2f s", flood, seconds).isPositive();
        assertThat(log.dropped()).isZero();
      }
    }
  }

  @ParameterizedTest // on each HTTP transport
  @EnumSource(ScoringServer.Transport.class)
  void the_predictions_table_has_one_row_per_prediction_with_features_probabilities_and_an_empty_label(ScoringServer.Transport transport) throws Exception {
    try (Workspace ws = Workspace.open(dir)) {
      Fixtures.churn(ws, Algorithm.logisticRegression());
      ModelRegistry.of(ws).setAlias(Fixtures.CHURN, "champion", 1);
      try (ServingEndpoint ep = ServingEndpoint.builder(ws, "models:/main.ml.churn@champion").build();
           InferenceLog log = InferenceLog.builder(ws, "main.serving.churn").build();
           ScoringServer server = ScoringServer.builder(ep).transport(transport).inferenceLog(log).start()) {
        HttpResponse<String> r = post(server, "{\"dataframe_records\": [{\"customer_id\": 3}, {\"customer_id\": 4}],"
            + " \"client_request_id\": \"batch-7\"}");
        assertThat(r.statusCode()).isEqualTo(200);
        log.flush();
        Frame p = ws.tables().get(log.predictionsTable()).read().load();
        assertThat(p.schema().names()).startsWith("request_id", "client_request_id", "row_index", "timestamp",
            "model_name", "model_version").contains("customer_id", "spend_30d", "visits_7d", "plan", "prediction",
            "probabilities", "label");
        assertThat(p.rowCount()).isEqualTo(2);
        assertThat(p.column("label").type()).isEqualTo(DataType.BOOLEAN);
        assertThat(p.column("label").nullCount()).isEqualTo(2);
        JsonNode served = JSON.readTree(r.body()).get("predictions");
        for (int i = 0; i < 2; i++) {
          int row = p.column("row_index").getInt(i);
          assertThat(p.column("prediction").getBoolean(i)).isEqualTo(served.get(row).asBoolean());
          @SuppressWarnings("unchecked")
          java.util.Map<String, Double> probs = (java.util.Map<String, Double>) p.column("probabilities").get(i);
          assertThat(probs).containsOnlyKeys("true", "false");
          assertThat(probs.get("true") + probs.get("false")).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-9));
          assertThat(p.column("client_request_id").getString(i)).isEqualTo("batch-7");
        }
        // ground truth arrives later: upsert it by request id and row index
        String requestId = p.column("request_id").getString(0);
        Frame labels = Frame.of(Column.ofStrings("request_id", requestId, requestId), Column.ofInts("row_index", 0, 1),
            Column.ofBooleans("label", true, false));
        var table = ws.tables().get(log.predictionsTable());
        Frame current = table.read().load();
        Frame merged = current.drop("label").withColumn(labels.column("label"));
        table.upsert(merged, "request_id", "row_index");
        Frame after = table.read().load();
        assertThat(after.rowCount()).isEqualTo(2);
        assertThat(after.column("label").nullCount()).isZero();
      }
    }
  }

  @Test
  void a_full_queue_drops_and_counts_and_a_clean_close_writes_everything_accepted() {
    try (Workspace ws = Workspace.open(dir)) {
      InferenceLog tiny = InferenceLog.builder(ws, "main.serving.tiny").queueCapacity(1).batchRows(1).build();
      for (int i = 0; i < 200; i++) {
        tiny.offer(InferenceChild.record(i));
      }
      tiny.close();
      assertThat(tiny.dropped()).isPositive();
      assertThat(tiny.accepted() + tiny.dropped()).isEqualTo(200);
      assertThat(ws.tables().get(tiny.payloadTable()).read().load().rowCount()).isEqualTo((int) tiny.accepted());

      InferenceLog log = InferenceLog.builder(ws, "main.serving.many").batchRows(64).flushInterval(Duration.ofMinutes(5)).build();
      for (int i = 0; i < 500; i++) {
        log.offer(InferenceChild.record(i));
      }
      log.close();
      assertThat(log.dropped()).isZero();
      assertThat(log.written()).isEqualTo(500);
      Frame t = ws.tables().get(log.payloadTable()).read().load();
      assertThat(t.rowCount()).isEqualTo(500);
      assertThat(new java.util.HashSet<>(t.column("databricks_request_id").toList())).hasSize(500);
      log.offer(InferenceChild.record(9999));
      assertThat(log.dropped()).isEqualTo(1); // after close nothing is accepted
    }
  }

  @Test
  void a_killed_process_loses_only_its_unflushed_records_and_leaves_the_table_whole() throws Exception {
    List<String> cmd = List.of(System.getProperty("java.home") + "/bin/java", "-Xmx256m", "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), InferenceChild.class.getName(),
        dir.toString(), "40", "25");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    List<String> out = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        out.add(line);
        if (line.startsWith("QUEUED")) {
          break;
        }
      }
      assertThat(out).as(String.join("\n", out)).contains("FLUSHED 40", "QUEUED 65");
      p.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      p.destroyForcibly();
    }
    try (Workspace ws = Workspace.open(dir)) {
      Frame t = ws.tables().get("main.serving.crash_payload").read().load();
      assertThat(t.rowCount()).isEqualTo(40); // the 25 queued after the flush were not committed: lost, nothing partial
      try (InferenceLog again = InferenceLog.builder(ws, "main.serving.crash").build()) {
        again.offer(InferenceChild.record(1000));
      }
      assertThat(ws.tables().get("main.serving.crash_payload").read().load().rowCount()).isEqualTo(41);
    }
  }
}
