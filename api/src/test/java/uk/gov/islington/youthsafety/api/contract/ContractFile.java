package uk.gov.islington.youthsafety.api.contract;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.impl.Utils;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * openapi.yaml as the tests read it, independently of the router: every operation with its method,
 * path, merged parameters, request body, security mode and declared roles.
 */
public final class ContractFile {

  static final Path FILE = Path.of("..", "openapi.yaml");
  static final List<String> METHODS =
      List.of("get", "put", "post", "delete", "patch", "head", "options", "trace");
  static final Set<String> ROLES =
      Set.of("device", "moderator", "youth_council", "editor", "admin");

  public enum Mode {
    PUBLIC,
    OPTIONAL,
    REQUIRED
  }

  public record Op(
      String operationId,
      String method,
      String path,
      List<JsonObject> parameters,
      JsonObject requestBody,
      Mode mode,
      List<String> roles,
      boolean declaresRoles) {

    @Override
    public String toString() {
      return method.toUpperCase() + " " + path + " (" + operationId + ")";
    }
  }

  private final JsonObject root;

  private ContractFile(JsonObject root) {
    this.root = root;
  }

  public static ContractFile load(Vertx vertx) throws Exception {
    return new ContractFile(
        Utils.readYamlOrJson(vertx, FILE.toAbsolutePath().normalize().toString())
            .await(30, TimeUnit.SECONDS));
  }

  public List<Op> operations() {
    List<Op> out = new ArrayList<>();
    JsonObject paths = root.getJsonObject("paths", new JsonObject());
    JsonArray globalSecurity = root.getJsonArray("security", new JsonArray());
    for (String path : paths.fieldNames()) {
      JsonObject item = resolve(paths.getJsonObject(path));
      for (String method : METHODS) {
        JsonObject op = item.getJsonObject(method);
        if (op == null) {
          continue;
        }
        List<JsonObject> params = new ArrayList<>();
        item.getJsonArray("parameters", new JsonArray())
            .forEach(p -> params.add(resolve((JsonObject) p)));
        op.getJsonArray("parameters", new JsonArray())
            .forEach(
                p -> {
                  JsonObject param = resolve((JsonObject) p);
                  params.removeIf(
                      q ->
                          q.getString("name").equals(param.getString("name"))
                              && q.getString("in").equals(param.getString("in")));
                  params.add(param);
                });
        JsonArray security =
            op.containsKey("security") ? op.getJsonArray("security") : globalSecurity;
        Mode mode =
            security.isEmpty()
                ? Mode.PUBLIC
                : security.stream().anyMatch(r -> ((JsonObject) r).isEmpty())
                    ? Mode.OPTIONAL
                    : Mode.REQUIRED;
        List<String> roles = new ArrayList<>();
        op.getJsonArray("x-roles", new JsonArray()).forEach(r -> roles.add(String.valueOf(r)));
        JsonObject body = op.getJsonObject("requestBody");
        out.add(
            new Op(
                op.getString("operationId"),
                method,
                path,
                params,
                body == null ? null : resolve(body),
                mode,
                roles,
                op.containsKey("x-roles")));
      }
    }
    return out;
  }

  /** Follows a local {@code $ref} (the contract is one self-contained file). */
  JsonObject resolve(JsonObject node) {
    JsonObject current = node;
    for (int depth = 0; current != null && current.containsKey("$ref") && depth < 20; depth++) {
      String ref = current.getString("$ref");
      if (!ref.startsWith("#/")) {
        throw new IllegalStateException("only local $refs are supported: " + ref);
      }
      Object target = root;
      for (String part : ref.substring(2).split("/")) {
        target = ((JsonObject) target).getValue(part.replace("~1", "/").replace("~0", "~"));
      }
      current = (JsonObject) target;
    }
    return current;
  }
}
