package uk.gov.islington.youthsafety.api.havens;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;
import uk.gov.islington.youthsafety.api.AppContext;
import uk.gov.islington.youthsafety.api.Feature;
import uk.gov.islington.youthsafety.api.auth.Principal;
import uk.gov.islington.youthsafety.api.http.ApiRequest;
import uk.gov.islington.youthsafety.api.http.Problem;
import uk.gov.islington.youthsafety.api.http.ProblemException;
import uk.gov.islington.youthsafety.api.http.Reply;
import uk.gov.islington.youthsafety.api.http.Routes;
import uk.gov.islington.youthsafety.content.common.DemoContent;
import uk.gov.islington.youthsafety.content.common.PgListener;
import uk.gov.islington.youthsafety.content.common.Retention;
import uk.gov.islington.youthsafety.content.havens.Haven;
import uk.gov.islington.youthsafety.content.havens.HavenApplication;
import uk.gov.islington.youthsafety.content.havens.HavenApplications;
import uk.gov.islington.youthsafety.content.havens.HavenCatalogue;
import uk.gov.islington.youthsafety.content.havens.HavenInput;
import uk.gov.islington.youthsafety.content.havens.Havens;
import uk.gov.islington.youthsafety.content.hours.HoursJson;
import uk.gov.islington.youthsafety.content.hours.OpeningHours;
import uk.gov.islington.youthsafety.content.havens.SampleHavens;
import uk.gov.islington.youthsafety.content.havens.ServiceArea;
import uk.gov.islington.youthsafety.content.common.SyncToken;

/**
 * Safe Havens over HTTP: findNearbyHavens, the offline bundle (listHavens), getHaven, the editors'
 * operations and joining the scheme. Maps requests to {@link Havens} and
 * {@link HavenApplications}, and their records to JSON; nothing else.
 *
 * <p>Settings (docs/operations/havens.md): {@code HAVEN_NEARBY_INDEX}, {@code HAVEN_SERVICE_AREA},
 * {@code HAVEN_RESYNC_INTERVAL}, {@code HAVEN_APPLICATION_CONTACT_RETENTION},
 * {@code HAVEN_APPLICATION_PENDING_RETENTION}.
 */
public final class HavensFeature implements Feature {

  private static final String TIME_ZONE = "Europe/London";
  private static final String BUNDLE_FORMAT = "h1";
  private static final String GZIP_SUFFIX = "-gz";

  private final AppContext app;
  private final HavenCatalogue catalogue;
  private final Havens havens;
  private final HavenApplications applications;
  private final Duration contactRetention;
  private final Duration pendingRetention;
  private final NearbyJson nearbyJson = new NearbyJson();

  public HavensFeature(AppContext app) {
    this.app = app;
    var config = app.config();
    ServiceArea area;
    try {
      area = ServiceArea.parse(config.string("HAVEN_SERVICE_AREA", ServiceArea.ISLINGTON));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("HAVEN_SERVICE_AREA: " + e.getMessage());
    }
    this.catalogue = new HavenCatalogue(app.vertx(), app.pool(), app.listenerOptions("havens-listener"),
        config.duration("HAVEN_RESYNC_INTERVAL", Duration.ofSeconds(60)));
    this.havens = new Havens(app.vertx(), app.pool(), app.clock(), catalogue,
        config.string("HAVEN_NEARBY_INDEX", "memory"));
    this.applications = new HavenApplications(app.pool(), app.clock(), area, catalogue);
    this.contactRetention = config.duration("HAVEN_APPLICATION_CONTACT_RETENTION", Duration.ofDays(90));
    this.pendingRetention = config.duration("HAVEN_APPLICATION_PENDING_RETENTION", Duration.ofDays(180));
  }

  public Havens havens() {
    return havens;
  }

