package dev.mlops.serving;

import dev.mlops.serving.internal.Deadlines;
import dev.mlops.serving.internal.Errors;
import dev.mlops.serving.internal.HttpTransport;
import dev.mlops.serving.internal.JdkHttpTransport;
import dev.mlops.serving.internal.NioHttpTransport;
import dev.mlops.serving.internal.ServerExecutor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MLflow's scoring protocol over HTTP in front of a {@link ServingEndpoint}, on the SDK's own non-blocking
 * HTTP/1.1 server or on the JDK's built-in one ({@link Builder#transport}; no extra dependency either way):
 * clients, load balancers and tests written for {@code mlflow models serve} or Databricks Model Serving
 * work unchanged.
 *
 * <pre>{@code
 * try (ServingEndpoint ep = ServingEndpoint.builder(ws, "models:/main.ml.churn@champion").build();
 *      ScoringServer server = ScoringServer.builder(ep).port(5000).bearerToken(secret).start()) {
 *   server.uri();   // http://127.0.0.1:5000/
 *   // curl -H 'Content-Type: application/json' -d '{"dataframe_records":[{"customer_id":7}]}' .../invocations
 * }
 * }</pre>
 *
 * <p><b>Routes.</b> {@code GET /ping} and {@code GET /health}: 200 with body {@code "\n"} while the
 * endpoint is open, 404 otherwise (as MLflow). {@code GET /version}: the SDK version as text.
 * {@code POST /invocations}: {@code application/json} or {@code text/csv} (a {@code charset} parameter
 * must be utf-8; anything else is 415). A JSON body holds exactly one of {@code dataframe_split},
 * {@code dataframe_records}, {@code instances}, {@code inputs}, plus optional {@code params} and
 * {@code client_request_id}; a CSV body has a header row. The answer is {@code {"predictions": [...]}}
 * with a {@code served-model-name} header naming the version that answered; with
 * {@code "params": {"return_probabilities": true}} a classifier answers one object per row with
 * {@code prediction} and {@code probability_<class>}. Errors are JSON
 * {@code {"error_code": "BAD_REQUEST", "message": "..."}} with status 400, 401, 404, 405, 413, 415, 500
 * or 503 and never a stack trace (a 500's cause is logged at WARN with the request id). With an
 * {@link Builder#inferenceLog inference log}, every {@code /invocations} request is appended to it,
 * refused ones (401, 405, 413, 415, 503) too, at a capped rate (see {@link InferenceLog}).
 *
 * <p><b>Security defaults.</b> Binds to the loopback address unless {@link Builder#bindAddress} says
 * otherwise. An optional bearer token ({@code Authorization: Bearer <token>}, compared in constant
 * time) guards everything but {@code /ping} and {@code /health}. Bodies over {@link Builder#maxBodyBytes}
 * (default 10 MiB) get 413 whether or not a {@code Content-Length} announced them. The SDK enforces its
 * own deadlines (the JDK server's are JVM-wide system properties): a client must send its
 * headers within {@link Builder#headerTimeout} (default 10 s) of its first byte and its body within
 * {@link Builder#readTimeout} (default 30 s), and read the response within the same time, else its
 * connection is closed. At most {@link Builder#maxConcurrentRequests} requests (default 256) are served
 * at once; one more is answered 503 with {@code Connection: close}. Idle keep-alive connections hold no
 * thread. A request with both {@code Transfer-Encoding} and {@code Content-Length} is refused (400).
 * On the default {@link Transport#NIO} transport, event loops ({@link Builder#eventLoops}, default
 * half the cores) handle complete requests in place, and requests whose features are looked up in a store run on worker threads (virtual on Java
 * 21+); a request head over 32 KiB is refused (431), and idle connections are closed after 60 s. On
 * {@link Transport#JDK}, exchanges run on virtual threads on Java 21+ and on platform threads on 17.
 *
 * <p><b>One JVM-wide setting</b> ({@link Transport#JDK} only). Unless the application set it, the first server sets the system
 * property {@code sun.net.httpserver.nodelay=true} (TCP_NODELAY on the JDK server's sockets): without
 * it every response waits about 40 ms for the client's delayed ACK. It takes effect only if no JDK
 * HTTP server was created in the JVM before.
 *
 * <p><b>Tail latency on a small host.</b> With few cores, the p99 at low concurrency depends on the
 * JVM's flags as much as on the server: a 64 MB young generation ({@code -Xmn64m}) keeps young pauses
 * short and the touched memory small, and on Java 20+ {@code -XX:G1ConcRefinementThreads=0} stops
 * G1's primary refinement thread, which otherwise retries the heap lock in a loop to resize the young
 * generation (on 2 vCPUs it took CPU from the threads that serve). On Java 25 with both, a 1-row
 * scoring request with the inference log on had a p99 of about 1.5 ms at {@code wrk -t1 -c4}, against
 * about 2.1 ms without the second flag (docs/benchmarks.md).
 */
public final class ScoringServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ScoringServer.class);

  /**
   * The HTTP server under the scoring protocol; both give the same answers and enforce the same limits.
   *
   * <pre>{@code
   * ScoringServer.builder(ep).transport(ScoringServer.Transport.JDK).start();
   * }</pre>
   */
  public enum Transport {
    /**
     * The default: the SDK's own non-blocking HTTP/1.1 server (java.nio, no dependency). Its event loops
     * ({@link Builder#eventLoops}) read requests, runs the handler on the loop once a request is complete, and writes the answer
     * in one write, reusing its buffers. The JDK server hands every exchange from its selector thread to
     * a worker and back and allocates ~60 KB per request; on the 2-core benchmark machine this transport
     * answered a hello-world handler with 3-13x the requests per second of the JDK server at a fifth of
     * its server CPU per request or less, with a lower p99 in 10 of 12 runs under load (docs/benchmarks.md,
     * "NIO transport"). A request whose features are looked up in a store runs on a worker thread
     * (virtual on Java 21+), so that the loop keeps serving its other connections while it waits.
     */
    NIO,
    /**
     * The JDK's built-in {@code com.sun.net.httpserver}: a thread per exchange (virtual threads on Java
     * 21+, platform threads on 17), so a slow request holds only its own thread.
     */
    JDK
  }

  private final HttpTransport transport;
  private final Deadlines deadlines;
  private final java.util.concurrent.ExecutorService workers;
  private final ScoringHandler handler;
  private final Duration shutdownGrace;

  private ScoringServer(Builder b) {
    this.handler = new ScoringHandler(b.endpoint, b.log, b.token == null ? null : b.token.getBytes(StandardCharsets.UTF_8),
        b.maxBody, b.readTimeout.toNanos());
    this.shutdownGrace = b.shutdownGrace;
    InetSocketAddress bind = new InetSocketAddress(b.address, b.port);
    String threads;
    if (b.transport == Transport.JDK) {
      this.workers = null;
      this.deadlines = new Deadlines(Math.max(5, Math.min(50, Math.min(b.headerTimeout.toMillis(), b.readTimeout.toMillis()) / 4)));
      ServerExecutor executor = new ServerExecutor(b.maxConcurrent, b.headerTimeout.toNanos(), deadlines);
      try {
        this.transport = JdkHttpTransport.start(bind, 1024, executor, handler);
      } catch (RuntimeException e) {
        deadlines.close();
        executor.close();
        throw e;
      }
      threads = "JDK server, " + (executor.virtualThreads() ? "virtual" : "platform") + " threads";
    } else {
      this.deadlines = null;
      this.workers = ServerExecutor.workers();
      int loops = b.eventLoops > 0 ? b.eventLoops : defaultEventLoops();
      try {
        this.transport = NioHttpTransport.start(bind, 1024, new NioHttpTransport.Limits(b.maxBody,
            b.headerTimeout.toNanos(), b.readTimeout.toNanos(), IDLE.toNanos(), b.maxConcurrent, MAX_CONNECTIONS,
            loops), handler, workers);
      } catch (RuntimeException e) {
        workers.shutdownNow();
        throw e;
      }
      threads = "NIO, " + loops + (loops == 1 ? " event loop" : " event loops");
    }
    LOG.info("Scoring server for {} listening on {} ({})", b.endpoint.served().get(0).uri(), uri(), threads);
  }

  /**
   * Event loops of the NIO transport unless {@link Builder#eventLoops} says otherwise: half the cores,
   * at least one. A loop runs the model for the requests it reads, so the loops alone can fill their
   * cores; the other half stays for what else a serving JVM runs — the inference log's writer, the
   * garbage collector, the JIT compiler, feature lookups on worker threads — and, on a shared machine,
   * the clients. On the 2-core benchmark machine with wrk on the same cores, one loop answered a
   * hello-world handler with as many requests/s as two (more at 4 connections) and cut p99 from
   * 2.1-3.3 ms to 0.3-0.9 ms at 4 connections, 1-row logistic regression from 2.6-3.3 ms to 1.0-1.3 ms
   * (docs/benchmarks.md, "Event loops").
   */
  public static int defaultEventLoops() {
    return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
  }

  /** Idle keep-alive connections are closed after this (NIO transport; the JDK server has its own). */
  static final Duration IDLE = Duration.ofSeconds(60);
  /** Open connections (NIO transport); one more is closed at once. */
  static final int MAX_CONNECTIONS = 10_000;

  /** Starts configuring a server for an endpoint. */
  public static Builder builder(ServingEndpoint endpoint) {
    return new Builder(endpoint);
  }

  /** Options; {@link #start()} binds and starts. */
  public static final class Builder {
    private final ServingEndpoint endpoint;
    private InetAddress address = InetAddress.getLoopbackAddress();
    private int port;
    private String token;
    private long maxBody = 10L * 1024 * 1024;
    private Duration headerTimeout = Duration.ofSeconds(10);
    private Duration readTimeout = Duration.ofSeconds(30);
    private int maxConcurrent = 256;
    private InferenceLog log;
    private Duration shutdownGrace = Duration.ofSeconds(5);
    private Transport transport = Transport.NIO;
    private int eventLoops;

    private Builder(ServingEndpoint endpoint) {
      this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    }

    /** The address to bind (default: loopback only). {@code InetAddress.getByName("0.0.0.0")} for all. */
    public Builder bindAddress(InetAddress a) {
      this.address = Objects.requireNonNull(a, "address");
      return this;
    }

    /** The port (default 0: any free port, see {@link ScoringServer#port()}). */
    public Builder port(int p) {
      if (p < 0 || p > 65535) {
        throw Errors.badPort(p);
      }
      this.port = p;
      return this;
    }

    /** Requires {@code Authorization: Bearer <token>} on every route but /ping and /health. */
    public Builder bearerToken(String t) {
      Objects.requireNonNull(t, "token");
      if (t.length() < 16 || t.chars().anyMatch(c -> c <= ' ' || c > '~')) {
        throw Errors.weakToken();
      }
      this.token = t;
      return this;
    }

    /** Largest request body accepted (default 10 MiB); larger ones get 413. */
    public Builder maxBodyBytes(long bytes) {
      if (bytes < 1) {
        throw Errors.notPositive("maxBodyBytes", bytes);
      }
      this.maxBody = bytes;
      return this;
    }

    /** Time a client has to send its request line and headers (default 10 s). */
    public Builder headerTimeout(Duration d) {
      this.headerTimeout = positive(d, "headerTimeout");
      return this;
    }

    /** Time a client has to send its body, and to read the response (default 30 s). */
    public Builder readTimeout(Duration d) {
      this.readTimeout = positive(d, "readTimeout");
      return this;
    }

    /** Requests served at once (default 256); beyond, 503 with {@code Connection: close}. */
    public Builder maxConcurrentRequests(int n) {
      if (n < 1) {
        throw Errors.notPositive("maxConcurrentRequests", n);
      }
      this.maxConcurrent = n;
      return this;
    }

    /** Appends every request to this inference log (the server does not close it). */
    public Builder inferenceLog(InferenceLog l) {
      this.log = Objects.requireNonNull(l, "log");
      return this;
    }

    /** How long {@link ScoringServer#close()} waits for requests in flight (default 5 s). */
    public Builder shutdownGrace(Duration d) {
      this.shutdownGrace = Objects.requireNonNull(d, "shutdownGrace");
      return this;
    }

    /**
     * The HTTP server to run on (default {@link Transport#NIO}); see {@link Transport} for the trade-off.
     *
     * <pre>{@code
     * ScoringServer.builder(ep).transport(ScoringServer.Transport.JDK).start(); // a thread per exchange
     * }</pre>
     */
    public Builder transport(Transport t) {
      this.transport = Objects.requireNonNull(t, "transport");
      return this;
    }

    /**
     * Event-loop threads of the {@link Transport#NIO} transport (default
     * {@link ScoringServer#defaultEventLoops()}: half the cores, at least one). On a machine that runs
     * nothing but this server, with its clients elsewhere, one loop per core may answer more requests/s.
     *
     * <pre>{@code
     * ScoringServer.builder(ep).eventLoops(Runtime.getRuntime().availableProcessors()).start();
     * }</pre>
     */
    public Builder eventLoops(int n) {
      if (n < 1) {
        throw Errors.notPositive("eventLoops", n);
      }
      this.eventLoops = n;
      return this;
    }

    /** Binds and starts serving. */
    public ScoringServer start() {
      return new ScoringServer(this);
    }

    private static Duration positive(Duration d, String what) {
      Objects.requireNonNull(d, what);
      if (d.isZero() || d.isNegative()) {
        throw Errors.notPositiveDuration(what, d);
      }
      return d;
    }
  }

  /** The port bound. */
  public int port() {
    return transport.port();
  }

  /** {@code http://<address>:<port>/}. */
  public URI uri() {
    InetSocketAddress a = transport.address();
    String host = a.getAddress().getHostAddress();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return URI.create("http://" + host + ":" + a.getPort() + "/");
  }

  /** Connections closed because a client missed a header, read or write deadline. */
  public long connectionsCutOff() {
    return (deadlines == null ? 0 : deadlines.cutOff()) + transport.cutOff();
  }

  /** The inference log requests go to, if any. */
  public Optional<InferenceLog> inferenceLog() {
    return Optional.ofNullable(handler.log);
  }

  /**
   * Stops: new requests get 503, requests in flight finish (up to the shutdown grace), then the port is
   * closed. Everything they handed to the inference log is in its batch (close the log to commit it).
   */
  @Override
  public void close() {
    handler.drain();
    try {
      handler.awaitIdle(shutdownGrace.toNanos(), transport::activeRequests); // woken by the last request in flight
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    transport.close();
    if (workers != null) {
      workers.shutdownNow();
    }
    if (deadlines != null) {
      deadlines.close();
    }
  }
}
