package uk.gov.islington.youthsafety.api.havens;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import uk.gov.islington.youthsafety.api.http.ApiRequest;
import uk.gov.islington.youthsafety.api.http.Conditional;
import uk.gov.islington.youthsafety.api.http.ItemsJson;
import uk.gov.islington.youthsafety.api.http.Problem;
import uk.gov.islington.youthsafety.api.http.ProblemException;
import uk.gov.islington.youthsafety.api.http.Reply;
import uk.gov.islington.youthsafety.api.http.Routes;
import uk.gov.islington.youthsafety.content.havens.Haven;
import uk.gov.islington.youthsafety.content.havens.HavenApplication;
import uk.gov.islington.youthsafety.content.havens.HavenApplications;
import uk.gov.islington.youthsafety.content.havens.Havens;

/**
 * The operations of Safe Havens: findNearbyHavens, the offline bundle ({@link HavenBundle}),
 * getHaven, the editors' operations and joining the scheme. Each handler maps a request to a call
 * of {@link Havens} or {@link HavenApplications} and the answer to a reply ({@link HavenJson}).
 */
final class HavenRoutes {

  private final Havens havens;
  private final HavenApplications applications;
  private final HavenBundle bundle;
  private final NearbyJson nearbyJson = new NearbyJson();
  private final HavenJson json;

  HavenRoutes(Vertx vertx, Clock clock, Havens havens, HavenApplications applications) {
    this.havens = havens;
    this.applications = applications;
    this.bundle = new HavenBundle(vertx, havens);
    this.json = new HavenJson(clock, nearbyJson);
  }

  void addTo(Routes routes) {
    routes
        .on("findNearbyHavens", this::nearby)
        .on("listHavens", bundle::reply)
        .on("getHaven", this::get)
        .on("createHaven", this::create)
        .on("updateHaven", this::update)
        .on(
            "suspendHaven",
            req ->
                havens
                    .suspend(req.path("havenId"), req.body().getString("reason"), by(req))
                    .map(h -> Reply.ok(json.haven(h, true)).noStore()))
        .on(
            "reinstateHaven",
            req ->
                havens
                    .reinstate(req.path("havenId"), by(req))
                    .map(h -> Reply.ok(json.haven(h, true)).noStore()))
        .on(
            "listHavensForEditors",
            req ->
                havens
                    .forEditors(
                        req.query("status"),
                        req.query("q"),
                        req.queryInt("limit", 20),
                        req.query("cursor"))
                    .map(
                        page -> Reply.ok(ItemsJson.page(page, h -> json.haven(h, true))).noStore()))
        .on("applyToBeHaven", this::apply)
        .on(
            "listHavenApplications",
            req ->
                applications
                    .list(req.query("status"), req.queryInt("limit", 20), req.query("cursor"))
                    .map(page -> Reply.ok(ItemsJson.page(page, HavenJson::application)).noStore()))
        .on(
            "getHavenApplication",
            req ->
                applications
                    .get(req.path("applicationId"))
                    .map(a -> Reply.ok(HavenJson.application(a)).noStore()))
        .on(
            "decideHavenApplication",
            req ->
                applications
                    .decide(
                        req.path("applicationId"),
                        req.body().getString("decision"),
                        req.body().getString("reason"),
                        by(req))
                    .map(a -> Reply.ok(HavenJson.application(a)).noStore()));
  }

  private Future<Reply> nearby(ApiRequest req) {
    double lat = req.queryDouble("lat");
    double lon = req.queryDouble("lon");
    int radius = req.queryInt("radius", Havens.DEFAULT_RADIUS);
    boolean openNow = req.queryBool("openNow", false);
    int limit = req.queryInt("limit", 20);
    // the coordinates are in the URL: nothing on the way may keep this answer
    return havens
        .nearby(lat, lon, radius, openNow, limit)
        .map(n -> Reply.text(200, "application/json", nearbyJson.encode(n)).noStore());
  }

  private Future<Reply> get(ApiRequest req) {
    boolean editor = req.callerHas("editor");
    return havens
        .get(req.path("havenId"), editor)
        .map(
            h ->
                Reply.ok(json.haven(h, editor))
                    .header("ETag", version(h))
                    .header("Cache-Control", editor ? "no-store" : "public, max-age=30"));
  }

  private Future<Reply> create(ApiRequest req) {
    return havens
        .create(req.body(), req.header("Idempotency-Key"), by(req))
        .map(
            w ->
                Reply.created(json.haven(w.haven(), true))
                    .header("Location", "/v1/havens/" + w.haven().id())
                    .header("ETag", version(w.haven()))
                    .noStore()
                    .replayed(w.replayed()));
  }

  private Future<Reply> update(ApiRequest req) {
    Long expected = Conditional.ifMatchVersion(req, "the haven");
    return havens
        .update(req.path("havenId"), req.body(), expected, by(req))
        .map(h -> Reply.ok(json.haven(h, true)).header("ETag", version(h)).noStore())
        .recover(
            e ->
                Future.failedFuture(
                    e instanceof Havens.StaleVersion s
                        ? new ProblemException(
                            Problem.of(
                                412, "precondition-failed", "Precondition failed", s.getMessage()))
                        : e));
  }

  private static String version(Haven h) {
    return Conditional.versionTag(h.changeSeq());
  }

  private static String by(ApiRequest req) {
    return req.requiredPrincipal().subject();
  }

  private Future<Reply> apply(ApiRequest req) {
    return applications
        .apply(req.body(), req.header("Idempotency-Key"))
        .map(
            s -> {
              HavenApplication a = s.application();
              Reply r =
                  Reply.created(
                          new JsonObject()
                              .put("id", a.id())
                              .put("status", a.status())
                              .put("submittedAt", a.submittedAt().toString())
                              .put(
                                  "message",
                                  "Thank you for applying to be a Safe Haven. Islington's Safe Haven team will "
                                      + "contact you to arrange a visit."))
                      .noStore();
              return r.replayed(s.replayed());
            });
  }
}
