package dev.mlops.monitor;

import dev.mlops.monitor.internal.Errors;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs alerts on their {@link CronSchedule}s and delivers queued notifications, on a thread the
 * application starts and stops. Paused schedules are skipped; a fire time missed while the scheduler
 * was stopped is not made up (the next one counts).
 *
 * <pre>{@code
 * try (AlertScheduler s = AlertScheduler.start(alerts)) {   // one thread, "mlops-alert-scheduler"
 *   ... the application runs ...
 * }                                                          // stopped
 * // or on the application's executor (not shut down by close()):
 * AlertScheduler s = AlertScheduler.start(alerts, appExecutor, Duration.ofSeconds(1));
 * }</pre>
 */
public final class AlertScheduler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AlertScheduler.class);

  private final Alerts alerts;
  private final ScheduledExecutorService executor;
  private final boolean ownExecutor;
  private final Map<String, Next> next = new HashMap<>();
  private final Instant startedAt;
  private ScheduledFuture<?> task;

  private record Next(CronSchedule schedule, Optional<Instant> at) {}

  private AlertScheduler(Alerts alerts, ScheduledExecutorService executor, boolean own) {
    this.alerts = Objects.requireNonNull(alerts, "alerts");
    this.executor = executor;
    this.ownExecutor = own;
    this.startedAt = alerts.clock().instant();
  }

  /** Starts a scheduler on its own thread, checking every second. Stop it with {@link #close()}. */
  public static AlertScheduler start(Alerts alerts) {
    ScheduledExecutorService ex = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "mlops-alert-scheduler");
      t.setDaemon(true);
      return t;
    });
    AlertScheduler s = new AlertScheduler(alerts, ex, true);
    s.schedule(Duration.ofSeconds(1));
    return s;
  }

  /** Starts a scheduler on the application's executor, checking every {@code tick}; close() cancels it. */
  public static AlertScheduler start(Alerts alerts, ScheduledExecutorService executor, Duration tick) {
    AlertScheduler s = new AlertScheduler(alerts, Objects.requireNonNull(executor, "executor"), false);
    s.schedule(tick);
    return s;
  }

  /** A scheduler that runs only when {@link #runDue(Instant)} is called (for tests and batch jobs). */
  public static AlertScheduler manual(Alerts alerts) {
    return new AlertScheduler(alerts, null, false);
  }

  private void schedule(Duration tick) {
    if (tick.isNegative() || tick.isZero()) {
      throw Errors.tickPositiveGot(tick);
    }
    task = executor.scheduleWithFixedDelay(() -> {
      try {
        runDue(alerts.clock().instant());
      } catch (RuntimeException e) {
        LOG.warn("Alert scheduler tick failed: {}", e.toString());
      }
    }, 0, tick.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Evaluates the alerts whose next fire time is at or before {@code now}, then delivers what is due.
   *
   * @return the number of alerts evaluated
   */
  public synchronized int runDue(Instant now) {
    int n = 0;
    for (String name : alerts.list()) {
      Optional<AlertDefinition> d = alerts.find(name);
      if (d.isEmpty() || d.get().schedule().isEmpty()) {
        next.remove(name);
        continue;
      }
      CronSchedule s = d.get().schedule().get();
      Next x = next.get(name);
      if (x == null || !x.schedule().equals(s.paused(false)) ) {
        x = new Next(s.paused(false), s.next(startedAt.isBefore(now) ? startedAt : now));
        next.put(name, x);
      }
      if (x.at().isPresent() && !now.isBefore(x.at().get())) {
        if (!s.paused()) {
          alerts.evaluateOnly(d.get());
          n++;
        }
        next.put(name, new Next(x.schedule(), s.next(now)));
      }
    }
    alerts.deliverPending();
    return n;
  }

  /** Stops: no evaluation starts after this returns (one running finishes). */
  @Override
  public void close() {
    if (task != null) {
      task.cancel(false);
    }
    if (ownExecutor) {
      executor.shutdown();
      try {
        executor.awaitTermination(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
