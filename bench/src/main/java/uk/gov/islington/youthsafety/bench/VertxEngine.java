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
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;

/**
 * The first load generator's engine (Vert.x HttpClient), kept behind {@code --engine vertx} to
 * compare against {@link NioEngine}: it costs several times more CPU per request, so on a shared
 * machine its fixed-rate latencies above a few thousand requests/s are its own. Its open loop fires
 * due requests from a 1 ms periodic timer (so up to ~1 ms late, counted in the latency).
 */
final class VertxEngine {

  private VertxEngine() {}

  static NioEngine.Result run(
      String host,
      int port,
      HttpMethod method,
      List<String> uris,
      List<String[]> headers,
      String body,
      int connections,
      double rate,
      int warmupSeconds,
      int seconds,
      int expect)
      throws InterruptedException {
    Vertx vertx = Vertx.vertx();
    HttpClient client =
        vertx.createHttpClient(
            new HttpClientOptions().setKeepAlive(true).setPipelining(false),
            new PoolOptions().setHttp1MaxSize(connections));
    RequestOptions base = new RequestOptions().setMethod(method).setHost(host).setPort(port);
    Run run = new Run(vertx, client, base, uris, headers, body, expect);
    try {
      run.go(connections, rate, warmupSeconds);
      long cpu0 = NioEngine.processCpuNanos();
      Run.Outcome r = run.go(connections, rate, seconds);
      long cpu1 = NioEngine.processCpuNanos();
      return new NioEngine.Result(
          r.requests(), r.errors(), r.rps(), r.histogram(), null, cpu1 - cpu0);
    } finally {
      client.close().await();
      vertx.close().await();
    }
  }

  private static final class Run {
    record Outcome(long requests, long errors, double rps, org.HdrHistogram.Histogram histogram) {}

    final Vertx vertx;
    final HttpClient client;
    final RequestOptions base;
    final List<String> uris;
    final AtomicLong sent = new AtomicLong();
    final List<String[]> headers;
    final String body;
    final int expect;

    Run(
        Vertx vertx,
        HttpClient client,
        RequestOptions base,
        List<String> uris,
        List<String[]> headers,
        String body,
        int expect) {
      this.vertx = vertx;
      this.client = client;
      this.base = base;
      this.uris = uris;
      this.headers = headers;
      this.body = body;
      this.expect = expect;
    }

    Outcome go(int connections, double rate, int seconds) throws InterruptedException {
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
        vertx.setPeriodic(
            1,
            id -> {
              long now = System.nanoTime();
              while (next.get() <= now && next.get() < end) {
                long scheduled = next.getAndAdd(interval);
                inFlight.incrementAndGet();
                send()
                    .onComplete(
                        ar -> {
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
      return new Outcome(
          ok.get() + errors.get(),
          errors.get(),
          (ok.get() + errors.get()) / elapsed,
          recorder.getIntervalHistogram());
    }

    private void waitForDrain(AtomicLong inFlight, CountDownLatch done) {
      vertx.setPeriodic(
          5,
          id -> {
            if (inFlight.get() == 0) {
              vertx.cancelTimer(id);
              done.countDown();
            }
          });
    }

    private void loop(
        long end,
        Recorder recorder,
        AtomicLong ok,
        AtomicLong errors,
        AtomicLong loops,
        CountDownLatch done) {
      if (System.nanoTime() >= end) {
        if (loops.decrementAndGet() == 0) {
          done.countDown();
        }
        return;
      }
      long t0 = System.nanoTime();
      send()
          .onComplete(
              ar -> {
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
      RequestOptions options =
          new RequestOptions(base)
              .setHeaders(h)
              .setURI(uris.get((int) (sent.getAndIncrement() % uris.size())));
      return client
          .request(options)
          .compose(
              req ->
                  (body == null
                          ? req.send()
                          : req.send(Buffer.buffer(body.replace("{uuid}", uuid))))
                      .compose(
                          resp ->
                              resp.body()
                                  .map(
                                      b ->
                                          expect > 0
                                              ? resp.statusCode() == expect
                                              : resp.statusCode() < 300
                                                  || resp.statusCode() == 304)));
    }
  }
}
