import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * Open-loop load at a fixed rate (wrk2-style), with latency measured from each request's intended
 * start, so a stall counts against every request it delayed (no coordinated omission).
 *
 * <pre>
 * java -cp api/target/youth-safety-api.jar:HdrHistogram-2.2.2.jar bench/havens/FixedRate.java \
 *   http://127.0.0.1:8080 nearby 2000 8 [header:value]
 * </pre>
 * kinds: live (GET /health/live), nearby (GET /v1/havens/nearby?openNow=true at random points in
 * Islington), list (GET /v1/havens with the header given, e.g. If-None-Match).
 */
public final class FixedRate {

  public static void main(String[] args) throws Exception {
    String base = args[0];
    String kind = args[1];
    double rate = Double.parseDouble(args[2]);
    int seconds = Integer.parseInt(args[3]);
    String header = args.length > 4 ? args[4] : null;
    java.net.URI uri = java.net.URI.create(base);

    Vertx vertx = Vertx.vertx();
    HttpClientAgent client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost(uri.getHost())
        .setDefaultPort(uri.getPort()).setKeepAlive(true), new PoolOptions().setHttp1MaxSize(64));
    Histogram histogram = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
    AtomicLong errors = new AtomicLong();
    AtomicLong done = new AtomicLong();
    AtomicLong measured = new AtomicLong();
    Random random = new Random(42);
    // the first second warms up client and server and is not recorded
    long warm = (long) rate;
    long total = (long) (rate * (seconds + 1));
    long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
    long[] sent = {0};
    CountDownLatch finished = new CountDownLatch(1);

    vertx.setPeriodic(1, id -> {
      long now = System.nanoTime();
      long due = Math.min(total, (long) Math.floor((now - start) / 1e9 * rate));
      while (sent[0] < due) {
        long intended = start + (long) (sent[0] * 1e9 / rate);
        boolean recorded = sent[0] >= warm;
        sent[0]++;
        String path = switch (kind) {
          case "live" -> "/health/live";
          case "list" -> "/v1/havens";
          default -> String.format(Locale.ROOT, "/v1/havens/nearby?lat=%.6f&lon=%.6f&openNow=true",
              51.522 + random.nextDouble() * 0.050, -0.140 + random.nextDouble() * 0.052);
        };
        client.request(HttpMethod.GET, path).compose(req -> {
          if (header != null) {
            int colon = header.indexOf(':');
            req.putHeader(header.substring(0, colon), header.substring(colon + 1).trim());
          }
          return req.send().compose(resp -> resp.body().map(b -> resp.statusCode()));
        }).onComplete(ar -> {
          if (recorded) {
            long latency = Math.max(1, (System.nanoTime() - intended) / 1000);
            histogram.recordValue(Math.min(latency, histogram.getHighestTrackableValue()));
            measured.incrementAndGet();
            if (ar.failed() || (ar.result() != 200 && ar.result() != 304)) {
              errors.incrementAndGet();
            }
          }
          if (done.incrementAndGet() == total) {
            finished.countDown();
          }
        });
      }
      if (sent[0] >= total) {
        vertx.cancelTimer(id);
      }
    });
    boolean complete = finished.await(seconds + 30L, TimeUnit.SECONDS);
    double elapsed = (System.nanoTime() - start) / 1e9 - 1;
    System.out.printf(Locale.ROOT,
        "fixed-rate kind=%s target=%.0f/s measured=%d (after 1 s warm-up) errors=%d achieved=%.0f/s p50=%.2fms p90=%.2fms "
            + "p99=%.2fms p99.9=%.2fms max=%.2fms%s%n",
        kind, rate, measured.get(), errors.get(), measured.get() / elapsed,
        histogram.getValueAtPercentile(50) / 1000.0, histogram.getValueAtPercentile(90) / 1000.0,
        histogram.getValueAtPercentile(99) / 1000.0, histogram.getValueAtPercentile(99.9) / 1000.0,
        histogram.getMaxValue() / 1000.0, complete ? "" : " (incomplete)");
    client.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }
}
