package uk.gov.islington.youthsafety.api.console;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.vertx.core.Future;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.gov.islington.youthsafety.api.http.AccessLog;
import uk.gov.islington.youthsafety.api.http.DatabaseUnavailable;
import uk.gov.islington.youthsafety.api.http.ErrorHandler;
import uk.gov.islington.youthsafety.content.common.DomainException;
import uk.gov.islington.youthsafety.content.staff.StaffSessions;

/**
 * What every console page shares: rendering a jte template in the layout, the security headers, the
 * session cookie, the guard in front of each page (signed in, second factor done, role from {@link
 * ConsoleRoles}, CSRF token and same origin on every POST), and failures as pages.
 */
public final class ConsolePages {

  private static final Logger LOG = LoggerFactory.getLogger(ConsolePages.class);

  static final String COOKIE = "__Host-ys-console";
  private static final String SESSION = "consoleSession";
  // 'self' only: no inline script or style, no third party, no framing, forms post to us only
  private static final String CSP =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
          + "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
          + "frame-ancestors 'none'";

  /** A page's work once the guard has let the request through. */
  @FunctionalInterface
  interface Page {
    Future<Void> handle(RoutingContext ctx, StaffSessions.Session session);
  }

  private final TemplateEngine templates = TemplateEngine.createPrecompiled(ContentType.Html);
  private final StaffSessions sessions;
  private final ConsoleAssets assets;
  private final Supplier<List<String>> warnings;

  /**
   * @param warnings what the service cannot do as configured, on every page for signed-in staff
   */
  ConsolePages(StaffSessions sessions, ConsoleAssets assets, Supplier<List<String>> warnings) {
    this.sessions = sessions;
    this.assets = assets;
    this.warnings = warnings;
  }

  StaffSessions sessions() {
    return sessions;
  }

  // ---- rendering --------------------------------------------------------------------------

  /** The frame of a page for this session (null: nobody signed in yet). */
  Frame frame(RoutingContext ctx, StaffSessions.Session session, String title) {
    List<Frame.NavItem> nav = new ArrayList<>();
    String path = ctx.request().path();
    if (session != null && session.active()) {
      nav.add(
          new Frame.NavItem(
              "Home", "/console", path.equals("/console") || path.equals("/console/")));
      if (ConsoleRoles.allows(ConsoleRoles.TRIAGE_QUEUE, session.roles())) {
        nav.add(new Frame.NavItem("Triage", "/console/triage", path.startsWith("/console/triage")));
      }
      if (ConsoleRoles.allows(ConsoleRoles.CONSULTATIONS, session.roles())) {
        nav.add(
            new Frame.NavItem(
                "Consultations",
                "/console/consultations",
                path.startsWith("/console/consultations")));
      }
      if (ConsoleRoles.allows(ConsoleRoles.HAVENS, session.roles())) {
        nav.add(
            new Frame.NavItem(
                "Safe Havens", "/console/havens", path.startsWith("/console/havens")));
      }
      if (ConsoleRoles.allows(ConsoleRoles.APPLICATIONS, session.roles())) {
        nav.add(
            new Frame.NavItem(
                "Applications", "/console/applications", path.startsWith("/console/applications")));
      }
      if (ConsoleRoles.allows(ConsoleRoles.EVENTS, session.roles())) {
        nav.add(new Frame.NavItem("Events", "/console/events", path.startsWith("/console/events")));
      }
      if (ConsoleRoles.allows(ConsoleRoles.BULLETINS, session.roles())) {
        nav.add(
            new Frame.NavItem(
                "Bulletins", "/console/bulletins", path.startsWith("/console/bulletins")));
      }
      if (ConsoleRoles.allows(ConsoleRoles.CATEGORIES, session.roles())) {
        nav.add(
            new Frame.NavItem(
                "Report categories",
                "/console/categories",
                path.startsWith("/console/categories")));
      }
      if (ConsoleRoles.allows(ConsoleRoles.STAFF_LIST, session.roles())) {
        nav.add(new Frame.NavItem("Staff", "/console/staff", path.startsWith("/console/staff")));
      }
      nav.add(
          new Frame.NavItem(
              "Your account", "/console/account/password", path.startsWith("/console/account")));
    }
    boolean signedIn = session != null && session.active();
    return new Frame(
        title,
        false,
        assets.prefix(),
        signedIn ? session.username() : null,
        signedIn ? session.csrfToken() : null,
        List.copyOf(nav),
        signedIn ? warnings.get() : List.of());
  }

