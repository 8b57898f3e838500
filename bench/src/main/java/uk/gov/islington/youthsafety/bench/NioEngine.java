package uk.gov.islington.youthsafety.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * The load generator's engine: plain java.nio on one thread, HTTP/1.1 keep-alive, no pipelining.
 *
 * <p><b>Open loop</b> ({@code rate > 0}): one schedule for the whole run, request k intended at
 * {@code start + k / rate}, each due request handed to an idle connection, or, when all {@code
 * connections} are busy, queued (FIFO) for the next connection to finish. Latency is measured from
 * the <b>intended</b> send time, so a stalled server is charged for every request that waited
 * behind it (no coordinated omission).
 *
 * <p>Why one shared schedule rather than wrk2's per-connection schedules (rate/C each): arrivals
 * are evenly spaced whatever C is; a request waits only when every connection is busy (as with a
 * client's connection pool, and as the previous Vert.x client did), not behind one slow answer on
 * "its" connection while others sit idle. The pool stays at C connections: no connection is opened
 * under load, so connection set-up never lands in the figures (a connection the server closes is
 * reopened, and requests wait for it meanwhile).
 *
 * <p>Waiting, without ever spinning: with nothing in flight the thread sleeps ({@code parkNanos})
 * until the next send; with answers awaited it waits in {@code select}, which an answer ends at
 * once but whose own timeout is in whole milliseconds, so a send falling due meanwhile goes out
 * with the next answer (or at the latest about 1 ms late; latency still counts from the intended
 * time, and the lateness is reported as {@code sendLag}). Sleeps overshoot (on the shared machine
 * by ~0.1 ms), so the engine aims early by its running overshoot (at most {@link #MAX_LEAD_NANOS},
 * and at most half the interval when it is already awake): a request sent early is timed from its
 * actual send, one sent late from its intended time, so neither way is a latency understated. On
 * the shared virtual machine every wake-up of a sleeping thread costs ~40-80 µs of CPU, so one
 * thread does everything (a due send goes out with the wake-up of an answer when it can) and the
 * cost per request is mostly its wake-ups; {@code tickNanos} trades precision for fewer.
 *
 * <p><b>Closed loop</b> ({@code rate == 0}): each connection sends its next request as soon as the
 * previous answer is complete, timed from the actual send.
 *
 * <p>Requests intended (closed loop: sent) during the warm-up are sent but not recorded. The
 * process's CPU time over the measured phase (from its start until the last measured answer) is
 * returned beside the figures.
 */
final class NioEngine {

  /** How early the engine may aim to make up for its sleeps overshooting. */
  static final long MAX_LEAD_NANOS = Long.getLong("loadgen.maxLeadMicros", 250) * 1000;

  /** After the schedule ends, how long answers are awaited before the rest count as errors. */
  static final long DRAIN_NANOS =
      TimeUnit.SECONDS.toNanos(Long.getLong("loadgen.drainSeconds", 30));

  private static final long RECONNECT_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  /** {@code -Dloadgen.debug=true}: the engine thread's CPU and wake-ups per request, on stderr. */
  private static final boolean DEBUG = Boolean.getBoolean("loadgen.debug");

  /**
   * @param tickNanos 0: wake for every answer and every due send (most precise); otherwise wake at
   *     most once per tick (cheaper: answers are read, and due requests sent, once per tick, so a
   *     latency may be overstated by up to a tick, never understated)
   */
  record Settings(
      InetSocketAddress address,
      RequestTemplate requests,
      int connections,
      double rate,
      long warmupNanos,
      long durationNanos,
      int expect,
      long tickNanos) {}

  /**
   * @param latency microseconds, from the intended send time (open loop) or the send (closed loop)
   * @param sendLag microseconds by which sends came after their intended time (open loop; else
   *     null): the client's own lateness plus any wait for a free connection
   * @param cpuNanos the process's CPU time (all threads: engine, JIT, GC) over the measured phase
   */
  record Result(
      long requests,
      long errors,
      double rps,
      Histogram latency,
      Histogram sendLag,
      long cpuNanos) {}

  private static final int CONNECTING = 0;
  private static final int IDLE = 1;
  private static final int BUSY = 2;
  private static final int DEAD = 3;

  private static final class Conn {
    SocketChannel channel;
    SelectionKey key;
    int state = DEAD;
    long intended;
    long sentAt;
    long retryAt;
    final ResponseParser parser = new ResponseParser();
    final ByteBuffer out;

    Conn(int capacity) {
      out = ByteBuffer.allocateDirect(capacity);
    }
  }

  private final Settings settings;
  private final RequestTemplate requests;
  private final boolean openLoop;
  private final double interval;
  private final Selector selector;
  private final Conn[] conns;

  /** Connected connections with nothing in flight, longest idle first. */
  private final ArrayDeque<Conn> idle = new ArrayDeque<>();

  /** Intended times waiting for a connection. */
  private final LongQueue backlog = new LongQueue();

  private final List<Conn> retries = new ArrayList<>();
  private final Histogram latency = new Histogram(3);
  private final Histogram sendLag = new Histogram(3);
  private final ByteBuffer in = ByteBuffer.allocate(64 * 1024);
  private final Consumer<SelectionKey> onKey = this::ready;
  private long start;
  private long measureStart;
  private long end;

  /** When {@link #run(Settings, CompletionStage)}'s stop came (System.nanoTime), if it has. */
  private volatile long stopAt = Long.MAX_VALUE;

  private long sequence;
  private long ok;
  private long errors;
  private long lastDone;

  /** The next request of the schedule. */
  private long k;

  private boolean scheduleDone;
  private long lead;
  private long lastWake;
  private int busy;
  private int connecting;
  private long wakes;
  private long engineCpu0;
  private long engineCpu1;
  private long wakes0;
  private volatile long measuring;

  private NioEngine(Settings settings) throws IOException {
    this.settings = settings;
    this.requests = settings.requests();
    this.openLoop = settings.rate() > 0;
    this.interval = openLoop ? 1e9 / settings.rate() : 0;
    if (settings.connections() < 1) {
      throw new IllegalArgumentException("connections must be at least 1");
    }
    this.selector = Selector.open();
    this.conns = new Conn[settings.connections()];
    for (int i = 0; i < conns.length; i++) {
      conns[i] = new Conn(requests.maxLength());
    }
  }

  static Result run(Settings settings) throws IOException, InterruptedException {
    return run(settings, new CompletableFuture<>());
  }

  /**
   * Open loop, whose schedule also ends when {@code stop} completes: for a phase whose length is
   * not known beforehand (e.g. "while a bulletin is being sent"); the duration is then an upper
   * bound.
   */
  static Result run(Settings settings, CompletionStage<?> stop)
      throws IOException, InterruptedException {
    NioEngine engine = new NioEngine(settings);
    stop.whenComplete((v, e) -> engine.stopAt = System.nanoTime());
    try {
      return engine.go();
    } finally {
      engine.closeAll();
    }
  }

  private Result go() throws IOException, InterruptedException {
    for (Conn c : conns) {
      SocketChannel ch = SocketChannel.open();
      ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
      ch.connect(settings.address()); // blocking: fail at once if nothing listens
      ch.configureBlocking(false);
      c.channel = ch;
      c.key = ch.register(selector, SelectionKey.OP_READ, c);
      c.state = IDLE;
      idle.addLast(c);
    }
    start = System.nanoTime();
    measureStart = start + settings.warmupNanos();
    end = measureStart + settings.durationNanos();
    lastDone = measureStart;
    Throwable[] failure = new Throwable[1];
    Thread thread = new Thread(this::loop, "loadgen");
    thread.setUncaughtExceptionHandler((t, e) -> failure[0] = e);
    thread.start();
    long wait = measureStart - System.nanoTime();
    if (wait > 0) {
      TimeUnit.NANOSECONDS.sleep(wait);
    }
    long cpu0 = processCpuNanos();
    measuring = 1;
    thread.join();
    long cpu1 = processCpuNanos();
    if (failure[0] != null) {
      throw new IllegalStateException("load generator failed", failure[0]);
    }
    long n = ok + errors;
    if (DEBUG) {
      System.err.printf(
          Locale.ROOT,
          "loadgen thread: %.1f us CPU and %.2f wake-ups per request; process %.1f us%n",
          (engineCpu1 - engineCpu0) / 1e3 / Math.max(1, n),
          (wakes - wakes0) / (double) Math.max(1, n),
          (cpu1 - cpu0) / 1e3 / Math.max(1, n));
    }
    double seconds = Math.max(1, lastDone - measureStart) / 1e9;
    return new Result(n, errors, n / seconds, latency, openLoop ? sendLag : null, cpu1 - cpu0);
  }

  static long processCpuNanos() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return sun.getProcessCpuTime();
    }
    return -1;
  }

  private static long threadCpuNanos() {
    return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
  }

  // ---- the engine thread

  private void loop() {
    try {
      if (!openLoop) {
        idle.clear();
        long now = System.nanoTime();
        for (Conn c : conns) {
          next(c, now);
        }
      }
      boolean counting = false;
      while (true) {
        long now = System.nanoTime();
        if (DEBUG && !counting && measuring != 0) {
          counting = true;
          engineCpu0 = threadCpuNanos();
          wakes0 = wakes;
        }
        retry(now);
        if (openLoop) {
          dispatchDue(now);
        }
        if (finished(now)) {
          break;
        }
        await(now);
      }
      if (DEBUG) {
        engineCpu1 = threadCpuNanos();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Sends every request of the schedule due by now (or by now plus a little, see the class
   * comment).
   */
  /** How early a request may go out: the sleeps' running overshoot, at most half the interval. */
  private long early() {
    return Math.max(Math.min(lead, (long) (interval / 2)), settings.tickNanos() / 2);
  }

  private void dispatchDue(long now) {
    long early = early();
    while (!scheduleDone) {
      long intended = start + (long) (k * interval);
      if (intended >= end || intended >= stopAt) {
        scheduleDone = true;
        break;
      }
      if (intended > now + early) {
        break;
      }
      k++;
      Conn c = idle.pollFirst();
      if (c == null) {
        backlog.add(intended);
      } else {
        c.intended = intended;
        setState(c, BUSY);
        sendOrFail(c);
      }
    }
  }

  private void await(long now) throws IOException {
    wakes++;
    if (settings.tickNanos() > 0) {
      tick(now);
      return;
    }
    if (openLoop && !scheduleDone) {
      long target = start + (long) (k * interval) - early();
      if (busy == 0 && connecting == 0 && retries.isEmpty()) {
        // nothing can arrive (but a server closing an idle connection): sleep to the next send
        if (target > now) {
          LockSupport.parkNanos(target - now);
          long late = System.nanoTime() - target;
          if (late >= 0) {
            lead += (Math.min(late, MAX_LEAD_NANOS) - lead) / 8;
          }
        }
        selector.selectNow(onKey);
      } else {
        selector.select(onKey, Math.max(1, (target - now) / 1_000_000));
      }
    } else if (!openLoop && now < end) {
      selector.select(onKey, Math.max(1, (end - now) / 1_000_000 + 1));
    } else {
      selector.select(onKey, 10); // draining, or reconnecting
    }
  }

  /** Wakes once per tick at most: at the next tick with answers awaited, else at the next send. */
  private void tick(long now) throws IOException {
    long wakeAt = lastWake + settings.tickNanos();
    if (busy == 0 && connecting == 0 && retries.isEmpty()) {
      long next = openLoop ? (scheduleDone ? now : start + (long) (k * interval) - early()) : end;
      wakeAt = Math.max(wakeAt, next);
    }
    if (wakeAt > now) {
      LockSupport.parkNanos(wakeAt - now);
    }
    lastWake = System.nanoTime();
    selector.selectNow(onKey);
  }

  private boolean finished(long now) {
    if (openLoop ? !scheduleDone : now < end) {
      return false;
    }
    if (busy == 0 && backlog.isEmpty()) {
      return true;
    }
    if (now - end < DRAIN_NANOS) {
      return false;
    }
    // gave up waiting: what is still in flight or queued failed, timed until now
    for (Conn c : conns) {
      if (c.state == BUSY && measured(c.intended)) {
        fail(c.intended, c.sentAt, now);
      }
    }
    while (!backlog.isEmpty()) {
      long intended = backlog.poll();
      if (measured(intended)) {
        fail(intended, intended, now);
      }
    }
    return true;
  }

  private boolean measured(long intended) {
    return intended >= measureStart && intended < end;
  }

  private void setState(Conn c, int state) {
    if (c.state == BUSY) {
      busy--;
    } else if (c.state == CONNECTING) {
      connecting--;
    }
    if (state == BUSY) {
      busy++;
    } else if (state == CONNECTING) {
      connecting++;
    }
    c.state = state;
  }

  /** Writes the next request on {@code c}, which is BUSY with {@code c.intended} set. */
  private void send(Conn c) throws IOException {
    long now = System.nanoTime();
    if (openLoop && measured(c.intended)) {
      sendLag.recordValue(Math.max(0, now - c.intended) / 1000);
    }
    c.parser.reset(requests.head());
    ByteBuffer out = c.out;
    out.clear();
    requests.put(sequence++, out);
    out.flip();
    c.sentAt = now;
    c.channel.write(out);
    if (out.hasRemaining()) { // rare: a request larger than the socket's buffer
      c.key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
    }
  }

  private void sendOrFail(Conn c) {
    try {
      send(c);
    } catch (IOException e) {
      failed(c);
    }
  }

  /**
   * From the intended time, or from the actual send when that came first (see the class comment).
   */
  private void record(long intended, long sentAt, long now) {
    latency.recordValue(Math.max(1, (now - Math.min(intended, sentAt)) / 1000));
  }

  private void fail(long intended, long sentAt, long now) {
    record(intended, sentAt, now);
    errors++;
    lastDone = now;
  }

  private void ready(SelectionKey key) {
    Conn c = (Conn) key.attachment();
    if (c.key != key) {
      return; // a closed channel's key
    }
    int ops = key.readyOps();
    if ((ops & SelectionKey.OP_CONNECT) != 0) {
      try {
        c.channel.finishConnect();
        key.interestOps(SelectionKey.OP_READ);
      } catch (IOException e) {
        cannotConnect(c, System.nanoTime());
        return;
      }
      next(c, System.nanoTime());
      return;
    }
    try {
      if ((ops & SelectionKey.OP_WRITE) != 0) {
        c.channel.write(c.out);
        if (!c.out.hasRemaining()) {
          key.interestOps(SelectionKey.OP_READ);
        }
      }
      if ((ops & SelectionKey.OP_READ) != 0) {
        read(c);
      }
    } catch (IOException e) {
      failed(c);
    }
  }

  private void read(Conn c) throws IOException {
    in.clear();
    int n = c.channel.read(in);
    if (n == 0) {
      return;
    }
    if (n < 0) {
      if (c.state == BUSY && c.parser.endOfInput()) {
        responded(c, System.nanoTime(), true);
      } else {
        failed(c); // closed while idle, or before the answer was complete
      }
      return;
    }
    if (c.state != BUSY) {
      throw new ResponseParser.MalformedResponse(
          "bytes from the server with no request outstanding");
    }
    int used = c.parser.feed(in.array(), 0, n);
    if (c.parser.complete()) {
      if (used < n) {
        throw new ResponseParser.MalformedResponse("bytes after the end of the response");
      }
      responded(c, System.nanoTime(), c.parser.closeAfter());
    }
  }

  private void responded(Conn c, long now, boolean close) {
    if (measured(c.intended)) {
      record(c.intended, c.sentAt, now);
      int status = c.parser.status();
      int expect = settings.expect();
      if (expect > 0 ? status == expect : status < 300 || status == 304) {
        ok++;
      } else {
        errors++;
      }
      lastDone = now;
    }
    if (close) {
      setState(c, DEAD);
      reopen(c, now);
    } else {
      next(c, now);
    }
  }

  /** The request in flight on {@code c} (if any) failed; the connection is reopened. */
  private void failed(Conn c) {
    long now = System.nanoTime();
    if (c.state == BUSY && measured(c.intended)) {
      fail(c.intended, c.sentAt, now);
    }
    setState(c, DEAD);
    reopen(c, now);
  }

  /** Gives {@code c} (connected, nothing in flight) its next request, or puts it back as idle. */
  private void next(Conn c, long now) {
    if (openLoop ? backlog.isEmpty() : now >= end) {
      setState(c, IDLE);
      if (openLoop) {
        idle.addLast(c);
      }
      return;
    }
    c.intended = openLoop ? backlog.poll() : now;
    setState(c, BUSY);
    sendOrFail(c);
  }

  /** Closes {@code c}'s channel (nothing in flight on it any more) and opens a new one. */
  private void reopen(Conn c, long now) {
    idle.remove(c);
    closeQuietly(c);
    boolean connected;
    try {
      SocketChannel ch = SocketChannel.open();
      c.channel = ch;
      ch.configureBlocking(false);
      ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
      connected = ch.connect(settings.address());
      c.key = ch.register(selector, connected ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT, c);
    } catch (IOException e) {
      cannotConnect(c, now);
      return;
    }
    if (connected) {
      next(c, now);
    } else {
      setState(c, CONNECTING);
    }
  }

  /**
   * A queued request fails now (as it would for a client that must connect first), and the
   * connection is tried again shortly.
   */
  private void cannotConnect(Conn c, long now) {
    closeQuietly(c);
    setState(c, DEAD);
    if (!backlog.isEmpty()) {
      long intended = backlog.poll();
      if (measured(intended)) {
        fail(intended, intended, now);
      }
    }
    c.retryAt = now + RECONNECT_DELAY_NANOS;
    retries.add(c);
  }

  private void retry(long now) {
    for (int i = retries.size() - 1; i >= 0; i--) {
      Conn c = retries.get(i);
      if (now >= c.retryAt) {
        retries.remove(i);
        reopen(c, now);
      }
    }
  }

  private static void closeQuietly(Conn c) {
    if (c.key != null) {
      c.key.cancel();
      c.key = null;
    }
    try {
      if (c.channel != null) {
        c.channel.close();
      }
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  private void closeAll() {
    for (Conn c : conns) {
      closeQuietly(c);
    }
    try {
      selector.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  /** A growable ring of longs. */
  static final class LongQueue {
    private long[] items = new long[1024];
    private int head;
    private int size;

    boolean isEmpty() {
      return size == 0;
    }

    void add(long v) {
      if (size == items.length) {
        long[] bigger = new long[items.length * 2];
        for (int i = 0; i < size; i++) {
          bigger[i] = items[(head + i) % items.length];
        }
        items = bigger;
        head = 0;
      }
      items[(head + size) % items.length] = v;
      size++;
    }

    long poll() {
      long v = items[head];
      head = (head + 1) % items.length;
      size--;
      return v;
    }
  }
}
