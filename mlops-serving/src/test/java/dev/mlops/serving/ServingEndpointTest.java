package dev.mlops.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.mlops.core.Column;
import dev.mlops.core.Frame;
import dev.mlops.core.Workspace;
import dev.mlops.features.FeatureStore;
import dev.mlops.features.OnlineStore;
import dev.mlops.models.AliasNotFoundException;
import dev.mlops.models.Algorithm;
import dev.mlops.models.ModelRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServingEndpointTest {
  @TempDir Path dir;

  static Frame row(double x1, long x2) {
    return Frame.of(Column.ofDoubles("x1", x1), Column.ofLongs("x2", x2));
  }

  @Test
  void eight_threads_score_while_the_alias_moves_100_times_with_no_error_and_each_answer_from_the_version_named() throws Exception {
    try (Workspace ws = Workspace.open(dir)) {
      ModelRegistry reg = ModelRegistry.of(ws);
      for (int v = 1; v <= 3; v++) {
        Fixtures.linear(reg, v * 10); // version v predicts 10*v*x1 + x2
      }
      reg.setAlias(Fixtures.LINEAR, "champion", 1);
      try (ServingEndpoint ep = ServingEndpoint.builder(ws, "models:/main.ml.linear@champion")
          .pollInterval(Duration.ofMillis(2)).build()) {
        AtomicBoolean stop = new AtomicBoolean();
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        AtomicLong answered = new AtomicLong();
        Map<Integer, AtomicLong> byVersion = new java.util.concurrent.ConcurrentHashMap<>();
        List<Thread> threads = new ArrayList<>();
        CountDownLatch started = new CountDownLatch(8);
        for (int t = 0; t < 8; t++) {
          int seed = t;
          Thread th = new Thread(() -> {
            started.countDown();
            int i = 0;
            while (!stop.get()) {
              double x1 = (seed + i++) % 7;
              try {
                Prediction p = ep.predict(row(x1, 3));
                double expected = 10.0 * p.modelVersion() * x1 + 3;
                assertThat(p.rows().column("prediction").getDouble(0)).isCloseTo(expected, within(1e-6));
                assertThat(p.servedModelName()).isEqualTo(Fixtures.LINEAR + "-" + p.modelVersion());
                byVersion.computeIfAbsent(p.modelVersion(), k -> new AtomicLong()).incrementAndGet();
                answered.incrementAndGet();
              } catch (Throwable e) {
                errors.add(e);
              }
            }
          });
          threads.add(th);
          th.start();
        }
        started.await();
        for (int move = 0; move < 100; move++) {
          int v = move % 3 + 1 == ep.served().get(0).version() ? (move + 1) % 3 + 1 : move % 3 + 1;
          reg.setAlias(Fixtures.LINEAR, "champion", v);
          if (move % 2 == 0) {
            ep.refresh(); // half the moves are picked up at once, the others by the poller
            // and once refresh() returns, the moved-to version serves: a poll that read the alias before
            // the move must not swap the version it read back in
            assertThat(ep.served().get(0).version()).as("move %d", move).isEqualTo(v);
          }
          Thread.sleep(3);
        }
        reg.setAlias(Fixtures.LINEAR, "champion", 2);
        ep.refresh();
        stop.set(true);
        for (Thread th : threads) {
          th.join();
        }
        assertThat(errors).isEmpty();
        assertThat(answered.get()).isGreaterThan(100);
        assertThat(ep.swaps()).isGreaterThanOrEqualTo(50);
        assertThat(byVersion.keySet()).containsExactlyInAnyOrder(1, 2, 3);
        assertThat(ep.served().get(0).version()).isEqualTo(2);
        // every version swapped out has been released (no request holds it any more)
        assertThat(ep.releasedVersions()).isEqualTo(ep.swaps());
        assertThat(ep.predict(row(1, 0)).modelVersion()).isEqualTo(2);
      }
    }
  }

  /**
   * A check that read the alias before it moved back must not swap its stale version in after another
   * check found nothing to do: the version is read again under the route's lock (a CI run on JDK 25 saw
   * the poller swap version 1 back in just after refresh() had swapped in version 2).
   */
  @Test
  void a_check_that_read_the_alias_before_it_moved_back_swaps_nothing() throws Exception {
    try (Workspace ws = Workspace.open(dir)) {
      ModelRegistry reg = ModelRegistry.of(ws);
      Fixtures.linear(reg, 1);
      Fixtures.linear(reg, 2);
      reg.setAlias(Fixtures.LINEAR, "champion", 1);
      try (ServingEndpoint ep = ServingEndpoint.builder(ws, "models:/main.ml.linear@champion")
          .pollInterval(Duration.ZERO).build()) {
        CountDownLatch read = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        ServingEndpoint.beforeLock = () -> {
          if (Thread.currentThread().getName().equals("stale-check")) {
            read.countDown();
            try {
              go.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        };
        try {
          reg.setAlias(Fixtures.LINEAR, "champion", 2);
          Thread stale = new Thread(ep::refresh, "stale-check"); // reads 2, then waits before the lock
          stale.start();
          read.await();
          reg.setAlias(Fixtures.LINEAR, "champion", 1); // moved back
          assertThat(ep.refresh()).isFalse(); // version 1 serves: nothing to swap
          go.countDown();
          stale.join();
        } finally {
          ServingEndpoint.beforeLock = null;
        }
        assertThat(ep.served().get(0).version()).isEqualTo(1);
        assertThat(ep.swaps()).isZero();
      }
    }
  }

  @Test
  void requests_in_flight_finish_on_the_old_version_which_is_released_after_the_last_one() {
    try (Workspace ws = Workspace.open(dir)) {
      ModelRegistry reg = ModelRegistry.of(ws);
      Fixtures.linear(reg, 1);
      Fixtures.linear(reg, 2);
      reg.setAlias(Fixtures.LINEAR, "champion", 1);
      try (ServingEndpoint ep = ServingEndpoint.builder(ws, "models:/main.ml.linear@champion")
          .pollInterval(Duration.ZERO).build()) {
        ServingEndpoint.Lease inFlight = ep.acquire("r1");
        // another "process" moves the alias: the registry is files
        reg.setAlias(Fixtures.LINEAR, "champion", 2);
        assertThat(ep.refresh()).isTrue();
        assertThat(ep.predict(row(1, 0)).modelVersion()).isEqualTo(2);
        assertThat(inFlight.model.isReleased()).isFalse();
        assertThat(inFlight.score(row(1, 0)).modelVersion()).isEqualTo(1);
        assertThat(ep.releasedVersions()).isZero();
        inFlight.close();
        assertThat(inFlight.model.isReleased()).isTrue();
        assertThat(ep.releasedVersions()).isEqualTo(1);
        assertThat(ep.refresh()).isFalse();
      }
    }
  }

  @Test
  void an_alias_moved_by_another_process_is_picked_up_by_polling() throws Exception {
    try (Workspace ws = Workspace.open(dir)) {
      ModelRegistry reg = ModelRegistry.of(ws);
      Fixtures.linear(reg, 1);
      Fixtures.linear(reg, 2);
      reg.setAlias(Fixtures.LINEAR, "champion", 1);
      try (ServingEndpoint ep = ServingEndpoint.builder(ws, "models:/main.ml.linear@champion")
          .pollInterval(Duration.ofMillis(20)).build()) {
        assertThat(ep.predict(row(1, 0)).modelVersion()).isEqualTo(1);
        Process p = new ProcessBuilder(System.getProperty("java.home") + "/bin/java", "-Xmx256m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), AliasMover.class.getName(),
            dir.toString(), Fixtures.LINEAR, "champion", "2").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (ep.served().get(0).version() != 2 && System.nanoTime() < deadline) {
          Thread.sleep(10);
        }
        Prediction after = ep.predict(row(1, 0));
        assertThat(after.modelVersion()).isEqualTo(2);
        assertThat(after.rows().column("prediction").getDouble(0)).isCloseTo(2.0, within(1e-6)); // version 2 predicts 2 * x1 + x2
      }
    }
  }

  @Test
  void traffic_split_is_by_whole_percentages_and_deterministic_by_request_id() {
    try (Workspace ws = Workspace.open(dir)) {
      ModelRegistry reg = ModelRegistry.of(ws);
      Fixtures.linear(reg, 1);
      Fixtures.linear(reg, 2);
      reg.setAlias(Fixtures.LINEAR, "champion", 1);
      reg.setAlias(Fixtures.LINEAR, "challenger", 2);
      assertThatThrownBy(() -> ServingEndpoint.builder(ws, "models:/main.ml.linear@champion")
          .trafficSplit(80, "models:/main.ml.linear@challenger", 30)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("sum to 100");
      try (ServingEndpoint ep = ServingEndpoint.builder(ws, "models:/main.ml.linear@champion")
          .trafficSplit(70, "models:/main.ml.linear@challenger", 30).build()) {
        Map<Integer, Integer> counts = new HashMap<>();
        for (int i = 0; i < 2000; i++) {
          String id = "req-" + i;
          Prediction p = ep.predict(id, row(1, 0));
          counts.merge(p.modelVersion(), 1, Integer::sum);
          assertThat(ep.predict(id, row(2, 0)).modelVersion()).isEqualTo(p.modelVersion()); // same id, same route
          int expected = ServingEndpoint.bucket(id) < 70 ? 1 : 2;
          assertThat(p.modelVersion()).isEqualTo(expected);
          assertThat(ep.routeFor(id)).endsWith(expected == 1 ? "@champion" : "@challenger");
        }
        assertThat(counts.get(1)).isBetween(1300, 1500);
        assertThat(counts.get(2)).isBetween(500, 700);
        assertThat(ep.served()).extracting(ServedVersion::trafficPercent).containsExactly(70, 30);
      }
    }
  }

  @Test
  void keys_only_requests_get_features_from_the_online_store_or_the_offline_tables() {
    try (Workspace ws = Workspace.open(dir)) {
      Fixtures.churn(ws, Algorithm.logisticRegression());
      ModelRegistry.of(ws).setAlias(Fixtures.CHURN, "champion", 1);
      OnlineStore online = OnlineStore.inMemory();
      FeatureStore.of(ws).publish("main.crm.customer_features", online);
      Frame keys = Frame.of(Column.ofLongs("customer_id", 3, 4, 5));
      try (ServingEndpoint off = ServingEndpoint.builder(ws, "models:/main.ml.churn@champion").build();
           ServingEndpoint on = ServingEndpoint.builder(ws, "models:/main.ml.churn@champion").onlineStore(online).build()) {
        Frame a = off.predict(keys).rows();
        Frame b = on.predict(keys).rows();
        assertThat(a.schema().names()).contains("spend_30d", "prediction", "probability_true");
        assertThat(b.column("probability_true").toDoubleArray()).containsExactly(a.column("probability_true").toDoubleArray());
        assertThatThrownBy(() -> on.predict(Frame.of(Column.ofLongs("user", 1)))).isInstanceOf(ScoringException.class)
            .hasMessageContaining("customer_id").extracting(e -> ((ScoringException) e).status()).isEqualTo(400);
      }
    }
  }

  @Test
  void an_unknown_alias_or_a_runs_uri_fails_at_build_naming_the_fix() {
    try (Workspace ws = Workspace.open(dir)) {
      Fixtures.linear(ModelRegistry.of(ws), 1);
      assertThatThrownBy(() -> ServingEndpoint.builder(ws, "models:/main.ml.linear@nope").build())
          .isInstanceOf(AliasNotFoundException.class).hasMessageContaining("nope");
      assertThatThrownBy(() -> ServingEndpoint.builder(ws, "runs:/0123456789abcdef0123456789abcdef/model"))
          .hasMessageContaining("registered model");
      try (ServingEndpoint ep = ServingEndpoint.builder(ws, "models:/main.ml.linear/1").build()) {
        assertThat(ep.predict(row(2, 1)).modelVersion()).isEqualTo(1);
        ep.close();
        assertThatThrownBy(() -> ep.predict(row(2, 1))).isInstanceOf(ScoringException.class)
            .extracting(e -> ((ScoringException) e).status()).isEqualTo(503);
      }
    }
  }
}
