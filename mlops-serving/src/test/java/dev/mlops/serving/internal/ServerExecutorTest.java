package dev.mlops.serving.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ServerExecutorTest {
  @Test
  void exchanges_run_on_virtual_threads_from_java_21_and_platform_threads_before() throws Exception {
    try (Deadlines d = new Deadlines(10); ServerExecutor ex = new ServerExecutor(4, Deadlines.millis(1000), d)) {
      boolean expectVirtual = Runtime.version().feature() >= 21;
      assertThat(ex.virtualThreads()).isEqualTo(expectVirtual);
      CompletableFuture<String> name = new CompletableFuture<>();
      ex.execute(() -> name.complete(Thread.currentThread().toString()));
      assertThat(name.get(5, TimeUnit.SECONDS)).contains(expectVirtual ? "VirtualThread" : "mlops-serving-http-");
    }
  }

  @Test
  void an_armed_deadline_interrupts_the_exchange_and_a_disarmed_one_does_not() throws Exception {
    try (Deadlines d = new Deadlines(5); ServerExecutor ex = new ServerExecutor(4, Deadlines.millis(50), d)) {
      CompletableFuture<Boolean> cut = new CompletableFuture<>();
      ex.execute(() -> {
        try {
          Thread.sleep(5_000);
          cut.complete(false);
        } catch (InterruptedException e) {
          cut.complete(Deadlines.fired());
        }
      });
      assertThat(cut.get(5, TimeUnit.SECONDS)).isTrue();
      CompletableFuture<Boolean> kept = new CompletableFuture<>();
      ex.execute(() -> {
        Deadlines.disarm();
        try {
          Thread.sleep(300);
          kept.complete(true);
        } catch (InterruptedException e) {
          kept.complete(false);
        }
      });
      assertThat(kept.get(5, TimeUnit.SECONDS)).isTrue();
      assertThat(d.cutOff()).isEqualTo(1);
    }
  }
}
