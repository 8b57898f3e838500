package uk.gov.islington.youthsafety.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** The engine against a small local server whose answers and pauses the test chooses. */
class NioEngineTest {

  private static final long MS = 1_000_000;

  /**
   * A blocking HTTP/1.1 server: a thread per connection, answer n (from 0, over all connections) by
   * {@code answer}.
   */
  private static final class Server implements AutoCloseable {
    final ServerSocket socket;
    final AtomicInteger count = new AtomicInteger();
    final AtomicInteger connections = new AtomicInteger();
    final List<String> requests = new CopyOnWriteArrayList<>();
    final Set<Socket> open = ConcurrentHashMap.newKeySet();

    Server(IntFunction<String> answer, IntFunction<Long> pauseMillis) throws IOException {
      socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      Thread accept =
          new Thread(
              () -> {
                try {
                  while (true) {
                    Socket s = socket.accept();
                    open.add(s);
                    connections.incrementAndGet();
                    Thread t = new Thread(() -> serve(s, answer, pauseMillis));
                    t.setDaemon(true);
                    t.start();
                  }
                } catch (IOException closed) {
                  // the test is over
                }
              });
      accept.setDaemon(true);
      accept.start();
    }

    private void serve(Socket s, IntFunction<String> answer, IntFunction<Long> pauseMillis) {
      try (s;
          InputStream in = s.getInputStream();
          OutputStream out = s.getOutputStream()) {
        while (true) {
          String request = readRequest(in);
          if (request == null) {
            return;
          }
          requests.add(request);
          int n = count.getAndIncrement();
          Thread.sleep(pauseMillis.apply(n));
          out.write(answer.apply(n).getBytes(StandardCharsets.US_ASCII));
          out.flush();
          if (answer.apply(n).contains("Connection: close")) {
            return;
          }
        }
      } catch (IOException | InterruptedException e) {
        // connection gone
      }
    }

    /** The head and body of one request, or null at the end of the connection. */
    private static String readRequest(InputStream in) throws IOException {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      int b;
      while ((b = in.read()) >= 0) {
        head.write(b);
        if (head.size() >= 4 && head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
          String h = head.toString(StandardCharsets.US_ASCII);
          Matcher m = Pattern.compile("(?i)content-length: (\\d+)").matcher(h);
          byte[] body = m.find() ? in.readNBytes(Integer.parseInt(m.group(1))) : new byte[0];
          return h + new String(body, StandardCharsets.UTF_8);
        }
      }
      return null;
    }

    InetSocketAddress address() {
      return new InetSocketAddress(socket.getInetAddress(), socket.getLocalPort());
    }

    @Override
    public void close() throws IOException {
      socket.close();
      for (Socket s : open) {
        s.close();
      }
    }
  }

  private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

  private static NioEngine.Result run(
      Server server,
      RequestTemplate requests,
      int connections,
      double rate,
      long durationMillis,
      int expect)
      throws Exception {
    return NioEngine.run(
        new NioEngine.Settings(
            server.address(), requests, connections, rate, 0, durationMillis * MS, expect, 0));
  }

  private static RequestTemplate get(String path) {
    return RequestTemplate.of("GET", "127.0.0.1", List.of(path), List.of(), null);
  }

  @Test
  void aStallIsChargedToEveryRequestQueuedBehindIt() throws Exception {
    // one connection, 100 requests/s for 1 s; the 20th answer (intended at 190 ms) is held 300 ms.
    // Requests 21-40 are intended between 200 and 390 ms, so they cannot be sent before about 490
    // ms: measured from their intended time (no coordinated omission) each waited at least 100 ms.
    try (Server server = new Server(n -> OK, n -> n == 19 ? 300L : 0L)) {
      NioEngine.Result r = run(server, get("/x"), 1, 100, 1000, -1);
      assertEquals(100, r.requests());
      assertEquals(0, r.errors());
      Histogram h = r.latency();
      long waitedBehindTheStall = h.getCountBetweenValues(100_000, h.getMaxValue());
      assertTrue(
          waitedBehindTheStall >= 21, "latencies of at least 100 ms: " + waitedBehindTheStall);
      assertTrue(h.getMaxValue() >= 300_000, "the stalled request itself: " + h.getMaxValue());
      assertEquals(100, r.sendLag().getTotalCount());
      assertTrue(r.sendLag().getMaxValue() >= 200_000, "request 21 went out after the stall");
    }
  }

