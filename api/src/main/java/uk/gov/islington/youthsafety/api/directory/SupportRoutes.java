package uk.gov.islington.youthsafety.api.directory;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import uk.gov.islington.youthsafety.api.http.ApiRequest;
import uk.gov.islington.youthsafety.api.http.Conditional;
import uk.gov.islington.youthsafety.api.http.Problem;
import uk.gov.islington.youthsafety.api.http.Reply;
import uk.gov.islington.youthsafety.api.http.Routes;
import uk.gov.islington.youthsafety.content.common.SyncToken;
import uk.gov.islington.youthsafety.content.directory.OpenReferral;
import uk.gov.islington.youthsafety.content.directory.SupportDirectory;
import uk.gov.islington.youthsafety.content.directory.SupportService;

/**
 * The directory's operations: each handler maps a request to {@link SupportDirectory} and its
 * records to JSON. The public list and the Open Referral export are rendered once per snapshot and
 * served from memory with a strong ETag.
 */
final class SupportRoutes {

  private final SupportDirectory directory;

  /** A rendered list answer and the instants between which it holds. */
  private record Rendered(Instant from, Instant until, Buffer body, String etag) {}

  SupportRoutes(SupportDirectory directory) {
    this.directory = directory;
  }

  void addTo(Routes routes) {
    routes
        .on("listSupportServices", this::list)
        .on("getSupportService", this::get)
        .on("createSupportService", this::create)
        .on(
            "updateSupportService",
            req ->
                directory
                    .update(req.path("serviceId"), req.body(), ifMatch(req), by(req))
                    .map(this::edited)
                    .recover(this::stale))
        .on(
            "retireSupportService",
            req ->
                directory
                    .retire(
                        req.path("serviceId"),
                        req.body().getString("reason"),
                        ifMatch(req),
                        by(req))
                    .map(this::edited)
                    .recover(this::stale))
        .on(
            "reinstateSupportService",
            req ->
                directory
                    .reinstate(req.path("serviceId"), ifMatch(req), by(req))
                    .map(this::edited)
                    .recover(this::stale))
        .on(
            "listSupportServiceHistory",
            req ->
                directory
                    .history(req.path("serviceId"), req.queryInt("limit", 20))
                    .map(
                        versions ->
                            Reply.ok(
                                    new JsonObject()
                                        .put(
                                            "items",
                                            new JsonArray(
                                                versions.stream()
                                                    .map(
                                                        v -> (Object) SupportServiceJson.version(v))
                                                    .toList())))
                                .noStore()))
        .on("exportOpenReferral", this::exportOpenReferral)
        .on(
            "previewSupportServicesImport",
            req ->
                directory
                    .previewImport(req.body(), req.queryBool("retireMissing", false))
                    .map(plan -> Reply.ok(OpenReferral.summary(plan)).noStore()))
        .on(
            "importSupportServices",
            req ->
                directory
                    .applyImport(
                        req.body(),
                        req.queryBool("retireMissing", false),
                        req.header("Idempotency-Key"),
                        by(req))
                    .map(
                        summary ->
                            Reply.ok(summary).noStore().replayed(summary.getBoolean("replayed"))));
  }

  // ---- public

  /**
   * Rendered once per snapshot, question and stretch of time in which no service opens or closes;
   * then served from memory. The ETag is a hash of the bytes, so every instance gives the same one.
   */
  private Future<Reply> list(ApiRequest req) {
    SupportDirectory.Query q =
        new SupportDirectory.Query(
            req.query("category"),
            req.queryInt("age", null),
            req.queryBool("openNow", false),
            req.queryInt("limit", 20),
            req.query("cursor"),
            req.query("since"));
    SyncToken seen =
        q.since() == null || q.since().isEmpty() ? null : SyncToken.decode(q.since(), "since");
    return directory
        .snapshotAtLeast(seen)
        .map(
            s -> {
              Instant now = directory.clock().instant();
              String key = q.key();
              Rendered r = s.answer(key);
              if (r == null || now.isBefore(r.from()) || !now.isBefore(r.until())) {
                SupportDirectory.Listing listing = SupportDirectory.list(s, q, now);
                Buffer body = SupportServiceJson.listing(listing).toBuffer();
                r = new Rendered(now, listing.validUntil(), body, Conditional.tagOf(body));
                s.keepAnswer(key, r);
              }
              return Conditional.cacheable(
                  req, "application/json", r.body(), r.etag(), "public, max-age=60");
            });
  }

  /** The published directory in Open Referral UK JSON, rendered once per snapshot. */
  private Future<Reply> exportOpenReferral(ApiRequest req) {
    return directory
        .catalogue()
        .snapshot()
        .map(
            s -> {
              Rendered r = s.answer("openreferral");
              if (r == null) {
                Buffer body = OpenReferral.export(s.published()).toBuffer();
                r = new Rendered(Instant.MIN, Instant.MAX, body, Conditional.tagOf(body));
                s.keepAnswer("openreferral", r);
              }
              return Conditional.cacheable(
                  req, "application/json", r.body(), r.etag(), "public, max-age=300");
            });
  }

  private Future<Reply> get(ApiRequest req) {
    boolean editor = req.callerHas("editor");
    return directory
        .get(req.path("serviceId"), editor)
        .map(
            s ->
                Reply.ok(json(s, editor))
                    .header("ETag", etagOf(s))
                    .header("Cache-Control", editor ? "no-store" : "public, max-age=60"));
  }

  // ---- editors

  private Future<Reply> create(ApiRequest req) {
    return directory
        .create(req.body(), req.header("Idempotency-Key"), by(req))
        .map(
            w ->
                Reply.created(json(w.service(), true))
                    .header("Location", "/v1/support-services/" + w.service().id())
                    .header("ETag", etagOf(w.service()))
                    .noStore()
                    .replayed(w.replayed()));
  }

  private Reply edited(SupportService s) {
    return Reply.ok(json(s, true)).header("ETag", etagOf(s)).noStore();
  }

  /**
   * 412 with what the service is now, so the editor's tool can show the difference and start again.
   */
  private Future<Reply> stale(Throwable e) {
    if (e instanceof SupportDirectory.StaleVersion s) {
      JsonObject body =
          Problem.of(412, "precondition-failed", "Precondition failed", s.getMessage())
              .toJson()
              .put("currentVersion", etagOf(s.current()))
              .put("current", json(s.current(), true));
      return Future.succeededFuture(
          Reply.text(412, Problem.CONTENT_TYPE, body)
              .header("ETag", etagOf(s.current()))
              .noStore());
    }
    return Future.failedFuture(e);
  }

  private JsonObject json(SupportService s, boolean editor) {
    return SupportServiceJson.service(s, s.at(directory.clock().instant()), editor);
  }

  /** The version an editor read (If-Match: "v12"), or null to change whatever is current. */
  private static Long ifMatch(ApiRequest req) {
    return Conditional.ifMatchVersion(req, "the service");
  }

  private static String etagOf(SupportService s) {
    return Conditional.versionTag(s.changeSeq());
  }

  private static String by(ApiRequest req) {
    return req.requiredPrincipal().subject();
  }
}
