package uk.gov.islington.youthsafety.api.cluster;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * GET requests at a steady rate (open loop: a slow answer does not delay the next request), round
 * robin over a few paths, each answer recorded with its time. A request that gets no answer within
 * {@link #TIMEOUT_MILLIS} is recorded as an error, i.e. as a hang.
 */
final class SteadyLoad implements AutoCloseable {

  static final long TIMEOUT_MILLIS = 15_000;

  /**
   * One request: its status (0 when it failed), when it went and how long it took, Retry-After,
   * Content-Type.
   */
  record Outcome(
      String path,
      int status,
      long startedNanos,
      long tookNanos,
      String retryAfter,
      String contentType,
      String error) {}

  private final Vertx vertx;
  private final io.vertx.core.http.HttpClient client;
  private final List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger inFlight = new AtomicInteger();
  private final long timer;

  private SteadyLoad(Vertx vertx, int port, List<String> paths, int perSecond) {
    this.vertx = vertx;
    this.client =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setDefaultHost("127.0.0.1")
                .setDefaultPort(port)
                .setKeepAlive(true)
                .setKeepAliveTimeout(ClusterBed.CLIENT_KEEP_ALIVE_SECONDS),
            new PoolOptions().setHttp1MaxSize(64));
    int perTick = Math.max(1, perSecond / 100);
    AtomicInteger next = new AtomicInteger();
    this.timer =
        vertx.setPeriodic(
            10,
            id -> {
              for (int i = 0; i < perTick; i++) {
                send(paths.get(Math.floorMod(next.getAndIncrement(), paths.size())));
              }
            });
  }

  static SteadyLoad start(Vertx vertx, int port, List<String> paths, int perSecond) {
    return new SteadyLoad(vertx, port, paths, perSecond);
  }

  private void send(String path) {
    long started = System.nanoTime();
    inFlight.incrementAndGet();
    client
        .request(
            new RequestOptions().setMethod(HttpMethod.GET).setURI(path).setTimeout(TIMEOUT_MILLIS))
        .compose(
            request ->
                request
                    .send()
                    .compose(
                        response ->
                            response
                                .body()
                                .map(
                                    body ->
                                        new Outcome(
                                            path,
                                            response.statusCode(),
                                            started,
                                            System.nanoTime() - started,
                                            response.getHeader("Retry-After"),
                                            response.getHeader("Content-Type"),
                                            null))))
        .recover(
            e ->
                io.vertx.core.Future.succeededFuture(
                    new Outcome(
                        path,
                        0,
                        started,
                        System.nanoTime() - started,
                        null,
                        null,
                        e.getClass().getSimpleName() + ": " + e.getMessage())))
        .onComplete(
            ar -> {
              outcomes.add(ar.result());
              inFlight.decrementAndGet();
            });
  }

  /** Stops sending, waits for the answers still due, and answers every outcome. */
  List<Outcome> stop() throws InterruptedException {
    vertx.cancelTimer(timer);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MILLIS + 5_000);
    while (inFlight.get() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    synchronized (outcomes) {
      return List.copyOf(outcomes);
    }
  }

  @Override
  public void close() throws Exception {
    vertx.cancelTimer(timer);
    client.close().await(10, TimeUnit.SECONDS);
  }
}
