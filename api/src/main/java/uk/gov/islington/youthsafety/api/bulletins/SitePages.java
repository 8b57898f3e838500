package uk.gov.islington.youthsafety.api.bulletins;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.gov.islington.youthsafety.api.console.ConsoleAssets;
import uk.gov.islington.youthsafety.api.console.ConsolePages;
import uk.gov.islington.youthsafety.api.console.Frame;
import uk.gov.islington.youthsafety.api.http.AccessLog;
import uk.gov.islington.youthsafety.api.http.DatabaseUnavailable;
import uk.gov.islington.youthsafety.api.http.ErrorHandler;
import uk.gov.islington.youthsafety.content.common.DomainException;

/**
 * What the public bulletin pages share: the console's assets and security headers, rendering a
 * template of {@code jte/site} in its layout, and failures answered as pages, never as a stack
 * trace or JSON.
 */
final class SitePages {

  private static final Logger LOG = LoggerFactory.getLogger(SitePages.class);

  private final TemplateEngine templates = TemplateEngine.createPrecompiled(ContentType.Html);
  private final String assets = new ConsoleAssets().prefix();

  /**
   * The console's headers: a strict CSP, no referrer, no framing; {@code no-store} unless a page
   * says otherwise.
   */
  /** The public pages under /bulletins, each answer with this site's headers and error pages. */
  void mount(Router router, BulletinPages pages, ArchivePages archive) {
    router.route("/bulletins*").handler(SitePages::headers);
    pages.mount(router); // its fixed paths before the archive's /bulletins/:bulletinId
    archive.mount(router);
    router
        .route("/bulletins*")
        .handler(
            ctx -> message(ctx, 404, "Page not found", "There is nothing at this address.", true));
    router.route("/bulletins*").failureHandler(this::failed);
  }

  static void headers(RoutingContext ctx) {
    ConsolePages.headers(ctx);
  }

  Frame frame(String title, boolean error) {
    return new Frame(title, error, assets, null, null, List.of(), List.of());
  }

  Future<Void> render(RoutingContext ctx, int status, String template, Map<String, Object> params) {
    StringOutput out = new StringOutput();
    templates.render("site/" + template + ".jte", params, out);
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "text/html; charset=utf-8")
        .end(out.toString());
    return Future.succeededFuture();
  }

  Future<Void> message(
      RoutingContext ctx, int status, String heading, String message, boolean error) {
    return render(
        ctx,
        status,
        "message",
        Map.of("frame", frame(heading, error), "heading", heading, "message", message));
  }

  static Future<Void> redirect(RoutingContext ctx, String location) {
    ctx.response().setStatusCode(303).putHeader("Location", location).end();
    return Future.succeededFuture();
  }

  static void run(RoutingContext ctx, String name, Function<RoutingContext, Future<Void>> step) {
    AccessLog.name(ctx, "bulletins:" + name);
    try {
      step.apply(ctx).onFailure(ctx::fail);
    } catch (RuntimeException e) {
      ctx.fail(e);
    }
  }

  /** Every failure of these pages is a page. */
  void failed(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (ctx.response().ended()) {
      return;
    }
    ctx.response().putHeader("Cache-Control", "no-store");
    if (failure instanceof DomainException.Throttled t) {
      ctx.response().putHeader("Retry-After", Long.toString(t.retryAfterSeconds()));
      message(
          ctx,
          429,
          "Too many sign-ups",
          "There have been too many sign-ups from your connection just now. "
              + "Try again in an hour.",
          true);
    } else if (failure instanceof DomainException.NotFound
        || (failure == null && ctx.statusCode() == 404)) {
      message(
          ctx,
          404,
          "Page not found",
          "There is nothing at this address. It may have been moved.",
          true);
    } else if (failure instanceof uk.gov.islington.youthsafety.content.common.InvalidInput) {
      message(
          ctx,
          400,
          "This address is not complete",
          "Go back to the list of bulletins and try again.",
          true);
    } else if (DatabaseUnavailable.matches(failure)) {
      LOG.warn("bulletin pages: database unavailable: {}", failure.getClass().getSimpleName());
      ctx.response().putHeader("Retry-After", "5");
      message(ctx, 503, "Sorry, the service is unavailable", "Try again in a few minutes.", true);
    } else if (failure == null && ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
      message(
          ctx,
          ctx.statusCode(),
          "This request could not be handled",
          "Go back and try again.",
          true);
    } else {
      String id = AccessLog.correlationId(ctx);
      LOG.error("bulletin pages: unhandled failure {}", id, ErrorHandler.loggable(failure, true));
      message(
          ctx,
          500,
          "Sorry, something went wrong",
          "Something went wrong on our side. If it happens again, tell us this reference: "
              + id
              + ".",
          true);
    }
  }
}
