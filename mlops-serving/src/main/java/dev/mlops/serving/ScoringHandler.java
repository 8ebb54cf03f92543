package dev.mlops.serving;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlops.core.Column;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Frame;
import dev.mlops.core.internal.Sdk;
import dev.mlops.serving.internal.Deadlines;
import dev.mlops.serving.internal.HttpTransport;
import dev.mlops.serving.internal.InferenceRecord;
import dev.mlops.serving.internal.JsonColumns;
import dev.mlops.serving.internal.RequestColumns;
import dev.mlops.serving.internal.RequestIds;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** MLflow's scoring protocol on one exchange. */
final class ScoringHandler implements HttpTransport.Handler {
  private static final Logger LOG = LoggerFactory.getLogger(ScoringServer.class);
  private static final ObjectMapper JSON = JsonColumns.MAPPER;
  private static final byte[] PING = "\n".getBytes(StandardCharsets.UTF_8);

  private final ServingEndpoint endpoint;
  final InferenceLog log;
  private final byte[] token;
  private final long maxBody;
  private final long readNanos;
  final AtomicInteger inFlight = new AtomicInteger();
  volatile boolean draining;
  /** When {@link #draining} was set ({@link System#nanoTime()}); requests admitted before it still finish. */
  volatile long drainingSince;
  private final Object idle = new Object();
  private volatile OkHeaders okHeaders;

  ScoringHandler(ServingEndpoint endpoint, InferenceLog log, byte[] token, long maxBody, long readNanos) {
    this.endpoint = endpoint;
    this.log = log;
    this.token = token;
    this.maxBody = maxBody;
    this.readNanos = readNanos;
  }

  /** An answer, with whether the connection must close after it. */
  private record Answer(int status, Map<String, String> headers, byte[] body, boolean close) {}

  @Override
  public void handle(HttpTransport.Exchange ex) throws IOException {
    inFlight.incrementAndGet();
    try {
      Answer a;
      if (ex.overCapacity()) {
        a = error(new ScoringException(503, "TEMPORARILY_UNAVAILABLE", "The server is at its limit of concurrent "
            + "requests. Retry shortly, or raise maxConcurrentRequests."), true);
        if (ex.path().equals("/invocations")) {
          refused(ex, a, InferenceRecord.REQUEST_NOT_READ);
        }
      } else {
        a = route(ex);
      }
      if (a == null || Deadlines.fired()) {
        return; // the connection was cut off
      }
      ex.answerReady(); // the answer is ready: the client's next request must not race this one's end
      Deadlines.arm(readNanos); // the client must read the answer in time too
      boolean head = ex.method().equalsIgnoreCase("HEAD");
      ex.respond(a.status, a.headers, head ? new byte[0] : a.body, a.close);
      Deadlines.disarm();
    } finally {
      if (inFlight.decrementAndGet() == 0 && draining) {
        synchronized (idle) {
          idle.notifyAll();
        }
      }
    }
  }

  /**
   * Scoring a request whose features are looked up waits on the feature store; everything else the
   * handler does is CPU work of microseconds on a prepared model.
   */
  @Override
  public boolean blocks(HttpTransport.Exchange ex) {
    return endpoint.looksUpFeatures() && ex.path().equals("/invocations");
  }

  /** New requests get 503 from now on; those admitted before finish. */
  void drain() {
    drainingSince = System.nanoTime();
    draining = true;
  }

  /**
   * Waits until no request is in flight (call after setting {@link #draining}), at most {@code nanos}.
   *
   * @return whether the server went idle in time
   */
  boolean awaitIdle(long nanos, java.util.function.IntSupplier admitted) throws InterruptedException {
    long deadline = System.nanoTime() + nanos;
    synchronized (idle) {
      while (inFlight.get() > 0 || admitted.getAsInt() > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        // woken by the last request leaving the handler; a request the transport admitted but has not handed
        // over yet (its body still coming, or cut off at its deadline) is looked at again every 20 ms
        TimeUnit.NANOSECONDS.timedWait(idle, inFlight.get() > 0 ? left : Math.min(left, 20_000_000L));
      }
      return true;
    }
  }

