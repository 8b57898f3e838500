package uk.gov.islington.youthsafety.api.bulletins;

import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import uk.gov.islington.youthsafety.api.console.ConsolePages;
import uk.gov.islington.youthsafety.api.console.FieldError;
import uk.gov.islington.youthsafety.api.console.Frame;
import uk.gov.islington.youthsafety.api.http.ClientNetwork;
import uk.gov.islington.youthsafety.content.bulletins.BulletinVocabulary;
import uk.gov.islington.youthsafety.content.bulletins.EmailSubscriptions;
import uk.gov.islington.youthsafety.content.bulletins.Preferences;
import uk.gov.islington.youthsafety.content.common.InvalidInput;

/**
 * The public pages of the bulletin's e-mail subscriptions: sign up, confirm, change preferences,
 * unsubscribe (also RFC 8058's one-click POST). Server-rendered GOV.UK Frontend pages that need no
 * JavaScript ({@link SitePages}). Pages reached by an e-mailed link carry its secret in the
 * address, so they are never cached and send no referrer; links are used (confirm, unsubscribe)
 * only by a POST, so a mail scanner that fetches every link in an e-mail changes nothing.
 */
final class BulletinPages {

  static final Map<String, String> AUDIENCES =
      labels(
          Map.of(
              "parents", "Parents and carers",
              "young_people", "Young people",
              "professionals", "Professionals (teachers, youth workers and others)"),
          BulletinVocabulary.AUDIENCES);

  static final Map<String, String> AREAS =
      labels(
          Map.ofEntries(
              Map.entry("arsenal", "Arsenal"),
              Map.entry("barnsbury", "Barnsbury"),
              Map.entry("bunhill", "Bunhill"),
              Map.entry("caledonian", "Caledonian"),
              Map.entry("canonbury", "Canonbury"),
              Map.entry("clerkenwell", "Clerkenwell"),
              Map.entry("finsbury-park", "Finsbury Park"),
              Map.entry("highbury", "Highbury"),
              Map.entry("hillrise", "Hillrise"),
              Map.entry("holloway", "Holloway"),
              Map.entry("junction", "Junction"),
              Map.entry("laycock", "Laycock"),
              Map.entry("mildmay", "Mildmay"),
              Map.entry("st-marys-and-st-james", "St Mary's and St James'"),
              Map.entry("st-peters-and-canalside", "St Peter's and Canalside"),
              Map.entry("tollington", "Tollington"),
              Map.entry("tufnell-park", "Tufnell Park")),
          BulletinVocabulary.AREAS);

  private final SitePages site;
  private final EmailSignUp signUp;
  private final EmailSubscriptions subscriptions;

  BulletinPages(SitePages site, EmailSignUp signUp) {
    this.site = site;
    this.signUp = signUp;
    this.subscriptions = signUp.subscriptions();
  }

  void mount(Router router) {
    router.get("/bulletins/subscribe").handler(ctx -> run(ctx, "subscribe", this::subscribeForm));
    router.post("/bulletins/subscribe").handler(ctx -> run(ctx, "subscribe", this::subscribe));
    router
        .get("/bulletins/subscribe/check-your-email")
        .handler(ctx -> run(ctx, "subscribe:sent", this::checkYourEmail));
    router.get("/bulletins/confirm").handler(ctx -> run(ctx, "confirm", this::confirmPage));
    router.post("/bulletins/confirm").handler(ctx -> run(ctx, "confirm", this::confirm));
    router
        .get("/bulletins/preferences")
        .handler(ctx -> run(ctx, "preferences", this::preferencesForm));
    router
        .post("/bulletins/preferences")
        .handler(ctx -> run(ctx, "preferences", this::preferences));
    router
        .get("/bulletins/unsubscribe")
        .handler(ctx -> run(ctx, "unsubscribe", this::unsubscribePage));
    router
        .post("/bulletins/unsubscribe")
        .handler(ctx -> run(ctx, "unsubscribe", this::unsubscribe));
  }

  // ---- signing up -------------------------------------------------------------------------

  private Future<Void> subscribeForm(RoutingContext ctx) {
    return subscribePage(
        ctx, 200, List.of(), "", new Preferences(List.of(), List.of(), Preferences.EACH));
  }

  private Future<Void> subscribePage(
      RoutingContext ctx, int status, List<FieldError> errors, String email, Preferences chosen) {
    Map<String, Object> p = new HashMap<>();
    p.put("frame", frame("Get the bulletin by e-mail", !errors.isEmpty()));
    p.put("errors", errors);
    p.put("email", email);
    p.put("chosen", chosen);
    p.put("audienceLabels", AUDIENCES);
    p.put("areaLabels", AREAS);
    return render(ctx, status, "subscribe", p);
  }

