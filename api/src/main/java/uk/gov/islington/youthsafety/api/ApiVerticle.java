package uk.gov.islington.youthsafety.api;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.time.Duration;
import java.util.function.Supplier;
import uk.gov.islington.youthsafety.api.http.MalformedRequest;

/** One HTTP server per event loop; all share the port, the pool and the features. */
final class ApiVerticle extends VerticleBase {

  private final Supplier<Router> router;
  private final String host;
  private final int port;
  private final Duration shutdownGrace;
  private HttpServer server;

  ApiVerticle(Supplier<Router> router, String host, int port, Duration shutdownGrace) {
    this.router = router;
    this.host = host;
    this.port = port;
    this.shutdownGrace = shutdownGrace;
  }

  @Override
  public Future<?> start() {
    server =
        vertx.createHttpServer(
            new HttpServerOptions()
                .setHost(host)
                .setPort(port)
                .setCompressionSupported(true)
                .setCompressionContentSizeThreshold(1024)
                .setMaxInitialLineLength(MalformedRequest.MAX_REQUEST_LINE_BYTES)
                .setMaxHeaderSize(MalformedRequest.MAX_HEADER_BYTES)
                .setIdleTimeout(120));
    return server
        .requestHandler(router.get())
        .invalidRequestHandler(new MalformedRequest())
        .listen();
  }

  /** Stops accepting and lets in-flight requests finish within the grace period. */
  @Override
  public Future<?> stop() {
    return server == null
        ? Future.succeededFuture()
        : server.shutdown(shutdownGrace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  int actualPort() {
    return server.actualPort();
  }
}
