package uk.gov.islington.youthsafety.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.jackson.DatabindCodec;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.sqlclient.Pool;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.gov.islington.youthsafety.api.auth.KeyRing;
import uk.gov.islington.youthsafety.api.auth.TokenSettings;
import uk.gov.islington.youthsafety.api.auth.Tokens;
import uk.gov.islington.youthsafety.api.config.Config;
import uk.gov.islington.youthsafety.api.db.Database;
import uk.gov.islington.youthsafety.api.http.ApiRouter;
import uk.gov.islington.youthsafety.api.http.ContractLoader;
import uk.gov.islington.youthsafety.api.http.RateLimits;
import uk.gov.islington.youthsafety.api.http.RequestDeadlines;
import uk.gov.islington.youthsafety.api.http.Routes;
import uk.gov.islington.youthsafety.api.jobs.RetentionJob;
import uk.gov.islington.youthsafety.api.outbox.OutboxSettings;
import uk.gov.islington.youthsafety.api.platform.Draining;
import uk.gov.islington.youthsafety.api.platform.ManagementServer;
import uk.gov.islington.youthsafety.content.common.DemoContent;
import uk.gov.islington.youthsafety.content.common.PgListener;
import uk.gov.islington.youthsafety.content.common.Retention;
import uk.gov.islington.youthsafety.notifications.outbox.Channel;
import uk.gov.islington.youthsafety.notifications.outbox.Dispatcher;

/**
 * The whole process: PostgreSQL (embedded or external), migrations, keys, Vert.x, the HTTP servers,
 * the caches' listeners, the outbox dispatcher and the background jobs. {@link #start} blocks until
 * the service answers; {@link #close} shuts down in order: stop accepting, finish in-flight
 * requests, stop jobs, the features and their listeners, close the pool, stop the embedded server.
 */
