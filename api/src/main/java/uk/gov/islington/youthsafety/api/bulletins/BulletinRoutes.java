package uk.gov.islington.youthsafety.api.bulletins;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.OffsetDateTime;
import uk.gov.islington.youthsafety.api.http.ApiRequest;
import uk.gov.islington.youthsafety.api.http.ItemsJson;
import uk.gov.islington.youthsafety.api.http.ProblemException;
import uk.gov.islington.youthsafety.api.http.Reply;
import uk.gov.islington.youthsafety.api.http.Routes;
import uk.gov.islington.youthsafety.content.bulletins.Bulletin;
import uk.gov.islington.youthsafety.content.bulletins.BulletinDraft;
import uk.gov.islington.youthsafety.content.bulletins.BulletinPatch;
import uk.gov.islington.youthsafety.content.bulletins.BulletinSubscriptions;
import uk.gov.islington.youthsafety.content.bulletins.Bulletins;
import uk.gov.islington.youthsafety.content.common.Page;

/**
 * The operations of the Youth Safety Bulletin: the public archive, editors' drafts and sends, the
 * delivery report, devices' push subscriptions and sign-ups by e-mail. Each handler maps a request
 * to a call of {@link Bulletins} or {@link BulletinSubscriptions} and the answer to a reply ({@link
 * BulletinJson}).
 */
final class BulletinRoutes {

  private static final String EDITOR = "editor";

  private final Bulletins bulletins;
  private final BulletinSubscriptions subscriptions;
  private final EmailSignUp emailSignUp;

  // the same answer whether or not the address is known, confirmed or throttled per address
  private static final JsonObject SIGN_UP_ANSWER =
      new JsonObject()
          .put("status", "confirmation_sent")
          .put(
              "message",
              "If the address can receive e-mail, a message to confirm the subscription is on its way. "
                  + "Nothing is sent until the link in it is used.");

  BulletinRoutes(
      Bulletins bulletins, BulletinSubscriptions subscriptions, EmailSignUp emailSignUp) {
    this.bulletins = bulletins;
    this.subscriptions = subscriptions;
    this.emailSignUp = emailSignUp;
  }

  void addTo(Routes routes) {
    routes
        .on("listBulletins", this::list)
        .on("getBulletin", this::get)
        .on("createBulletin", this::create)
        .on("updateBulletin", this::update)
        .on(
            "deleteBulletin",
            req -> bulletins.delete(req.path("bulletinId")).map(v -> Reply.noContent()))
        .on("sendBulletin", this::send)
        .on(
            "getBulletinDelivery",
            req ->
                bulletins
                    .delivery(req.path("bulletinId"))
                    .map(d -> Reply.ok(BulletinJson.toJson(d)).noStore()))
        .on("subscribe", this::subscribe)
        .on("subscribeByEmail", this::subscribeByEmail)
        .on(
            "getSubscription",
            req ->
                subscriptions
                    .find(req.requiredPrincipal().subject())
                    .map(
                        found ->
                            found
                                .map(s -> Reply.ok(BulletinJson.toJson(s)))
                                .orElseThrow(() -> ProblemException.status(404))))
        .on(
            "unsubscribe",
            req ->
                subscriptions
                    .unsubscribe(req.requiredPrincipal().subject())
                    .map(v -> Reply.noContent()));
  }

  private static boolean editor(ApiRequest req) {
    return req.callerHas(EDITOR);
  }

  private Future<Reply> list(ApiRequest req) {
    boolean editor = editor(req);
    String state = req.query("state");
    int limit = req.queryInt("limit", 20);
    Future<Page<Bulletin>> page;
    if (state != null) {
      if (!editor) {
        return Future.failedFuture(ProblemException.status(403));
      }
      page = bulletins.listByState(state, limit, req.query("cursor"));
    } else {
      page = bulletins.archive(req.query("audience"), limit, req.query("cursor"));
    }
    return page.map(
        p -> {
          Reply reply = Reply.ok(ItemsJson.page(p, b -> BulletinJson.toJson(b, editor)));
          return req.principal() == null
              ? reply.header("Cache-Control", "public, max-age=60")
              : reply;
        });
  }

  private Future<Reply> get(ApiRequest req) {
    boolean editor = editor(req);
    return bulletins
        .get(req.path("bulletinId"), editor)
        .map(
            b -> {
              Reply reply = Reply.ok(BulletinJson.toJson(b, editor));
              return req.principal() == null
                  ? reply.header("Cache-Control", "public, max-age=60")
                  : reply;
            });
  }

  private Future<Reply> create(ApiRequest req) {
    JsonObject body = req.body();
    BulletinDraft draft =
        new BulletinDraft(
            body.getString("title"),
            body.getString("body"),
            BulletinJson.strings(body.getJsonArray("audiences")),
            BulletinJson.strings(body.getJsonArray("areas")),
            body.getString("link"),
            body.getBoolean("urgent", false));
    return bulletins
        .create(draft, req.requiredPrincipal().subject(), req.header("Idempotency-Key"))
        .map(
            created ->
                Reply.created(BulletinJson.toJson(created.bulletin(), true))
                    .header("Location", "/v1/bulletins/" + created.bulletin().id())
                    .noStore());
  }

  private Future<Reply> update(ApiRequest req) {
    JsonObject body = req.body();
    BulletinPatch patch =
        new BulletinPatch(
            body.getString("title"),
            body.getString("body"),
            body.containsKey("audiences")
                ? BulletinJson.strings(body.getJsonArray("audiences"))
                : null,
            body.containsKey("areas") ? BulletinJson.strings(body.getJsonArray("areas")) : null,
            body.containsKey("link"),
            body.getString("link"),
            body.getBoolean("urgent"));
    return bulletins
        .update(req.path("bulletinId"), patch)
        .map(b -> Reply.ok(BulletinJson.toJson(b, true)));
  }

  private Future<Reply> send(ApiRequest req) {
    String sendAt = req.body().getString("sendAt");
    Instant at = sendAt == null ? null : OffsetDateTime.parse(sendAt).toInstant();
    return bulletins
        .send(req.path("bulletinId"), at, req.requiredPrincipal().subject())
        .map(
            b ->
                Reply.text(202, "application/json", BulletinJson.toJson(b, true))
                    .header("Location", "/v1/bulletins/" + b.id() + "/delivery")
                    .noStore());
  }

  private Future<Reply> subscribeByEmail(ApiRequest req) {
    JsonObject body = req.body();
    return emailSignUp
        .subscribe(
            req.clientNetwork(),
            body.getString("email"),
            BulletinJson.strings(body.getJsonArray("audiences")),
            BulletinJson.strings(body.getJsonArray("areas")),
            body.getString("frequency"))
        .map(v -> Reply.text(202, "application/json", SIGN_UP_ANSWER).noStore());
  }

  private Future<Reply> subscribe(ApiRequest req) {
    JsonObject body = req.body();
    return subscriptions
        .subscribe(
            req.requiredPrincipal().subject(),
            body.getString("fcmToken"),
            BulletinJson.strings(body.getJsonArray("audiences")),
            BulletinJson.strings(body.getJsonArray("areas")))
        .map(s -> Reply.ok(BulletinJson.toJson(s)));
  }
}