  private Answer route(HttpTransport.Exchange ex) throws IOException {
    String path = ex.path();
    String method = ex.method().toUpperCase(Locale.ROOT);
    boolean get = method.equals("GET") || method.equals("HEAD");
    switch (path) {
      case "/ping":
      case "/health":
        if (!get) {
          return methodNotAllowed(method, path, "GET");
        }
        return endpoint.isReady() && !draining ? new Answer(200, Map.of("Content-Type", "application/json"), PING, false)
            : new Answer(404, Map.of("Content-Type", "application/json"), PING, false);
      case "/version":
        if (!authorized(ex)) {
          return unauthorized();
        }
        if (!get) {
          return methodNotAllowed(method, path, "GET");
        }
        return new Answer(200, Map.of("Content-Type", "text/plain; charset=utf-8"),
            Sdk.VERSION.getBytes(StandardCharsets.UTF_8), false);
      case "/invocations":
        if (!authorized(ex)) {
          return refused(ex, unauthorized(), InferenceRecord.REQUEST_NOT_READ);
        }
        if (!method.equals("POST")) {
          return refused(ex, methodNotAllowed(method, path, "POST"), InferenceRecord.REQUEST_NOT_READ);
        }
        return invocations(ex);
      default:
        return error(new ScoringException(404, "ENDPOINT_NOT_FOUND", "No route " + path + ". The scoring server "
            + "answers GET /ping, GET /health, GET /version and POST /invocations."), false);
    }
  }

  private boolean authorized(HttpTransport.Exchange ex) {
    if (token == null) {
      return true;
    }
    String h = ex.header("Authorization").orElse("");
    byte[] given = h.regionMatches(true, 0, "Bearer ", 0, 7) ? h.substring(7).trim().getBytes(StandardCharsets.UTF_8)
        : new byte[0];
    return MessageDigest.isEqual(given, token); // constant time for equal lengths; length is not secret
  }

  private Answer unauthorized() {
    Answer a = error(new ScoringException(401, "UNAUTHENTICATED", "This server requires 'Authorization: Bearer "
        + "<token>'. Send the token the server was started with."), false);
    Map<String, String> h = new LinkedHashMap<>(a.headers);
    h.put("WWW-Authenticate", "Bearer");
    return new Answer(401, h, a.body, false);
  }

  private Answer methodNotAllowed(String method, String path, String allowed) {
    Answer a = error(new ScoringException(405, "BAD_REQUEST", method + " " + path + " is not allowed; use " + allowed
        + "."), false);
    Map<String, String> h = new LinkedHashMap<>(a.headers);
    h.put("Allow", allowed);
    return new Answer(405, h, a.body, false);
  }

  // ------------------------------------------------------------------ invocations

  /**
   * Logs a request refused before its body was read or scored (NULL request with {@code code}, the error
   * as response), within the log's refused-request rate; returns the answer.
   */
  private Answer refused(HttpTransport.Exchange ex, Answer a, String code) {
    if (log != null && log.admitRefused()) { // checked first: a dropped one costs no id, clock or copy
      InferenceRecord.Builder rec = InferenceRecord.builder(RequestIds.next(), Instant.now(), ex.remoteHost());
      rec.requestNotLogged(code).finish(a.status, 0, null, a.body);
      log.offer(rec.build(log.maxPayloadBytes()));
    }
    return a;
  }

