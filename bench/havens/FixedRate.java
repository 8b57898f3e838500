import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Open-loop load at a fixed rate (what wrk2 does; wrk2 is not packaged here), with each request's
 * latency measured from its intended start, so a stall counts against every request it delays (no
 * coordinated omission). One thread, non-blocking sockets, pre-encoded requests and HTTP/1.1
 * pipelining on a fixed set of keep-alive connections: the client costs little of the CPU it
 * shares with the server.
 *
 * <pre>
 * java -cp HdrHistogram-2.2.2.jar bench/havens/FixedRate.java http://127.0.0.1:8080 nearby 2000 8 ['If-None-Match: "x"']
 * </pre>
 * kinds: live (GET /health/live), nearby (GET /v1/havens/nearby?openNow=true at random points in
 * and around Islington), list (GET /v1/havens with the header given, e.g. If-None-Match). The first
 * second is warm-up and not recorded.
 */
public final class FixedRate {

  private static final int CONNECTIONS = 32;

  /** One keep-alive connection: what is waiting to be written, and the intended start of each request in flight. */
  private static final class Conn {
    final SocketChannel channel;
    final ArrayDeque<ByteBuffer> out = new ArrayDeque<>();
    final ArrayDeque<long[]> inFlight = new ArrayDeque<>(); // {intended, recorded ? 1 : 0}
    ByteBuffer in = ByteBuffer.allocate(1 << 16);

    Conn(SocketChannel channel) {
      this.channel = channel;
    }
  }

  public static void main(String[] args) throws Exception {
    URI base = URI.create(args[0]);
    String kind = args[1];
    double rate = Double.parseDouble(args[2]);
    int seconds = Integer.parseInt(args[3]);
    String header = args.length > 4 ? args[4] : null;

    byte[][] requests = requests(kind, base, header);
    Histogram histogram = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
    long warm = (long) rate;
    long total = (long) (rate * (seconds + 1));
    long errors = 0;
    long received = 0;

    Selector selector = Selector.open();
    Conn[] conns = new Conn[CONNECTIONS];
    for (int i = 0; i < CONNECTIONS; i++) {
      SocketChannel ch = SocketChannel.open(new InetSocketAddress(base.getHost(), base.getPort()));
      ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
      ch.configureBlocking(false);
      conns[i] = new Conn(ch);
      ch.register(selector, SelectionKey.OP_READ, conns[i]);
    }

    long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
    long deadline = start + TimeUnit.SECONDS.toNanos(seconds + 31L);
    long sent = 0;
    while (received < total && System.nanoTime() < deadline) {
      long now = System.nanoTime();
      while (sent < total) {
        long intended = start + (long) (sent * 1e9 / rate);
        if (intended > now) {
          break;
        }
        Conn c = conns[(int) (sent % CONNECTIONS)];
        c.out.add(ByteBuffer.wrap(requests[(int) (sent % requests.length)]));
        c.inFlight.add(new long[] {intended, sent >= warm ? 1 : 0});
        sent++;
      }
      for (Conn c : conns) {
        while (!c.out.isEmpty()) {
          ByteBuffer b = c.out.peek();
          c.channel.write(b);
          if (b.hasRemaining()) {
            break;
          }
          c.out.poll();
        }
      }
      long next = sent < total ? start + (long) (sent * 1e9 / rate) : now + 1_000_000;
      long waitMs = Math.max(0, (next - System.nanoTime()) / 1_000_000);
      if (waitMs == 0) {
        selector.selectNow();
      } else {
        selector.select(Math.min(waitMs, 5));
      }
      for (SelectionKey key : selector.selectedKeys()) {
        Conn c = (Conn) key.attachment();
        if (c.channel.read(c.in) < 0) {
          throw new IOException("the server closed a connection");
        }
        int status;
        while ((status = parse(c)) != 0) {
          long[] req = c.inFlight.poll();
          received++;
          if (req != null && req[1] == 1) {
            long latency = Math.max(1, (System.nanoTime() - req[0]) / 1000);
            histogram.recordValue(Math.min(latency, histogram.getHighestTrackableValue()));
            if (status != 200 && status != 304) {
              errors++;
            }
          }
        }
        if (!c.in.hasRemaining()) {
          c.in = ByteBuffer.allocate(c.in.capacity() * 2).put(c.in.flip());
        }
      }
      selector.selectedKeys().clear();
    }
    double elapsed = (System.nanoTime() - start) / 1e9 - 1;
    long measured = histogram.getTotalCount();
    System.out.printf(Locale.ROOT,
        "fixed-rate kind=%s target=%.0f/s measured=%d (after 1 s warm-up) errors=%d achieved=%.0f/s p50=%.2fms "
            + "p90=%.2fms p99=%.2fms p99.9=%.2fms max=%.2fms%s%n",
        kind, rate, measured, errors, measured / elapsed, histogram.getValueAtPercentile(50) / 1000.0,
        histogram.getValueAtPercentile(90) / 1000.0, histogram.getValueAtPercentile(99) / 1000.0,
        histogram.getValueAtPercentile(99.9) / 1000.0, histogram.getMaxValue() / 1000.0,
        received < total ? " (incomplete: " + (total - received) + " unanswered)" : "");
    for (Conn c : conns) {
      c.channel.close();
    }
  }

  /** Consumes one complete response from the connection's buffer; answers its status, or 0 if none is complete. */
  private static int parse(Conn c) {
    ByteBuffer in = c.in;
    int end = in.position();
    byte[] a = in.array();
    int headersEnd = -1;
    for (int i = 3; i < end; i++) {
      if (a[i] == '\n' && a[i - 1] == '\r' && a[i - 2] == '\n' && a[i - 3] == '\r') {
        headersEnd = i + 1;
        break;
      }
    }
    if (headersEnd < 0) {
      return 0;
    }
    String head = new String(a, 0, headersEnd, StandardCharsets.ISO_8859_1);
    int status = Integer.parseInt(head.substring(9, 12));
    int length = 0;
    int at = head.toLowerCase(Locale.ROOT).indexOf("\ncontent-length:");
    if (at >= 0 && status != 304 && status != 204) {
      int eol = head.indexOf('\r', at);
      length = Integer.parseInt(head.substring(at + 16, eol).trim());
    }
    if (end < headersEnd + length) {
      return 0;
    }
    int consumed = headersEnd + length;
    System.arraycopy(a, consumed, a, 0, end - consumed);
    in.position(end - consumed);
    return status;
  }

  private static byte[][] requests(String kind, URI base, String header) {
    Random random = new Random(42);
    int n = kind.equals("nearby") ? 4096 : 1;
    byte[][] out = new byte[n][];
    for (int i = 0; i < n; i++) {
      String path = switch (kind) {
        case "live" -> "/health/live";
        case "list" -> "/v1/havens";
        default -> String.format(Locale.ROOT, "/v1/havens/nearby?lat=%.6f&lon=%.6f&openNow=true",
            51.522 + random.nextDouble() * 0.050, -0.140 + random.nextDouble() * 0.052);
      };
      String request = "GET " + path + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort() + "\r\n"
          + (header == null ? "" : header + "\r\n") + "\r\n";
      out[i] = request.getBytes(StandardCharsets.ISO_8859_1);
    }
    return out;
  }
}
