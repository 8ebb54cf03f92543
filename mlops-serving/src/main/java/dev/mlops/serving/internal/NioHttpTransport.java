package dev.mlops.serving.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link HttpTransport} on non-blocking NIO: a few event loops (one selector thread each) read, parse
 * and answer HTTP/1.1 themselves. A request is handed to the handler <em>on its loop</em> once its head
 * and whole body are in, and the answer (status line, headers and body) goes out in one write: no thread
 * hand-off, one reused read buffer per connection, no per-request streams. A complete request is handled
 * inline, so a handler that blocks holds every connection of its loop: the scoring handler's work on a
 * prepared model is microseconds.
 *
 * <p>What it guarantees, as the JDK-server transport with {@link Deadlines} and {@link ServerExecutor}:
 * keep-alive (HTTP/1.1 by default, HTTP/1.0 on {@code Connection: keep-alive}); {@code Content-Length}
 * and chunked bodies (handed over de-chunked); pipelined requests answered in order; the body cap (a
 * {@code Content-Length} over it is handed over at once with no body, a chunked body is cut one byte over
 * it; the handler answers 413 and the connection closes); a header deadline from a request's first byte,
 * a read deadline for its body from the end of its head, and the same deadline for the client to take
 * the whole answer (else the connection is closed and counted, see {@link #cutOff()}); at most
 * {@code maxConcurrent} requests between their head and their answer (one beyond is handed over at once,
 * {@link Exchange#overCapacity()}); {@code Transfer-Encoding} with {@code Content-Length} handed over
 * without its body and the connection closed after the answer; {@code Expect: 100-continue} answered
 * (as the JDK server does); a head over 32 KiB or 200 header lines gets 431, a malformed request line
 * or header, a bad {@code Content-Length} or a transfer coding other than chunked gets 400, each with
 * {@code Connection: close}. Idle keep-alive connections hold no thread and are closed after the idle
 * time. Every buffer is bounded; one connection's bytes are parsed only into that connection's state.
 */
public final class NioHttpTransport implements HttpTransport {
  private static final Logger LOG = LoggerFactory.getLogger(NioHttpTransport.class);
  /** Largest request head (request line and headers). */
  static final int MAX_HEAD_BYTES = 32 * 1024;
  /** Most header lines in one head. */
  static final int MAX_HEADERS = 200;
  /** Longest chunk-size line (with extensions). */
  static final int MAX_CHUNK_LINE = 4096;
  private static final int INITIAL_BUFFER = 2048;
  private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final DateTimeFormatter DATE = DateTimeFormatter.RFC_1123_DATE_TIME;
  private static final boolean[] TCHAR = new boolean[128];
  private static final String[] COMMON_METHODS = {"POST", "GET", "HEAD"};

  static {
    for (char c = '0'; c <= '9'; c++) {
      TCHAR[c] = true;
    }
    for (char c = 'a'; c <= 'z'; c++) {
      TCHAR[c] = true;
      TCHAR[c - 32] = true;
    }
    for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
      TCHAR[c] = true;
    }
  }

  /**
   * The transport's limits.
   *
   * @param bodyCap largest body handed to the handler (a longer one is cut one byte over it)
   * @param headerNanos time from a request's first byte to the end of its head
   * @param readNanos time for the body after the head, and for the client to take the whole answer
   * @param idleNanos time an idle keep-alive connection is kept
   * @param maxConcurrent requests admitted between their head and their answer
   * @param maxConnections open connections; one more is closed at once
   * @param loops event-loop threads
   */
  public record Limits(long bodyCap, long headerNanos, long readNanos, long idleNanos, int maxConcurrent,
      int maxConnections, int loops) {
    /** Validates. */
    public Limits {
      if (bodyCap < 0 || headerNanos <= 0 || readNanos <= 0 || idleNanos <= 0 || maxConcurrent < 1
          || maxConnections < 1 || loops < 1) {
        throw Errors.notPositive("NioHttpTransport.Limits", List.of(bodyCap, headerNanos, readNanos, idleNanos,
            maxConcurrent, maxConnections, loops));
      }
    }
  }

  private final ServerSocketChannel server;
  private final InetSocketAddress address;
  private final Limits limits;
  /** The body cap, at most what an array holds. */
  private final long bodyCap;
  private final Handler handler;
  private final java.util.concurrent.Executor workers;
  private final Loop[] loops;
  private final AtomicInteger active = new AtomicInteger();
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicLong cutOff = new AtomicLong();
  private final long tickNanos;
  private volatile boolean closed;
  private int next;

  private NioHttpTransport(ServerSocketChannel server, Limits limits, Handler handler,
      java.util.concurrent.Executor workers) throws IOException {
    this.server = server;
    this.workers = workers;
    this.address = (InetSocketAddress) server.getLocalAddress();
    this.limits = limits;
    this.bodyCap = Math.min(limits.bodyCap, Integer.MAX_VALUE - 16);
    this.handler = handler;
    long shortest = Math.min(limits.headerNanos, Math.min(limits.readNanos, limits.idleNanos));
    this.tickNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(5), Math.min(TimeUnit.MILLISECONDS.toNanos(50), shortest / 4));
    this.loops = new Loop[limits.loops];
    for (int i = 0; i < loops.length; i++) {
      loops[i] = new Loop(i);
    }
  }

  /** Binds and starts the loops; every request is handled on its loop. */
  public static NioHttpTransport start(InetSocketAddress bind, int backlog, Limits limits, Handler handler) {
    return start(bind, backlog, limits, handler, null);
  }

  /**
   * Binds and starts the loops; a request for which {@link Handler#blocks} is true is handled on
   * {@code workers} (its connection waits, the loop goes on with the others), the rest on its loop.
   */
  public static NioHttpTransport start(InetSocketAddress bind, int backlog, Limits limits, Handler handler,
      java.util.concurrent.Executor workers) {
    ServerSocketChannel ch = null;
    try {
      ch = ServerSocketChannel.open();
      ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      ch.bind(bind, backlog);
      ch.configureBlocking(false);
      NioHttpTransport t = new NioHttpTransport(ch, limits, handler, workers);
      ch.register(t.loops[0].selector, SelectionKey.OP_ACCEPT);
      for (Loop l : t.loops) {
        l.thread.start();
      }
      return t;
    } catch (IOException e) {
      if (ch != null) {
        try {
          ch.close();
        } catch (IOException ignored) {
          // already failing
        }
      }
      throw Errors.cannotBind(bind, e);
    }
  }

  @Override
  public int port() {
    return address.getPort();
  }

  @Override
  public InetSocketAddress address() {
    return address;
  }

  /** Connections closed because a client missed a header, read or write deadline. */
  public long cutOff() {
    return cutOff.get();
  }

  /** Requests admitted (head read) and not yet answered. */
  public int activeRequests() {
    return active.get();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (Loop l : loops) {
      l.selector.wakeup();
    }
    for (Loop l : loops) {
      if (l.thread != Thread.currentThread()) {
        try {
          l.thread.join(5_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    try {
      server.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  // ---------------------------------------------------------------------------------------- loops

  private final class Loop implements Runnable {
    final Selector selector;
    final Thread thread;
    final ConcurrentLinkedQueue<SocketChannel> incoming = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    final List<Conn> conns = new ArrayList<>();
    byte[] out = new byte[4096];
    long lastScan = System.nanoTime();

    Loop(int i) throws IOException {
      this.selector = Selector.open();
      this.thread = new Thread(this, "mlops-serving-nio-" + i);
      thread.setDaemon(true);
    }

    @Override
    public void run() {
      long tickMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(tickNanos));
      try {
        while (!closed) {
          selector.select(this::ready, tickMillis);
          SocketChannel c;
          while ((c = incoming.poll()) != null) {
            adopt(c);
          }
          Runnable task;
          while ((task = tasks.poll()) != null) {
            task.run();
          }
          long now = System.nanoTime();
          if (now - lastScan >= tickNanos) {
            lastScan = now;
            scan(now);
          }
        }
      } catch (IOException | RuntimeException e) {
        if (!closed) {
          LOG.warn("HTTP event loop {} stopped", thread.getName(), e);
        }
      } finally {
        for (Conn c : new ArrayList<>(conns)) {
          c.close(false);
        }
        SocketChannel c;
        while ((c = incoming.poll()) != null) {
          quietClose(c);
          connections.decrementAndGet();
        }
        try {
          selector.close();
        } catch (IOException ignored) {
          // closing anyway
        }
      }
    }

    private void ready(SelectionKey k) {
      if (k.channel() == server) {
        accept();
        return;
      }
      Conn c = (Conn) k.attachment();
      try {
        if (k.isValid() && k.isWritable()) {
          c.writable();
        }
        if (k.isValid() && k.isReadable()) {
          c.readable();
        }
      } catch (IOException | RuntimeException e) {
        c.close(false);
      }
    }

    private void accept() {
      for (int i = 0; i < 64; i++) {
        SocketChannel ch;
        try {
          ch = server.accept();
        } catch (IOException e) {
          return; // e.g. too many open files: the next select tries again
        }
        if (ch == null) {
          return;
        }
        if (connections.incrementAndGet() > limits.maxConnections) {
          connections.decrementAndGet();
          quietClose(ch);
          continue;
        }
        Loop to = loops[next++ % loops.length];
        if (to == this) {
          adopt(ch);
        } else {
          to.incoming.add(ch);
          to.selector.wakeup();
        }
      }
    }

    private void adopt(SocketChannel ch) {
      try {
        ch.configureBlocking(false);
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        Conn c = new Conn(this, ch);
        c.key = ch.register(selector, SelectionKey.OP_READ, c);
        c.index = conns.size();
        conns.add(c);
        c.idle(System.nanoTime());
      } catch (IOException e) {
        quietClose(ch);
        connections.decrementAndGet();
      }
    }

    void remove(Conn c) {
      int i = c.index;
      if (i < 0) {
        return;
      }
      Conn last = conns.remove(conns.size() - 1);
      if (last != c) {
        conns.set(i, last);
        last.index = i;
      }
      c.index = -1;
    }

    private void scan(long now) {
      for (int i = conns.size() - 1; i >= 0; i--) {
        if (i >= conns.size()) {
          continue;
        }
        Conn c = conns.get(i);
        if (now - c.deadline > 0) {
          c.expired();
        }
      }
    }

    void post(Runnable task) {
      tasks.add(task);
      selector.wakeup();
    }

    byte[] out(int size) {
      if (out.length < size) {
        out = new byte[Math.max(size, out.length * 2)];
      }
      return out;
    }
  }

  /** The Date header's value, made once a second (any thread). */
  private record Date(long second, byte[] value) {}

  private static volatile Date date = new Date(-1, new byte[0]);

  private static byte[] date() {
    long s = System.currentTimeMillis() / 1000;
    Date d = date;
    if (d.second != s) {
      d = new Date(s, DATE.format(ZonedDateTime.ofInstant(java.time.Instant.ofEpochSecond(s), ZoneOffset.UTC))
          .getBytes(StandardCharsets.US_ASCII));
      date = d;
    }
    return d.value;
  }

  private static void quietClose(SocketChannel ch) {
    try {
      ch.close();
    } catch (IOException ignored) {
      // nothing to do
    }
  }

  // ---------------------------------------------------------------------------------- connections

  private enum State { HEAD, BODY, CHUNK_SIZE, CHUNK_DATA, CHUNK_CRLF, TRAILERS, HANDLING, WRITING, LINGER, CLOSED }

  private enum Kind { IDLE, HEADER, READ, WRITE, LINGER, HANDLING }

  /** One connection; touched only by its loop's thread. */
  private final class Conn {
    final Loop loop;
    final SocketChannel ch;
    SelectionKey key;
    int index = -1;
    InetSocketAddress remote;
    String remoteHost; // one string per connection, not per request
    byte[] buf = new byte[INITIAL_BUFFER];
    int start;
    int end;
    int scanned;
    State state = State.HEAD;
    Kind kind = Kind.IDLE;
    long deadline;
    ByteBuffer pending;
    boolean closeAfterWrite;
    // the request being read
    String method;
    String target;
    boolean http10;
    final List<String> names = new ArrayList<>();
    final List<String> values = new ArrayList<>();
    long contentLength;
    byte[] body;
    int bodyLen;
    long chunkLeft;
    int trailerBytes;
    boolean forceClose;
    boolean keepAlive;
    boolean admitted;
    boolean over;
    long admittedAt;

    Conn(Loop loop, SocketChannel ch) {
      this.loop = loop;
      this.ch = ch;
    }

    void idle(long now) {
      kind = Kind.IDLE;
      deadline = now + limits.idleNanos;
    }

    void expired() {
      switch (kind) {
        case HANDLING -> { } // on a worker: the handler's own work is never cut off
        case IDLE, LINGER -> close(false);
        default -> close(true);
      }
    }

    void close(boolean cut) {
      if (state == State.CLOSED) {
        return;
      }
      if (cut) {
        cutOff.incrementAndGet();
      }
      state = State.CLOSED;
      release();
      loop.remove(this);
      if (key != null) {
        key.cancel();
      }
      quietClose(ch);
      connections.decrementAndGet();
    }

    void release() {
      if (admitted) {
        admitted = false;
        active.decrementAndGet();
      }
    }

    void readable() throws IOException {
      if (state == State.LINGER) {
        ByteBuffer sink = ByteBuffer.wrap(buf);
        for (int i = 0; i < 16; i++) {
          sink.clear();
          int n = ch.read(sink);
          if (n < 0) {
            close(false);
            return;
          }
          if (n == 0) {
            return;
          }
        }
        return; // more next time, until the client closes or the linger time ends
      }
      if (end == buf.length) {
        if (!makeRoom()) {
          return;
        }
      }
      ByteBuffer bb = ByteBuffer.wrap(buf, end, buf.length - end);
      int n = ch.read(bb);
      if (n < 0) {
        close(state != State.HEAD || end > start); // cut mid-request: not counted as a deadline, but gone
        return;
      }
      if (n == 0) {
        return;
      }
      if (state == State.HEAD && end == start) {
        kind = Kind.HEADER; // the header deadline runs from a request's first byte
        deadline = System.nanoTime() + limits.headerNanos;
      }
      end += n;
      advance();
    }

    /** Compacts or grows the buffer; false when the head is too large (answered). */
    boolean makeRoom() throws IOException {
      if (start > 0) {
        System.arraycopy(buf, start, buf, 0, end - start);
        end -= start;
        scanned = Math.max(0, scanned - start);
        start = 0;
        if (end < buf.length) {
          return true;
        }
      }
      if (buf.length >= MAX_HEAD_BYTES + MAX_CHUNK_LINE) {
        if (state == State.HEAD) {
          reject(431, "The request head is over " + MAX_HEAD_BYTES + " bytes; send fewer or shorter headers.");
        } else {
          reject(400, "A chunk-size line or the trailers are too long.");
        }
        return false;
      }
      buf = Arrays.copyOf(buf, Math.min(buf.length * 2, MAX_HEAD_BYTES + MAX_CHUNK_LINE));
      return true;
    }

    /** Parses and handles what the buffer holds, as far as it goes. */
    void advance() throws IOException {
      while (state != State.CLOSED && state != State.WRITING && state != State.LINGER) {
        boolean progressed = switch (state) {
          case HEAD -> head();
          case BODY -> body();
          case CHUNK_SIZE -> chunkSize();
          case CHUNK_DATA -> chunkData();
          case CHUNK_CRLF -> chunkCrlf();
          case TRAILERS -> trailers();
          default -> false;
        };
        if (!progressed) {
          break;
        }
      }
      if (state != State.CLOSED && state != State.WRITING && state != State.LINGER && end - start == 0) {
        start = 0;
        end = 0;
        scanned = 0;
      }
    }

    // ------------------------------------------------------------------------------------ head

    boolean head() throws IOException {
      // skip empty lines before a request line (RFC 9112 2.2)
      while (start < end && (buf[start] == '\r' || buf[start] == '\n')) {
        start++;
      }
      if (start == end) {
        start = 0;
        end = 0;
        scanned = 0;
        return false;
      }
      int from = Math.max(start, scanned);
      int headEnd = -1;
      for (int i = from; i < end; i++) {
        if (buf[i] == '\n' && i > start
            && (buf[i - 1] == '\n' || (buf[i - 1] == '\r' && i - 2 >= start && buf[i - 2] == '\n'))) {
          headEnd = i + 1;
          break;
        }
      }
      if (headEnd < 0) {
        scanned = end;
        if (end - start > MAX_HEAD_BYTES) {
          reject(431, "The request head is over " + MAX_HEAD_BYTES + " bytes; send fewer or shorter headers.");
        }
        return false;
      }
      if (headEnd - start > MAX_HEAD_BYTES) {
        reject(431, "The request head is over " + MAX_HEAD_BYTES + " bytes; send fewer or shorter headers.");
        return false;
      }
      String bad = parseHead(start, headEnd);
      start = headEnd;
      scanned = start;
      if (bad != null) {
        reject(bad.startsWith("431") ? 431 : 400, bad.substring(4));
        return false;
      }
      return afterHead();
    }

    /** Parses request line and headers; null or "400 why" / "431 why". */
    String parseHead(int from, int to) {
      names.clear();
      values.clear();
      int lineEnd = lineEnd(from, to);
      int sp1 = indexOf(' ', from, lineEnd);
      int sp2 = sp1 < 0 ? -1 : indexOf(' ', sp1 + 1, lineEnd);
      if (sp1 <= from || sp2 <= sp1 + 1 || indexOf(' ', sp2 + 1, lineEnd) >= 0) {
        return "400 The request line is malformed; send METHOD /path HTTP/1.1.";
      }
      for (int i = from; i < sp1; i++) {
        int b = buf[i];
        if (b < 0 || !TCHAR[b]) {
          return "400 The request method is malformed.";
        }
      }
      for (int i = sp1 + 1; i < sp2; i++) {
        int b = buf[i] & 0xff;
        if (b <= ' ' || b >= 0x7f) {
          return "400 The request target holds a character that is not allowed; percent-encode it.";
        }
      }
      method = method(from, sp1);
      target = new String(buf, sp1 + 1, sp2 - sp1 - 1, StandardCharsets.ISO_8859_1);
      if (eq(sp2 + 1, lineEnd, "HTTP/1.1")) {
        http10 = false;
      } else if (eq(sp2 + 1, lineEnd, "HTTP/1.0")) {
        http10 = true;
      } else {
        return "400 The request line's version must be HTTP/1.1 or HTTP/1.0.";
      }
      int p = nextLine(lineEnd, to);
      while (p < to) {
        int e = lineEnd(p, to);
        if (e == p) {
          break; // the empty line ending the head
        }
        if (buf[p] == ' ' || buf[p] == '\t') {
          return "400 A header line is folded (starts with whitespace); send each header on one line.";
        }
        if (names.size() == MAX_HEADERS) {
          return "431 The request has more than " + MAX_HEADERS + " header lines.";
        }
        int colon = indexOf(':', p, e);
        if (colon <= p) {
          return "400 A header line has no name or no ':'.";
        }
        for (int i = p; i < colon; i++) {
          int b = buf[i];
          if (b < 0 || !TCHAR[b]) {
            return "400 A header name holds a character that is not allowed.";
          }
        }
        int vs = colon + 1;
        int ve = e;
        while (vs < ve && (buf[vs] == ' ' || buf[vs] == '\t')) {
          vs++;
        }
        while (ve > vs && (buf[ve - 1] == ' ' || buf[ve - 1] == '\t')) {
          ve--;
        }
        for (int i = vs; i < ve; i++) {
          int b = buf[i] & 0xff;
          if ((b < ' ' && b != '\t') || b == 0x7f) {
            return "400 A header value holds a control character.";
          }
        }
        names.add(new String(buf, p, colon - p, StandardCharsets.ISO_8859_1));
        values.add(new String(buf, vs, ve - vs, StandardCharsets.ISO_8859_1));
        p = nextLine(e, to);
      }
      return null;
    }

    /** Index of the line's end (its CR or LF). */
    int lineEnd(int from, int to) {
      for (int i = from; i < to; i++) {
        if (buf[i] == '\n') {
          return i > from && buf[i - 1] == '\r' ? i - 1 : i;
        }
      }
      return to;
    }

    int nextLine(int lineEnd, int to) {
      int i = lineEnd;
      if (i < to && buf[i] == '\r') {
        i++;
      }
      return i < to && buf[i] == '\n' ? i + 1 : to;
    }

    int indexOf(char c, int from, int to) {
      for (int i = from; i < to; i++) {
        if (buf[i] == c) {
          return i;
        }
      }
      return -1;
    }

    boolean eq(int from, int to, String s) {
      if (to - from != s.length()) {
        return false;
      }
      for (int i = 0; i < s.length(); i++) {
        if (buf[from + i] != s.charAt(i)) {
          return false;
        }
      }
      return true;
    }

    String method(int from, int to) {
      for (String m : COMMON_METHODS) {
        if (eq(from, to, m)) {
          return m;
        }
      }
      return new String(buf, from, to - from, StandardCharsets.ISO_8859_1);
    }

    /** Decides framing, admission and keep-alive after a parsed head. */
    boolean afterHead() throws IOException {
      boolean te = false;
      boolean cl = false;
      String teValue = null;
      long length = -1;
      boolean badLength = false;
      boolean closeToken = false;
      boolean keepAliveToken = false;
      boolean expectContinue = false;
      for (int i = 0; i < names.size(); i++) {
        String n = names.get(i);
        String v = values.get(i);
        if (n.equalsIgnoreCase("Content-Length")) {
          cl = true;
          long l = parseLength(v);
          if (l < 0 || (length >= 0 && l != length)) {
            badLength = true;
          }
          length = l;
        } else if (n.equalsIgnoreCase("Transfer-Encoding")) {
          te = true;
          teValue = teValue == null ? v : teValue + "," + v;
        } else if (n.equalsIgnoreCase("Connection")) {
          for (String tok : v.split(",")) {
            String t = tok.trim();
            closeToken |= t.equalsIgnoreCase("close");
            keepAliveToken |= t.equalsIgnoreCase("keep-alive");
          }
        } else if (n.equalsIgnoreCase("Expect")) {
          expectContinue = v.equalsIgnoreCase("100-continue");
        }
      }
      keepAlive = !closeToken && (!http10 || keepAliveToken);
      forceClose = false;
      body = null;
      bodyLen = 0;
      contentLength = 0;
      over = false;
      admittedAt = System.nanoTime();
      admitted = active.incrementAndGet() <= limits.maxConcurrent;
      if (!admitted) {
        active.decrementAndGet();
        over = true;
      }
      if (te && cl) { // smuggling: the handler refuses it; the body is never read, the connection closes
        forceClose = true;
        return dispatch();
      }
      if (te) {
        if (!teValue.trim().equalsIgnoreCase("chunked")) {
          release();
          reject(400, "Only Transfer-Encoding: chunked is supported; send the body chunked or with a "
              + "Content-Length.");
          return false;
        }
        if (over) {
          forceClose = true;
          return dispatch();
        }
        continueIfAsked(expectContinue);
        body = new byte[Math.min(1024, (int) Math.min(bodyCap + 1, Integer.MAX_VALUE - 8))];
        chunkLeft = 0;
        trailerBytes = 0;
        state = State.CHUNK_SIZE;
        bodyDeadline();
        return true;
      }
      if (badLength) {
        release();
        reject(400, "Content-Length is not a non-negative number, or two Content-Length headers disagree.");
        return false;
      }
      if (!cl || length == 0) {
        return dispatch();
      }
      contentLength = length;
      if (over || length > bodyCap) { // answered without reading the body (503 or 413), then closed
        forceClose = true;
        return dispatch();
      }
      continueIfAsked(expectContinue);
      body = new byte[(int) Math.min(length, 16 * 1024)];
      state = State.BODY;
      bodyDeadline();
      return true;
    }

    void bodyDeadline() {
      kind = Kind.READ;
      deadline = System.nanoTime() + limits.readNanos;
    }

    void continueIfAsked(boolean expect) throws IOException {
      if (expect && !http10 && start == end) { // nothing of the body sent yet
        ByteBuffer bb = ByteBuffer.wrap(CONTINUE);
        ch.write(bb);
        // 25 bytes into an empty socket buffer; if they do not fit, the client sends its body after a wait
      }
    }

    long parseLength(String v) {
      if (v.isEmpty() || v.length() > 18) {
        return -1;
      }
      long l = 0;
      for (int i = 0; i < v.length(); i++) {
        char c = v.charAt(i);
        if (c < '0' || c > '9') {
          return -1;
        }
        l = l * 10 + (c - '0');
      }
      return l;
    }

    // ------------------------------------------------------------------------------------ body

    boolean body() throws IOException {
      int n = (int) Math.min(end - start, contentLength - bodyLen);
      if (n > 0) {
        append(n);
      }
      if (bodyLen == contentLength) {
        return dispatch();
      }
      if (start == end) {
        start = 0;
        end = 0;
        scanned = 0;
      }
      return false;
    }

    void append(int n) {
      if (bodyLen + n > body.length) {
        long most = contentLength > 0 ? contentLength : bodyCap + 1;
        body = Arrays.copyOf(body, (int) Math.min(Math.max((long) body.length * 2, bodyLen + (long) n), most));
      }
      System.arraycopy(buf, start, body, bodyLen, n);
      bodyLen += n;
      start += n;
    }

    boolean chunkSize() throws IOException {
      int e = indexOf('\n', start, end);
      if (e < 0) {
        if (end - start > MAX_CHUNK_LINE) {
          reject(400, "A chunk-size line is over " + MAX_CHUNK_LINE + " bytes.");
        }
        return false;
      }
      long size = 0;
      int digits = 0;
      int i = start;
      for (; i < e; i++) {
        int d = Character.digit(buf[i], 16);
        if (d < 0) {
          break;
        }
        if (++digits > 15) {
          reject(400, "A chunk size is too large.");
          return false;
        }
        size = size * 16 + d;
      }
      if (digits == 0 || (i < e && buf[i] != ';' && buf[i] != ' ' && buf[i] != '\t' && buf[i] != '\r')) {
        reject(400, "A chunk-size line is malformed; send the size in hex, then CRLF.");
        return false;
      }
      start = e + 1;
      if (size == 0) {
        state = State.TRAILERS;
        return true;
      }
      chunkLeft = size;
      state = State.CHUNK_DATA;
      return true;
    }

    boolean chunkData() throws IOException {
      long room = bodyCap + 1 - bodyLen;
      int n = (int) Math.min(Math.min(end - start, chunkLeft), room);
      if (n > 0) {
        append(n);
        chunkLeft -= n;
      }
      if (bodyLen > bodyCap) { // one byte over the cap: the handler answers 413; the rest is never read
        forceClose = true;
        return dispatch();
      }
      if (chunkLeft == 0) {
        state = State.CHUNK_CRLF;
        return true;
      }
      if (start == end) {
        start = 0;
        end = 0;
      }
      return false;
    }

    boolean chunkCrlf() throws IOException {
      if (start < end && buf[start] == '\r') {
        if (end - start < 2) {
          return false;
        }
        start++;
      }
      if (start == end) {
        return false;
      }
      if (buf[start] != '\n') {
        reject(400, "A chunk's data is not followed by CRLF.");
        return false;
      }
      start++;
      state = State.CHUNK_SIZE;
      return true;
    }

    boolean trailers() throws IOException {
      for (;;) {
        int e = indexOf('\n', start, end);
        if (e < 0) {
          if (trailerBytes + end - start > MAX_HEAD_BYTES) {
            reject(431, "The trailers are over " + MAX_HEAD_BYTES + " bytes.");
          }
          return false;
        }
        int len = e + 1 - start;
        trailerBytes += len;
        if (trailerBytes > MAX_HEAD_BYTES) {
          reject(431, "The trailers are over " + MAX_HEAD_BYTES + " bytes.");
          return false;
        }
        boolean empty = len == 1 || (len == 2 && buf[start] == '\r');
        start = e + 1;
        if (empty) {
          contentLength = bodyLen;
          return dispatch();
        }
      }
    }

    // -------------------------------------------------------------------------------- handling

    /** Hands the request to the handler on this loop, then writes the answer; true to go on parsing. */
    boolean dispatch() throws IOException {
      state = State.HANDLING;
      Ex ex = new Ex(this);
      if (workers != null && blocks(ex)) {
        ex.offloaded = true;
        kind = Kind.HANDLING;
        key.interestOps(0); // nothing more is read from this connection until it is answered
        try {
          workers.execute(() -> {
            Throwable failure = null;
            try {
              handler.handle(ex);
            } catch (Throwable e) {
              failure = e;
            }
            Throwable f = failure;
            loop.post(() -> offloaded(ex, f));
          });
        } catch (RuntimeException e) { // rejected: the executor is shut down
          close(false);
        }
        return false;
      }
      try {
        handler.handle(ex);
      } catch (Throwable e) { // the handler's failure closes this connection only; the loop goes on
        if (!(e instanceof IOException)) {
          LOG.warn("HTTP handler failed; connection closed", e);
        }
        close(false);
        return false;
      }
      ex.done = true;
      if (!ex.responded) {
        close(false);
        return false;
      }
      body = null;
      names.clear();
      values.clear();
      return flush();
    }

    boolean blocks(Ex ex) {
      try {
        return handler.blocks(ex);
      } catch (RuntimeException e) {
        return true;
      }
    }

    /** Back on the loop after a worker handled the request: writes its answer and goes on. */
    void offloaded(Ex ex, Throwable failure) {
      ex.done = true;
      if (state == State.CLOSED) {
        return;
      }
      if (failure != null || ex.answer == null) {
        if (failure != null && !(failure instanceof IOException)) {
          LOG.warn("HTTP handler failed; connection closed", failure);
        }
        close(false);
        return;
      }
      release();
      closeAfterWrite = ex.closeAfter;
      pending = ex.answer;
      body = null;
      names.clear();
      values.clear();
      try {
        key.interestOps(SelectionKey.OP_READ);
        if (flush()) {
          advance();
        }
      } catch (IOException | RuntimeException e) {
        close(false);
      }
    }

    /** Writes what is pending; true when all of it is out and the connection reads the next request. */
    boolean flush() throws IOException {
      while (pending.hasRemaining()) {
        if (ch.write(pending) == 0) {
          state = State.WRITING;
          kind = Kind.WRITE;
          deadline = System.nanoTime() + limits.readNanos;
          key.interestOps(SelectionKey.OP_WRITE);
          return false;
        }
      }
      pending = null;
      if (closeAfterWrite) {
        linger();
        return false;
      }
      state = State.HEAD;
      if (start < end) {
        kind = Kind.HEADER;
        deadline = System.nanoTime() + limits.headerNanos;
        return true;
      }
      if (buf.length > INITIAL_BUFFER) {
        buf = new byte[INITIAL_BUFFER]; // a large head once does not keep its buffer on an idle connection
        start = 0;
        end = 0;
        scanned = 0;
      }
      idle(System.nanoTime());
      return false;
    }

    void writable() throws IOException {
      if (state != State.WRITING) {
        return;
      }
      if (flush()) {
        key.interestOps(SelectionKey.OP_READ);
        advance();
      } else if (state != State.WRITING && state != State.CLOSED) {
        key.interestOps(SelectionKey.OP_READ);
        if (state == State.HEAD) {
          advance();
        }
      }
    }

    /** Half-closes after the last answer and drains what the client still sends, so that it reads the answer. */
    void linger() {
      try {
        ch.shutdownOutput();
      } catch (IOException e) {
        close(false);
        return;
      }
      state = State.LINGER;
      kind = Kind.LINGER;
      deadline = System.nanoTime() + Math.min(limits.readNanos, TimeUnit.SECONDS.toNanos(2));
      start = 0;
      end = 0;
      key.interestOps(SelectionKey.OP_READ);
    }

    /** Answers a request the transport cannot hand over (JSON error, Connection: close). */
    void reject(int status, String message) throws IOException {
      release();
      byte[] json = ("{\"error_code\":\"" + (status == 431 ? "RESOURCE_LIMIT_EXCEEDED" : "BAD_REQUEST")
          + "\",\"message\":\"" + message.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}")
          .getBytes(StandardCharsets.UTF_8);
      encode(status, Map.of("Content-Type", "application/json"), json, true, false);
      state = State.HANDLING;
      flush();
    }

    /** Encodes the answer into the loop's buffer and writes it (on the loop). */
    void encode(int status, Map<String, String> headers, byte[] content, boolean close, boolean head)
        throws IOException {
      closeAfterWrite = close || forceClose || !keepAlive;
      byte[] o = loop.out(size(headers, content, head));
      int p = render(o, status, headers, content, head, closeAfterWrite);
      ByteBuffer bb = ByteBuffer.wrap(o, 0, p);
      ch.write(bb); // the common case: all of it, in one write
      if (bb.hasRemaining()) {
        pending = ByteBuffer.wrap(Arrays.copyOfRange(o, bb.position(), p));
      } else {
        pending = ByteBuffer.wrap(o, p, 0);
      }
    }

    int size(Map<String, String> headers, byte[] content, boolean head) {
      int size = 128 + (head ? 0 : content.length);
      for (Map.Entry<String, String> h : headers.entrySet()) {
        size += h.getKey().length() + h.getValue().length() + 4;
      }
      return size;
    }

    /** Status line, headers and body into {@code o}; returns the length. */
    int render(byte[] o, int status, Map<String, String> headers, byte[] content, boolean head, boolean close)
        throws IOException {
      byte[] date = date();
      int p = put(o, 0, "HTTP/1.1 ");
      p = putInt(o, p, status);
      o[p++] = ' ';
      p = put(o, p, reason(status));
      p = put(o, p, "\r\nDate: ");
      System.arraycopy(date, 0, o, p, date.length);
      p += date.length;
      for (Map.Entry<String, String> h : headers.entrySet()) {
        String k = h.getKey();
        if (k.equalsIgnoreCase("Content-Length") || k.equalsIgnoreCase("Connection")
            || k.equalsIgnoreCase("Transfer-Encoding") || k.equalsIgnoreCase("Date")) {
          continue; // the transport's own
        }
        p = put(o, p, "\r\n");
        p = putHeader(o, p, k);
        o[p++] = ':';
        o[p++] = ' ';
        p = putHeader(o, p, h.getValue());
      }
      p = put(o, p, "\r\nContent-Length: ");
      p = putInt(o, p, head ? 0 : content.length);
      if (close) {
        p = put(o, p, "\r\nConnection: close");
      } else if (http10) {
        p = put(o, p, "\r\nConnection: keep-alive");
      }
      p = put(o, p, "\r\n\r\n");
      if (!head) {
        System.arraycopy(content, 0, o, p, content.length);
        p += content.length;
      }
      return p;
    }
  }

  private static int put(byte[] o, int p, String s) {
    for (int i = 0; i < s.length(); i++) {
      o[p++] = (byte) s.charAt(i);
    }
    return p;
  }

  private static int putHeader(byte[] o, int p, String s) throws IOException {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if ((c < ' ' && c != '\t') || c > 0xff || c == 0x7f) {
        throw Errors.badResponseHeader(s);
      }
      o[p++] = (byte) c;
    }
    return p;
  }

  private static int putInt(byte[] o, int p, int v) {
    String s = Integer.toString(v);
    return put(o, p, s);
  }

  static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 413 -> "Content Too Large";
      case 415 -> "Unsupported Media Type";
      case 431 -> "Request Header Fields Too Large";
      case 500 -> "Internal Server Error";
      case 503 -> "Service Unavailable";
      default -> "Status";
    };
  }

  /** One exchange on a connection; valid only while its handler runs (on the loop). */
  private final class Ex implements Exchange {
    final Conn c;
    boolean responded;
    volatile boolean done;
    boolean offloaded;
    ByteBuffer answer;
    boolean closeAfter;
    private String path;

    Ex(Conn c) {
      this.c = c;
    }

    @Override
    public String method() {
      return c.method;
    }

    @Override
    public String path() {
      if (path == null) {
        String t = c.target;
        if (t.startsWith("/") && t.indexOf('%') < 0 && t.indexOf('?') < 0 && t.indexOf('#') < 0) {
          path = t;
        } else {
          try {
            String p = new URI(t).getPath();
            path = p == null ? "" : p;
          } catch (URISyntaxException e) {
            path = ""; // no route answers it: 404
          }
        }
      }
      return path;
    }

    @Override
    public Optional<String> header(String name) {
      for (int i = 0; i < c.names.size(); i++) {
        if (c.names.get(i).equalsIgnoreCase(name)) {
          return Optional.of(c.values.get(i));
        }
      }
      return Optional.empty();
    }

    @Override
    public List<String> headers(String name) {
      List<String> out = null;
      for (int i = 0; i < c.names.size(); i++) {
        if (c.names.get(i).equalsIgnoreCase(name)) {
          if (out == null) {
            out = new ArrayList<>(2);
          }
          out.add(c.values.get(i));
        }
      }
      return out == null ? List.of() : out;
    }

    @Override
    public InputStream body() {
      return c.body == null ? InputStream.nullInputStream() : new ByteArrayInputStream(c.body, 0, c.bodyLen);
    }

    @Override
    public InetSocketAddress remote() {
      if (c.remote == null) {
        try {
          c.remote = (InetSocketAddress) c.ch.getRemoteAddress();
        } catch (IOException e) {
          return null;
        }
      }
      return c.remote;
    }

    @Override
    public String remoteHost() {
      if (c.remoteHost == null) {
        InetSocketAddress a = remote();
        if (a == null) {
          return "";
        }
        c.remoteHost = a.getAddress().getHostAddress();
      }
      return c.remoteHost;
    }

    @Override
    public boolean overCapacity() {
      return c.over;
    }

    @Override
    public long admittedNanos() {
      return c.admittedAt;
    }

    @Override
    public void answerReady() {
      if (!done && !offloaded) {
        c.release(); // on a worker the loop gives the slot back when it takes the answer
      }
    }

    @Override
    public void respond(int status, Map<String, String> headers, byte[] body, boolean close) throws IOException {
      if (done || responded) {
        throw Errors.answeredTwice();
      }
      responded = true;
      boolean head = c.method.equals("HEAD");
      if (offloaded) { // on a worker thread: rendered here, written by the loop
        closeAfter = close || c.forceClose || !c.keepAlive;
        byte[] o = new byte[c.size(headers, body, head)];
        answer = ByteBuffer.wrap(o, 0, c.render(o, status, headers, body, head, closeAfter));
        return;
      }
      c.release();
      c.encode(status, headers, body, close, head);
    }
  }
}
