package dev.mlops.core.internal.delta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.MlopsException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Delta layer's waits are bounded and interruptible, and an interrupt leaves no work running behind it. */
class WaitsTest {
  @TempDir Path dir;

  @Test
  void a_writer_waiting_for_a_lock_another_holder_keeps_stops_at_once_when_interrupted() throws Exception {
    DeltaStore store = new DeltaStore(dir.toUri(), dir, Map.of(), null, Duration.ofMinutes(5));
    String location = LocalFileIO.toUriString(dir.resolve("tables/main/x/t"));
    Path lockFile = store.lockFile(location).orElseThrow();
    Files.createDirectories(lockFile.getParent());
    AtomicReference<Throwable> failure = new AtomicReference<>();
    AtomicBoolean ran = new AtomicBoolean();
    AtomicBoolean interruptKept = new AtomicBoolean();
    // The OS lock is held through another channel, as another process would hold it.
    try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock held = ch.lock()) {
      Thread writer = new Thread(() -> {
        try {
          store.withWriteLock(location, () -> {
            ran.set(true);
            return null;
          });
        } catch (Throwable t) {
          failure.set(t);
          interruptKept.set(Thread.currentThread().isInterrupted());
        }
      });
      writer.start();
      // wait until the writer is parked in the lock's poll (its wait is 5 minutes), not a fixed time
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (writer.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < until) {
        Thread.onSpinWait();
      }
      assertThat(writer.getState()).isEqualTo(Thread.State.TIMED_WAITING);
      long t0 = System.nanoTime();
      writer.interrupt();
      writer.join(TimeUnit.SECONDS.toMillis(10));
      assertThat(writer.isAlive()).isFalse();
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
    }
    assertThat(ran).isFalse();
    assertThat(failure.get()).isInstanceOf(MlopsException.class).hasMessageContaining("Interrupted while waiting")
        .hasMessageContaining(location).hasMessageContaining("Nothing was written");
    assertThat(interruptKept).as("the interrupt flag is kept").isTrue();
    store.close();
  }

  @Test
  void an_interrupted_parallel_job_returns_only_after_the_work_in_flight_on_other_threads_ended() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      CountDownLatch poolStarted = new CountDownLatch(1);
      AtomicBoolean poolItemDone = new AtomicBoolean();
      AtomicBoolean doneWhenThrown = new AtomicBoolean();
      AtomicBoolean interruptKept = new AtomicBoolean();
      Thread caller = Thread.currentThread();
      assertThatThrownBy(() -> {
        try {
          Parallel.map(pool, 2, List.of(0, 1), i -> {
            if (Thread.currentThread() == caller) {
              try {
                poolStarted.await(10, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
              Thread.currentThread().interrupt(); // the host interrupts the caller while a pool thread writes
              return i;
            }
            poolStarted.countDown();
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
            while (System.nanoTime() < end) {
              Thread.onSpinWait(); // a file being written: not interruptible
            }
            poolItemDone.set(true);
            return i;
          }, "main.x.t");
        } finally {
          doneWhenThrown.set(poolItemDone.get());
          interruptKept.set(Thread.interrupted()); // reads and clears the flag for the rest of the test
        }
      }).isInstanceOf(MlopsException.class).hasMessageContaining("Interrupted").hasMessageContaining("main.x.t");
      assertThat(doneWhenThrown).as("the pool thread's item ended before map returned").isTrue();
      assertThat(interruptKept).as("the interrupt flag is kept").isTrue();
    } finally {
      pool.shutdownNow();
    }
  }
}
