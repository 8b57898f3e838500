package uk.gov.islington.youthsafety.api.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a feature handler answers: a status, headers and a body (JsonObject, JsonArray, a record or
 * other POJO encoded by Jackson, a String or a Buffer). Handlers return a Future of it.
 */
public final class Reply {

  private final int status;
  private final Object body;
  private final String contentType;
  private final Map<String, String> headers = new LinkedHashMap<>();

  private Reply(int status, Object body, String contentType) {
    this.status = status;
    this.body = body;
    this.contentType = contentType;
  }

  public static Reply ok(Object body) {
    return new Reply(200, body, "application/json");
  }

  public static Reply created(Object body) {
    return new Reply(201, body, "application/json");
  }

  public static Reply status(int status) {
    return new Reply(status, null, null);
  }

  public static Reply noContent() {
    return status(204);
  }

  public static Reply text(int status, String contentType, Object body) {
    return new Reply(status, body, contentType);
  }

  public Reply header(String name, String value) {
    headers.put(name, value);
    return this;
  }

  /** {@code replayed}: this is the first answer given again for a repeated Idempotency-Key. */
  public Reply replayed(boolean replayed) {
    return replayed ? header("Idempotent-Replayed", "true") : this;
  }

  /** Nothing on the way may keep this answer. */
  public Reply noStore() {
    return header("Cache-Control", "no-store");
  }

  public int statusCode() {
    return status;
  }

  public Object body() {
    return body;
  }

  void send(RoutingContext ctx) {
    var response = ctx.response().setStatusCode(status);
    headers.forEach(response::putHeader);
    if (body == null) {
      response.end();
      return;
    }
    response.putHeader("Content-Type", contentType);
    response.end(encode(body));
  }

  private static Buffer encode(Object body) {
    if (body instanceof Buffer b) {
      return b;
    }
    if (body instanceof String s) {
      return Buffer.buffer(s);
    }
    if (body instanceof JsonObject o) {
      return o.toBuffer();
    }
    if (body instanceof JsonArray a) {
      return a.toBuffer();
    }
    return Json.encodeToBuffer(body);
  }
}