  @Test
  void chunkedNotModifiedAndClosingAnswersAreAllParsedAndUnexpectedStatusesCounted()
      throws Exception {
    String[] answers = {
      OK,
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
      "HTTP/1.1 304 Not Modified\r\nContent-Length: 100\r\n\r\n",
      "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok",
      "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n"
    };
    try (Server server = new Server(n -> answers[n % answers.length], n -> 0L)) {
      NioEngine.Result r = run(server, get("/y"), 4, 200, 500, -1);
      assertEquals(100, r.requests());
      assertEquals(20, r.errors(), "the 503s");
      assertTrue(server.connections.get() >= 4 + 20, "closed connections are reopened");
    }
    try (Server server = new Server(n -> answers[n % answers.length], n -> 0L)) {
      NioEngine.Result r = run(server, get("/y"), 4, 200, 500, 304);
      assertEquals(80, r.errors(), "--expect 304: everything else is an error");
    }
  }

  @Test
  void requestsCyclePathsAndSubstituteOneFreshUuidPerRequest() throws Exception {
    RequestTemplate requests =
        RequestTemplate.of(
            "POST",
            "127.0.0.1:1",
            List.of("/a", "/b?c=d"),
            List.of(
                new String[] {"Idempotency-Key", "bench-{uuid}"},
                new String[] {"Content-Type", "application/json"}),
            "{\"key\":\"{uuid}\",\"text\":\"caf\u00e9\"}");
    try (Server server = new Server(n -> OK, n -> 0L)) {
      NioEngine.Result r = run(server, requests, 2, 100, 200, 200);
      assertEquals(20, r.requests());
      assertEquals(0, r.errors());
      Pattern shape =
          Pattern.compile(
              "POST (/a|/b\\?c=d) HTTP/1\\.1\r\nHost: 127\\.0\\.0\\.1:1\r\n"
                  + "Idempotency-Key: bench-([0-9a-f-]{36})\r\nContent-Type: application/json\r\nContent-Length: 61\r\n\r\n"
                  + "\\{\"key\":\"([0-9a-f-]{36})\",\"text\":\"caf\u00e9\"}");
      Set<String> uuids = ConcurrentHashMap.newKeySet();
      for (String request : server.requests) {
        Matcher m = shape.matcher(request);
        assertTrue(m.matches(), request);
        assertEquals(m.group(2), m.group(3), "the same UUID in the header and the body");
        assertTrue(
            m.group(2)
                .matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"));
        uuids.add(m.group(2));
      }
      assertEquals(server.requests.size(), uuids.size(), "a fresh UUID per request");
      assertTrue(
          server.requests.stream().anyMatch(q -> q.startsWith("POST /a "))
              && server.requests.stream().anyMatch(q -> q.startsWith("POST /b?c=d ")));
    }
  }

  @Test
  void closedLoopSendsBackToBackAndStops() throws Exception {
    try (Server server = new Server(n -> OK, n -> 0L)) {
      NioEngine.Result r = run(server, get("/z"), 2, 0, 300, 200);
      assertTrue(r.requests() > 0);
      assertEquals(0, r.errors());
      assertEquals(r.requests(), r.latency().getTotalCount());
      assertEquals(null, r.sendLag());
    }
  }

  @Test
  void anOpenLoopEndsWhenItsStopComesBeforeItsDuration() throws Exception {
    try (Server server = new Server(n -> OK, n -> 0L)) {
      CompletableFuture<Void> stop = new CompletableFuture<>();
      CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS)
          .execute(() -> stop.complete(null));
      long t0 = System.nanoTime();
      NioEngine.Result r =
          NioEngine.run(
              new NioEngine.Settings(server.address(), get("/s"), 2, 100, 0, 60_000 * MS, 200, 0),
              stop);
      long tookMillis = (System.nanoTime() - t0) / MS;
      assertTrue(tookMillis < 10_000, "stopped long before its 60 s: " + tookMillis + " ms");
      // 100/s for the ~300 ms until the stop (the machine may be slow to run the stop)
      assertTrue(
          r.requests() >= 25 && r.requests() <= 100 * tookMillis / 1000 + 1,
          "requests " + r.requests());
      assertEquals(0, r.errors());
      assertEquals(r.requests(), r.latency().getTotalCount());
    }
  }
}
