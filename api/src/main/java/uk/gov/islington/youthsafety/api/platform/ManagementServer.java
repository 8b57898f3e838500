package uk.gov.islington.youthsafety.api.platform;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;

/**
 * The operations port: Prometheus metrics, apart from the public API. Metrics describe the whole
 * service (what runs, how busy, how often each operation fails), which is for the people who run
 * it, so they are served on {@code MANAGEMENT_PORT}, bound to {@code MANAGEMENT_HOST} (localhost
 * unless set), and the public port answers 404 for /metrics.
 */
public final class ManagementServer {

  private ManagementServer() {}

  public static Future<HttpServer> start(
      Vertx vertx, PrometheusMeterRegistry metrics, String host, int port) {
    Router router = Router.router(vertx);
    router
        .get("/metrics")
        .handler(
            ctx ->
                ctx.response()
                    .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                    .putHeader("Cache-Control", "no-store")
                    .end(metrics.scrape()));
    return vertx.createHttpServer().requestHandler(router).listen(port, host);
  }
}
