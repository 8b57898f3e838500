package uk.gov.islington.youthsafety.api.http;

import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request: method, the operationId (never the path or query string), status, duration
 * and a correlation id. No address, user agent, body or token ever goes in. Operations marked
 * {@code x-anonymous: true} in the contract (anonymous reports) get no line at all: a timestamped
 * line would record when a report was made.
 */
public final class AccessLog implements PlatformHandler {

  private static final Logger LOG = LoggerFactory.getLogger("access");
  private static final String CORRELATION_ID = "correlationId";
  static final String SILENT = "accessLogSilent";
  static final String OPERATION = "operationId";

  @Override
  public void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    ctx.put(CORRELATION_ID, newId());
    ctx.response().headers().add("X-Content-Type-Options", "nosniff");
    ctx.addEndHandler(
        v -> {
          if (ctx.get(SILENT) != null || !LOG.isInfoEnabled()) {
            return;
          }
          String operation = ctx.get(OPERATION);
          LOG.info(
              "{} {} {} {}ms id={}",
              ctx.request().method(),
              operation == null ? "(unmatched)" : operation,
              ctx.response().getStatusCode(),
              (System.nanoTime() - start) / 1_000_000,
              correlationId(ctx));
        });
    ctx.next();
  }

  /**
   * Names what a request that is not a contract operation did (e.g. a console page), for its log
   * line.
   */
  public static void name(RoutingContext ctx, String name) {
    ctx.put(OPERATION, name);
  }

  public static String correlationId(RoutingContext ctx) {
    String id = ctx.get(CORRELATION_ID);
    return id == null ? newId() : id;
  }

  // not a secret, just unique: ThreadLocalRandom avoids the shared SecureRandom behind UUID on
  // every request
  private static String newId() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return Long.toHexString(r.nextLong() | Long.MIN_VALUE)
        + Long.toHexString(r.nextLong() | Long.MIN_VALUE);
  }
}
