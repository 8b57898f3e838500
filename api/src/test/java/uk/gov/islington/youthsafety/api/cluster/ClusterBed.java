package uk.gov.islington.youthsafety.api.cluster;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import uk.gov.islington.youthsafety.api.auth.KeyRing;
import uk.gov.islington.youthsafety.api.reports.Smtp;
import uk.gov.islington.youthsafety.content.reports.ReportKeys;
import uk.gov.islington.youthsafety.notifications.push.FirebaseSetup;
import uk.gov.islington.youthsafety.testing.FakeFcm;

/**
 * The scale-out bed: Debian's PostgreSQL on a throwaway data directory, HAProxy in front of several
 * instances of the service (each its own JVM, {@link BedInstance}) on loopback ports, checking
 * {@code /health/ready} and appending {@code X-Forwarded-For}, a local SMTP server (GreenMail) and,
 * if asked, the fake FCM server. Every instance runs in the production shape: {@code DATABASE_URL}
 * as an ordinary role with {@code DATABASE_MIGRATION_URL} as the owner, shared key files, e-mail
 * over SMTP, {@code TRUSTED_PROXIES} naming the balancer.
 *
 * <p>Needs root (PostgreSQL runs as the {@code postgres} user), Debian's PostgreSQL server and
 * haproxy: {@link #unavailable()} says what is missing. Ports are free ones picked at start.
 */
public final class ClusterBed implements AutoCloseable {

  /**
   * Seconds a client of the bed may keep an idle connection: under the balancer's {@code timeout
   * http-keep-alive} (10 s), so that no request goes out on a connection the balancer is closing at
   * that moment, as real clients are configured (or retry).
   */
  public static final int CLIENT_KEEP_ALIVE_SECONDS = 5;

  /** How the balancer checks: a down instance is noticed within two checks. */
  static final Duration CHECK_INTERVAL = Duration.ofMillis(500);

  private static final String PG_PASSWORD = "bed-owner-secret";
  private static final String APP_PASSWORD = "bed-app-secret";

  /**
   * @param env extra settings for every instance (they win over the bed's)
   * @param productionPriorities start the instances with production's thread priority flags
   *     (docs/operations.md): right for measuring on a quiet machine; on a machine shared with
   *     other work the FCM sender threads at nice 19 get almost no CPU, so tests leave them out
   */
  public record Options(
      int instances, boolean fakeFcm, Map<String, String> env, boolean productionPriorities) {
    public Options {
      env = Map.copyOf(env);
    }
  }

  private final Path dir;
  private final Path pgBin;
  private final Options options;
  private final List<Instance> instances = new ArrayList<>();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final Thread onExit = new Thread(this::closeQuietly, "cluster-bed-exit");
  private boolean closed;
  private int pgPort;
  private Smtp smtp;
  private FakeFcm fcm;
  private Process haproxy;
  private int balancerPort;
  private int statsPort;

  private ClusterBed(Path dir, Path pgBin, Options options) {
    this.dir = dir;
    this.pgBin = pgBin;
    this.options = options;
  }

