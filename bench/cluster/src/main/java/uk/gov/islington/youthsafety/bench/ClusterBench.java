package uk.gov.islington.youthsafety.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import uk.gov.islington.youthsafety.api.auth.KeyRing;
import uk.gov.islington.youthsafety.api.auth.Tokens;
import uk.gov.islington.youthsafety.api.cluster.ClusterBed;

/**
 * The scale-out bed from the command line (bench/cluster/run.sh): keep it up for a person to try,
 * or measure bulletin throughput by number of instances, or what the balancer costs. Figures:
 * docs/benchmarks.md, "Scale-out".
 */
public final class ClusterBench {

  // HTTP/1.1 (no h2c upgrade) with a time-out: a question to an instance must never hang the run
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  /** Clock ticks a second of /proc/PID/stat's CPU times (USER_HZ, 100 on Linux). */
  private static final double TICKS = 100.0;
  /**
   * Production's thread priority flags on the instances (-Dcluster.priorities=false to leave them
   * out): on a machine shared with other work their FCM sender threads at nice 19 get little CPU.
   */
  private static final boolean PRIORITIES = Boolean.parseBoolean(System.getProperty("cluster.priorities", "true"));

  private ClusterBench() {}

  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "2";
    switch (mode) {
      case "bulletin" -> bulletin(args.length > 1 ? Integer.parseInt(args[1]) : 20_000,
          args.length > 2 ? Integer.parseInt(args[2]) : 1, args.length > 2 ? Integer.parseInt(args[2]) : 3);
      case "balancer" -> balancer();
      default -> serve(Integer.parseInt(mode));
    }
  }

  // ---- serve: the bed for a person ---------------------------------------------------------------

  private static void serve(int instances) throws Exception {
    // closed by its own shutdown hook on Ctrl-C
    ClusterBed bed = ClusterBed.start(new ClusterBed.Options(instances, true, Map.of(), PRIORITIES));
    System.out.println("HAProxy:   " + bed.url() + "   (try " + bed.url() + "/v1/support-services?age=15)");
    for (ClusterBed.Instance i : bed.instances()) {
      System.out.println("instance:  " + i.url() + "   metrics http://127.0.0.1:" + i.managementPort() + "/metrics"
          + "   pid " + i.pid());
    }
    System.out.println("files:     " + bed.dir() + " (PostgreSQL data and log, haproxy.cfg, instance-N.log)");
    System.out.println("Ctrl-C stops everything.");
    Thread.currentThread().join();
  }

  // ---- bulletin: messages per second by instances ------------------------------------------------

  private static void bulletin(int subscribers, int fewest, int most) throws Exception {
    System.out.println("| instances | messages/s | per instance: messages, CPU µs a message | instances' CPU µs a"
        + " message (all) | PostgreSQL µs a message | cores busy (instances + PostgreSQL) |");
    System.out.println("|---|---|---|---|---|---|");
    for (int n = fewest; n <= most; n++) {
      try (ClusterBed bed = ClusterBed.start(new ClusterBed.Options(n, true, Map.of(), PRIORITIES))) {
        Tokens tokens = new Tokens(KeyRing.load(bed.keys().resolve("jwt-signing.pem"), List.of()), "youth-safety-api",
            "youth-safety-app", Duration.ofDays(1), Duration.ofMinutes(15), Clock.systemUTC());
        String editor = "Bearer " + tokens.issueStaff(UUID.randomUUID().toString(), List.of("editor")).token();
        seed(bed, "professionals", subscribers);
        seed(bed, "parents", subscribers);
        // the first send after a start runs on a cold JIT: warm every instance up on another audience
        send(bed, editor, "professionals", subscribers);
        List<Long> cpuBefore = new ArrayList<>();
        List<Double> sentBefore = new ArrayList<>();
        for (ClusterBed.Instance i : bed.instances()) {
          cpuBefore.add(cpuTicks(i.pid()));
          sentBefore.add(sent(i));
        }
        long pgBefore = treeTicks(bed.postgresPid());
        long[] window = send(bed, editor, "parents", subscribers);
        double seconds = (window[1] - window[0]) / 1e9;
        StringBuilder perInstance = new StringBuilder();
        long allTicks = 0;
        for (int k = 0; k < n; k++) {
          ClusterBed.Instance i = bed.instances().get(k);
          long ticks = cpuTicks(i.pid()) - cpuBefore.get(k);
          double messages = sent(i) - sentBefore.get(k);
          allTicks += ticks;
          perInstance.append(k == 0 ? "" : "; ").append(String.format("%.0f, %.0f µs", messages,
              ticks / TICKS * 1e6 / Math.max(1, messages)));
        }
        long pgTicks = treeTicks(bed.postgresPid()) - pgBefore;
        System.out.printf("| %d | %,.0f | %s | %.0f | %.0f | %.2f |%n", n, subscribers / seconds, perInstance,
            allTicks / TICKS * 1e6 / subscribers, pgTicks / TICKS * 1e6 / subscribers,
            (allTicks + pgTicks) / TICKS / seconds);
      }
    }
  }

  private static void seed(ClusterBed bed, String audience, int n) throws Exception {
    try (Connection sql = bed.sql(); Statement st = sql.createStatement()) {
      st.executeUpdate("""
          INSERT INTO notifications.push_subscriptions (subscriber, fcm_token, audiences, areas, created_at, refreshed_at)
          SELECT decode(md5('%1$s' || i::text) || md5('k%1$s' || i::text), 'hex'),
                 '%1$s-' || i::text || ':APA91b' || repeat(md5(i::text), 4), ARRAY['%1$s'], '{}', now(), now()
            FROM generate_series(1, %2$d) AS i
          """.formatted(audience, n));
      st.execute("ANALYZE notifications.push_subscriptions");
    }
  }

  /** Creates and sends a bulletin through the balancer; answers when the fake FCM had its first and last message. */
  private static long[] send(ClusterBed bed, String editor, String audience, int expected) throws Exception {
    long base = bed.fcm().acceptedTotal();
    String body = """
        {"title":"Youth Safety Bulletin","body":"The Lift youth hub runs free boxing and music sessions every Thursday.",
         "audiences":["%s"]}""".formatted(audience);
    HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(URI.create(bed.url() + "/v1/bulletins"))
        .header("Authorization", editor).header("Idempotency-Key", UUID.randomUUID().toString())
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    Matcher id = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"").matcher(created.body());
    if (created.statusCode() != 201 || !id.find()) {
      throw new IllegalStateException("bulletin not created: " + created.statusCode() + " " + created.body());
    }
    HttpResponse<String> sent = HTTP.send(HttpRequest.newBuilder(URI.create(bed.url() + "/v1/bulletins/" + id.group(1)
        + "/send")).header("Authorization", editor).POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
    if (sent.statusCode() != 202) {
      throw new IllegalStateException("bulletin not sent: " + sent.statusCode() + " " + sent.body());
    }
    long first = 0;
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    while (bed.fcm().acceptedTotal() < base + expected) {
      if (first == 0 && bed.fcm().acceptedTotal() > base) {
        first = System.nanoTime();
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("only " + (bed.fcm().acceptedTotal() - base) + " of " + expected + " sent");
      }
      Thread.sleep(1);
    }
    return new long[] {first, System.nanoTime()};
  }

  /** push_fcm_messages_total{outcome="sent"} from the instance's management port. */
  private static double sent(ClusterBed.Instance instance) throws Exception {
    String metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + instance.managementPort()
        + "/metrics")).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()).body();
    Matcher m = Pattern.compile("(?m)^push_fcm_messages_total\\{outcome=\"sent\"\\} ([0-9.eE+]+)$").matcher(metrics);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  /** utime + stime of one process, in clock ticks. */
  static long cpuTicks(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  /** CPU of a process and of its children (PostgreSQL's backends), in clock ticks. */
  static long treeTicks(long parent) throws IOException {
    long total = cpuTicks(parent);
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        try {
          String stat = Files.readString(p.resolve("stat"));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          if (Long.parseLong(f[1]) == parent) {
            total += Long.parseLong(f[11]) + Long.parseLong(f[12]);
          }
        } catch (IOException e) {
          // the process ended meanwhile
        }
      }
    }
    return total;
  }

  // ---- balancer: what HAProxy costs --------------------------------------------------------------

  private static void balancer() throws Exception {
    try (ClusterBed bed = ClusterBed.start(new ClusterBed.Options(2, false, Map.of(), PRIORITIES))) {
      String direct = bed.instances().get(0).url();
      System.out.println("| round | path | one instance directly, req/s | HAProxy → two instances, req/s | ratio |");
      System.out.println("|---|---|---|---|---|");
      for (String path : List.of("/v1/support-services?age=15", "/v1/bulletins")) {
        wrk(direct + path, 3);
        wrk(bed.url() + path, 3);
        for (int round = 1; round <= 3; round++) {
          double one = wrk(direct + path, 10);
          double two = wrk(bed.url() + path, 10);
          System.out.printf("| %d | `%s` | %,.0f | %,.0f | %.2f |%n", round, path, one, two, two / one);
        }
      }
    }
  }

  /** Closed loop with wrk (2 threads, 32 connections) for some seconds; answers requests a second. */
  private static double wrk(String url, int seconds) throws Exception {
    Process p = new ProcessBuilder("wrk", "-t2", "-c32", "-d" + seconds + "s", url).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor();
    Matcher errors = Pattern.compile("Non-2xx or 3xx responses: (\\d+)").matcher(out);
    if (errors.find()) {
      throw new IllegalStateException(url + ": " + errors.group(1) + " answers were not 2xx");
    }
    Matcher rps = Pattern.compile("Requests/sec:\\s+([0-9.]+)").matcher(out);
    if (!rps.find()) {
      throw new IllegalStateException("wrk said: " + out);
    }
    return Double.parseDouble(rps.group(1));
  }
}
