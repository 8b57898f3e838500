package uk.gov.islington.youthsafety.api.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * The contract, and with it the access policy (security, x-roles), is the openapi.yaml built into
 * this service's jar: read from the class path only, never through Vert.x's file resolver (which
 * prefers a file of that name in the working directory), and the start stops when the class path's
 * first openapi.yaml is not the one beside this class. The router and /openapi.yaml use the same
 * bytes, read once.
 *
 * <p>Loads openapi.yaml for the router. The router's validator only knows JSON, form and plain-text
 * media types, and refuses a contract whose responses name others (our YAML contract, HTML docs,
 * the iCalendar feed, problem+json). Responses are never validated, so the router's copy drops
 * those response media types; the file served at /openapi.yaml stays exactly as written.
 */
public final class ContractLoader {

  private static final Set<String> ROUTER_MEDIA_TYPES =
      Set.of(
          "application/json",
          "application/json; charset=utf-8",
          "multipart/form-data",
          "application/hal+json",
          "application/octet-stream",
          "text/plain",
          "text/plain; charset=utf-8");

  private ContractLoader() {}

  private static final String NAME = "openapi.yaml";

  /** The router's contract, from the built-in bytes. */
  public static Future<OpenAPIContract> load(Vertx vertx) {
    return fromText(vertx, builtContract().toString(StandardCharsets.UTF_8));
  }

  /** A router's contract from YAML text (benchmarks of other versions of the contract). */
  public static Future<OpenAPIContract> fromText(Vertx vertx, String yaml) {
    return Future.<JsonObject>future(p -> p.complete(parse(yaml)))
        .map(ContractLoader::forRouter)
        .compose(model -> OpenAPIContract.from(vertx, model));
  }

  /** The openapi.yaml built into this service, exactly as written (served at /openapi.yaml). */
  public static Buffer builtContract() {
    URL resource = ContractLoader.class.getClassLoader().getResource(NAME);
    if (resource == null) {
      throw new IllegalStateException(NAME + " is not on the class path");
    }
    checkBuiltIn(
        resource, ContractLoader.class.getProtectionDomain().getCodeSource().getLocation());
    try (InputStream in = resource.openStream()) {
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(NAME + " could not be read", e);
    }
  }

  /**
   * Stops the start unless {@code resource} lies in {@code codeSource} (this service's jar or
   * classes folder).
   */
  public static void checkBuiltIn(URL resource, URL codeSource) {
    String where = codeSource.toString();
    String inJar = "jar:" + where + "!/" + NAME;
    String inFolder = (where.endsWith("/") ? where : where + "/") + NAME;
    String found = resource.toString();
    if (!found.equals(inJar) && !found.equals(inFolder)) {
      throw new IllegalStateException(
          "the "
              + NAME
              + " on the class path ("
              + found
              + ") is not the contract built into this service ("
              + where
              + "): remove the other copy");
    }
  }

  /** The contract as JSON (YAML is a superset of JSON, so a JSON contract reads the same way). */
  static JsonObject parse(String yaml) {
    if (new Yaml(new TimestampsAsText()).load(yaml) instanceof Map<?, ?> document) {
      return new JsonObject(jsonMap(document));
    }
    throw new IllegalArgumentException("the contract is not a YAML mapping");
  }

  // JSON keys are text: YAML reads an unquoted response code such as 200 as a number
  private static Map<String, Object> jsonMap(Map<?, ?> map) {
    Map<String, Object> json = new LinkedHashMap<>();
    map.forEach((key, value) -> json.put(String.valueOf(key), jsonValue(value)));
    return json;
  }

  private static Object jsonValue(Object value) {
    if (value instanceof Map<?, ?> map) {
      return jsonMap(map);
    }
    if (value instanceof List<?> list) {
      List<Object> json = new ArrayList<>(list.size());
      list.forEach(item -> json.add(jsonValue(item)));
      return json;
    }
    return value;
  }

  /**
   * Safe YAML types only, and a date or time stays the text it was written as (JSON has no date
   * type).
   */
  private static final class TimestampsAsText extends SafeConstructor {
    TimestampsAsText() {
      super(new LoaderOptions());
      yamlConstructors.put(Tag.TIMESTAMP, new ConstructYamlStr());
    }
  }

  static JsonObject forRouter(JsonObject contract) {
    JsonObject copy = contract.copy();
    JsonObject paths = copy.getJsonObject("paths", new JsonObject());
    for (String p : paths.fieldNames()) {
      JsonObject item = paths.getJsonObject(p);
      for (String method : List.copyOf(item.fieldNames())) {
        if (item.getValue(method) instanceof JsonObject op
            && op.getValue("responses") instanceof JsonObject rs) {
          rs.forEach(
              e -> {
                if (e.getValue() instanceof JsonObject r
                    && r.getValue("content") instanceof JsonObject c) {
                  c.fieldNames().removeIf(type -> !ROUTER_MEDIA_TYPES.contains(type.toLowerCase()));
                }
              });
        }
      }
    }
    JsonObject responses =
        copy.getJsonObject("components", new JsonObject()).getJsonObject("responses");
    if (responses != null) {
      responses.forEach(
          e -> {
            if (e.getValue() instanceof JsonObject r
                && r.getValue("content") instanceof JsonObject c) {
              c.fieldNames().removeIf(type -> !ROUTER_MEDIA_TYPES.contains(type.toLowerCase()));
            }
          });
    }
    return copy;
  }
}
