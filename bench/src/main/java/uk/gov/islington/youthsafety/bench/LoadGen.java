package uk.gov.islington.youthsafety.bench;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;

/**
 * A small HTTP load generator for loopback benchmarks, two modes:
 * <ul>
 *   <li>closed loop ({@code --rate 0}): N connections send back to back; measures the maximum
 *       throughput;</li>
 *   <li>open loop ({@code --rate R}): requests are scheduled at a fixed rate whatever the server
 *       does, and latency is measured from the scheduled time (no coordinated omission).</li>
 * </ul>
 * Prints one line of JSON: {@code {"name", "mode", "requests", "errors", "rps", "p50", "p90", "p99", "max"}}
 * (latencies in milliseconds). Every loop is bounded by {@code --duration}; targets must be loopback.
 *
 * <p>{@code --paths FILE} sends each request to the next path of the file (one per line, cycled;
 * e.g. nearby queries at varied points) on the host of {@code --url}.
 * {@code --header 'Name: value'} repeats; the value {@code {uuid}} is replaced per request
 * (e.g. an Idempotency-Key). {@code --body FILE} sends the file's content; {@code {uuid}} inside a
 * body is replaced per request too.
 */
public final class LoadGen {

  private LoadGen() {}

  public static void main(String[] args) throws Exception {
    String name = "load";
    String url = null;
    HttpMethod method = HttpMethod.GET;
    List<String[]> headers = new ArrayList<>();
    String body = null;
    List<String> paths = null;
    int connections = 16;
    double rate = 0;
    int seconds = 10;
    int warmup = 3;
    int expect = -1;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--name" -> name = args[++i];
        case "--url" -> url = args[++i];
        case "--method" -> method = HttpMethod.valueOf(args[++i].toUpperCase(Locale.ROOT));
        case "--header" -> headers.add(args[++i].split(":\\s*", 2));
        case "--body" -> body = Files.readString(Path.of(args[++i]));
        case "--paths" -> paths = Files.readAllLines(Path.of(args[++i])).stream().filter(l -> !l.isBlank()).toList();
        case "--connections" -> connections = Integer.parseInt(args[++i]);
        case "--rate" -> rate = Double.parseDouble(args[++i]);
        case "--duration" -> seconds = Integer.parseInt(args[++i]);
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        case "--expect" -> expect = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    URI uri = URI.create(url);
    String host = uri.getHost();
    if (!host.equals("localhost") && !host.startsWith("127.") && !host.equals("[::1]")) {
      throw new IllegalArgumentException("benchmarks only target loopback");
    }
    Vertx vertx = Vertx.vertx();
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setPipelining(false),
        new PoolOptions().setHttp1MaxSize(connections));
    RequestOptions base = new RequestOptions().setMethod(method).setHost(host)
        .setPort(uri.getPort()).setURI(uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
    List<String> uris = paths != null ? paths : List.of(base.getURI());
    Run run = new Run(vertx, client, base, uris, headers, body, expect);

    run.go(connections, rate, warmup, false);
    Result r = run.go(connections, rate, seconds, true);
    System.out.printf(Locale.ROOT,
        "{\"name\":\"%s\",\"mode\":\"%s\",\"requests\":%d,\"errors\":%d,\"rps\":%.1f,\"p50\":%.3f,\"p90\":%.3f,"
            + "\"p99\":%.3f,\"max\":%.3f}%n",
        name, rate > 0 ? "rate " + rate : "max " + connections + " conns", r.requests, r.errors, r.rps,
        r.p50, r.p90, r.p99, r.max);
    client.close().await();
    vertx.close().await();
  }

  private record Result(long requests, long errors, double rps, double p50, double p90, double p99, double max) {}

  private static final class Run {
    final Vertx vertx;
    final HttpClient client;
    final RequestOptions base;
    final List<String> uris;
    final AtomicLong sent = new AtomicLong();
    final List<String[]> headers;
    final String body;
    final int expect;

    Run(Vertx vertx, HttpClient client, RequestOptions base, List<String> uris, List<String[]> headers, String body,
        int expect) {
      this.vertx = vertx;
      this.client = client;
      this.base = base;
      this.uris = uris;
      this.headers = headers;
      this.body = body;
      this.expect = expect;
    }

    Result go(int connections, double rate, int seconds, boolean record) throws InterruptedException {
      Recorder recorder = new Recorder(3);
      AtomicLong ok = new AtomicLong();
      AtomicLong errors = new AtomicLong();
      long start = System.nanoTime();
      long end = start + TimeUnit.SECONDS.toNanos(seconds);
      CountDownLatch done = new CountDownLatch(1);
      AtomicLong inFlight = new AtomicLong();
      if (rate > 0) {
        long interval = (long) (1e9 / rate);
        AtomicLong next = new AtomicLong(start);
        vertx.setPeriodic(1, id -> {
          long now = System.nanoTime();
          while (next.get() <= now && next.get() < end) {
            long scheduled = next.getAndAdd(interval);
            inFlight.incrementAndGet();
            send().onComplete(ar -> {
              count(ar.succeeded() && ar.result(), ok, errors);
              recorder.recordValue(Math.max(1, (System.nanoTime() - scheduled) / 1000));
              inFlight.decrementAndGet();
            });
          }
          if (now >= end) {
            vertx.cancelTimer(id);
            waitForDrain(inFlight, done);
          }
        });
      } else {
        AtomicLong loops = new AtomicLong(connections);
        for (int c = 0; c < connections; c++) {
          loop(end, recorder, ok, errors, loops, done);
        }
      }
      done.await(seconds + 60L, TimeUnit.SECONDS);
      double elapsed = (System.nanoTime() - start) / 1e9;
      var h = recorder.getIntervalHistogram();
      return new Result(ok.get() + errors.get(), errors.get(), (ok.get() + errors.get()) / elapsed,
          h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(90) / 1000.0,
          h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0);
    }

    private void waitForDrain(AtomicLong inFlight, CountDownLatch done) {
      vertx.setPeriodic(5, id -> {
        if (inFlight.get() == 0) {
          vertx.cancelTimer(id);
          done.countDown();
        }
      });
    }

    private void loop(long end, Recorder recorder, AtomicLong ok, AtomicLong errors, AtomicLong loops,
                      CountDownLatch done) {
      if (System.nanoTime() >= end) {
        if (loops.decrementAndGet() == 0) {
          done.countDown();
        }
        return;
      }
      long t0 = System.nanoTime();
      send().onComplete(ar -> {
        count(ar.succeeded() && ar.result(), ok, errors);
        recorder.recordValue(Math.max(1, (System.nanoTime() - t0) / 1000));
        loop(end, recorder, ok, errors, loops, done);
      });
    }

    private static void count(boolean success, AtomicLong ok, AtomicLong errors) {
      (success ? ok : errors).incrementAndGet();
    }

    /** True when the answer had the expected status (or any 2xx/304 when none was given). */
    private Future<Boolean> send() {
      String uuid = UUID.randomUUID().toString();
      MultiMap h = MultiMap.caseInsensitiveMultiMap();
      headers.forEach(kv -> h.add(kv[0], kv[1].replace("{uuid}", uuid)));
      RequestOptions options = new RequestOptions(base).setHeaders(h)
          .setURI(uris.get((int) (sent.getAndIncrement() % uris.size())));
      return client.request(options).compose(req -> (body == null ? req.send()
              : req.send(Buffer.buffer(body.replace("{uuid}", uuid))))
          .compose(resp -> resp.body().map(b -> expect > 0 ? resp.statusCode() == expect
              : resp.statusCode() < 300 || resp.statusCode() == 304)));
    }
  }
}
