package uk.gov.islington.youthsafety.api.staff;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import uk.gov.islington.youthsafety.api.auth.Tokens;
import uk.gov.islington.youthsafety.api.http.ApiRequest;
import uk.gov.islington.youthsafety.api.http.ItemsJson;
import uk.gov.islington.youthsafety.api.http.Problem;
import uk.gov.islington.youthsafety.api.http.ProblemException;
import uk.gov.islington.youthsafety.api.http.Reply;
import uk.gov.islington.youthsafety.api.http.Routes;
import uk.gov.islington.youthsafety.content.staff.SecondFactors;
import uk.gov.islington.youthsafety.content.staff.StaffMember;
import uk.gov.islington.youthsafety.content.staff.StaffService;
import uk.gov.islington.youthsafety.content.staff.StaffUpdate;

/**
 * The operations of staff accounts: issueStaffToken (password, then the second factor once the
 * account is enrolled, each counted by its own throttle), createStaff, listStaff, updateStaff.
 */
final class StaffRoutes {

  // one answer for unknown usernames, wrong passwords and disabled accounts
  private static final Problem BAD_CREDENTIALS =
      Problem.of(
          401,
          "invalid-credentials",
          "Unauthorized",
          "The username, password or code is not right, or the account is disabled.");
  // only after the right password: the account has a second factor and no code came with it
  private static final Problem SECOND_FACTOR_REQUIRED =
      Problem.of(
          401,
          "second-factor-required",
          "Unauthorized",
          "This account signs in with a second factor: send the authenticator app's code (or a recovery code) as otp.");

  private final StaffFeature feature;
  private final StaffService staff;
  private final SecondFactors secondFactors;
  private final Tokens tokens;
  private final LoginThrottle throttle;
  private final LoginThrottle codeThrottle;

  StaffRoutes(StaffFeature feature, Tokens tokens) {
    this.feature = feature;
    this.staff = feature.staff();
    this.secondFactors = feature.secondFactors();
    this.tokens = tokens;
    this.throttle = feature.throttle();
    this.codeThrottle = feature.codeThrottle();
  }

  void addTo(Routes routes) {
    routes
        .on("issueStaffToken", this::issueToken)
        .on("createStaff", this::create)
        .on("listStaff", this::list)
        .on("updateStaff", this::update);
  }

  private Future<Reply> issueToken(ApiRequest req) {
    String username = req.body().getString("username");
    String password = req.body().getString("password");
    String otp = req.body().getString("otp");
    return throttle
        .password(staff, username, password, req.clientNetwork())
        .compose(
            found -> {
              if (found.isEmpty()) {
                return Future.failedFuture(new ProblemException(BAD_CREDENTIALS));
              }
              StaffMember member = found.get();
              return secondFactors
                  .enrolled(member.id())
                  .compose(
                      enrolled -> {
                        if (!enrolled) {
                          return Future.succeededFuture(member);
                        }
                        if (otp == null) {
                          return Future.failedFuture(new ProblemException(SECOND_FACTOR_REQUIRED));
                        }
                        return codeThrottle
                            .check(
                                username,
                                req.clientNetwork(),
                                () -> secondFactors.verify(member.id(), otp),
                                ok -> ok)
                            .compose(
                                ok ->
                                    ok
                                        ? Future.succeededFuture(member)
                                        : Future.failedFuture(
                                            new ProblemException(BAD_CREDENTIALS)));
                      });
            })
        .map(
            member -> {
              Tokens.Issued issued = tokens.issueStaff(member.id(), member.roles());
              return Reply.ok(
                      new JsonObject()
                          .put("accessToken", issued.token())
                          .put("tokenType", "Bearer")
                          .put("expiresAt", issued.expiresAt().toString())
                          .put("roles", new JsonArray(member.roles())))
                  .noStore()
                  .header("Pragma", "no-cache");
            });
  }

  private Future<Reply> create(ApiRequest req) {
    JsonObject body = req.body();
    return staff
        .create(
            req.requiredPrincipal().subject(),
            body.getString("username"),
            body.getString("password"),
            strings(body.getJsonArray("roles")))
        .map(member -> Reply.created(toJson(member)));
  }

  private Future<Reply> list(ApiRequest req) {
    return staff
        .list(req.queryBool("disabled", null), req.queryInt("limit", 20), req.query("cursor"))
        .map(page -> Reply.ok(ItemsJson.page(page, StaffRoutes::toJson)));
  }

  private Future<Reply> update(ApiRequest req) {
    JsonObject body = req.body();
    StaffUpdate change =
        new StaffUpdate(
            body.containsKey("roles") ? strings(body.getJsonArray("roles")) : null,
            body.getString("password"),
            body.getBoolean("disabled"));
    return feature
        .update(req.requiredPrincipal().subject(), req.path("staffId"), change)
        .map(result -> Reply.ok(toJson(result.member())));
  }

  private static List<String> strings(JsonArray array) {
    return array == null ? null : array.stream().map(String::valueOf).toList();
  }

  static JsonObject toJson(StaffMember m) {
    return new JsonObject()
        .put("id", m.id())
        .put("username", m.username())
        .put("roles", new JsonArray(m.roles()))
        .put("disabled", m.disabled())
        .put("createdAt", m.createdAt().toString())
        .put("updatedAt", m.updatedAt().toString());
  }
}
