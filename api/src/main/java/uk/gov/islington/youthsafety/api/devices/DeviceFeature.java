package uk.gov.islington.youthsafety.api.devices;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import uk.gov.islington.youthsafety.api.AppContext;
import uk.gov.islington.youthsafety.api.Feature;
import uk.gov.islington.youthsafety.api.auth.Tokens;
import uk.gov.islington.youthsafety.api.http.ApiRequest;
import uk.gov.islington.youthsafety.api.http.Reply;
import uk.gov.islington.youthsafety.api.http.Routes;

/**
 * registerDevice: an app install gets a device token. Nothing is stored: the token itself carries
 * the random subject and the self-declared age band, so there is no record to leak or retain.
 */
public final class DeviceFeature implements Feature {

  private final Tokens tokens;

  public DeviceFeature(AppContext app) {
    this.tokens = app.tokens();
  }

  @Override
  public void routes(Routes routes) {
    routes.on("registerDevice", this::register);
  }

  private Future<Reply> register(ApiRequest req) {
    Tokens.Issued issued = tokens.issueDevice(req.body().getString("ageBand"));
    return Future.succeededFuture(Reply.created(new JsonObject()
            .put("token", issued.token())
            .put("expiresAt", issued.expiresAt().toString()))
        .header("Cache-Control", "no-store"));
  }
}
