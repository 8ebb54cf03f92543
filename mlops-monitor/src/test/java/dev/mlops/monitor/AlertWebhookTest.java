package dev.mlops.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.mlops.core.Column;
import dev.mlops.core.DataType;
import dev.mlops.core.Frame;
import dev.mlops.core.Workspace;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Webhook deliveries against the JDK's HTTP server on loopback. */
class AlertWebhookTest {
  @TempDir Path dir;
  Workspace ws;
  HttpServer server;
  final List<Map<String, String>> received = new CopyOnWriteArrayList<>();
  final AtomicInteger failFirst = new AtomicInteger();

  @BeforeEach
  void start() throws Exception {
    ws = Workspace.open(dir);
    ws.tables().create("main.ops.m").create(Frame.of(Column.of("v", DataType.DOUBLE, List.of(5.0, 9.0))));
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/hook", ex -> {
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      boolean fail = failFirst.getAndDecrement() > 0;
      received.add(Map.of("body", body, "auth", String.valueOf(ex.getRequestHeaders().getFirst("Authorization")),
          "id", String.valueOf(ex.getRequestHeaders().getFirst("X-Mlops-Delivery-Id")),
          "type", String.valueOf(ex.getRequestHeaders().getFirst("Content-Type")), "failed", String.valueOf(fail)));
      ex.sendResponseHeaders(fail ? 503 : 200, -1);
      ex.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
    ws.close();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
  }

  List<Map<String, String>> ok() {
    return received.stream().filter(r -> r.get("failed").equals("false")).toList();
  }

  @Test
  void webhook_gets_the_databricks_payload_with_basic_auth() throws Exception {
    Alerts alerts = Alerts.of(ws);
    alerts.create("high").on("main.ops.m", "v").aggregation(Aggregation.MAX).above(8)
        .destination(AlertDestination.webhook(java.net.URI.create(url())).basicAuth("bob", "s3cret")).create();
    assertThat(alerts.evaluate("high").state()).isEqualTo(AlertState.TRIGGERED);
    assertThat(received).hasSize(1);
    Map<String, String> r = received.get(0);
    assertThat(r.get("auth")).isEqualTo("Basic " + Base64.getEncoder().encodeToString("bob:s3cret".getBytes()));
    assertThat(r.get("type")).startsWith("application/json");
    JsonNode j = new ObjectMapper().readTree(r.get("body"));
    assertThat(j.get("event").asText()).isEqualTo("alert_state_change");
    assertThat(j.get("delivery_id").asText()).isEqualTo(r.get("id")).isEqualTo("high-1-0");
    JsonNode a = j.get("alert").get("alert");
    assertThat(a.get("name").asText()).isEqualTo("high");
    assertThat(a.get("state").asText()).isEqualTo("TRIGGERED");
    JsonNode ev = a.get("evaluations").get(0);
    assertThat(ev.get("source").get("name").asText()).isEqualTo("v");
    assertThat(ev.get("source").get("aggregation").asText()).isEqualTo("MAX");
    assertThat(ev.get("comparison_operator").asText()).isEqualTo("GREATER_THAN");
    assertThat(ev.get("threshold").get("value").get("double_value").asDouble()).isEqualTo(8.0);
    assertThat(ev.get("value").asText()).isEqualTo("9.0");
    assertThat(ev.get("empty_result_state").asText()).isEqualTo("OK");
    assertThat(j.get("alert").get("title").asText()).contains("high").contains("TRIGGERED").contains("9.0");
    assertThat(alerts.pendingDeliveries()).isEmpty();
  }

  @Test
  void a_failing_receiver_gets_the_notification_after_it_recovers_also_after_a_restart() throws Exception {
    failFirst.set(2);
    // the backoff is measured on this clock, so that "not due yet" does not depend on the machine's load
    AlertsTest.MutableClock clock = new AlertsTest.MutableClock(java.time.Instant.now());
    Alerts alerts = Alerts.of(ws).withClock(clock).withRetry(Duration.ofMillis(200), Duration.ofSeconds(2));
    alerts.create("high").on("main.ops.m", "v").aggregation(Aggregation.MAX).above(8).webhook(url()).create();
    assertThat(alerts.evaluate("high").state()).isEqualTo(AlertState.TRIGGERED);
    assertThat(received).hasSize(1);
    assertThat(ok()).isEmpty();
    assertThat(alerts.pendingDeliveries()).singleElement().asString().contains("high-1-0").contains("attempts 1")
        .contains("503");
    assertThat(alerts.deliverPending()).as("backing off: not due yet").isZero();
    assertThat(received).hasSize(1);
    clock.now = clock.now.plusMillis(250);
    assertThat(alerts.deliverPending()).isZero();
    assertThat(received).hasSize(2);
    // a restart: a new workspace handle and Alerts on the real clock, after the backoff (400 ms)
    ws.close();
    ws = Workspace.open(dir);
    Alerts restarted = Alerts.of(ws);
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (ok().isEmpty() && System.nanoTime() < deadline) {
      restarted.deliverPending();
      Thread.sleep(50);
    }
    assertThat(ok()).hasSize(1);
    assertThat(ok().get(0).get("id")).isEqualTo("high-1-0");
    assertThat(received).extracting(m -> m.get("id")).containsOnly("high-1-0");
    assertThat(restarted.pendingDeliveries()).isEmpty();
    // the state change was never lost and is not sent twice by a new evaluation
    restarted.evaluate("high");
    assertThat(ok()).hasSize(1);
  }

  @Test
  void an_unreachable_webhook_times_out_and_stays_queued() {
    server.stop(0);
    Alerts alerts = Alerts.of(ws);
    alerts.create("high").on("main.ops.m", "v").aggregation(Aggregation.MAX).above(8)
        .destination(AlertDestination.webhook(java.net.URI.create(url()))
            .timeouts(Duration.ofMillis(500), Duration.ofMillis(500))).create();
    long t0 = System.nanoTime();
    alerts.evaluate("high");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    assertThat(alerts.pendingDeliveries()).hasSize(1);
    assertThat(alerts.status("high").state()).isEqualTo(AlertState.TRIGGERED);
  }
}
