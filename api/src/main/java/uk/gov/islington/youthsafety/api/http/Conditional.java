package uk.gov.islington.youthsafety.api.http;

import io.vertx.core.buffer.Buffer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import uk.gov.islington.youthsafety.common.Digests;
import uk.gov.islington.youthsafety.content.common.InvalidInput;

/**
 * Conditional requests (RFC 9110, section 13), one way for every feature. Public answers carry a
 * strong tag over their bytes, so every instance gives equal answers equal tags, and If-None-Match
 * answers 304. Editable things carry their version as {@code "v12"}, which an editor sends back in
 * If-Match so that a change made meanwhile is refused rather than lost.
 */
public final class Conditional {

  private static final Pattern VERSION =
      Pattern.compile("^(?:W/)?\"v?(\\d{1,18})\"$|^v?(\\d{1,18})$");

  private Conditional() {}

  /** The strong tag of an answer's bytes. */
  public static String tagOf(Buffer body) {
    return "\"" + Digests.sha256Base64Url(body.getBytes(), 27) + "\"";
  }

  /** The tag of one version of an editable thing. */
  public static String versionTag(long version) {
    return "\"v" + version + "\"";
  }

  /** RFC 9110 If-None-Match: the weak comparison, a list of tags, or "*". */
  public static boolean noneMatchNames(String ifNoneMatch, String etag) {
    if (ifNoneMatch == null || ifNoneMatch.isBlank()) {
      return false;
    }
    String opaque = withoutWeakPrefix(etag);
    for (String candidate : ifNoneMatch.split(",")) {
      String c = candidate.trim();
      if (c.equals("*") || withoutWeakPrefix(c).equals(opaque)) {
        return true;
      }
    }
    return false;
  }

  /** A cacheable answer with its tag: 304 without a body when the client already holds it. */
  public static Reply cacheable(
      ApiRequest req, String contentType, Buffer body, String etag, String cacheControl) {
    Reply reply =
        noneMatchNames(req.header("If-None-Match"), etag)
            ? Reply.status(304)
            : Reply.text(200, contentType, body);
    return reply.header("ETag", etag).header("Cache-Control", cacheControl);
  }

  /** A cacheable JSON answer tagged by its bytes. */
  public static Reply cacheableJson(ApiRequest req, Buffer json, String cacheControl) {
    return cacheable(req, "application/json", json, tagOf(json), cacheControl);
  }

  /**
   * The version an editor read, from If-Match ({@code "v12"}), or null (no header, or "*") to
   * change whatever is current. Anything else is a 400 naming the header.
   *
   * @param what the thing edited, for the message ("the event")
   */
  public static Long ifMatchVersion(ApiRequest req, String what) {
    String header = req.header("If-Match");
    if (header == null || header.isBlank() || header.trim().equals("*")) {
      return null;
    }
    Matcher m = VERSION.matcher(header.trim());
    if (!m.matches()) {
      throw InvalidInput.of("If-Match", "must be the ETag of " + what + " as read, e.g. \"v3\"");
    }
    return Long.valueOf(m.group(1) != null ? m.group(1) : m.group(2));
  }

  private static String withoutWeakPrefix(String tag) {
    return (tag.startsWith("W/") ? tag.substring(2) : tag).trim();
  }
}
