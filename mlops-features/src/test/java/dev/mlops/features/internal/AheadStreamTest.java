package dev.mlops.features.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.Column;
import dev.mlops.core.Frame;
import dev.mlops.core.FrameStream;
import dev.mlops.core.KeyConstraintException;
import dev.mlops.core.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Batches read and checked one ahead on a helper thread: order, failures in place, early close. */
class AheadStreamTest {

  /** Batches 0..n-1, each one row holding its number; counts reads and whether it was closed. */
  private static final class Numbers implements FrameStream {
    final int n;
    final AtomicInteger read = new AtomicInteger();
    final AtomicBoolean closed = new AtomicBoolean();
    final List<String> threads = new ArrayList<>();
    RuntimeException failAt;
    int failIndex = -1;

    Numbers(int n) {
      this.n = n;
    }

    @Override
    public Schema schema() {
      return Frame.of(Column.ofLongs("v", 0)).schema();
    }

    @Override
    public boolean hasNext() {
      return read.get() < n;
    }

    @Override
    public Frame next() {
      int i = read.getAndIncrement();
      synchronized (threads) {
        threads.add(Thread.currentThread().getName());
      }
      if (i == failIndex) {
        throw failAt;
      }
      return Frame.of(Column.ofLongs("v", i));
    }

    @Override
    public void close() {
      closed.set(true);
    }
  }

  private static long value(Frame f) {
    return (Long) f.column("v").get(0);
  }

  @Test
  void batches_come_out_in_order_each_checked_once_and_read_on_the_helper_thread() {
    Numbers in = new Numbers(50);
    List<Long> checked = new ArrayList<>();
    List<Long> out = new ArrayList<>();
    try (AheadStream s = new AheadStream(in, f -> checked.add(value(f)), "numbers", "t")) {
      while (s.hasNext()) {
        out.add(value(s.next()));
      }
      assertThat(s.hasNext()).isFalse();
      assertThatThrownBy(s::next).isInstanceOf(NoSuchElementException.class);
    }
    List<Long> expected = new ArrayList<>();
    for (long i = 0; i < 50; i++) {
      expected.add(i);
    }
    assertThat(out).isEqualTo(expected);
    assertThat(checked).isEqualTo(expected);
    assertThat(in.threads).containsOnly("mlops-import-ahead");
    assertThat(in.closed).isTrue();
  }

  @Test
  void a_failed_check_is_thrown_at_its_batch_after_the_batches_before_it() {
    Numbers in = new Numbers(10);
    List<Long> out = new ArrayList<>();
    KeyConstraintException dup = new KeyConstraintException("repeated key in batch 4");
    try (AheadStream s = new AheadStream(in, f -> {
      if (value(f) == 4) {
        throw dup;
      }
    }, "numbers", "t")) {
      assertThatThrownBy(() -> {
        while (s.hasNext()) {
          out.add(value(s.next()));
        }
      }).isSameAs(dup);
      // asked again, the stream still fails: it does not skip the bad batch
      assertThatThrownBy(s::hasNext).isSameAs(dup);
    }
    assertThat(out).containsExactly(0L, 1L, 2L, 3L);
    assertThat(in.read.get()).isEqualTo(5); // nothing is read after the failed batch
    assertThat(in.closed).isTrue();
  }

  @Test
  void a_failing_source_fails_the_consumer_with_the_same_exception() {
    Numbers in = new Numbers(10);
    in.failIndex = 2;
    in.failAt = new IllegalStateException("file truncated");
    try (AheadStream s = new AheadStream(in, f -> { }, "numbers", "t")) {
      assertThat(value(s.next())).isEqualTo(0);
      assertThat(value(s.next())).isEqualTo(1);
      assertThatThrownBy(s::hasNext).isSameAs(in.failAt);
    }
  }

  @Test
  void closing_early_stops_the_helper_reads_nothing_more_and_closes_the_source() throws Exception {
    Numbers in = new Numbers(1_000_000);
    CountDownLatch firstChecked = new CountDownLatch(1);
    AheadStream s = new AheadStream(in, f -> firstChecked.countDown(), "numbers", "t");
    assertThat(value(s.next())).isEqualTo(0);
    assertThat(firstChecked.await(10, TimeUnit.SECONDS)).isTrue();
    s.close();
    int readAtClose = in.read.get();
    assertThat(readAtClose).isLessThanOrEqualTo(3); // one handed out, at most one queued and one in hand
    Thread.sleep(50);
    assertThat(in.read.get()).isEqualTo(readAtClose);
    assertThat(in.closed).isTrue();
    assertThat(s.hasNext()).isFalse();
  }
}
