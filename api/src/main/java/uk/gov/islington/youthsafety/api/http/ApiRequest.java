package uk.gov.islington.youthsafety.api.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.ValidatedRequest;
import java.util.Map;
import uk.gov.islington.youthsafety.api.auth.Principal;

/**
 * A request that passed auth and the contract's validation: typed parameters, the JSON body and the
 * caller. {@link #context()} is the escape hatch for headers such as If-None-Match.
 */
public final class ApiRequest {

  private final RoutingContext ctx;
  private final ValidatedRequest validated;

  ApiRequest(RoutingContext ctx) {
    this.ctx = ctx;
    this.validated = ctx.get(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST);
  }

  public RoutingContext context() {
    return ctx;
  }

  /** The caller, or null on a public operation called without a token. */
  public Principal principal() {
    return Principal.of(ctx);
  }

  /** Whether there is a caller and it has {@code role}: some answers say more to staff. */
  public boolean callerHas(String role) {
    Principal p = principal();
    return p != null && p.has(role);
  }

  /** The caller of an operation whose contract requires a token. */
  public Principal requiredPrincipal() {
    return Principal.required(ctx);
  }

  public String path(String name) {
    return string(validated.getPathParameters(), name);
  }

  public String query(String name) {
    return string(validated.getQuery(), name);
  }

  public Integer queryInt(String name, Integer defaultValue) {
    Object v = value(validated.getQuery(), name);
    return v instanceof Number n ? Integer.valueOf(n.intValue()) : defaultValue;
  }

  public Double queryDouble(String name) {
    Object v = value(validated.getQuery(), name);
    return v instanceof Number n ? n.doubleValue() : null;
  }

  public Boolean queryBool(String name, Boolean defaultValue) {
    Object v = value(validated.getQuery(), name);
    return v instanceof Boolean b ? b : defaultValue;
  }

  public String header(String name) {
    Object v = value(validated.getHeaders(), name);
    return v == null ? ctx.request().getHeader(name) : v.toString();
  }

  /** The JSON object body, or an empty object when the operation's body is optional and absent. */
  public JsonObject body() {
    RequestParameter body = validated.getBody();
    if (body == null || body.isNull()) {
      return new JsonObject();
    }
    Object v = body.get();
    return v instanceof JsonObject o ? o : new JsonObject();
  }

  public JsonArray bodyArray() {
    RequestParameter body = validated.getBody();
    return body == null || body.isNull() || !(body.get() instanceof JsonArray a)
        ? new JsonArray()
        : a;
  }

  /**
   * The client's network (IPv4 address or IPv6 /64), for in-memory rate limiting only: never store
   * or log it.
   */
  public String clientNetwork() {
    return ClientNetwork.of(ctx);
  }

  private static String string(Map<String, RequestParameter> params, String name) {
    Object v = value(params, name);
    return v == null ? null : v.toString();
  }

  private static Object value(Map<String, RequestParameter> params, String name) {
    if (params == null) {
      return null;
    }
    RequestParameter p = params.get(name);
    return p == null || p.isNull() ? null : p.get();
  }
}