  /** Why the bed cannot run on this machine, or null when it can. */
  public static String unavailable() {
    if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
      return "the scale-out bed runs on Linux only";
    }
    if (!"0".equals(output("id", "-u"))) {
      return "the scale-out bed needs root (it runs Debian's PostgreSQL as the postgres user)";
    }
    if (postgresBin() == null) {
      return "Debian's PostgreSQL server is not installed (apt-get install postgresql)";
    }
    if (output("id", "postgres") == null) {
      return "there is no postgres user (Debian's postgresql package creates it)";
    }
    if (output("sh", "-c", "command -v haproxy") == null) {
      return "haproxy is not installed (apt-get install haproxy)";
    }
    return null;
  }

  /** Starts everything and waits until the balancer sees every instance ready. */
  public static ClusterBed start(Options options) throws Exception {
    String missing = unavailable();
    if (missing != null) {
      throw new IllegalStateException(missing);
    }
    ClusterBed bed =
        new ClusterBed(Files.createTempDirectory("ys-cluster"), postgresBin(), options);
    // a driver stopped by a signal (Ctrl-C on the bench) must not leave PostgreSQL, HAProxy and
    // the instances running
    Runtime.getRuntime().addShutdownHook(bed.onExit);
    try {
      bed.startPostgres();
      bed.smtp = Smtp.onFreePort().start();
      if (options.fakeFcm()) {
        bed.fcm = FakeFcm.start(false);
      }
      Path keys = Files.createDirectories(bed.dir.resolve("keys"));
      KeyRing.generateIfMissing(keys.resolve("jwt-signing.pem"));
      ReportKeys.generateIfMissing(keys.resolve("report-keys.properties"));
      Files.write(keys.resolve("push-subscriber.key"), randomBytes());
      Files.write(keys.resolve("consultation-voter.secret"), randomBytes());
      for (int i = 0; i < options.instances(); i++) {
        bed.instances.add(bed.new Instance(i, freePort(), freePort()));
      }
      // the first start migrates; the others then start side by side
      bed.instances.get(0).start();
      bed.instances.get(0).awaitReady(Duration.ofSeconds(120));
      for (Instance instance : bed.instances.subList(1, bed.instances.size())) {
        instance.start();
      }
      for (Instance instance : bed.instances) {
        instance.awaitReady(Duration.ofSeconds(120));
      }
      bed.startHaproxy();
      bed.awaitBalancerSees(bed.instances.size(), Duration.ofSeconds(30));
      return bed;
    } catch (Exception | Error e) {
      bed.close();
      throw e;
    }
  }

  /** The balancer's base URL, e.g. {@code http://127.0.0.1:41234}. */
  public String url() {
    return "http://127.0.0.1:" + balancerPort;
  }

  public int balancerPort() {
    return balancerPort;
  }

  public List<Instance> instances() {
    return instances;
  }

  /** The key files every instance shares. */
  public Path keys() {
    return dir.resolve("keys");
  }

  public Smtp smtp() {
    return smtp;
  }

  /** The fake FCM server, when the bed was started with one. */
  public FakeFcm fcm() {
    return fcm;
  }

  /** The process id of the PostgreSQL server (its postmaster; the backends are its children). */
  public long postgresPid() throws IOException {
    return Long.parseLong(Files.readAllLines(dir.resolve("pg/postmaster.pid")).get(0).trim());
  }

  /** Where the bed keeps its data and logs (kept after close with -Dcluster.keep=true). */
  public Path dir() {
    return dir;
  }

  /** A JDBC connection as the owner of the service's database (for assertions). */
  public Connection sql() throws Exception {
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + pgPort + "/youthsafety", "postgres", PG_PASSWORD);
  }

  /** How many instances the balancer currently counts as up. */
  public int instancesUp() {
    String csv = get("http://127.0.0.1:" + statsPort + "/stats;csv");
    if (csv == null) {
      return -1;
    }
    int up = 0;
    for (String line : csv.split("\n")) {
      String[] f = line.split(",", -1);
      if (f.length > 17
          && "instances".equals(f[0])
          && f[1].startsWith("i")
          && f[17].startsWith("UP")) {
        up++;
      }
    }
    return up;
  }

  /** Waits until the balancer counts {@code n} instances up. */
  public void awaitBalancerSees(int n, Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (instancesUp() != n) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "the balancer saw " + instancesUp() + " instances up, not " + n);
      }
      Thread.sleep(50);
    }
  }

  // ---- PostgreSQL ------------------------------------------------------------------------------

  private void startPostgres() throws Exception {
    Files.createDirectories(dir);
    run("chown", "postgres", dir.toString());
    run("chmod", "755", dir.toString());
    Path pw = dir.resolve("pw");
    Files.writeString(pw, PG_PASSWORD);
    run("chown", "postgres", pw.toString());
    asPostgres(
        pgBin.resolve("initdb")
            + " -D "
            + dir.resolve("pg")
            + " -U postgres -A scram-sha-256 --pwfile="
            + pw);
    pgPort = freePort();
    startPostgresServer();
    try (Connection c =
            DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres", "postgres", PG_PASSWORD);
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE youthsafety");
      st.execute("CREATE ROLE youth_safety_app LOGIN PASSWORD '" + APP_PASSWORD + "'");
    }
  }

  private void startPostgresServer() throws Exception {
    // the production settings that matter here: durable commits, and room for every instance's pool
    asPostgres(
        pgBin.resolve("pg_ctl")
            + " -D "
            + dir.resolve("pg")
            + " -w -t 60 -l "
            + dir.resolve("pg.log")
            + " -o '-p "
            + pgPort
            + " -k "
            + dir
            + " -c listen_addresses=127.0.0.1 -c max_connections=200"
            + " -c fsync=on -c synchronous_commit=on' start");
  }

  /** Stops PostgreSQL (fast: connections are cut, as in a crash of the server or a failover). */
  public void stopPostgres() throws Exception {
    asPostgres(pgBin.resolve("pg_ctl") + " -D " + dir.resolve("pg") + " -m fast -w stop");
  }

  public void startPostgresAgain() throws Exception {
    startPostgresServer();
  }

  private String ownerUrl() {
    return "postgresql://postgres:" + PG_PASSWORD + "@127.0.0.1:" + pgPort + "/youthsafety";
  }

  private String runtimeUrl() {
    return "postgresql://youth_safety_app:"
        + APP_PASSWORD
        + "@127.0.0.1:"
        + pgPort
        + "/youthsafety";
  }

  // ---- HAProxy ---------------------------------------------------------------------------------

  private void startHaproxy() throws Exception {
    balancerPort = freePort();
    statsPort = freePort();
    StringBuilder cfg =
        new StringBuilder(
            """
        global
          maxconn 4096

        defaults
          mode http
          timeout connect 2s
          timeout client 60s
          timeout server 60s
          timeout http-keep-alive 10s
          option http-keep-alive
          # a connection refused by an instance that has just gone is tried on another one
          retries 2
          option redispatch
          # with every instance down (PostgreSQL unreachable) the balancer answers as they would:
          # 503 problem+json with Retry-After, not its own HTML page
          http-error status 503 content-type application/problem+json string "{\\"type\\":\\"urn:youth-safety:problem:unavailable\\",\\"title\\":\\"Service unavailable\\",\\"status\\":503,\\"detail\\":\\"Please try again shortly.\\"}" hdr Retry-After 5

        frontend api
          bind 127.0.0.1:%d
          # appended as a header line of its own; the instances trust one hop from 127.0.0.1
          option forwardfor
          default_backend instances

        backend instances
          balance roundrobin
          option httpchk GET /health/ready
          http-check expect status 200
          # a check may take a while on a busy machine (an instance starting beside it): only an
          # answer other than 200, or none within two seconds, counts against the instance
          timeout check 2s
          default-server inter %dms fastinter %dms downinter %dms fall 2 rise 2
        """
                .formatted(
                    balancerPort,
                    CHECK_INTERVAL.toMillis(),
                    CHECK_INTERVAL.toMillis() / 2,
                    CHECK_INTERVAL.toMillis()));
    for (Instance instance : instances) {
      cfg.append("  server i")
          .append(instance.index)
          .append(" 127.0.0.1:")
          .append(instance.port)
          .append(" check\n");
    }
    // When every instance fails its check because the PostgreSQL they share is away, send to them
    // anyway: what they serve from memory (Safe Havens, the directory, events) still answers, and
    // the rest gets their own 503 with Retry-After. Never used while one instance is ready.
    for (Instance instance : instances) {
      cfg.append("  server fallback")
          .append(instance.index)
          .append(" 127.0.0.1:")
          .append(instance.port)
          .append(" backup\n");
    }
    cfg.append(
        """

        listen stats
          bind 127.0.0.1:%d
          stats enable
          stats uri /stats
        """
            .formatted(statsPort));
    Path file = dir.resolve("haproxy.cfg");
    Files.writeString(file, cfg.toString());
    haproxy =
        new ProcessBuilder("haproxy", "-db", "-f", file.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("haproxy.log").toFile())
            .start();
  }

  // ---- the instances ---------------------------------------------------------------------------

  /** One instance of the service, in its own JVM. */
  public final class Instance {

    final int index;
    final int port;
    final int managementPort;
    private Process process;

    Instance(int index, int port, int managementPort) {
      this.index = index;
      this.port = port;
      this.managementPort = managementPort;
    }

    public int port() {
      return port;
    }

    public int managementPort() {
      return managementPort;
    }

    /** The process id of the instance's JVM (for its CPU time). */
    public long pid() {
      return process.pid();
    }

    public String url() {
      return "http://127.0.0.1:" + port;
    }

    public void start() throws IOException {
      Map<String, String> env = new HashMap<>();
      Path keys = dir.resolve("keys");
      env.put("DATABASE_URL", runtimeUrl());
      env.put("DATABASE_MIGRATION_URL", ownerUrl());
      env.put("JWT_SIGNING_KEY", keys.resolve("jwt-signing.pem").toString());
      env.put("REPORT_KEYS_FILE", keys.resolve("report-keys.properties").toString());
      env.put("PUSH_SUBSCRIBER_KEY", keys.resolve("push-subscriber.key").toString());
      env.put(
          "CONSULTATION_VOTER_SECRET_FILE", keys.resolve("consultation-voter.secret").toString());
      env.put("DATA_DIR", dir.resolve("data-" + index).toString());
      env.put("HOST", "127.0.0.1");
      env.put("PORT", Integer.toString(port));
      env.put("MANAGEMENT_PORT", Integer.toString(managementPort));
      env.put("HTTP_INSTANCES", "1");
      env.put("TRUSTED_PROXIES", "127.0.0.1/32");
      env.put("TRUSTED_PROXY_HOPS", "1");
      env.put("SMTP_HOST", "127.0.0.1");
      env.put("SMTP_PORT", Integer.toString(smtp.port()));
      env.put("SMTP_STARTTLS", "disabled");
      env.put("REPORT_EMAIL_FROM", "youth-safety-reports@example.test");
      env.put("BULLETIN_EMAIL_FROM", "youth-safety-bulletin@example.test");
      env.put("PUBLIC_BASE_URL", "http://localhost:" + balancerPort);
      // two failed checks at CHECK_INTERVAL, and a margin for a loaded machine
      env.put("SHUTDOWN_DRAIN", "3s");
      env.put("SHUTDOWN_GRACE", "10s");
      env.put("ACCESS_LOG_LEVEL", "WARN");
      if (fcm != null) {
        env.put("BED_FAKE_FCM_PORT", Integer.toString(fcm.port()));
        env.put("BED_FAKE_FCM_CERT", fcm.certificatePath());
        env.put("FIREBASE_APP_NAME", BedInstance.FIREBASE_APP);
        env.put("FCM_SENDER_THREADS", "8");
        env.put("FCM_MESSAGES_PER_MINUTE", Integer.toString(600_000 / options.instances()));
      }
      env.putAll(options.env());
      List<String> command =
          new ArrayList<>(
              List.of(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Xmx384m",
                  "-XX:+UseZGC"));
      if (options.productionPriorities()) {
        command.addAll(List.of(FirebaseSetup.PRIORITY_FLAGS.split(" ")));
      }
      command.addAll(
          List.of("-cp", System.getProperty("java.class.path"), BedInstance.class.getName()));
      ProcessBuilder pb =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(
                  ProcessBuilder.Redirect.appendTo(
                      dir.resolve("instance-" + index + ".log").toFile()));
      pb.environment()
          .keySet()
          .removeIf(
              k -> k.startsWith("DATABASE_") || k.startsWith("JWT_") || k.startsWith("SMTP_"));
      pb.environment().putAll(env);
      process = pb.start();
    }

    public boolean ready() {
      return statusOf(url() + "/health/ready") == 200;
    }

    public void awaitReady(Duration within) throws InterruptedException {
      long deadline = System.nanoTime() + within.toNanos();
      while (!ready()) {
        if (!process.isAlive()) {
          throw new IllegalStateException(
              "instance " + index + " exited; see " + dir.resolve("instance-" + index + ".log"));
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "instance " + index + " not ready; see " + dir.resolve("instance-" + index + ".log"));
        }
        Thread.sleep(50);
      }
    }

    /** kill -9: no shutdown of any kind. */
    public void kill() throws InterruptedException {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }

    /**
     * SIGTERM, as an orchestrator stops it; answers once the process has exited, with its exit
     * code.
     */
    public int terminate(Duration within) throws InterruptedException {
      process.destroy();
      if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(
            "instance " + index + " still running " + within + " after SIGTERM");
      }
      return process.exitValue();
    }

    public boolean alive() {
      return process != null && process.isAlive();
    }
  }

  // ---- helpers ---------------------------------------------------------------------------------

  int statusOf(String url) {
    try {
      return http.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private String get(String url) {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? r.body() : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private static Path postgresBin() {
    Path root = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(root)) {
      return null;
    }
    try (Stream<Path> versions = Files.list(root)) {
      return versions
          .map(v -> v.resolve("bin"))
          .filter(
              b ->
                  Files.isExecutable(b.resolve("initdb"))
                      && Files.isExecutable(b.resolve("pg_ctl")))
          .max(Comparator.comparingInt(b -> versionOf(b.getParent().getFileName().toString())))
          .orElse(null);
    } catch (IOException e) {
      return null;
    }
  }

  private static int versionOf(String name) {
    try {
      return Integer.parseInt(name);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private void asPostgres(String command) throws Exception {
    run("su", "postgres", "-s", "/bin/sh", "-c", command);
  }

  private static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
    }
  }

  /** The command's output, trimmed, or null when it fails. */
  private static String output(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static byte[] randomBytes() {
    byte[] b = new byte[32];
    new java.security.SecureRandom().nextBytes(b);
    return b;
  }

  private void closeQuietly() {
    try {
      close();
    } catch (Exception e) {
      System.err.println("cluster bed not closed cleanly: " + e);
    }
  }

  @Override
  public synchronized void close() throws Exception {
    if (closed) {
      return;
    }
    closed = true;
    if (Thread.currentThread() != onExit) {
      try {
        Runtime.getRuntime().removeShutdownHook(onExit);
      } catch (IllegalStateException e) {
        // the JVM is exiting: the hook runs close() as well, which is harmless
      }
    }
    for (Instance instance : instances) {
      if (instance.alive()) {
        instance.kill();
      }
    }
    if (haproxy != null) {
      haproxy.destroyForcibly();
      haproxy.waitFor(10, TimeUnit.SECONDS);
    }
    if (fcm != null) {
      fcm.close();
    }
    if (smtp != null) {
      smtp.close();
    }
    if (Files.exists(dir.resolve("pg/postmaster.pid"))) {
      try {
        stopPostgres();
      } catch (Exception e) {
        // already down: nothing to stop
      }
    }
    if (!Boolean.getBoolean("cluster.keep")) {
      run("rm", "-rf", dir.toString());
    }
  }
}
