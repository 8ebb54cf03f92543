package dev.mlops.core.logging;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * An SLF4J binding for this module's tests that keeps WARN and ERROR events in memory and prints
 * nothing (a test dependency on a real binding would be refused by the enforcer's ban on logging
 * bindings, and the SDK's tests stay quiet). Registered through
 * {@code META-INF/services/org.slf4j.spi.SLF4JServiceProvider}; INFO and below are off, so libraries
 * skip formatting them. Keeps the last {@value #MAX} events.
 *
 * <pre>{@code
 * long mark = LogCapture.mark();
 * table.read().load();
 * assertThat(LogCapture.since(mark)).isEmpty();
 * }</pre>
 */
public final class LogCapture implements SLF4JServiceProvider {
  /** One captured event. */
  public record Event(long seq, Level level, String logger, String thread, String message) {
    @Override
    public String toString() {
      return level + " " + logger + " [" + thread + "] " + message;
    }
  }

  static final int MAX = 10_000;
  private static final Deque<Event> EVENTS = new ArrayDeque<>();
  private static long seq;

  private final ConcurrentMap<String, Logger> loggers = new ConcurrentHashMap<>();
  private final IMarkerFactory markers = new BasicMarkerFactory();
  private final MDCAdapter mdc = new NOPMDCAdapter();

  /** Used by SLF4J's service loader. */
  public LogCapture() {}

  /** The sequence number of the last event so far: pass it to {@link #since(long)}. */
  public static synchronized long mark() {
    return seq;
  }

  /** The WARN and ERROR events logged after {@code mark}, oldest first. */
  public static synchronized List<Event> since(long mark) {
    List<Event> out = new ArrayList<>();
    for (Event e : EVENTS) {
      if (e.seq() > mark) {
        out.add(e);
      }
    }
    return out;
  }

  /** True when this binding is the one SLF4J chose (else nothing is captured). */
  public static boolean active() {
    return org.slf4j.LoggerFactory.getILoggerFactory() instanceof Factory;
  }

  private static synchronized void add(Level level, String logger, String message) {
    EVENTS.addLast(new Event(++seq, level, logger, Thread.currentThread().getName(), message));
    if (EVENTS.size() > MAX) {
      EVENTS.removeFirst();
    }
  }

  @Override
  public ILoggerFactory getLoggerFactory() {
    return new Factory();
  }

  private final class Factory implements ILoggerFactory {
    @Override
    public Logger getLogger(String name) {
      return loggers.computeIfAbsent(name, Captured::new);
    }
  }

  @Override
  public IMarkerFactory getMarkerFactory() {
    return markers;
  }

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdc;
  }

  @Override
  public String getRequestedApiVersion() {
    return "2.0.99";
  }

  @Override
  public void initialize() {}

  /** A logger that records WARN and ERROR. */
  private static final class Captured extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;

    Captured(String name) {
      this.name = name;
    }

    @Override
    public boolean isTraceEnabled() {
      return false;
    }

    @Override
    public boolean isDebugEnabled() {
      return false;
    }

    @Override
    public boolean isInfoEnabled() {
      return false;
    }

    @Override
    public boolean isWarnEnabled() {
      return true;
    }

    @Override
    public boolean isErrorEnabled() {
      return true;
    }

    @Override
    protected String getFullyQualifiedCallerName() {
      return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] args,
        Throwable t) {
      if (level == Level.WARN || level == Level.ERROR) {
        String m = MessageFormatter.basicArrayFormat(pattern, args);
        add(level, name, t == null ? m : m + " (" + t + ")");
      }
    }
  }
}
