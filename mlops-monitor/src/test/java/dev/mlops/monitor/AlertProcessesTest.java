package dev.mlops.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.mlops.core.Column;
import dev.mlops.core.DataType;
import dev.mlops.core.Frame;
import dev.mlops.core.Workspace;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Alerts evaluated by real second JVMs: concurrent evaluations, and a process killed while delivering. */
class AlertProcessesTest {
  @TempDir Path dir;
  Workspace ws;
  HttpServer server;
  final List<String> ids = new CopyOnWriteArrayList<>();
  final AtomicBoolean hangFirst = new AtomicBoolean();
  final CountDownLatch firstArrived = new CountDownLatch(1);
  final CountDownLatch release = new CountDownLatch(1);

  @BeforeEach
  void start() throws Exception {
    ws = Workspace.open(dir);
    write(9.0);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.createContext("/hook", ex -> {
      ex.getRequestBody().readAllBytes();
      String id = ex.getRequestHeaders().getFirst("X-Mlops-Delivery-Id");
      if (hangFirst.compareAndSet(true, false)) {
        firstArrived.countDown();
        try {
          release.await(60, TimeUnit.SECONDS); // the sender is killed meanwhile
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        ex.close();
        return;
      }
      ids.add(id);
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    release.countDown();
    server.stop(0);
    ws.close();
  }

  void write(double v) {
    Frame f = Frame.of(Column.of("v", DataType.DOUBLE, List.of(v)));
    if (ws.tables().exists("main.ops.m")) {
      ws.tables().get("main.ops.m").overwrite(f);
    } else {
      ws.tables().create("main.ops.m").create(f);
    }
  }

  Process child(String... args) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
        AlertChild.class.getName()));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("child-" + args[0] + "-"
        + System.nanoTime() + ".log").toFile()).start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
  }

  @Test
  void two_processes_evaluating_the_same_alert_notify_each_transition_once() throws Exception {
    Alerts.of(ws).create("high").on("main.ops.m", "v").above(5).notifyOnOk(true).webhook(url()).create();
    int rounds = 6;
    Process a = child("rounds", dir.toString(), "high", "a", String.valueOf(rounds));
    Process b = child("rounds", dir.toString(), "high", "b", String.valueOf(rounds));
    Alerts here = Alerts.of(ws);
    for (int k = 1; k <= rounds; k++) {
      write(k % 2 == 1 ? 9.0 : 1.0);
      Files.writeString(dir.resolve("round-" + k), "go");
      here.evaluate("high"); // a third evaluator, in this JVM
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (!(Files.exists(dir.resolve("done-" + k + "-a")) && Files.exists(dir.resolve("done-" + k + "-b")))
          && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(Files.exists(dir.resolve("done-" + k + "-a")) && Files.exists(dir.resolve("done-" + k + "-b")))
          .as("round " + k + " finished in both children").isTrue();
    }
    assertThat(a.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(b.waitFor(60, TimeUnit.SECONDS)).isTrue();
    here.deliverPending();
    assertThat(ids).as("one notification per transition: 3 x TRIGGERED, 3 x OK")
        .containsExactlyInAnyOrder("high-1-0", "high-2-0", "high-3-0", "high-4-0", "high-5-0", "high-6-0");
    assertThat(here.history("high")).extracting(AlertStatus::state).containsExactly(AlertState.TRIGGERED,
        AlertState.OK, AlertState.TRIGGERED, AlertState.OK, AlertState.TRIGGERED, AlertState.OK);
  }

  @Test
  void a_process_killed_while_delivering_loses_nothing_the_next_process_delivers_the_same_id() throws Exception {
    Alerts.of(ws).create("high").on("main.ops.m", "v").above(5).webhook(url()).create();
    hangFirst.set(true);
    Process p = child("evaluate", dir.toString(), "high");
    assertThat(firstArrived.await(120, TimeUnit.SECONDS)).as("the child's POST arrived").isTrue();
    p.destroyForcibly(); // SIGKILL in the middle of the delivery
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    release.countDown();
    Alerts after = Alerts.of(ws);
    assertThat(after.status("high").state()).isEqualTo(AlertState.TRIGGERED);
    assertThat(after.pendingDeliveries()).singleElement().asString().startsWith("high-1-0");
    assertThat(after.deliverPending()).isEqualTo(1);
    assertThat(ids).containsExactly("high-1-0");
    after.evaluate("high");
    assertThat(ids).containsExactly("high-1-0");
  }
}
