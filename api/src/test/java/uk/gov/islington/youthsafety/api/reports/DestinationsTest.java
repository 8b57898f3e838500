package uk.gov.islington.youthsafety.api.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.islington.youthsafety.api.reports.Reports.act;
import static uk.gov.islington.youthsafety.api.reports.Reports.actOk;
import static uk.gov.islington.youthsafety.api.reports.Reports.check;
import static uk.gov.islington.youthsafety.api.reports.Reports.eventually;
import static uk.gov.islington.youthsafety.api.reports.Reports.fields;
import static uk.gov.islington.youthsafety.api.reports.Reports.findReportId;
import static uk.gov.islington.youthsafety.api.reports.Reports.report;
import static uk.gov.islington.youthsafety.api.reports.Reports.submitOk;
import static uk.gov.islington.youthsafety.api.reports.Reports.triageReport;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import uk.gov.islington.youthsafety.api.testing.TestApp;

/**
 * Destinations are data: editors add partners, categories route to them by id, a referral goes
 * where its category says, moderators re-route with a reason in the audit trail, and a destination
 * still in use (or built in) cannot be deactivated.
 */
class DestinationsTest {

  static final String PARTNER = "partner-team@example.test";

  static JsonObject partner(String id) {
    return new JsonObject()
        .put("id", id)
        .put("name", "Test partner team " + id)
        .put("shortName", "Partner")
        .put("channel", "email")
        .put("email", PARTNER)
        .put("handoffInstructions", "E-mail it to the partner team, quoting the reference.")
        .put("guidance", "A member of staff will pass this to the partner team.");
  }

  @Test
  void aCategoryRoutedToANewDestinationSendsItsReferralThere() throws Exception {
    try (Smtp smtp = Smtp.onFreePort().start();
        TestApp app = TestApp.start(smtp.settings())) {
      String editor = app.staffToken("editor");
      var list =
          app.get("/v1/report-destinations", editor).bodyAsJsonObject().getJsonArray("items");
      List<String> ids =
          list.stream().map(JsonObject.class::cast).map(d -> d.getString("id")).toList();
      assertThat(ids).contains("CSCT", "CRIMESTOPPERS", "EXPLOITED_MISSING", "IGT", "SCHOOL_DSL");

      var created = app.post("/v1/report-destinations", editor, partner("PARTNER_TEAM"));
      assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
      assertThat(created.bodyAsJsonObject().getBoolean("builtIn")).isFalse();
      assertThat(app.post("/v1/report-destinations", editor, partner("PARTNER_TEAM")).statusCode())
          .isEqualTo(409);
      var routed =
          app.patch(
              "/v1/report-categories/pulled-into-gangs",
              editor,
              new JsonObject().put("destination", "PARTNER_TEAM"));
      assertThat(routed.statusCode()).as(routed.bodyAsString()).isEqualTo(200);
      assertThat(routed.bodyAsJsonObject().getString("destinationName"))
          .isEqualTo("Test partner team PARTNER_TEAM");

      String text = "routed to the partner " + UUID.randomUUID();
      JsonObject receipt = submitOk(app, report("pulled-into-gangs", text, false));
      assertThat(receipt.getString("destination")).isEqualTo("PARTNER_TEAM");
      String moderator = app.staffToken("moderator");
      String id = findReportId(app, moderator, text);
      actOk(app, moderator, id, new JsonObject().put("action", "forward"));
      eventually(
          "the referral reaches the partner",
          () ->
              smtp.received().stream()
                  .anyMatch(
                      m ->
                          DutyAlertTest.recipients(m).contains(PARTNER)
                              && Smtp.body(m).contains(text)));
      eventually(
          "the report shows it",
          () -> "forwarded".equals(triageReport(app, moderator, id).getString("status")));
      JsonObject seen = check(app, receipt.getString("receiptCode")).bodyAsJsonObject();
      // the app's statuses name CSCT and Crimestoppers only: never "passed to CSCT" for a partner
      assertThat(seen.getString("status")).isEqualTo("being_looked_at");
      assertThat(seen.getString("statusText")).contains("Test partner team PARTNER_TEAM");
    }
  }