  @Override
  public void routes(Routes routes) {
    routes.on("findNearbyHavens", this::nearby)
        .on("listHavens", this::bundle)
        .on("getHaven", this::get)
        .on("createHaven", this::create)
        .on("updateHaven", this::update)
        .on("suspendHaven", req -> havens.suspend(req.path("havenId"), req.body().getString("reason"), by(req))
            .map(h -> Reply.ok(haven(h, true)).header("Cache-Control", "no-store")))
        .on("reinstateHaven", req -> havens.reinstate(req.path("havenId"), by(req))
            .map(h -> Reply.ok(haven(h, true)).header("Cache-Control", "no-store")))
        .on("listHavensForEditors", req -> havens.forEditors(req.query("status"), req.query("q"),
                req.queryInt("limit", 20), req.query("cursor"))
            .map(page -> Reply.ok(new JsonObject()
                    .put("items", new JsonArray(page.items().stream().map(h -> (Object) haven(h, true)).toList()))
                    .put("nextCursor", page.nextCursor()))
                .header("Cache-Control", "no-store")))
        .on("applyToBeHaven", this::apply)
        .on("listHavenApplications", req -> applications.list(req.query("status"), req.queryInt("limit", 20),
                req.query("cursor"))
            .map(page -> Reply.ok(new JsonObject()
                    .put("items", new JsonArray(page.items().stream().map(a -> (Object) application(a)).toList()))
                    .put("nextCursor", page.nextCursor()))
                .header("Cache-Control", "no-store")))
        .on("getHavenApplication", req -> applications.get(req.path("applicationId"))
            .map(a -> Reply.ok(application(a)).header("Cache-Control", "no-store")))
        .on("decideHavenApplication", req -> applications.decide(req.path("applicationId"),
                req.body().getString("decision"), req.body().getString("reason"), by(req))
            .map(a -> Reply.ok(application(a)).header("Cache-Control", "no-store")));
  }

  @Override
  public List<Retention> retention() {
    return List.of(HavenApplications.retention(contactRetention, pendingRetention));
  }

  @Override
  public List<DemoContent> demoContent() {
    return List.of(new SampleHavens());
  }

  @Override
  public List<PgListener> listeners() {
    return List.of(catalogue.listener());
  }

  // ---- public operations

  private Future<Reply> nearby(ApiRequest req) {
    double lat = req.queryDouble("lat");
    double lon = req.queryDouble("lon");
    int radius = req.queryInt("radius", Havens.DEFAULT_RADIUS);
    boolean openNow = req.queryBool("openNow", false);
    int limit = req.queryInt("limit", 20);
    // the coordinates are in the URL: nothing on the way may keep this answer
    return havens.nearby(lat, lon, radius, openNow, limit)
        .map(n -> Reply.text(200, "application/json", nearbyJson.encode(n)).header("Cache-Control", "no-store"));
  }

  private Future<Reply> bundle(ApiRequest req) {
    String ifNoneMatch = req.header("If-None-Match");
    return havens.sync(req.query("since"), seenIn(ifNoneMatch)).compose(sync -> {
      boolean gzip = acceptsGzip(req.header("Accept-Encoding"));
      String tag = sync.full()
          ? BUNDLE_FORMAT + "-" + sync.token().epoch() + "-" + sync.token().seq()
          : BUNDLE_FORMAT + "-" + sync.token().epoch() + "-" + sync.since().seq() + "-" + sync.token().seq();
      String etag = "\"" + tag + (gzip ? GZIP_SUFFIX : "") + "\"";
      if (matches(ifNoneMatch, tag)) {
        return Future.succeededFuture(cacheable(Reply.status(304), etag));
      }
      Future<Buffer> body;
      if (sync.full()) {
        HavenCatalogue.Snapshot s = sync.snapshot();
        Future<Buffer> plain = s.memo("bundle", x -> app.vertx().executeBlocking(
            () -> encodeBundle(x.published(), List.of(), sync.token(), true), false));
        body = gzip ? s.memo("bundle-gzip", x -> plain.compose(b -> app.vertx().executeBlocking(() -> gzip(b), false)))
            : plain;
      } else {
        Buffer b = encodeBundle(sync.items(), sync.removed(), sync.token(), false);
        body = Future.succeededFuture(gzip && b.length() > 1024 ? gzip(b) : b);
        gzip = gzip && b.length() > 1024;
        etag = "\"" + tag + (gzip ? GZIP_SUFFIX : "") + "\"";
      }
      String finalEtag = etag;
      boolean gzipped = gzip;
      return body.map(b -> {
        Reply r = cacheable(Reply.text(200, "application/json", b), finalEtag);
        return gzipped ? r.header("Content-Encoding", "gzip") : r;
      });
    });
  }

  private static Reply cacheable(Reply r, String etag) {
    return r.header("ETag", etag).header("Cache-Control", "public, max-age=60").header("Vary", "Accept-Encoding");
  }