public final class App implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(App.class);

  /** Numbers each App's metrics registry (see the Vert.x options below). */
  private static final java.util.concurrent.atomic.AtomicInteger INSTANCES =
      new java.util.concurrent.atomic.AtomicInteger();

  private final Database database;
  private final Vertx vertx;
  private final AppContext context;
  private final List<Feature> features;
  private final Dispatcher dispatcher;
  private final RetentionJob retention;
  private final int port;
  private final int managementPort;
  private final Duration drain;
  private final Duration grace;
  private final java.util.concurrent.atomic.AtomicBoolean closed =
      new java.util.concurrent.atomic.AtomicBoolean();

  private App(
      Database database,
      Vertx vertx,
      AppContext context,
      List<Feature> features,
      Dispatcher dispatcher,
      RetentionJob retention,
      int port,
      int managementPort,
      Duration drain,
      Duration grace) {
    this.database = database;
    this.vertx = vertx;
    this.context = context;
    this.features = features;
    this.dispatcher = dispatcher;
    this.retention = retention;
    this.port = port;
    this.managementPort = managementPort;
    this.drain = drain;
    this.grace = grace;
  }

  public static App start(Config config, Clock clock) throws Exception {
    long started = System.nanoTime();
    configureJson();
    ServerSettings server = ServerSettings.from(config);
    Database database = Database.open(config);
    Vertx vertx = null;
    try {
      database.migrate();
      TokenSettings tokenSettings = TokenSettings.from(config);
      Tokens tokens =
          new Tokens(
              keyRing(config, tokenSettings),
              tokenSettings.issuer(),
              tokenSettings.audience(),
              tokenSettings.deviceTtl(),
              tokenSettings.staffTtl(),
              clock);

      PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      // x-anonymous operations are not measured at all: a per-route series would record when each
      // report was sent, to the scrape interval. Filled from the contract before the first request.
      Set<String> anonymousRoutes = ConcurrentHashMap.newKeySet();
      metrics
          .config()
          .meterFilter(
              MeterFilter.deny(
                  id -> {
                    String route = id.getTag("route");
                    return route != null && anonymousRoutes.contains(route);
                  }));
      // vertx-micrometer 5 registers these gauges once per SQL connection and once per HTTP server
      // (one per event loop) under the same name (its issue #259): each showed the first one's
      // count only, and Micrometer warned at every start. vertx_pool_in_use and
      // vertx_pool_queue_pending cover the SQL side; the HTTP ones return when #259 is fixed
      metrics.config().meterFilter(MeterFilter.denyNameStartsWith("vertx.sql.processing.pending"));
      metrics.config().meterFilter(MeterFilter.denyNameStartsWith("vertx.http.server.active."));
      vertx =
          Vertx.builder()
              .with(
                  new VertxOptions()
                      .setMetricsOptions(
                          new MicrometerMetricsOptions()
                              .setEnabled(true)
                              // Vert.x keeps metric backends in a static map by this name: with the
                              // default name a second App in the same JVM (tests, a restart in
                              // place) would report into the first one's
                              .setRegistryName("youth-safety-" + INSTANCES.incrementAndGet())
                              .setJvmMetricsEnabled(true)
                              // raw TCP client series (the PostgreSQL connections, which
                              // vertx_pool_* and vertx_sql_* already describe) share one untagged
                              // gauge per process: every client after the first was ignored with a
                              // warning at each start
                              .addDisabledMetricsCategory(
                                  io.vertx.micrometer.MetricsDomain.NET_CLIENT)
                              // per-operation latency: the route is the contract's path template,
                              // never a concrete path
                              .addLabels(io.vertx.micrometer.Label.HTTP_ROUTE)
                              // each SQL client's name (the pool, each LISTEN connection) on its
                              // vertx_sql_* series
                              .addLabels(io.vertx.micrometer.Label.NAMESPACE)))
              .withMetrics(new MicrometerMetricsFactory(metrics))
              .build();
      Pool pool = database.pool(vertx);
      awaitFirstConnection(pool, database.settings().startupWait());
      RateLimits limits = new RateLimits();
      vertx.setPeriodic(60_000, id -> limits.sweep(System.nanoTime()));
      AppContext context =
          new AppContext(
              vertx,
              config,
              clock,
              pool,
              database.connectOptions(),
              tokens,
              limits,
              metrics,
              database.isEmbedded(),
              new Draining(),
              new RequestDeadlines(
                  vertx,
                  server.requestTimeout(),
                  server.outageWait(),
                  ApiRouter.DEFAULT_OUTAGE_MEMORY));
      List<Feature> features = Features.all(context);

      if (database.isEmbedded() && server.demoContent()) {
        loadDemoContent(context, features);
      }
      // every cache loaded before the first request (each retries with backoff meanwhile)
      Future.all(listeners(features).stream().map(PgListener::start).toList())
          .await(60, TimeUnit.SECONDS);
      for (Feature f : features) {
        f.start().await(60, TimeUnit.SECONDS);
      }
      // loud on purpose: on the embedded default staff may believe that referrals, alerts and
      // bulletins went out
      features.stream().flatMap(f -> f.warnings().stream()).forEach(w -> LOG.warn("*** {} ***", w));

      OpenAPIContract contract = ContractLoader.load(vertx).await(30, TimeUnit.SECONDS);
      anonymousRoutes.addAll(ApiRouter.anonymousRoutes(contract));
      Routes routes = new Routes();
      features.forEach(f -> f.routes(routes));
      Vertx v = vertx;
      Supplier<Router> router =
          () ->
              ApiRouter.build(
                  v,
                  contract,
                  routes,
                  tokens,
                  limits,
                  server.maxBodyBytes(),
                  server.clientNetwork(),
                  context.deadlines());
      // build one router eagerly so that a contract/handler mismatch stops the start right here
      var unused = router.get();
      List<ApiVerticle> verticles = new ArrayList<>();
      vertx
          .deployVerticle(
              () -> {
                ApiVerticle verticle =
                    new ApiVerticle(router, server.host(), server.port(), server.shutdownGrace());
                synchronized (verticles) {
                  verticles.add(verticle);
                }
                return verticle;
              },
              new DeploymentOptions().setInstances(server.httpInstances()))
          .await(60, TimeUnit.SECONDS);

      List<Channel> channels = features.stream().flatMap(f -> f.channels().stream()).toList();
      OutboxSettings outbox = OutboxSettings.from(config);
      Dispatcher dispatcher =
          new Dispatcher(
              vertx,
              pool,
              context.listenerOptions("outbox-listener"),
              clock,
              channels,
              outbox.options());
      if (outbox.dispatcher()) {
        dispatcher.start().await(30, TimeUnit.SECONDS);
      }

      List<Retention> rules = features.stream().flatMap(f -> f.retention().stream()).toList();
      RetentionJob retention = new RetentionJob(vertx, pool, clock, rules);
      retention.start(server.retentionInterval());

      int port = verticles.get(0).actualPort();
      int managementPort =
          ManagementServer.start(vertx, metrics, server.managementHost(), server.managementPort())
              .await(30, TimeUnit.SECONDS)
              .actualPort();
      LOG.info(
          "Youth Safety API listening on port {}, metrics on {} ({} PostgreSQL, {} event loops) in {} ms",
          port,
          managementPort,
          database.isEmbedded() ? "embedded" : "external",
          server.httpInstances(),
          (System.nanoTime() - started) / 1_000_000);
      return new App(
          database,
          vertx,
          context,
          features,
          dispatcher,
          retention,
          port,
          managementPort,
          server.shutdownDrain(),
          server.shutdownGrace());
    } catch (Exception | Error e) {
      if (vertx != null) {
        vertx.close().await(10, TimeUnit.SECONDS);
      }
      database.close();
      throw e;
    }
  }

  private static KeyRing keyRing(Config config, TokenSettings settings) throws Exception {
    Path signing = settings.signingKey().orElse(null);
    if (signing == null) {
      if (!config.embedded()) {
        // several instances must share one key: generating one here would split them
        throw new IllegalStateException("JWT_SIGNING_KEY is required when DATABASE_URL is set");
      }
      signing = config.dataDir().resolve("keys/jwt-signing.pem");
      KeyRing.generateIfMissing(signing);
    }
    return KeyRing.load(signing, settings.verifyKeys());
  }

  /**
   * The pool's first connection on a busy machine can take longer than DB_ACQUIRE_TIMEOUT, which is
   * tuned to fail requests fast, not to fail a start: retry until the startup wait runs out.
   */
  private static void awaitFirstConnection(Pool pool, Duration wait) throws Exception {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      try {
        pool.query("SELECT 1").execute().await(30, TimeUnit.SECONDS);
        return;
      } catch (Exception e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        LOG.info("waiting for a first PostgreSQL connection ({})", e.getMessage());
        Thread.sleep(250);
      }
    }
  }

  private static void loadDemoContent(AppContext context, List<Feature> features) throws Exception {
    for (Feature f : features) {
      for (DemoContent demo : f.demoContent()) {
        demo.load(context.pool(), context.clock()).await(120, TimeUnit.SECONDS);
        LOG.info("demo content {} ready", demo.name());
      }
    }
  }

  private static List<PgListener> listeners(List<Feature> features) {
    return features.stream().flatMap(f -> f.listeners().stream()).toList();
  }

  private static void configureJson() {
    DatabindCodec.mapper()
        .findAndRegisterModules()
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .setSerializationInclusion(JsonInclude.Include.ALWAYS);
  }

  public int port() {
    return port;
  }

  /** The management port (metrics); see {@link ManagementServer}. */
  public int managementPort() {
    return managementPort;
  }

  public AppContext context() {
    return context;
  }

  public List<Feature> features() {
    return features;
  }

  public RetentionJob retention() {
    return retention;
  }

  public Dispatcher dispatcher() {
    return dispatcher;
  }

  /**
   * Graceful, and bounded by SHUTDOWN_DRAIN + SHUTDOWN_GRACE plus a few seconds: readiness fails at
   * once and the dispatcher stops claiming; requests are still served for the drain period, while
   * the load balancer notices and stops sending; then the HTTP servers stop accepting and finish
   * the requests in flight (up to the grace period). Outbox deliveries in flight get the drain and
   * grace periods together; what is still in flight then is let go of, for another instance to take
   * at once. Then jobs, the features, the pool and the database stop. Safe to call more than once.
   */
  @Override
  public void close() throws Exception {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    LOG.info("shutting down: not ready from now on, serving for {} ms more", drain.toMillis());
    context.draining().begin();
    retention.stop();
    Future<Void> dispatcherStopped = dispatcher.stop(drain.plus(grace));
    if (!drain.isZero()) {
      Thread.sleep(drain.toMillis());
    }
    for (String id : List.copyOf(vertx.deploymentIDs())) {
      try {
        vertx.undeploy(id).await(grace.toMillis() + 10_000, TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        LOG.warn("undeploy: {}", e.getMessage());
      }
    }
    try {
      dispatcherStopped.await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("dispatcher stop: {}", e.getMessage());
    }
    for (int i = features.size() - 1; i >= 0; i--) {
      Feature f = features.get(i);
      try {
        f.stop().await(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("{} stop: {}", f.getClass().getSimpleName(), e.getMessage());
      }
    }
    try {
      Future.join(listeners(features).stream().map(PgListener::stop).toList())
          .await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("listeners stop: {}", e.getMessage());
    }
    context.pool().close().await(10, TimeUnit.SECONDS);
    vertx.close().await(30, TimeUnit.SECONDS);
    database.close();
    LOG.info("stopped");
  }
}
