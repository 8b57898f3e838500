package uk.gov.islington.youthsafety.api.platform;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;
import uk.gov.islington.youthsafety.api.http.ApiRequest;
import uk.gov.islington.youthsafety.api.http.Reply;
import uk.gov.islington.youthsafety.content.common.DomainException;

/** The contract's interactive documentation: Swagger UI's page and assets, from the jar. */
final class ApiDocs {

  private static final String SWAGGER =
      "META-INF/resources/webjars/swagger-ui/" + swaggerVersion() + "/";
  private static final Map<String, String> MEDIA_TYPES =
      Map.of(
          "js",
          "text/javascript; charset=utf-8",
          "css",
          "text/css; charset=utf-8",
          "png",
          "image/png",
          "html",
          "text/html; charset=utf-8");

  // read once at start-up so that serving them never touches the class path on an event loop
  private final Map<String, Buffer> assets =
      loadAssets(
          "swagger-ui.css",
          "swagger-ui-bundle.js",
          "swagger-ui-standalone-preset.js",
          "favicon-32x32.png",
          "favicon-16x16.png");

  Future<Reply> page(ApiRequest req) {
    return Future.succeededFuture(
        Reply.text(200, "text/html; charset=utf-8", DOCS_PAGE)
            .header("Cache-Control", "public, max-age=300"));
  }

  Future<Reply> asset(ApiRequest req) {
    String name = req.path("asset");
    Buffer body = assets.get(name);
    if (body == null) {
      return Future.failedFuture(new DomainException.NotFound("no such documentation asset"));
    }
    String type = MEDIA_TYPES.get(name.substring(name.lastIndexOf('.') + 1));
    return Future.succeededFuture(
        Reply.text(200, type, body).header("Cache-Control", "public, max-age=86400"));
  }

  private static Map<String, Buffer> loadAssets(String... names) {
    Map<String, Buffer> out = new java.util.HashMap<>();
    for (String n : names) {
      out.put(n, Buffer.buffer(resource(SWAGGER + n)));
    }
    return Map.copyOf(out);
  }

  private static final String DOCS_PAGE =
      """
      <!doctype html>
      <html lang="en">
      <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Youth Safety API</title>
        <link rel="stylesheet" href="/docs/swagger-ui.css">
        <link rel="icon" type="image/png" href="/docs/favicon-32x32.png">
      </head>
      <body>
        <div id="swagger-ui"></div>
        <script src="/docs/swagger-ui-bundle.js"></script>
        <script src="/docs/swagger-ui-standalone-preset.js"></script>
        <script>
          window.ui = SwaggerUIBundle({ url: '/openapi.yaml', dom_id: '#swagger-ui',
            presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: 'StandaloneLayout' });
        </script>
      </body>
      </html>
      """;

  private static String swaggerVersion() {
    Properties p = new Properties();
    try (InputStream in =
        ApiDocs.class
            .getClassLoader()
            .getResourceAsStream("META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p.getProperty("version", "unknown");
  }

  private static byte[] resource(String name) {
    byte[] bytes = resourceOrNull(name);
    if (bytes == null) {
      throw new IllegalStateException(name + " is not on the class path");
    }
    return bytes;
  }

  private static byte[] resourceOrNull(String name) {
    try (InputStream in = ApiDocs.class.getClassLoader().getResourceAsStream(name)) {
      return in == null ? null : in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