  /**
   * Written item by item into one buffer: a national set (100k havens, ~70 MB of JSON) never exists
   * as a tree of maps, only as its bytes.
   */
  private static Buffer encodeBundle(List<Haven> items, List<String> removed, SyncToken token, boolean full) {
    Buffer out = Buffer.buffer(256 + items.size() * 720);
    out.appendString("{\"items\":[");
    for (int i = 0; i < items.size(); i++) {
      if (i > 0) {
        out.appendString(",");
      }
      out.appendBuffer(bundleItem(items.get(i)).toBuffer());
    }
    return out.appendString("],\"removed\":").appendBuffer(new JsonArray(removed).toBuffer())
        .appendString(",\"syncToken\":\"").appendString(token.encode())
        .appendString("\",\"full\":").appendString(Boolean.toString(full))
        .appendString(",\"timeZone\":\"" + TIME_ZONE + "\"}");
  }

  /** Compact: no computed state (the app computes it offline from the hours) and no empty fields. */
  private static JsonObject bundleItem(Haven h) {
    JsonObject o = new JsonObject()
        .put("id", h.id())
        .put("name", h.name())
        .put("address", h.address())
        .put("postcode", h.postcode())
        .put("location", new JsonObject().put("lat", h.lat()).put("lon", h.lon()))
        .put("category", h.category())
        .put("facilities", new JsonArray(h.facilities()));
    if (h.phone() != null) {
      o.put("phone", h.phone());
    }
    JsonObject hours = HoursJson.hours(h.hours());
    if (hours.getJsonArray("exceptions").isEmpty()) {
      hours.remove("exceptions");
    }
    o.put("openingHours", hours);
    if (h.hours().closure() != null) {
      o.put("temporaryClosure", HoursJson.closure(h.hours().closure()));
    }
    return o.put("lastVerifiedOn", h.lastVerifiedOn().toString());
  }

  /** The sync position inside an If-None-Match tag of ours, if any (to catch up before comparing). */
  private static SyncToken seenIn(String ifNoneMatch) {
    if (ifNoneMatch == null) {
      return null;
    }
    for (String part : ifNoneMatch.split(",")) {
      String tag = bare(part);
      String[] bits = tag.split("-");
      if (bits.length >= 3 && bits[0].equals(BUNDLE_FORMAT)) {
        try {
          return new SyncToken(bits[1], Long.parseLong(bits[bits.length - 1]));
        } catch (NumberFormatException e) {
          return null;
        }
      }
    }
    return null;
  }

  /** If-None-Match uses the weak comparison (RFC 9110 13.1.2), and ignores our encoding suffix. */
  private static boolean matches(String ifNoneMatch, String tag) {
    if (ifNoneMatch == null) {
      return false;
    }
    for (String part : ifNoneMatch.split(",")) {
      String t = part.trim();
      if (t.equals("*") || bare(t).equals(tag)) {
        return true;
      }
    }
    return false;
  }

