package uk.gov.islington.youthsafety.api.platform;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import uk.gov.islington.youthsafety.api.AppContext;
import uk.gov.islington.youthsafety.api.Feature;
import uk.gov.islington.youthsafety.api.http.ApiRequest;
import uk.gov.islington.youthsafety.api.http.ContractLoader;
import uk.gov.islington.youthsafety.api.http.Reply;
import uk.gov.islington.youthsafety.api.http.Routes;
import uk.gov.islington.youthsafety.content.common.DomainException;
import uk.gov.islington.youthsafety.content.common.PgListener;

/**
 * Health, metrics, the contract itself and its interactive documentation (Swagger UI from the jar).
 */
public final class PlatformFeature implements Feature {

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

  private final AppContext app;
  private final Supplier<List<String>> warnings;
  private final PgListener watch;
  private final Buffer contract = ContractLoader.builtContract();
  // read once at start-up so that serving them never touches the class path on an event loop
  private final Map<String, Buffer> assets =
      loadAssets(
          "swagger-ui.css",
          "swagger-ui-bundle.js",
          "swagger-ui-standalone-preset.js",
          "favicon-32x32.png",
          "favicon-16x16.png");

  /**
   * @param warnings every feature's warnings, for readiness
   */
  public PlatformFeature(AppContext app, Supplier<List<String>> warnings) {
    this.app = app;
    this.warnings = warnings;
    this.watch =
        PgListener.builder("database watch")
            .channel("database_watch", payload -> {})
            .onTrouble(app.deadlines()::databaseFailed)
            .build(app.vertx(), app.listenerOptions("database-watch"));
  }

  /**
   * A connection of its own that only watches: PostgreSQL announces a shutdown on every connection
   * at once, so this one learns of it before any request does, and from then on requests wait for
   * it no longer than OUTAGE_WAIT.
   */
  @Override
  public List<PgListener> listeners() {
    return List.of(watch);
  }

  @Override
  public void routes(Routes routes) {
    routes
        .on(
            "liveness",
            req -> Future.succeededFuture(Reply.ok(new JsonObject().put("status", "UP")).noStore()))
        .on("readiness", this::readiness)
        .on(
            "getOpenApi",
            req ->
                Future.succeededFuture(
                    Reply.text(200, "application/yaml; charset=utf-8", contract)
                        .header("Cache-Control", "public, max-age=60")))
        .on(
            "getApiDocs",
            req ->
                Future.succeededFuture(
                    Reply.text(200, "text/html; charset=utf-8", DOCS_PAGE)
                        .header("Cache-Control", "public, max-age=300")))
        .on("getApiDocsAsset", this::asset);
  }

  private Future<Reply> readiness(ApiRequest req) {
    if (app.draining().isDraining()) {
      // shutting down: the load balancer must stop sending here, though requests are still served
      return Future.succeededFuture(
          Reply.text(
                  503,
                  "application/json",
                  new JsonObject()
                      .put("status", "DOWN")
                      .put("checks", new JsonObject().put("shutdown", "DRAINING"))
                      .encode())
              .noStore());
    }
    return app.pool()
        .query("SELECT 1")
        .execute()
        .timeout(2, TimeUnit.SECONDS)
        .map(
            rows ->
                Reply.ok(
                    new JsonObject()
                        .put("status", "UP")
                        .put("checks", new JsonObject().put("postgresql", "UP"))
                        .put("warnings", new JsonArray(warnings.get()))))
        .otherwise(
            e ->
                Reply.text(
                    503,
                    "application/json",
                    new JsonObject()
                        .put("status", "DOWN")
                        .put("checks", new JsonObject().put("postgresql", "DOWN"))
                        .encode()))
        .map(r -> r.noStore());
  }

  private Future<Reply> asset(ApiRequest req) {
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
        PlatformFeature.class
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
    try (InputStream in = PlatformFeature.class.getClassLoader().getResourceAsStream(name)) {
      return in == null ? null : in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
