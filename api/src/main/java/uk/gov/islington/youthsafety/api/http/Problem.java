package uk.gov.islington.youthsafety.api.http;

import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import uk.gov.islington.youthsafety.content.common.InvalidInput.FieldError;

/**
 * An RFC 9457 problem: the only shape an error leaves this service in. Types are stable URNs the
 * app can switch on; titles are short and human; details never carry personal data.
 */
public record Problem(
    int status,
    String type,
    String title,
    String detail,
    List<FieldError> errors,
    String correlationId) {

  public static final String CONTENT_TYPE = "application/problem+json";

  public static Problem of(int status, String type, String title, String detail) {
    return new Problem(status, "urn:youth-safety:problem:" + type, title, detail, List.of(), null);
  }

  public static Problem validation(List<FieldError> errors) {
    String detail =
        errors.isEmpty()
            ? "The request is not valid."
            : errors.size() == 1
                ? errors.get(0).field() + ": " + errors.get(0).message()
                : errors.size() + " fields are not valid.";
    return new Problem(
        400,
        "urn:youth-safety:problem:validation",
        "Invalid request",
        detail,
        List.copyOf(errors),
        null);
  }

  public Problem withCorrelationId(String id) {
    return new Problem(status, type, title, detail, errors, id);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("type", type).put("title", title).put("status", status);
    if (detail != null) {
      json.put("detail", detail);
    }
    if (!errors.isEmpty()) {
      JsonArray list = new JsonArray();
      errors.forEach(
          e -> list.add(new JsonObject().put("field", e.field()).put("message", e.message())));
      json.put("errors", list);
    }
    if (correlationId != null) {
      json.put("correlationId", correlationId);
    }
    return json;
  }

  /** Completes when the answer is written (or the stream reset, when a reply had already begun). */
  public Future<Void> send(HttpServerResponse response) {
    if (response.headWritten()) {
      response.reset();
      return Future.succeededFuture();
    }
    return response
        .setStatusCode(status)
        .putHeader("Content-Type", CONTENT_TYPE)
        .end(toJson().toBuffer());
  }
}