  Future<Void> render(RoutingContext ctx, int status, String template, Map<String, Object> params) {
    StringOutput out = new StringOutput();
    templates.render("console/" + template + ".jte", params, out);
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "text/html; charset=utf-8")
        .end(out.toString());
    return Future.succeededFuture();
  }

  Future<Void> redirect(RoutingContext ctx, String location) {
    ctx.response().setStatusCode(303).putHeader("Location", location).end();
    return Future.succeededFuture();
  }

  Future<Void> errorPage(RoutingContext ctx, int status, String heading, String message) {
    return errorPage(ctx, status, heading, message, "/console", "Go to the console's home page");
  }

  Future<Void> errorPage(
      RoutingContext ctx,
      int status,
      String heading,
      String message,
      String link,
      String linkText) {
    if (ctx.response().ended()) {
      return Future.succeededFuture();
    }
    StaffSessions.Session session = ctx.get(SESSION);
    Frame frame = frame(ctx, session, heading).withError(true);
    return render(
        ctx,
        status,
        "error",
        Map.of(
            "frame",
            frame,
            "heading",
            heading,
            "message",
            message,
            "link",
            link,
            "linkText",
            linkText));
  }

  // ---- headers ----------------------------------------------------------------------------

  /** On every console response, pages and assets alike; assets then allow caching again. */
  public static void headers(RoutingContext ctx) {
    ctx.response()
        .headers()
        .set("Content-Security-Policy", CSP)
        .set("Referrer-Policy", "no-referrer")
        .set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        .set("X-Frame-Options", "DENY")
        .set("X-Content-Type-Options", "nosniff")
        .set("Cross-Origin-Opener-Policy", "same-origin")
        .set("Cross-Origin-Resource-Policy", "same-origin")
        .set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        // pages show reports, people and secrets: never kept by a browser or a proxy
        .set("Cache-Control", "no-store");
    ctx.next();
  }

  // ---- the session cookie -----------------------------------------------------------------

  void setSessionCookie(RoutingContext ctx, String id) {
    ctx.response()
        .addCookie(
            Cookie.cookie(COOKIE, id)
                .setPath("/")
                .setSecure(true)
                .setHttpOnly(true)
                .setSameSite(CookieSameSite.STRICT));
  }

  void clearSessionCookie(RoutingContext ctx) {
    ctx.response()
        .addCookie(
            Cookie.cookie(COOKIE, "")
                .setPath("/")
                .setSecure(true)
                .setHttpOnly(true)
                .setSameSite(CookieSameSite.STRICT)
                .setMaxAge(0));
  }

  static String sessionId(RoutingContext ctx) {
    Cookie c = ctx.request().getCookie(COOKIE);
    return c == null || c.getValue().isEmpty() ? null : c.getValue();
  }

  /** The session of the request, whatever its stage; empty when there is none (or it has ended). */
  Future<Optional<StaffSessions.Session>> session(RoutingContext ctx) {
    return sessions.touch(sessionId(ctx));
  }

  // ---- the guard --------------------------------------------------------------------------

  /**
   * A page that needs a signed-in member of staff (both factors) whose roles the rule {@code key}
   * allows. No session (or an ended one): back to sign-in, then to this page. A POST also needs the
   * session's CSRF token and to come from our own origin; otherwise 403 and nothing changes.
   */
  io.vertx.core.Handler<RoutingContext> page(String key, Page page) {
    // an unknown key fails at start-up, not at the first request
    if (!ConsoleRoles.RULES.containsKey(key)) {
      throw new IllegalArgumentException("no role rule for console page " + key);
    }
    return ctx -> {
      AccessLog.name(ctx, "console:" + key);
      session(ctx)
          .compose(
              found -> {
                if (found.isEmpty() || !found.get().active()) {
                  if (ctx.request().method() == HttpMethod.POST) {
                    return errorPage(
                        ctx,
                        403,
                        "Your session has ended",
                        "Nothing was changed. Sign in again, then try once more.",
                        "/console/sign-in",
                        "Sign in");
                  }
                  return redirect(ctx, "/console/sign-in?next=" + encode(ctx.request().uri()));
                }
                StaffSessions.Session session = found.get();
                ctx.put(SESSION, session);
                if (ctx.request().method() == HttpMethod.POST
                    && !(sameOrigin(ctx) && csrfMatches(ctx, session))) {
                  return forbiddenPost(ctx);
                }
                if (!ConsoleRoles.allows(key, session.roles())) {
                  return errorPage(
                      ctx,
                      403,
                      "You cannot open this page",
                      "Your role does not include this part of the console.");
                }
                return page.handle(ctx, session);
              })
          .onFailure(ctx::fail);
    };
  }

  Future<Void> forbiddenPost(RoutingContext ctx) {
    return errorPage(
        ctx,
        403,
        "This form could not be accepted",
        "It did not come from a console page of this session, so nothing was changed. Go back, refresh the page and try again.");
  }

  /**
   * The request comes from one of our own pages: its Origin says so, or, where the browser sends
   * {@code Origin: null} (as it does for a form under {@code Referrer-Policy: no-referrer}) or
   * none, its Sec-Fetch-Site. A request with neither (not a browser) meets the CSRF token alone.
   */
  public static boolean sameOrigin(RoutingContext ctx) {
    String origin = ctx.request().getHeader("Origin");
    String site = ctx.request().getHeader("Sec-Fetch-Site");
    if (origin != null && !origin.equals("null")) {
      String host = ctx.request().getHeader("Host");
      try {
        URI uri = URI.create(origin);
        String authority = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
        return host != null
            && authority != null
            && authority.equalsIgnoreCase(host)
            && (site == null || site.equals("same-origin"));
      } catch (IllegalArgumentException e) {
        return false;
      }
    }
    if (site != null) {
      return site.equals("same-origin");
    }
    return origin == null;
  }

  static boolean csrfMatches(RoutingContext ctx, StaffSessions.Session session) {
    String sent = ctx.request().getFormAttribute("csrf");
    return sent != null
        && MessageDigest.isEqual(
            sent.getBytes(StandardCharsets.UTF_8),
            session.csrfToken().getBytes(StandardCharsets.UTF_8));
  }

  static String form(RoutingContext ctx, String name) {
    String v = ctx.request().getFormAttribute(name);
    return v == null ? null : v.strip();
  }

  /** The service's checks may throw before they return a future: either way, a failed future. */
  static <T> Future<T> attempt(java.util.function.Supplier<Future<T>> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  static String encode(String s) {
    return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** Where to go after signing in: only a console page of ours, never another site. */
  static String safeNext(String next) {
    if (next == null
        || !next.startsWith("/console")
        || next.startsWith("//")
        || next.contains("\\")
        || next.startsWith("/console/sign-")) {
      return "/console";
    }
    return next;
  }

  // ---- failures ---------------------------------------------------------------------------

  /** Every failure of a console page is a page: never a stack trace, never JSON. */
  void failed(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (ctx.response().ended()) {
      return;
    }
    if (failure instanceof DomainException.NotFound) {
      errorPage(
          ctx,
          404,
          "Page not found",
          "There is nothing at this address. It may have been removed.");
    } else if (failure instanceof DomainException.Forbidden f) {
      errorPage(ctx, 403, "You cannot do this", f.getMessage());
    } else if (failure instanceof DomainException.Throttled t) {
      ctx.response().putHeader("Retry-After", Long.toString(t.retryAfterSeconds()));
      errorPage(ctx, 429, "Too many attempts", t.getMessage());
    } else if (DatabaseUnavailable.matches(failure)) {
      LOG.warn("console: database unavailable: {}", failure.getClass().getSimpleName());
      ctx.response().putHeader("Retry-After", "5");
      errorPage(
          ctx,
          503,
          "Sorry, the console is unavailable",
          "We cannot reach our database just now. Nothing you were doing was lost. Try again in a minute.");
    } else if (failure == null && ctx.statusCode() == 404) {
      errorPage(ctx, 404, "Page not found", "There is nothing at this address.");
    } else if (failure == null && ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
      errorPage(
          ctx, ctx.statusCode(), "This request could not be handled", "Go back and try again.");
    } else {
      String id = AccessLog.correlationId(ctx);
      LOG.error("console: unhandled failure {}", id, ErrorHandler.loggable(failure, true));
      errorPage(
          ctx,
          500,
          "Sorry, something went wrong",
          "Something went wrong on our side. If it happens again, tell the service desk this reference: "
              + id
              + ".");
    }
  }
}