  private Answer invocations(HttpTransport.Exchange ex) throws IOException {
    // refusals before the body is read: logged with a NULL request, rate-limited
    if ((draining && ex.admittedNanos() - drainingSince >= 0) || !endpoint.isReady()) {
      return refused(ex, error(new ScoringException(503, "TEMPORARILY_UNAVAILABLE", "The server is shutting down;"
          + " retry against another instance."), false), InferenceRecord.REQUEST_NOT_READ);
    }
    boolean chunked = !ex.headers("Transfer-Encoding").isEmpty();
    if (chunked && !ex.headers("Content-Length").isEmpty()) {
      return refused(ex, error(ScoringException.badRequest("The request has both Transfer-Encoding and "
          + "Content-Length; send one of them."), true), InferenceRecord.REQUEST_NOT_READ);
    }
    String format;
    long declared;
    try {
      format = contentType(ex.header("Content-Type").orElse(null));
      declared = ex.header("Content-Length").map(ScoringHandler::parseLength).orElse(-1L);
    } catch (ScoringException e) {
      return refused(ex, error(e, false), InferenceRecord.REQUEST_NOT_READ);
    }
    if (declared > maxBody) {
      return refused(ex, error(tooLarge(declared), true), InferenceRecord.MAX_REQUEST_SIZE_EXCEEDED);
    }
    long t0 = System.nanoTime();
    Instant requestTime = Instant.now();
    String requestId = RequestIds.next();
    InferenceRecord.Builder rec = log == null ? null : InferenceRecord.builder(requestId, requestTime, ex.remoteHost());
    byte[] body = null;
    Answer answer;
    try {
      Deadlines.arm(readNanos);
      body = readBody(ex.body(), declared);
      if (!Deadlines.disarm()) {
        return null;
      }
      if (body == null) {
        return refused(ex, error(tooLarge(-1), true), InferenceRecord.MAX_REQUEST_SIZE_EXCEEDED);
      }
      Prediction p;
      boolean probabilities = false;
      // JSON: the streaming fast path into primitive columns; it declines what it cannot answer exactly
      // as the tree path below, which then answers (or words the error)
      JsonColumns fast = format.equals("json") ? JsonColumns.parse(body) : null;
      RequestColumns cols = null;
      String routeKey = requestId;
      if (fast != null) {
        if (fast.clientRequestId() != null) {
          routeKey = fast.clientRequestId();
          if (rec != null) {
            rec.clientRequestId(routeKey);
          }
        }
        probabilities = fast.returnProbabilities();
      } else if (format.equals("json")) {
        JsonNode tree = parseJson(utf8(body));
        if (tree.isObject() && tree.has("client_request_id")) {
          JsonNode c = tree.get("client_request_id");
          if (!c.isTextual()) {
            throw ScoringException.badRequest("client_request_id must be a string, not " + c + ".");
          }
          routeKey = c.textValue();
          if (rec != null) {
            rec.clientRequestId(routeKey);
          }
        }
        if (tree.isObject() && tree.has("params")) {
          JsonNode params = tree.get("params");
          if (!params.isObject()) {
            throw ScoringException.badRequest("params must be an object of name to value, not " + params + ".");
          }
          probabilities = params.path("return_probabilities").asBoolean(false);
        }
        cols = RequestColumns.fromJson(tree);
      } else {
        cols = RequestColumns.fromCsv(utf8(body));
      }
      try (ServingEndpoint.Lease lease = endpoint.acquire(routeKey)) {
        if (rec != null) {
          rec.model(lease.model.modelName(), lease.model.versionText(), lease.model.servedModelName());
        }
        Frame rows = fast == null ? null : fast.toFrame(lease.model.inputs());
        if (rows == null) {
          if (cols == null) { // the fast path declined to type the columns: the tree path types them or words why
            cols = RequestColumns.fromJson(parseJson(utf8(body)));
          }
          rows = cols.toFrame(lease.model.inputs());
        }
        p = lease.score(rows);
        byte[] out = predictions(p.rows(), lease.model.outputs(), probabilities);
        answer = new Answer(200, okHeaders(p.servedModelName()), out, false);
        if (rec != null) {
          rec.scored(p.rows(), lease.model.outputs());
        }
      }
    } catch (ScoringException e) {
      answer = error(e, false);
    } catch (IOException e) {
      if (Deadlines.fired()) {
        return null;
      }
      throw e;
    } catch (RuntimeException e) {
      LOG.warn("Request {} failed inside the server", requestId, e);
      answer = error(new ScoringException(500, "INTERNAL_ERROR", "The model failed on this request (request id "
          + requestId + "); the server log has the cause."), false);
    }
    if (rec != null) {
      rec.finish(answer.status, (System.nanoTime() - t0) / 1_000_000, body == null ? null : body,
          answer.body);
      log.offer(rec.build(log.maxPayloadBytes()));
    }
    return answer;
  }

