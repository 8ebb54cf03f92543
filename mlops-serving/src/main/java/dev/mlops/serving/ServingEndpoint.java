package dev.mlops.serving;

import dev.mlops.core.MlopsException;
import dev.mlops.core.Workspace;
import dev.mlops.features.OnlineStore;
import dev.mlops.models.AliasNotFoundException;
import dev.mlops.models.ModelRegistry;
import dev.mlops.models.ModelUri;
import dev.mlops.models.ModelVersion;
import dev.mlops.models.PredictionInputException;
import dev.mlops.serving.internal.Errors;
import dev.mlops.serving.internal.ServedModel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A registered model served in process, bound to {@code models:/name@alias} (or a fixed version, or
 * {@code latest}), with the model's feature spec: requests that carry only the lookup keys get their
 * features from the online store (when one is given) or from the offline feature tables, through the
 * same code path as {@link dev.mlops.models.Predictor}.
 *
 * <pre>{@code
 * try (ServingEndpoint ep = ServingEndpoint.builder(ws, "models:/main.ml.churn@champion")
 *          .onlineStore(online)                       // optional: else the offline tables
 *          .build()) {
 *   Prediction p = ep.predict(Frame.of(Column.ofLongs("customer_id", 7, 9)));
 *   p.modelVersion();                                  // the version that answered
 * }
 * }</pre>
 *
 * <p><b>Hot swap.</b> The alias is polled ({@link Builder#pollInterval}, default 1 s; one small JSON file
 * read) and can be checked at once with {@link #refresh()}. When it moved — in this process or in
 * another one, the registry being files — the new version is loaded and verified next to the old one,
 * then new requests go to it; requests in flight finish on the old version, which is released after
 * its last request. A version that fails to load is not swapped in (the old one keeps serving and
 * the failure is logged once). An alias that is deleted leaves the last version serving.
 *
 * <p><b>Traffic split.</b> {@link Builder#trafficSplit(int, String, int)} routes a whole percentage of
 * requests to a second model (champion/challenger). The route is a pure function of the request id
 * ({@link #routeFor(String)}): bucket = FNV-1a(UTF-8 id) mod 100, the first route takes the low buckets.
 */
public final class ServingEndpoint implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ServingEndpoint.class);

  private final Workspace ws;
  private final ModelRegistry registry;
  private final OnlineStore store;
  private final List<Route> routes;
  private final ScheduledExecutorService poller;
  private final AtomicLong swaps = new AtomicLong();
  private final AtomicLong released = new AtomicLong();
  private volatile boolean closed;

  private ServingEndpoint(Builder b) {
    this.ws = b.ws;
    this.registry = ModelRegistry.of(b.ws);
    this.store = b.store;
    List<Route> rs = new ArrayList<>();
    rs.add(new Route(b.uri, b.percent));
    if (b.challengerUri != null) {
      rs.add(new Route(b.challengerUri, b.challengerPercent));
    }
    this.routes = List.copyOf(rs);
    try {
      for (Route r : routes) {
        r.current = load(r.name, r.resolve());
      }
    } catch (RuntimeException e) {
      routes.stream().filter(r -> r.current != null).forEach(r -> r.current.disown());
      throw e;
    }
    if (!b.poll.isZero() && routes.stream().anyMatch(Route::moves)) {
      poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "mlops-serving-alias-poll");
        t.setDaemon(true);
        return t;
      });
      long ms = Math.max(1, b.poll.toMillis());
      poller.scheduleWithFixedDelay(this::pollQuietly, ms, ms, TimeUnit.MILLISECONDS);
    } else {
      poller = null;
    }
    for (Route r : routes) {
      LOG.info("Serving {} (version {}) with {}% of traffic", r.uri, r.current.version(), r.percent);
    }
  }

  /**
   * Starts an endpoint for a model URI: {@code models:/name@alias} (hot swapped), {@code models:/name/latest}
   * (follows new versions) or {@code models:/name/<version>} (fixed).
   *
   * @throws dev.mlops.models.InvalidModelUriException for a malformed URI or a {@code runs:/} URI
   */
  public static Builder builder(Workspace ws, String modelUri) {
    return new Builder(ws, modelUri);
  }

  /** Options of an endpoint; {@link #build()} loads the model(s). */
  public static final class Builder {
    private final Workspace ws;
    private final ModelUri uri;
    private int percent = 100;
    private ModelUri challengerUri;
    private int challengerPercent;
    private OnlineStore store;
    private Duration poll = Duration.ofSeconds(1);

    private Builder(Workspace ws, String uri) {
      this.ws = Objects.requireNonNull(ws, "ws");
      this.uri = registryUri(uri);
    }

    /** Features of key-only requests come from this online store (default: the offline feature tables). */
    public Builder onlineStore(OnlineStore online) {
      this.store = Objects.requireNonNull(online, "online");
      return this;
    }

    /** How often an alias (or {@code latest}) is checked for a move; {@link Duration#ZERO} turns polling off. */
    public Builder pollInterval(Duration interval) {
      Objects.requireNonNull(interval, "interval");
      if (interval.isNegative()) {
        throw Errors.negative("pollInterval", interval, "turns polling off");
      }
      this.poll = interval;
      return this;
    }

    /**
     * Splits traffic between the endpoint's model and a second one (champion/challenger), by whole
     * percentages that sum to 100.
     *
     * <pre>{@code
     * builder(ws, "models:/main.ml.churn@champion").trafficSplit(90, "models:/main.ml.churn@challenger", 10)
     * }</pre>
     */
    public Builder trafficSplit(int percent, String otherUri, int otherPercent) {
      if (percent < 0 || otherPercent < 0 || percent + otherPercent != 100) {
        throw Errors.badTrafficSplit(percent, otherPercent, otherUri);
      }
      this.percent = percent;
      this.challengerUri = registryUri(otherUri);
      this.challengerPercent = otherPercent;
      return this;
    }

    /**
     * Loads and verifies the model version(s) and starts polling.
     *
     * @return the endpoint, serving once this returns
     * @throws AliasNotFoundException when the alias points nowhere (also
     *     {@link dev.mlops.models.ModelNotFoundException} and
     *     {@link dev.mlops.models.ModelVersionNotFoundException} when the model or version does not exist)
     */
    public ServingEndpoint build() {
      return new ServingEndpoint(this);
    }

    private static ModelUri registryUri(String uri) {
      ModelUri u = ModelUri.parse(uri);
      if (u.kind() == ModelUri.Kind.RUN) {
        throw Errors.notARegisteredModel(uri);
      }
      return u;
    }
  }

  // ---------------------------------------------------------------- scoring

  /** Scores rows under a fresh request id. See {@link #predict(String, Frame)}. */
  public Prediction predict(dev.mlops.core.Frame rows) {
    return predict(UUID.randomUUID().toString(), rows);
  }

  /**
   * Scores rows: with a feature spec the rows need only the lookup keys (feature columns given override
   * looked-up ones); without one they need every input column of the model's signature, typed as in it.
   *
   * @param requestId decides the route when traffic is split
   * @throws ScoringException 400 naming the missing or mistyped column; 503 when the endpoint is closed
   */
  public Prediction predict(String requestId, dev.mlops.core.Frame rows) {
    Objects.requireNonNull(rows, "rows");
    try (Lease l = acquire(requestId)) {
      return l.score(rows);
    }
  }

  /** The URI of the route a request id goes to. */
  public String routeFor(String requestId) {
    return route(requestId).uri.toString();
  }

  /** The versions served now, one per route. */
  public List<ServedVersion> served() {
    List<ServedVersion> out = new ArrayList<>();
    for (Route r : routes) {
      ServedModel m = r.current;
      out.add(new ServedVersion(r.uri.toString(), m.modelName(), m.version(), r.percent, m.inFlight()));
    }
    return out;
  }

  /** True while the endpoint is open (every route has a loaded version from build on). */
  public boolean isReady() {
    return !closed;
  }

  /**
   * Checks the alias (or {@code latest}) of every route now and swaps in a version that moved.
   *
   * @return true when a route now serves another version
   */
  public boolean refresh() {
    boolean any = false;
    for (Route r : routes) {
      any |= refresh(r, true);
    }
    return any;
  }

  /** Stops polling and releases the loaded versions (after their last requests). */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (poller != null) {
      poller.shutdownNow();
    }
    for (Route r : routes) {
      synchronized (r) {
        r.current.disown();
      }
    }
  }

  // ---------------------------------------------------------------- internals

  /** Swaps done so far (tests). */
  long swaps() {
    return swaps.get();
  }

  /** Versions released so far (tests). */
  long releasedVersions() {
    return released.get();
  }

  Workspace workspace() {
    return ws;
  }

  /** True when a served version looks features up (a request may wait on the store). */
  boolean looksUpFeatures() {
    for (Route r : routes) {
      ServedModel m = r.current;
      if (m != null && m.hasFeatureSpec()) {
        return true;
      }
    }
    return false;
  }

  /** A scoring lease on the version a request goes to; close it when the request is answered. */
  Lease acquire(String requestId) {
    Objects.requireNonNull(requestId, "requestId");
    Route r = route(requestId);
    for (;;) {
      if (closed) {
        throw Errors.endpointClosed(routes.get(0).uri);
      }
      ServedModel m = r.current;
      if (m.retain()) {
        return new Lease(requestId, m);
      }
    }
  }

  /** One request's hold on a model version. */
  final class Lease implements AutoCloseable {
    final String requestId;
    final ServedModel model;
    private boolean closed;

    Lease(String requestId, ServedModel model) {
      this.requestId = requestId;
      this.model = model;
    }

    Prediction score(dev.mlops.core.Frame rows) {
      long t0 = System.nanoTime();
      dev.mlops.core.Frame out;
      try {
        out = model.score(rows, store);
      } catch (PredictionInputException | dev.mlops.features.FeatureStoreException
          | dev.mlops.core.SchemaMismatchException | dev.mlops.core.ColumnNotFoundException e) {
        throw ScoringException.badRequest(e.getMessage());
      }
      return new Prediction(requestId, model.modelName(), model.version(), model.servedModelName(), out,
          System.nanoTime() - t0);
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        model.release();
      }
    }
  }

  private Route route(String requestId) {
    if (routes.size() == 1) {
      return routes.get(0);
    }
    return bucket(requestId) < routes.get(0).percent ? routes.get(0) : routes.get(1);
  }

  /** FNV-1a of the UTF-8 bytes, mod 100. */
  static int bucket(String requestId) {
    int h = 0x811c9dc5;
    for (byte b : requestId.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x01000193;
    }
    return Math.floorMod(h, 100);
  }

  private void pollQuietly() {
    for (Route r : routes) {
      try {
        refresh(r, false);
      } catch (RuntimeException e) {
        LOG.warn("Checking {} for a new version failed: {}", r.uri, e.getMessage());
      }
    }
  }

  private boolean refresh(Route r, boolean loud) {
    if (!r.moves() || closed) {
      return false;
    }
    int target = resolve(r);
    if (target < 0 || target == r.current.version()) {
      return false;
    }
    Runnable hook = beforeLock;
    if (hook != null) {
      hook.run();
    }
    synchronized (r) {
      // read again under the lock: a poll that read the alias before a move (and a refresh of that move)
      // must not swap the version it read back in after the refresh swapped the new one
      target = resolve(r);
      if (closed || target < 0 || target == r.current.version()) {
        return false;
      }
      ServedModel fresh;
      try {
        fresh = load(r.name, target);
      } catch (MlopsException e) {
        if (loud) {
          throw e;
        }
        if (r.failedVersion != target) {
          r.failedVersion = target;
          LOG.warn("Version {} of {} could not be loaded; version {} keeps serving: {}", target, r.name,
              r.current.version(), e.getMessage());
        }
        return false;
      }
      ServedModel old = r.current;
      r.current = fresh;
      old.disown();
      swaps.incrementAndGet();
      LOG.info("{} now serves version {} (was {})", r.uri, target, old.version());
      return true;
    }
  }

  /** Tests: runs between a check that found a move and taking the route's lock to swap it in. */
  static volatile Runnable beforeLock;

  /** The version the route's alias (or latest) names now, or -1 when the alias was deleted (warned once). */
  private int resolve(Route r) {
    try {
      int v = r.resolve();
      r.warnedGone.set(false);
      return v;
    } catch (AliasNotFoundException e) {
      if (r.warnedGone.compareAndSet(false, true)) {
        LOG.warn("Alias of {} was deleted; version {} keeps serving until it is set again", r.uri, r.current.version());
      }
      return -1;
    }
  }

  private ServedModel load(String name, int version) {
    return ServedModel.load(ws, name, version, released::incrementAndGet);
  }

  private final class Route {
    final ModelUri uri;
    final String name;
    final int percent;
    volatile ServedModel current;
    final java.util.concurrent.atomic.AtomicBoolean warnedGone = new java.util.concurrent.atomic.AtomicBoolean();
    int failedVersion;

    Route(ModelUri uri, int percent) {
      this.uri = uri;
      this.name = uri.name().orElseThrow();
      this.percent = percent;
    }

    boolean moves() {
      return uri.kind() == ModelUri.Kind.ALIAS || uri.kind() == ModelUri.Kind.LATEST;
    }

    int resolve() {
      switch (uri.kind()) {
        case ALIAS: {
          Integer v = registry.aliases(name).get(uri.alias().orElseThrow());
          if (v == null) {
            ModelVersion mv = registry.getVersion(name, uri.alias().orElseThrow()); // throws with the fix
            return mv.version();
          }
          return v;
        }
        case VERSION:
          return uri.version().getAsInt();
        default:
          return registry.resolve(uri.toString()).version().orElseThrow().version();
      }
    }
  }
}
