import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;
import org.HdrHistogram.Histogram;

/**
 * Load for the anonymous-reports benchmark (bench/reports/run.sh; run.sh uses wrk for the closed loop and this
 * class for the fixed rate). Two modes:
 *   closed <url> <seconds> <concurrency> <report|live|categories> : N requests in flight; prints rps
 *   rate   <url> <seconds> <perSecond>   <report|live|categories> : fixed arrival rate (open loop); latency from
 *       each request's intended start, so a stall is not hidden (no coordinated omission); prints p50/p99/max
 * Every report carries a fresh Idempotency-Key; a non-2xx answer is counted as an error.
 */
public final class ReportsLoad {

  static final String[] CATEGORIES = {"someone-being-hurt", "grooming-or-exploitation", "pulled-into-gangs", "weapons",
      "drugs", "crime-information"};
  static final String[] AREAS = {"holloway", "finsbury-park", "highbury", "online", "not-sure"};
  static final String TEXT = "There is a man who waits outside the chicken shop after school and gives younger kids "
      + "money and phones. My friend started going with him and now stays out late and is scared of him. ";

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    String base = args[1];
    int seconds = Integer.parseInt(args[2]);
    int n = Integer.parseInt(args[3]);
    String what = args[4];
    boolean live = !what.equals("report");
    target = what;
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .executor(Executors.newFixedThreadPool(4)).connectTimeout(Duration.ofSeconds(5)).build();
    // warm-up
    runClosed(client, base, 3, Math.min(n, 8), live);
    if (mode.equals("closed")) {
      long[] r = runClosed(client, base, seconds, n, live);
      System.out.printf("closed %s: %d requests in %ds, %.1f per second, %d errors%n", what,
          r[0], seconds, r[0] / (double) seconds, r[1]);
    } else {
      runRate(client, base, seconds, n, live);
    }
    System.exit(0);
  }

  static String target = "live";

  static HttpRequest request(String base, boolean live) {
    if (live) {
      return HttpRequest.newBuilder(URI.create(base + (target.equals("categories") ? "/v1/report-categories"
          : "/health/live"))).GET().build();
    }
    ThreadLocalRandom r = ThreadLocalRandom.current();
    String body = "{\"categoryId\":\"" + CATEGORIES[r.nextInt(CATEGORIES.length)] + "\",\"description\":\"" + TEXT
        + r.nextInt() + "\",\"immediateDanger\":" + (r.nextInt(20) == 0) + ",\"area\":\"" + AREAS[r.nextInt(AREAS.length)]
        + "\",\"happenedWhen\":\"past_week\"}";
    return HttpRequest.newBuilder(URI.create(base + "/v1/reports"))
        .header("Content-Type", "application/json")
        .header("Idempotency-Key", UUID.randomUUID().toString())
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }

  static long[] runClosed(HttpClient client, String base, int seconds, int concurrency, boolean live) throws Exception {
    Semaphore slots = new Semaphore(concurrency);
    AtomicLong done = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < end) {
      slots.acquire();
      client.sendAsync(request(base, live), HttpResponse.BodyHandlers.discarding()).whenComplete((resp, e) -> {
        if (e != null || resp.statusCode() / 100 != 2) {
          errors.incrementAndGet();
        }
        done.incrementAndGet();
        slots.release();
      });
    }
    slots.acquire(concurrency);
    return new long[] {done.get(), errors.get()};
  }

  static void runRate(HttpClient client, String base, int seconds, int perSecond, boolean live) throws Exception {
    Recorder recorder = new Recorder(3);
    AtomicLong errors = new AtomicLong();
    long interval = 1_000_000_000L / perSecond;
    long start = System.nanoTime() + 10_000_000;
    long total = (long) seconds * perSecond;
    var inFlight = ConcurrentHashMap.<CompletableFuture<?>>newKeySet();
    for (long i = 0; i < total; i++) {
      long intended = start + i * interval;
      long wait = intended - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      CompletableFuture<?> f = client.sendAsync(request(base, live), HttpResponse.BodyHandlers.discarding())
          .whenComplete((resp, e) -> {
            recorder.recordValue((System.nanoTime() - intended) / 1000);
            if (e != null || resp.statusCode() / 100 != 2) {
              errors.incrementAndGet();
            }
          });
      inFlight.add(f);
      f.whenComplete((x, y) -> inFlight.remove(f));
    }
    CompletableFuture.allOf(inFlight.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);
    Histogram h = recorder.getIntervalHistogram();
    System.out.printf("rate %s: %d/s for %ds, %d requests, p50 %.2f ms, p99 %.2f ms, max %.2f ms, %d errors%n",
        live ? "live" : "report", perSecond, seconds, h.getTotalCount(), h.getValueAtPercentile(50) / 1000.0,
        h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0, errors.get());
  }
}