  private static String bare(String etag) {
    String t = etag.trim();
    if (t.startsWith("W/")) {
      t = t.substring(2);
    }
    if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
      t = t.substring(1, t.length() - 1);
    }
    return t.endsWith(GZIP_SUFFIX) ? t.substring(0, t.length() - GZIP_SUFFIX.length()) : t;
  }

  private static boolean acceptsGzip(String acceptEncoding) {
    if (acceptEncoding == null) {
      return false;
    }
    for (String part : acceptEncoding.toLowerCase(Locale.ROOT).split(",")) {
      String[] p = part.trim().split(";");
      if (p[0].trim().equals("gzip")) {
        return !(p.length > 1 && p[1].trim().matches("q=0(\\.0*)?"));
      }
    }
    return false;
  }

  private static Buffer gzip(Buffer plain) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(256, plain.length() / 5));
      try (GZIPOutputStream z = new GZIPOutputStream(out)) {
        z.write(plain.getBytes());
      }
      return Buffer.buffer(out.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Future<Reply> get(ApiRequest req) {
    Principal p = req.principal();
    boolean editor = p != null && p.has("editor");
    return havens.get(req.path("havenId"), editor).map(h -> Reply.ok(haven(h, editor))
        .header("ETag", version(h))
        .header("Cache-Control", editor ? "no-store" : "public, max-age=30"));
  }

  // ---- editors

  private Future<Reply> create(ApiRequest req) {
    return havens.create(req.body(), req.header("Idempotency-Key"), by(req)).map(w -> {
      Reply r = Reply.created(haven(w.haven(), true))
          .header("Location", "/v1/havens/" + w.haven().id())
          .header("ETag", version(w.haven()))
          .header("Cache-Control", "no-store");
      return w.replayed() ? r.header("Idempotent-Replayed", "true") : r;
    });
  }

  private Future<Reply> update(ApiRequest req) {
    Long expected = null;
    String ifMatch = req.header("If-Match");
    if (ifMatch != null && !ifMatch.trim().equals("*")) {
      String v = bare(ifMatch);
      try {
        expected = v.startsWith("v") ? Long.parseLong(v.substring(1)) : -1L;
      } catch (NumberFormatException e) {
        expected = -1L;
      }
    }
    return havens.update(req.path("havenId"), req.body(), expected, by(req))
        .map(h -> Reply.ok(haven(h, true)).header("ETag", version(h)).header("Cache-Control", "no-store"))
        .recover(e -> Future.failedFuture(e instanceof Havens.StaleVersion s
            ? new ProblemException(Problem.of(412, "precondition-failed", "Precondition failed", s.getMessage()))
            : e));
  }

  private static String version(Haven h) {
    return "\"v" + h.changeSeq() + "\"";
  }

  private static String by(ApiRequest req) {
    return req.requiredPrincipal().subject();
  }

  private JsonObject haven(Haven h, boolean editor) {
    return havenJson(h, h.statusAt(app.clock().instant()), editor);
  }

  private JsonObject havenJson(Haven h, OpeningHours.Status status, boolean editor) {
    JsonObject o = new JsonObject()
        .put("id", h.id())
        .mergeIn(premises(h.premises()))
        .put("temporaryClosure", HoursJson.closure(h.hours().closure()))
        .put("lastVerifiedOn", h.lastVerifiedOn().toString())
        .put("timeZone", TIME_ZONE)
        .put("openNow", status.open())
        .put("opensAt", time(status.opensAt()))
        .put("closesAt", time(status.closesAt()))
        .put("status", h.published() ? "published" : "suspended")
        .put("updatedAt", h.updatedAt().toString());
    if (editor) {
      o.put("suspendedReason", h.suspendedReason());
    }
    return o;
  }

  /** The premises fields, as a haven and an application both show them. */
  private static JsonObject premises(HavenInput.Draft p) {
    return new JsonObject()
        .put("name", p.name())
        .put("address", p.address())
        .put("postcode", p.postcode())
        .put("location", new JsonObject().put("lat", p.lat()).put("lon", p.lon()))
        .put("category", p.category())
        .put("facilities", new JsonArray(p.facilities()))
        .put("phone", p.phone())
        .put("notes", p.notes())
        .put("openingHours", HoursJson.hours(p.hours()));
  }

  // ---- applications

  private Future<Reply> apply(ApiRequest req) {
    return applications.apply(req.body(), req.header("Idempotency-Key")).map(s -> {
      HavenApplication a = s.application();
      Reply r = Reply.created(new JsonObject()
              .put("id", a.id())
              .put("status", a.status())
              .put("submittedAt", a.submittedAt().toString())
              .put("message", "Thank you for applying to be a Safe Haven. Islington's Safe Haven team will "
                  + "contact you to arrange a visit."))
          .header("Cache-Control", "no-store");
      return s.replayed() ? r.header("Idempotent-Replayed", "true") : r;
    });
  }

  private static JsonObject application(HavenApplication a) {
    HavenInput.Draft p = a.premises();
    JsonObject contact = a.contactName() == null && a.contactEmail() == null && a.contactPhone() == null ? null
        : new JsonObject().put("name", a.contactName()).put("email", a.contactEmail()).put("phone", a.contactPhone());
    return new JsonObject()
        .put("id", a.id())
        .put("status", a.status())
        .mergeIn(premises(p))
        .put("contact", contact)
        .put("submittedAt", a.submittedAt().toString())
        .put("decidedAt", a.decidedAt() == null ? null : a.decidedAt().toString())
        .put("decisionReason", a.decisionReason())
        .put("havenId", a.havenId())
        .put("contactPurgedAt", a.contactPurgedAt() == null ? null : a.contactPurgedAt().toString());
  }

  private String time(Instant i) {
    return i == null ? null : nearbyJson.time(i);
  }
}
