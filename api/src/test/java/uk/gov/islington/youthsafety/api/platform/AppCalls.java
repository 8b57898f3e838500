package uk.gov.islington.youthsafety.api.platform;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.concurrent.TimeUnit;
import uk.gov.islington.youthsafety.api.App;

/** HTTP calls to an {@link App} a platform test started itself rather than through TestApp. */
final class AppCalls {

  private AppCalls() {}

  /** One call, with a bearer token and a JSON body where given; waits up to 30 seconds. */
  static HttpResponse<Buffer> call(
      WebClient client, App app, String method, String uri, String token, JsonObject body)
      throws Exception {
    var request = client.request(HttpMethod.valueOf(method), app.port(), "127.0.0.1", uri);
    if (token != null) {
      request.putHeader("Authorization", "Bearer " + token);
    }
    return (body == null ? request.send() : request.sendJsonObject(body))
        .await(30, TimeUnit.SECONDS);
  }
}