  private Future<Void> subscribe(RoutingContext ctx) {
    if (!ConsolePages.sameOrigin(ctx)) {
      return message(
          ctx,
          403,
          "This form could not be accepted",
          "It did not come from this site, so nothing was sent. Go back to the sign-up page and try again.",
          true);
    }
    String email = form(ctx, "email");
    Preferences chosen = chosen(ctx);
    return signUp
        .subscribe(
            ClientNetwork.of(ctx), email, chosen.audiences(), chosen.areas(), chosen.frequency())
        .compose(v -> redirect(ctx, "/bulletins/subscribe/check-your-email"))
        .recover(
            e ->
                e instanceof InvalidInput invalid
                    ? subscribePage(
                        ctx, 400, fieldErrors(invalid), email == null ? "" : email, chosen)
                    : Future.failedFuture(e));
  }

  private Future<Void> checkYourEmail(RoutingContext ctx) {
    return message(
        ctx,
        200,
        "Check your e-mail",
        "If the address can receive e-mail, we have sent a message to it. Use the link in it within 48 hours to "
            + "confirm your subscription. If nothing arrives, check your spam folder, or sign up again in an hour.",
        false);
  }

  // ---- confirming -------------------------------------------------------------------------

  private Future<Void> confirmPage(RoutingContext ctx) {
    String s = ctx.queryParams().get("s");
    String t = ctx.queryParams().get("t");
    return subscriptions
        .checkConfirmation(s, t)
        .compose(
            c ->
                confirmed(
                    ctx,
                    c,
                    () ->
                        buttonPage(
                            ctx,
                            "Confirm your subscription",
                            "Confirm your subscription",
                            "Press the button to start getting the Youth Safety Bulletin by e-mail.",
                            linkAction("/bulletins/confirm", s, t),
                            "Confirm subscription")));
  }

  private Future<Void> confirm(RoutingContext ctx) {
    return subscriptions
        .confirm(ctx.queryParams().get("s"), ctx.queryParams().get("t"))
        .compose(
            c ->
                confirmed(
                    ctx,
                    c,
                    () ->
                        linkPage(
                            ctx,
                            200,
                            "Subscription confirmed",
                            "You are subscribed",
                            "You will get the Youth Safety Bulletin by e-mail. Every e-mail has links to change what you get and "
                                + "to unsubscribe.",
                            "/bulletins",
                            "Read the latest bulletins")));
  }

  /** The page of a confirmation link: {@code page} when it works, else why it does not. */
  private Future<Void> confirmed(
      RoutingContext ctx,
      EmailSubscriptions.Confirmation c,
      java.util.function.Supplier<Future<Void>> page) {
    return switch (c) {
      case CONFIRMED -> page.get();
      case EXPIRED -> expired(ctx);
      case NOT_VALID -> notValid(ctx, "confirm");
    };
  }

  private Future<Void> expired(RoutingContext ctx) {
    return linkPage(
        ctx,
        410,
        "This link has expired",
        "This link has expired",
        "Confirmation links work for 48 hours. Sign up again and we will send you a new one.",
        "/bulletins/subscribe",
        "Sign up again");
  }

  private Future<Void> notValid(RoutingContext ctx, String what) {
    String message =
        "confirm".equals(what)
            ? "This link has been used already, or it is not complete. If you have confirmed already, you are subscribed. "
                + "Otherwise sign up again and use the newest e-mail we send."
            : "This link does not work any more. If you have unsubscribed, we have deleted your address. If you are still "
                + "subscribed, use the link in the newest e-mail we sent you.";
    return linkPage(
        ctx,
        404,
        "This link does not work",
        "This link does not work",
        message,
        "/bulletins/subscribe",
        "Sign up to the bulletin");
  }

  // ---- preferences ------------------------------------------------------------------------

  private Future<Void> preferencesForm(RoutingContext ctx) {
    String s = ctx.queryParams().get("s");
    String t = ctx.queryParams().get("t");
    return subscriptions
        .preferences(s, t)
        .compose(
            found ->
                found.isEmpty()
                    ? notValid(ctx, "manage")
                    : preferencesPage(
                        ctx,
                        200,
                        List.of(),
                        ctx.queryParams().contains("saved"),
                        s,
                        t,
                        found.get()));
  }

  private Future<Void> preferences(RoutingContext ctx) {
    String s = ctx.queryParams().get("s");
    String t = ctx.queryParams().get("t");
    Preferences chosen = chosen(ctx);
    return subscriptions
        .updatePreferences(s, t, chosen)
        .compose(
            done ->
                done
                    ? redirect(ctx, linkAction("/bulletins/preferences", s, t) + "&saved")
                    : notValid(ctx, "manage"))
        .recover(
            e ->
                e instanceof InvalidInput invalid
                    ? preferencesPage(ctx, 400, fieldErrors(invalid), false, s, t, chosen)
                    : Future.failedFuture(e));
  }

