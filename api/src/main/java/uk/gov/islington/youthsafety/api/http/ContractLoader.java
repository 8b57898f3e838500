package uk.gov.islington.youthsafety.api.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.impl.Utils;
import java.util.List;
import java.util.Set;

/**
 * Loads openapi.yaml for the router. The router's validator only knows JSON, form and plain-text
 * media types, and refuses a contract whose responses name others (our YAML contract, HTML docs,
 * the iCalendar feed, problem+json). Responses are never validated, so the router's copy drops
 * those response media types; the file served at /openapi.yaml stays exactly as written.
 */
public final class ContractLoader {

  private static final Set<String> ROUTER_MEDIA_TYPES = Set.of("application/json", "application/json; charset=utf-8",
      "multipart/form-data", "application/hal+json", "application/octet-stream", "text/plain",
      "text/plain; charset=utf-8");

  private ContractLoader() {}

  public static Future<OpenAPIContract> load(Vertx vertx, String path) {
    return Utils.readYamlOrJson(vertx, path)
        .map(ContractLoader::forRouter)
        .compose(model -> OpenAPIContract.from(vertx, model));
  }

  static JsonObject forRouter(JsonObject contract) {
    JsonObject copy = contract.copy();
    JsonObject paths = copy.getJsonObject("paths", new JsonObject());
    for (String p : paths.fieldNames()) {
      JsonObject item = paths.getJsonObject(p);
      for (String method : List.copyOf(item.fieldNames())) {
        if (item.getValue(method) instanceof JsonObject op && op.getValue("responses") instanceof JsonObject rs) {
          rs.forEach(e -> {
            if (e.getValue() instanceof JsonObject r && r.getValue("content") instanceof JsonObject c) {
              c.fieldNames().removeIf(type -> !ROUTER_MEDIA_TYPES.contains(type.toLowerCase()));
            }
          });
        }
      }
    }
    JsonObject responses = copy.getJsonObject("components", new JsonObject()).getJsonObject("responses");
    if (responses != null) {
      responses.forEach(e -> {
        if (e.getValue() instanceof JsonObject r && r.getValue("content") instanceof JsonObject c) {
          c.fieldNames().removeIf(type -> !ROUTER_MEDIA_TYPES.contains(type.toLowerCase()));
        }
      });
    }
    return copy;
  }
}
