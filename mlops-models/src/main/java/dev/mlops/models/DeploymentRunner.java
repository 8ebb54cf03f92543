package dev.mlops.models;

import dev.mlops.models.internal.Errors;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread running {@link Deployments#runPending()} every interval, started by
 * {@link Deployments#startRunner(Duration)} and stopped by {@link #close()} (which waits for the
 * pass in progress). Several runners, in one process or many, may run at once.
 *
 * <pre>{@code
 * try (DeploymentRunner runner = Deployments.of(ws).startRunner(Duration.ofSeconds(5))) {
 *   ... // the application runs; new versions are evaluated, approved and deployed
 * }
 * }</pre>
 */
public final class DeploymentRunner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DeploymentRunner.class);

  private final Deployments deployments;
  private final long intervalNanos;
  private final Thread thread;
  private final Object wake = new Object();
  private volatile boolean stop;
  private volatile long passes;

  DeploymentRunner(Deployments deployments, Duration interval) {
    this.deployments = Objects.requireNonNull(deployments, "deployments");
    if (interval.isNegative() || interval.isZero()) {
      throw Errors.badPollInterval(interval);
    }
    this.intervalNanos = interval.toNanos();
    this.thread = new Thread(this::loop, "mlops-deployment-runner");
    thread.setDaemon(true);
    thread.start();
  }

  private void loop() {
    while (!stop) {
      try {
        deployments.runPending();
      } catch (RuntimeException e) {
        LOG.warn("Deployment runner {}: a pass failed (the next pass retries): {}", deployments.runnerId(), e.toString());
      }
      passes++;
      synchronized (wake) {
        if (!stop) {
          try {
            TimeUnit.NANOSECONDS.timedWait(wake, intervalNanos);
          } catch (InterruptedException e) {
            return;
          }
        }
      }
    }
  }

  /** Passes completed so far. */
  public long passes() {
    return passes;
  }

  /** Stops polling and waits for the pass in progress to end. */
  @Override
  public void close() {
    stop = true;
    synchronized (wake) {
      wake.notifyAll();
    }
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