  /** A 200's headers, made once per served version rather than per request. */
  private record OkHeaders(String served, Map<String, String> map) {}

  private Map<String, String> okHeaders(String served) {
    OkHeaders h = okHeaders;
    if (h == null || !h.served.equals(served)) {
      h = new OkHeaders(served, Map.of("Content-Type", "application/json", "served-model-name", served));
      okHeaders = h;
    }
    return h.map;
  }

  private static long parseLength(String s) {
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      throw ScoringException.badRequest("Content-Length '" + s + "' is not a number.");
    }
  }

  private ScoringException tooLarge(long declared) {
    return new ScoringException(413, "RESOURCE_LIMIT_EXCEEDED", "The request body "
        + (declared >= 0 ? "of " + declared + " bytes " : "") + "is over the server's limit of " + maxBody
        + " bytes. Send fewer rows per request, or start the server with a larger maxBodyBytes.");
  }

  /**
   * The body, or null when it is over the limit. With a Content-Length the array is allocated once at that
   * size and returned as is (no scratch buffer, no copy: this runs for every request); without one
   * (chunked) it grows from 1 KiB. Either way the stream is read to its end.
   */
  byte[] readBody(InputStream in, long declared) throws IOException {
    long most = Math.min(maxBody + 1, Integer.MAX_VALUE - 8); // one byte over the cap shows it is exceeded
    byte[] buf = new byte[(int) (declared >= 0 ? Math.min(declared, most) : Math.min(1024, most))];
    int len = 0;
    for (;;) {
      if (len == buf.length) {
        int b = in.read();
        if (b < 0) {
          return buf;
        }
        if (len + 1L > maxBody) {
          return null;
        }
        buf = Arrays.copyOf(buf, (int) Math.min(Math.max(buf.length * 2L, 1024), most));
        buf[len++] = (byte) b;
        continue;
      }
      int n = in.read(buf, len, buf.length - len);
      if (n < 0) {
        return Arrays.copyOf(buf, len);
      }
      len += n;
      if (len > maxBody) {
        return null;
      }
    }
  }

  /** "json" or "csv"; 415 for anything else. */
  static String contentType(String header) {
    if (header == null || header.isBlank()) {
      throw unsupported("The request has no Content-Type.");
    }
    String[] parts = header.split(";");
    String media = parts[0].trim().toLowerCase(Locale.ROOT);
    for (int i = 1; i < parts.length; i++) {
      String p = parts[i].trim();
      if (p.isEmpty()) {
        continue;
      }
      int eq = p.indexOf('=');
      String k = (eq < 0 ? p : p.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
      String v = eq < 0 ? "" : p.substring(eq + 1).trim().replace("\"", "");
      if (!k.equals("charset")) {
        throw unsupported("Content-Type parameter '" + k + "' is not supported.");
      }
      if (!v.equalsIgnoreCase("utf-8")) {
        throw unsupported("charset '" + v + "' is not supported.");
      }
    }
    if (media.equals("application/json")) {
      return "json";
    }
    if (media.equals("text/csv")) {
      return "csv";
    }
    throw unsupported("Content-Type '" + media + "' is not supported.");
  }

  private static ScoringException unsupported(String why) {
    return new ScoringException(415, "BAD_REQUEST", why + " Send application/json or text/csv, with charset=utf-8"
        + " or no charset.");
  }

  private static String utf8(byte[] body) {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
    } catch (CharacterCodingException e) {
      throw ScoringException.badRequest("The body is not valid UTF-8; encode it as UTF-8.");
    }
  }

  private static JsonNode parseJson(String text) {
    if (text.isBlank()) {
      throw ScoringException.badRequest("The body is empty; send a JSON object such as {\"dataframe_records\": [...]}.");
    }
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      String m = e.getOriginalMessage();
      throw ScoringException.badRequest("The body is not valid JSON (line " + e.getLocation().getLineNr() + ", column "
          + e.getLocation().getColumnNr() + "): " + (m.length() > 200 ? m.substring(0, 200) : m) + ".");
    } catch (NumberFormatException e) { // Jackson's BigDecimal reader: e.g. 1e99999999999 (was a 500)
      String m = String.valueOf(e.getMessage());
      throw ScoringException.badRequest("The body holds a number that cannot be read: "
          + (m.length() > 200 ? m.substring(0, 200) : m) + ". Send numbers within a double's range.");
    }
  }

  static byte[] predictions(Frame rows, List<Field> outputs, boolean probabilities) throws IOException {
    Column pred = rows.column("prediction");
    if (!probabilities && plain(pred.type())) {
      return plainPredictions(pred);
    }
    return generalPredictions(rows, outputs, probabilities);
  }

  private static boolean plain(DataType t) {
    return t == DataType.INT || t == DataType.LONG || t == DataType.DOUBLE || t == DataType.BOOLEAN;
  }

  /**
   * {@code {"predictions":[...]}} of a numeric or boolean column, byte for byte as
   * {@link #generalPredictions} writes it with Jackson, without a generator per request (the one-row
   * path's most common answer).
   */
  static byte[] plainPredictions(Column pred) {
    int n = pred.size();
    StringBuilder sb = new StringBuilder(18 + 8 * n).append("{\"predictions\":[");
    for (int r = 0; r < n; r++) {
      if (r > 0) {
        sb.append(',');
      }
      if (pred.isNull(r)) {
        sb.append("null");
        continue;
      }
      switch (pred.type()) {
        case INT -> sb.append(pred.getInt(r));
        case LONG -> sb.append(pred.getLong(r));
        case BOOLEAN -> sb.append(pred.getBoolean(r));
        default -> {
          double d = pred.getDouble(r);
          if (Double.isFinite(d)) {
            sb.append(Double.toString(d));
          } else {
            sb.append('"').append(Double.toString(d)).append('"'); // as value(): NaN and infinities as strings
          }
        }
      }
    }
    return sb.append("]}").toString().getBytes(StandardCharsets.US_ASCII);
  }

  static byte[] generalPredictions(Frame rows, List<Field> outputs, boolean probabilities) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 + rows.rowCount() * 16);
    List<Column> cols = new ArrayList<>();
    for (Field f : outputs) {
      if (rows.hasColumn(f.name())) {
        cols.add(rows.column(f.name()));
      }
    }
    if (cols.isEmpty()) {
      cols.add(rows.column("prediction"));
    }
    try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
      g.writeStartObject();
      g.writeArrayFieldStart("predictions");
      Column pred = rows.column("prediction");
      for (int r = 0; r < rows.rowCount(); r++) {
        if (probabilities && cols.size() > 1) {
          g.writeStartObject();
          for (Column c : cols) {
            g.writeFieldName(c.name());
            value(g, c, r);
          }
          g.writeEndObject();
        } else {
          value(g, pred, r);
        }
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    return out.toByteArray();
  }

  static void value(JsonGenerator g, Column c, int r) throws IOException {
    if (c.isNull(r)) {
      g.writeNull();
      return;
    }
    switch (c.type()) {
      case LONG:
        g.writeNumber(c.getLong(r));
        break;
      case INT:
        g.writeNumber(c.getInt(r));
        break;
      case DOUBLE: {
        double d = c.getDouble(r);
        if (Double.isFinite(d)) {
          g.writeNumber(d);
        } else {
          g.writeString(Double.toString(d));
        }
        break;
      }
      case BOOLEAN:
        g.writeBoolean(c.getBoolean(r));
        break;
      default:
        g.writeString(String.valueOf(c.get(r)));
    }
  }

  private static Answer error(ScoringException e, boolean close) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("error_code", e.errorCode());
      g.writeStringField("message", e.getMessage());
      g.writeEndObject();
    } catch (IOException io) {
      throw new IllegalStateException(io);
    }
    return new Answer(e.status(), Map.of("Content-Type", "application/json"), out.toByteArray(), close);
  }
}
