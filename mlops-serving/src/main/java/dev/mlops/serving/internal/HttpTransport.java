package dev.mlops.serving.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The small HTTP surface the scoring server needs, so that the JDK server could be replaced (e.g. by
 * Jetty in an optional module) without touching the protocol code.
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

    /** Sends the whole response and ends the exchange; {@code close} asks for the connection to be closed. */
    void respond(int status, Map<String, String> headers, byte[] body, boolean close) throws IOException;
  }

  /** Handles one exchange. */
  interface Handler {
    /** Handles it; an exception closes the connection. */
    void handle(Exchange exchange) throws IOException;
  }

  /** The port bound. */
  int port();

  /** The address bound. */
  InetSocketAddress address();

  /** Stops accepting and closes connections. */
  @Override
  void close();
}
