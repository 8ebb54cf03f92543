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

  @Test
  void a_slot_given_back_when_the_answer_is_ready_admits_the_next_exchange_while_the_first_still_runs()
      throws Exception {
    try (Deadlines d = new Deadlines(10); ServerExecutor ex = new ServerExecutor(1, Deadlines.millis(5_000), d)) {
      java.util.concurrent.CountDownLatch end = new java.util.concurrent.CountDownLatch(1);
      java.util.concurrent.CountDownLatch given = new java.util.concurrent.CountDownLatch(1);
      CompletableFuture<Boolean> first = new CompletableFuture<>();
      ex.execute(() -> { // its answer is ready: the slot goes back, the exchange goes on (writing the answer)
        first.complete(ServerExecutor.overCapacity());
        ServerExecutor.releaseSlot();
        ServerExecutor.releaseSlot(); // idempotent: one slot back, not two
        given.countDown();
        await(end);
      });
      assertThat(first.get(5, TimeUnit.SECONDS)).isFalse();
      assertThat(given.await(5, TimeUnit.SECONDS)).isTrue();
      CompletableFuture<Boolean> second = new CompletableFuture<>();
      ex.execute(() -> { // admitted although the first exchange still runs; holds the only slot
        second.complete(ServerExecutor.overCapacity());
        await(end);
      });
      assertThat(second.get(5, TimeUnit.SECONDS)).isFalse();
      CompletableFuture<Boolean> third = new CompletableFuture<>();
      ex.execute(() -> third.complete(ServerExecutor.overCapacity()));
      assertThat(third.get(5, TimeUnit.SECONDS)).as("the cap of 1 holds: the double release gave one slot back")
          .isTrue();
      end.countDown();
    }
  }

  private static void await(java.util.concurrent.CountDownLatch l) {
    try {
      l.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
