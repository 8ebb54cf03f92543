package dev.mlops.serving.internal;

import dev.mlops.models.InvalidModelUriException;
import dev.mlops.serving.ScoringException;
import java.io.IOException;

/**
 * Every user-facing message of the serving module, built in one place (after Delta Kernel's
 * {@code DeltaErrors}): each method says what went wrong, why, and how to fix it. Callers
 * {@code throw Errors.x(..)}. (The HTTP transport and the scoring handler build their protocol
 * errors where they parse requests.)
 */
public final class Errors {
  private Errors() {}

  // ------------------------------------------------------------------------------- settings

  /** A numeric setting that must be at least 1. */
  public static IllegalArgumentException notPositive(String setting, Object value) {
    return new IllegalArgumentException(setting + " must be positive, not " + value + ". Pass a value of at least "
        + "1 (or leave the setting out for its default).");
  }

  /** A duration setting that must be longer than zero. */
  public static IllegalArgumentException notPositiveDuration(String setting, Object value) {
    return new IllegalArgumentException(setting + " must be positive, not " + value + ". Pass a duration longer than"
        + " zero, e.g. Duration.ofSeconds(1).");
  }

  /** A setting that must be zero or more. */
  public static IllegalArgumentException negative(String setting, Object value, String zeroMeans) {
    return new IllegalArgumentException(setting + " must not be negative: " + value + ". Pass 0 or more (0 "
        + zeroMeans + ").");
  }

  /** A port outside 0..65535. */
  public static IllegalArgumentException badPort(int port) {
    return new IllegalArgumentException("port must be 0..65535, not " + port + ". Pass 0 to take any free port (see"
        + " ScoringServer.port()).");
  }

  /** A bearer token too short or with characters a header cannot carry. */
  public static IllegalArgumentException weakToken() {
    return new IllegalArgumentException("A bearer token needs at least 16 printable ASCII characters without"
        + " spaces; generate one, e.g. 32 random bytes in hex.");
  }

  /** A traffic share outside 0..100. */
  public static IllegalArgumentException badTrafficPercent(int percent) {
    return new IllegalArgumentException("trafficPercent is 0..100, not " + percent + ": it is a whole percentage of"
        + " the requests.");
  }

  /** A traffic split whose shares do not sum to 100. */
  public static IllegalArgumentException badTrafficSplit(int percent, int otherPercent, String otherUri) {
    return new IllegalArgumentException("Traffic percentages are whole numbers 0..100 that sum to 100; got "
        + percent + " and " + otherPercent + ". Use e.g. trafficSplit(90, \"" + otherUri + "\", 10).");
  }

  /** A prediction said to come from version 0 or less. */
  public static IllegalArgumentException badModelVersion(int version) {
    return new IllegalArgumentException("modelVersion starts at 1, not " + version + ": registry versions are"
        + " numbered from 1.");
  }

  /** A scoring error built with a status that is not an HTTP error. */
  public static IllegalArgumentException badErrorStatus(int status) {
    return new IllegalArgumentException("A scoring error has an HTTP status of 400..599, not " + status + ".");
  }

  // ------------------------------------------------------------------------------- endpoints

  /** An endpoint asked to serve a run's model, which has no versions to move between. */
  public static InvalidModelUriException notARegisteredModel(String uri) {
    return new InvalidModelUriException("An endpoint serves a registered model, not '" + uri + "'. Register the "
        + "run's model first (registry.register(name, \"" + uri + "\")) and serve models:/<name>@<alias>.");
  }

  /** A request on an endpoint that was closed. */
  public static ScoringException endpointClosed(Object uri) {
    return new ScoringException(503, "TEMPORARILY_UNAVAILABLE", "The endpoint for " + uri
        + " is closed; no model is loaded. Retry against a running endpoint.");
  }

  /** A served model scored after its last reference was dropped (an SDK bug: a lease was closed twice). */
  public static IllegalStateException releasedWhileInUse(String modelName, int version) {
    return new IllegalStateException("Version " + version + " of " + modelName + " was released while in use: a"
        + " lease was closed before its request ended. This is an SDK bug; please report it.");
  }

  /** More releases than retains (an SDK bug). */
  public static IllegalStateException releasedTooOften(String servedModelName) {
    return new IllegalStateException("Released more often than retained: " + servedModelName + ". This is an SDK"
        + " bug; please report it.");
  }

  // ------------------------------------------------------------------------------- request parsing

  /** A JSON body that ends inside a value (the parser reports this first; kept for the switch). */
  public static IOException endOfInputInsideValue() {
    return new IOException("end of input inside a value");
  }

  /** The scoring server's address could not be bound (port taken, address not local, ...). */
  public static java.io.UncheckedIOException cannotBind(java.net.InetSocketAddress bind, IOException e) {
    return new java.io.UncheckedIOException("Cannot bind the scoring server to " + bind + ": " + e.getMessage()
        + ". Pick another port (0 for any free one) or address.", e);
  }

  /** A handler's response header that would break the HTTP framing (internal: never from the scoring handler). */
  public static IOException badResponseHeader(String name) {
    return new IOException("Response header '" + name + "' holds a control character or a character beyond"
        + " ISO-8859-1; the connection is closed. Send header names and values of printable characters.");
  }

  /** A handler answering one exchange twice, or after it ended (internal). */
  public static IOException answeredTwice() {
    return new IOException("This exchange was answered already (or has ended); a handler answers each request"
        + " once.");
  }
}
