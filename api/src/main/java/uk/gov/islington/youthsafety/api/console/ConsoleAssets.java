package uk.gov.islington.youthsafety.api.console;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import uk.gov.islington.youthsafety.common.Digests;

/**
 * The console's stylesheets and scripts: GOV.UK Frontend's compiled CSS and JS from its webjar, and
 * our own small override (Arial instead of the GDS Transport font, which is not ours to use) and
 * script. They are read once at start-up and served under a path that names a digest of their
 * content, so browsers may keep them for a year and still never run a stale copy. Nothing else of
 * the webjar is served: no fonts, no crown, no GOV.UK images. The public bulletin pages use the
 * same files from the same place.
 */
public final class ConsoleAssets {

  private static final String GOVUK =
      "META-INF/resources/webjars/govuk-frontend/" + govukVersion() + "/dist/govuk/";

  private record Asset(Buffer bytes, String contentType) {}

  private final Map<String, Asset> files = new LinkedHashMap<>();
  private final String prefix;

  public ConsoleAssets() {
    add("govuk-frontend.min.css", GOVUK + "govuk-frontend.min.css", "text/css; charset=utf-8");
    add("govuk-frontend.min.js", GOVUK + "govuk-frontend.min.js", "text/javascript; charset=utf-8");
    add("console.css", "console/console.css", "text/css; charset=utf-8");
    add("console.js", "console/console.js", "text/javascript; charset=utf-8");
    MessageDigest digest = Digests.newSha256();
    files.values().forEach(a -> digest.update(a.bytes().getBytes()));
    prefix = "/console/assets/" + HexFormat.of().formatHex(digest.digest()).substring(0, 12);
  }

  /** Where the pages link to the assets, e.g. {@code /console/assets/1a2b3c4d5e6f}. */
  public String prefix() {
    return prefix;
  }

  void mount(Router router) {
    router.get("/console/assets/:version/:file").handler(this::serve);
  }

  private void serve(RoutingContext ctx) {
    Asset asset = files.get(ctx.pathParam("file"));
    if (asset == null || !ctx.request().path().startsWith(prefix + "/")) {
      ctx.next(); // the console's 404 page
      return;
    }
    ctx.response()
        .putHeader("Content-Type", asset.contentType())
        .putHeader("Cache-Control", "public, max-age=31536000, immutable")
        .end(asset.bytes());
  }

  private void add(String name, String resource, String contentType) {
    try (InputStream in = ConsoleAssets.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("console asset missing from the class path: " + resource);
      }
      files.put(name, new Asset(Buffer.buffer(in.readAllBytes()), contentType));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String govukVersion() {
    try (InputStream in =
        ConsoleAssets.class
            .getClassLoader()
            .getResourceAsStream("META-INF/maven/org.webjars.npm/govuk-frontend/pom.properties")) {
      java.util.Properties p = new java.util.Properties();
      p.load(in);
      return p.getProperty("version");
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("the govuk-frontend webjar is not on the class path", e);
    }
  }
}