  @Test
  void aDestinationInUseOrBuiltInIsNotDeactivatedAndModeratorsRerouteWithAReason()
      throws Exception {
    try (TestApp app = TestApp.start()) {
      String editor = app.staffToken("editor");
      assertThat(app.post("/v1/report-destinations", editor, partner("IN_USE")).statusCode())
          .isEqualTo(201);
      app.patch(
          "/v1/report-categories/drugs", editor, new JsonObject().put("destination", "IN_USE"));

      var refused =
          app.patch(
              "/v1/report-destinations/IN_USE", editor, new JsonObject().put("active", false));
      assertThat(refused.statusCode()).as(refused.bodyAsString()).isEqualTo(409);
      assertThat(refused.getHeader("Content-Type")).isEqualTo("application/problem+json");
      assertThat(refused.bodyAsJsonObject().getString("detail"))
          .contains("drugs")
          .contains("Route them");
      var builtIn =
          app.patch("/v1/report-destinations/CSCT", editor, new JsonObject().put("active", false));
      assertThat(builtIn.statusCode()).isEqualTo(409);
      assertThat(builtIn.bodyAsJsonObject().getString("detail")).contains("built in");

      app.patch(
          "/v1/report-categories/drugs",
          editor,
          new JsonObject().put("destination", "CRIMESTOPPERS"));
      var deactivated =
          app.patch(
              "/v1/report-destinations/IN_USE", editor, new JsonObject().put("active", false));
      assertThat(deactivated.statusCode()).as(deactivated.bodyAsString()).isEqualTo(200);
      assertThat(deactivated.bodyAsJsonObject().getBoolean("active")).isFalse();
      assertThat(
              fields(
                  app.patch(
                      "/v1/report-categories/drugs",
                      editor,
                      new JsonObject().put("destination", "IN_USE"))))
          .containsExactly("destination");

      // bad input names the field; only editors manage destinations
      assertThat(
              fields(
                  app.post(
                      "/v1/report-destinations",
                      editor,
                      partner("NO_ADDRESS").put("channel", "email").putNull("email"))))
          .contains("email");
      assertThat(fields(app.post("/v1/report-destinations", editor, partner("lower-case"))))
          .contains("id");
      assertThat(
              app.post("/v1/report-destinations", app.staffToken("moderator"), partner("NOT_YOURS"))
                  .statusCode())
          .isEqualTo(403);
      assertThat(
              app.patch(
                      "/v1/report-destinations/NOWHERE", editor, new JsonObject().put("name", "x"))
                  .statusCode())
          .isEqualTo(404);

      // a moderator re-routes to any active destination, with the reason in the audit trail
      String moderator = app.staffToken("moderator");
      String text = "reroute " + UUID.randomUUID();
      submitOk(app, report("someone-being-hurt", text, false));
      String id = findReportId(app, moderator, text);
      assertThat(
              fields(
                  act(
                      app,
                      moderator,
                      id,
                      new JsonObject().put("action", "route").put("destination", "IGT"))))
          .containsExactly("reason");
      assertThat(fields(act(app, moderator, id, Reports.route("IN_USE", "inactive"))))
          .containsExactly("destination");
      JsonObject rerouted =
          actOk(
              app,
              moderator,
              id,
              Reports.route("IGT", "Gang-related: the Integrated Gang Team leads on this."));
      assertThat(rerouted.getString("destination")).isEqualTo("IGT");
      JsonObject audit =
          rerouted.getJsonArray("history").stream()
              .map(JsonObject.class::cast)
              .filter(h -> "route".equals(h.getString("action")))
              .findFirst()
              .orElseThrow()
              .getJsonObject("detail");
      assertThat(audit.getString("from")).isEqualTo("CSCT");
      assertThat(audit.getString("to")).isEqualTo("IGT");
      assertThat(audit.getString("reason"))
          .isEqualTo("Gang-related: the Integrated Gang Team leads on this.");
      // IGT is a hand-off by default: the moderator gets its instructions
      JsonObject handoff =
          actOk(app, moderator, id, new JsonObject().put("action", "forward"))
              .getJsonArray("forwards")
              .getJsonObject(0);
      assertThat(handoff.getString("state")).isEqualTo("awaiting_handoff");
      assertThat(handoff.getJsonObject("handoff").getString("instructions"))
          .contains("IGT@islington.gov.uk");
    }
  }
}
