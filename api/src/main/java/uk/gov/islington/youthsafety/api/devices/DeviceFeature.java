package uk.gov.islington.youthsafety.api.devices;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import uk.gov.islington.youthsafety.api.AppContext;
import uk.gov.islington.youthsafety.api.Feature;
import uk.gov.islington.youthsafety.api.auth.Tokens;
import uk.gov.islington.youthsafety.api.http.ApiRequest;
import uk.gov.islington.youthsafety.api.http.Problem;
import uk.gov.islington.youthsafety.api.http.ProblemException;
import uk.gov.islington.youthsafety.api.http.Reply;
import uk.gov.islington.youthsafety.api.http.Routes;

/**
 * registerDevice: an app install gets a device token. Nothing is stored: the token itself carries
 * the random subject and the self-declared age band, so there is no record to leak or retain. With
 * APP_CHECK=enforce only a genuine app (Firebase App Check) gets one.
 */
public final class DeviceFeature implements Feature {

  static final String APP_CHECK_HEADER = "X-Firebase-AppCheck";
  private static final Problem NOT_ATTESTED =
      Problem.of(
          401,
          "app-check-failed",
          "Unauthorized",
          "This request did not come with a valid App Check token from the Youth Safety app.");

  private final Tokens tokens;
  private final AppCheck appCheck;

  public DeviceFeature(AppContext app) {
    this.tokens = app.tokens();
    this.appCheck = appCheck(app);
  }

  private static AppCheck appCheck(AppContext app) {
    DeviceSettings settings = DeviceSettings.from(app.config());
    return new AppCheck(
        settings.appCheck(),
        app.vertx(),
        app.clock(),
        app.metrics(),
        settings.projectNumber(),
        settings.jwksUrl(),
        settings.jwksCa(),
        settings.jwksMinRefresh(),
        settings.logInterval());
  }

  @Override
  public void routes(Routes routes) {
    routes.on("registerDevice", this::register);
  }

  @Override
  public Future<Void> stop() {
    return appCheck.close();
  }

  private Future<Reply> register(ApiRequest req) {
    Future<AppCheck.Outcome> attested =
        appCheck.mode() == AppCheck.Mode.OFF
            ? Future.succeededFuture(AppCheck.Outcome.VALID)
            : appCheck.check(req.context().request().getHeader(APP_CHECK_HEADER));
    return attested.compose(
        outcome -> {
          if (outcome != AppCheck.Outcome.VALID && appCheck.mode() == AppCheck.Mode.ENFORCE) {
            return Future.failedFuture(new ProblemException(NOT_ATTESTED));
          }
          Tokens.Issued issued = tokens.issueDevice(req.body().getString("ageBand"));
          return Future.succeededFuture(
              Reply.created(
                      new JsonObject()
                          .put("token", issued.token())
                          .put("expiresAt", issued.expiresAt().toString()))
                  .noStore());
        });
  }
}
