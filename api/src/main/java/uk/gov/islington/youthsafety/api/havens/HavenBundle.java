package uk.gov.islington.youthsafety.api.havens;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;
import uk.gov.islington.youthsafety.api.http.ApiRequest;
import uk.gov.islington.youthsafety.api.http.Reply;
import uk.gov.islington.youthsafety.content.common.SyncToken;
import uk.gov.islington.youthsafety.content.havens.Haven;
import uk.gov.islington.youthsafety.content.havens.HavenCatalogue;
import uk.gov.islington.youthsafety.content.havens.Havens;
import uk.gov.islington.youthsafety.content.hours.HoursJson;

/**
 * The offline bundle (listHavens): every published haven, or what changed since a sync token, with
 * an ETag naming the sync position so an app that has it gets 304, gzip when asked for, and the
 * full bundle encoded once per catalogue snapshot.
 */
final class HavenBundle {

  private static final String BUNDLE_FORMAT = "h1";
  private static final String GZIP_SUFFIX = "-gz";

  private final Vertx vertx;
  private final Havens havens;

  HavenBundle(Vertx vertx, Havens havens) {
    this.vertx = vertx;
    this.havens = havens;
  }

  Future<Reply> reply(ApiRequest req) {
    String ifNoneMatch = req.header("If-None-Match");
    return havens
        .sync(req.query("since"), seenIn(ifNoneMatch))
        .compose(
            sync -> {
              boolean gzip = acceptsGzip(req.header("Accept-Encoding"));
              String tag =
                  sync.full()
                      ? BUNDLE_FORMAT + "-" + sync.token().epoch() + "-" + sync.token().seq()
                      : BUNDLE_FORMAT
                          + "-"
                          + sync.token().epoch()
                          + "-"
                          + sync.since().seq()
                          + "-"
                          + sync.token().seq();
              String etag = "\"" + tag + (gzip ? GZIP_SUFFIX : "") + "\"";
              if (matches(ifNoneMatch, tag)) {
                return Future.succeededFuture(cacheable(Reply.status(304), etag));
              }
              Future<Buffer> body;
              if (sync.full()) {
                HavenCatalogue.Snapshot s = sync.snapshot();
                Future<Buffer> plain =
                    s.memo(
                        "bundle",
                        x ->
                            vertx.executeBlocking(
                                () -> encodeBundle(x.published(), List.of(), sync.token(), true),
                                false));
                body =
                    gzip
                        ? s.memo(
                            "bundle-gzip",
                            x -> plain.compose(b -> vertx.executeBlocking(() -> gzip(b), false)))
                        : plain;
              } else {
                Buffer b = encodeBundle(sync.items(), sync.removed(), sync.token(), false);
                body = Future.succeededFuture(gzip && b.length() > 1024 ? gzip(b) : b);
                gzip = gzip && b.length() > 1024;
                etag = "\"" + tag + (gzip ? GZIP_SUFFIX : "") + "\"";
              }
              String finalEtag = etag;
              boolean gzipped = gzip;
              return body.map(
                  b -> {
                    Reply r = cacheable(Reply.text(200, "application/json", b), finalEtag);
                    return gzipped ? r.header("Content-Encoding", "gzip") : r;
                  });
            });
  }

  private static Reply cacheable(Reply r, String etag) {
    return r.header("ETag", etag)
        .header("Cache-Control", "public, max-age=60")
        .header("Vary", "Accept-Encoding");
  }

  /**
   * Written item by item into one buffer: a national set (100k havens, ~70 MB of JSON) never exists
   * as a tree of maps, only as its bytes.
   */
  private static Buffer encodeBundle(
      List<Haven> items, List<String> removed, SyncToken token, boolean full) {
    Buffer out = Buffer.buffer(256 + items.size() * 720);
    out.appendString("{\"items\":[");
    for (int i = 0; i < items.size(); i++) {
      if (i > 0) {
        out.appendString(",");
      }
      out.appendBuffer(bundleItem(items.get(i)).toBuffer());
    }
    return out.appendString("],\"removed\":")
        .appendBuffer(new JsonArray(removed).toBuffer())
        .appendString(",\"syncToken\":\"")
        .appendString(token.encode())
        .appendString("\",\"full\":")
        .appendString(Boolean.toString(full))
        .appendString(",\"timeZone\":\"" + HavenJson.TIME_ZONE + "\"}");
  }

  /**
   * Compact: no computed state (the app computes it offline from the hours) and no empty fields.
   */
  private static JsonObject bundleItem(Haven h) {
    JsonObject o =
        HavenJson.opening(h)
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

  /**
   * The sync position inside an If-None-Match tag of ours, if any (to catch up before comparing).
   */
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
}
