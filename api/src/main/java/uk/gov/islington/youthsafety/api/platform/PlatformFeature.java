package uk.gov.islington.youthsafety.api.platform;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import uk.gov.islington.youthsafety.api.AppContext;
import uk.gov.islington.youthsafety.api.Feature;
import uk.gov.islington.youthsafety.api.http.ApiRequest;
import uk.gov.islington.youthsafety.api.http.ContractLoader;
import uk.gov.islington.youthsafety.api.http.Reply;
import uk.gov.islington.youthsafety.api.http.Routes;
import uk.gov.islington.youthsafety.content.common.PgListener;

/** Health, metrics, the contract itself and its interactive documentation ({@link ApiDocs}). */
public final class PlatformFeature implements Feature {

  private final AppContext app;
  private final Supplier<List<String>> warnings;
  private final PgListener watch;
  private final Buffer contract = ContractLoader.builtContract();
  private final ApiDocs docs = new ApiDocs();

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
        .on("getApiDocs", docs::page)
        .on("getApiDocsAsset", docs::asset);
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
}
