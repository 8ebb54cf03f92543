package dev.mlops.serving.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link HttpTransport} on the JDK's {@code com.sun.net.httpserver} (module jdk.httpserver). */
public final class JdkHttpTransport implements HttpTransport {
  /**
   * The JDK server writes response headers and body in separate writes; without TCP_NODELAY, Nagle's
   * algorithm holds the body until the client's delayed ACK (about 40 ms per request on Linux). The
   * switch is a JVM-wide property read once when the JDK server's configuration class loads, so it is
   * set here — only when the application has not set it itself — before the first server is created.
   */
  static final String NODELAY = "sun.net.httpserver.nodelay";

  static {
    if (System.getProperty(NODELAY) == null) {
      System.setProperty(NODELAY, "true");
    }
  }

  private final HttpServer server;
  private final ServerExecutor executor;

  private JdkHttpTransport(HttpServer server, ServerExecutor executor) {
    this.server = server;
    this.executor = executor;
  }

  /** Binds and starts a server handing every path to the handler. */
  public static JdkHttpTransport start(InetSocketAddress bind, int backlog, ServerExecutor executor, Handler handler) {
    HttpServer s;
    try {
      s = HttpServer.create(bind, backlog);
    } catch (IOException e) {
      throw Errors.cannotBind(bind, e);
    }
    s.createContext("/", ex -> {
      try {
        handler.handle(new Jdk(ex));
      } finally {
        ex.close();
      }
    });
    s.setExecutor(executor);
    s.start();
    return new JdkHttpTransport(s, executor);
  }

  @Override
  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public InetSocketAddress address() {
    return server.getAddress();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.close();
  }

  private static final class Jdk implements Exchange {
    private final HttpExchange ex;

    Jdk(HttpExchange ex) {
      this.ex = ex;
    }

    @Override
    public String method() {
      return ex.getRequestMethod();
    }

    @Override
    public String path() {
      return ex.getRequestURI().getPath();
    }

    @Override
    public Optional<String> header(String name) {
      return Optional.ofNullable(ex.getRequestHeaders().getFirst(name));
    }

    @Override
    public List<String> headers(String name) {
      List<String> l = ex.getRequestHeaders().get(name);
      return l == null ? List.of() : l;
    }

    @Override
    public InputStream body() {
      return ex.getRequestBody();
    }

    @Override
    public InetSocketAddress remote() {
      return ex.getRemoteAddress();
    }

    @Override
    public void respond(int status, Map<String, String> headers, byte[] body, boolean close) throws IOException {
      headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
      if (close) {
        ex.getResponseHeaders().set("Connection", "close");
      }
      ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
      if (body.length > 0) {
        try (OutputStream o = ex.getResponseBody()) {
          o.write(body);
        }
      }
    }
  }
}
