package dev.mlops.serving.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The small HTTP surface the scoring server needs, so that the JDK server can be replaced without touching
 * the protocol code: {@link JdkHttpTransport} (the JDK's server, a thread per exchange) and
 * {@link NioHttpTransport} (event loops answering in place).
 */
public interface HttpTransport extends AutoCloseable {
  /** One request/response. */
  interface Exchange {
    /** GET, POST, ... */
    String method();

    /** The path, e.g. {@code /invocations}. */
    String path();

    /** First value of a request header (case-insensitive). */
    Optional<String> header(String name);

    /** All values of a request header. */
    List<String> headers(String name);

    /** The request body (de-chunked). */
    InputStream body();

    /** The client's address. */
    InetSocketAddress remote();

    /** The client's IP address as text ({@code ""} when unknown): the inference log's requester. */
    default String remoteHost() {
      InetSocketAddress a = remote();
      return a == null ? "" : a.getAddress().getHostAddress();
    }

    /**
     * True when this request came in beyond the transport's cap on concurrent requests: answer it 503 with
     * {@code Connection: close} without reading its body.
     */
    default boolean overCapacity() {
      return ServerExecutor.overCapacity();
    }

    /**
     * When the transport admitted this request ({@link System#nanoTime()}): a request admitted before the
     * server began to drain is still served. The JDK server admits an exchange when the handler starts.
     */
    default long admittedNanos() {
      return System.nanoTime();
    }

    /**
     * Gives this request's concurrency slot back now that its answer is ready (before it is written): a
     * client that reads the answer and sends its next request at once must find the slot free. Idempotent;
     * {@link #respond} gives it back too.
     */
    default void answerReady() {
      ServerExecutor.releaseSlot();
    }

    /** Sends the whole response and ends the exchange; {@code close} asks for the connection to be closed. */
    void respond(int status, Map<String, String> headers, byte[] body, boolean close) throws IOException;
  }

  /** Handles one exchange. */
  interface Handler {
    /** Handles it; an exception closes the connection. */
    void handle(Exchange exchange) throws IOException;

    /**
     * True when handling this exchange may wait on something slow (storage, another service): an
     * event-loop transport then hands it to a worker thread instead of running it on its loop.
     */
    default boolean blocks(Exchange exchange) {
      return false;
    }
  }

  /** The port bound. */
  int port();

  /** The address bound. */
  InetSocketAddress address();

  /** Connections this transport closed itself because a client missed a deadline (0 if it has none). */
  default long cutOff() {
    return 0;
  }

  /** Requests admitted (head read) and not yet answered (0 if the transport does not track them). */
  default int activeRequests() {
    return 0;
  }

  /** Stops accepting and closes connections. */
  @Override
  void close();
}