  private Future<Void> preferencesPage(
      RoutingContext ctx,
      int status,
      List<FieldError> errors,
      boolean saved,
      String s,
      String t,
      Preferences chosen) {
    Map<String, Object> p = new HashMap<>();
    p.put("frame", frame("Change what you get", !errors.isEmpty()));
    p.put("errors", errors);
    p.put("saved", saved);
    p.put("action", linkAction("/bulletins/preferences", s, t));
    p.put("unsubscribe", linkAction("/bulletins/unsubscribe", s, t));
    p.put("chosen", chosen);
    p.put("audienceLabels", AUDIENCES);
    p.put("areaLabels", AREAS);
    return render(ctx, status, "preferences", p);
  }

  // ---- unsubscribing ----------------------------------------------------------------------

  private Future<Void> unsubscribePage(RoutingContext ctx) {
    String s = ctx.queryParams().get("s");
    String t = ctx.queryParams().get("t");
    return buttonPage(
        ctx,
        "Unsubscribe",
        "Unsubscribe from the Youth Safety Bulletin",
        "Press the button to stop getting the bulletin. We delete your e-mail address at once.",
        linkAction("/bulletins/unsubscribe", s, t),
        "Unsubscribe");
  }

  /**
   * The page's button and RFC 8058's one-click POST (body {@code List-Unsubscribe=One-Click}, no
   * cookie, no Origin of ours) alike: the link's secret is the authority. Answering the same for a
   * link that no longer works makes a repeated one-click harmless.
   */
  private Future<Void> unsubscribe(RoutingContext ctx) {
    return subscriptions
        .unsubscribe(ctx.queryParams().get("s"), ctx.queryParams().get("t"))
        .compose(
            deleted ->
                message(
                    ctx,
                    200,
                    "You are unsubscribed",
                    "You will get no more Youth Safety Bulletin e-mails, and we have deleted your e-mail address. "
                        + "You can sign up again at any time.",
                    false));
  }

  // ---- shared -----------------------------------------------------------------------------

  private Frame frame(String title, boolean error) {
    return site.frame(title, error);
  }

  private Future<Void> message(
      RoutingContext ctx, int status, String heading, String message, boolean error) {
    return site.message(ctx, status, heading, message, error);
  }

  /**
   * A message with a link onward: a confirmation panel when all went well (2xx), an error page
   * otherwise.
   */
  private Future<Void> linkPage(
      RoutingContext ctx,
      int status,
      String title,
      String heading,
      String message,
      String link,
      String linkText) {
    boolean error = status >= 400;
    Map<String, Object> p = new HashMap<>();
    p.put("frame", frame(title, error));
    p.put("heading", heading);
    p.put("panel", !error);
    p.put("message", message);
    p.put("link", link);
    p.put("linkText", linkText);
    return render(ctx, status, "message", p);
  }

  /** A message with one button, which posts to {@code action}. */
  private Future<Void> buttonPage(
      RoutingContext ctx,
      String title,
      String heading,
      String message,
      String action,
      String button) {
    return render(
        ctx,
        200,
        "message",
        Map.of(
            "frame",
            frame(title, false),
            "heading",
            heading,
            "message",
            message,
            "action",
            action,
            "button",
            button));
  }

  private Future<Void> render(
      RoutingContext ctx, int status, String template, Map<String, Object> params) {
    return site.render(ctx, status, template, params);
  }

  private static Future<Void> redirect(RoutingContext ctx, String location) {
    return SitePages.redirect(ctx, location);
  }

  private static String linkAction(String path, String s, String t) {
    return path + "?s=" + encode(s) + "&t=" + encode(t);
  }

  private static String encode(String value) {
    return java.net.URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8);
  }

  private static String form(RoutingContext ctx, String name) {
    String v = ctx.request().getFormAttribute(name);
    return v == null ? null : v.strip();
  }

  private static Preferences chosen(RoutingContext ctx) {
    return new Preferences(
        ctx.request().formAttributes().getAll("audiences"),
        ctx.request().formAttributes().getAll("areas"),
        form(ctx, "frequency"));
  }

  /**
   * The domain's field errors as the page's error summary: one per form control, linked by its id.
   */
  private static List<FieldError> fieldErrors(InvalidInput invalid) {
    Map<String, FieldError> byField = new LinkedHashMap<>();
    for (InvalidInput.FieldError e : invalid.errors()) {
      String field = e.field().replaceAll("\\[\\d+]$", "");
      String message =
          switch (field) {
            case "email" -> "Enter an e-mail address in the correct format, like name@example.com";
            case "audiences" -> "Select who the bulletin is for";
            case "areas" -> "Select wards from the list";
            case "frequency" -> "Select how often you want the bulletin";
            default -> e.message();
          };
      byField.putIfAbsent(field, new FieldError(field, message));
    }
    return new ArrayList<>(byField.values());
  }

  private static Map<String, String> labels(Map<String, String> labels, List<String> order) {
    Map<String, String> ordered = new LinkedHashMap<>();
    order.forEach(key -> ordered.put(key, labels.getOrDefault(key, key)));
    return java.util.Collections.unmodifiableMap(ordered);
  }

  private static void run(
      RoutingContext ctx, String name, Function<RoutingContext, Future<Void>> step) {
    SitePages.run(ctx, name, step);
  }
}
