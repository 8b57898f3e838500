package uk.gov.islington.youthsafety.api.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.islington.youthsafety.api.reports.Reports.actOk;
import static uk.gov.islington.youthsafety.api.reports.Reports.fields;
import static uk.gov.islington.youthsafety.api.reports.Reports.findReportId;
import static uk.gov.islington.youthsafety.api.reports.Reports.report;
import static uk.gov.islington.youthsafety.api.reports.Reports.submitOk;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import uk.gov.islington.youthsafety.api.testing.TestApp;

/**
 * Monthly counts are written at close and outlive the purge of the reports they came from; as open
 * data no cell under 5 is published, and no withheld cell can be worked out from the month's total
 * and the other cells of its breakdown (a crafted data set).
 */
class ReportStatisticsTest {

  static final List<String> BREAKDOWNS = List.of("categoryGroup", "destination", "area", "outcome");

  static JsonObject month(TestApp app, String month) {
    var r = app.get("/v1/report-statistics?from=" + month + "&to=" + month, null);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    JsonArray months = r.bodyAsJsonObject().getJsonArray("months");
    assertThat(months).hasSize(1);
    return months.getJsonObject(0);
  }

  static Integer cell(JsonObject month, String breakdown, String value) {
    return month.getJsonArray(breakdown).stream()
        .map(JsonObject.class::cast)
        .filter(c -> value.equals(c.getString("value")))
        .findFirst()
        .orElseThrow()
        .getInteger("reports");
  }

  /**
   * Nothing under 5 is shown, and no breakdown withholds exactly one cell (total minus the rest).
   */
  static void assertNothingRecoverable(JsonObject month) {
    for (String breakdown : BREAKDOWNS) {
      List<JsonObject> cells =
          month.getJsonArray(breakdown).stream().map(JsonObject.class::cast).toList();
      long withheld = cells.stream().filter(c -> c.getBoolean("suppressed")).count();
      if (month.getInteger("total") != null) {
        assertThat(withheld).as(breakdown).isNotEqualTo(1);
      }
      cells.stream()
          .filter(c -> !c.getBoolean("suppressed"))
          .forEach(
              c -> assertThat(c.getInteger("reports")).as(breakdown).isGreaterThanOrEqualTo(5));
      cells.stream()
          .filter(c -> c.getBoolean("suppressed"))
          .forEach(c -> assertThat(c.getValue("reports")).as(breakdown).isNull());
    }
  }

  @Test
  void aCraftedMonthPublishesNoSmallCellAndNoneThatCanBeWorkedOut() throws Exception {
    try (TestApp app = TestApp.start()) {
      // margins: groups 9 + 3; destinations 6 + 3 + 3; areas 5 + 4 + 3; outcome 12; total 12
      String insert =
          "INSERT INTO content.report_statistics (month, category_group, destination, area, outcome,"
              + " reports) VALUES ($1::text::date, $2, $3, $4, $5, $6)";
      app.sql(insert, "2026-03-01", "safeguarding", "CSCT", "holloway", "passed_on", 5);
      app.sql(insert, "2026-03-01", "safeguarding", "CSCT", "highbury", "passed_on", 1);
      app.sql(insert, "2026-03-01", "safeguarding", "IGT", "highbury", "passed_on", 3);
      app.sql(insert, "2026-03-01", "crime", "CRIMESTOPPERS", "not_given", "passed_on", 3);
      // a month of three reports says nothing but its name
      app.sql(insert, "2026-04-01", "crime", "CRIMESTOPPERS", "holloway", "spam", 3);

      JsonObject march = month(app, "2026-03");
      assertThat(march.getInteger("total")).isEqualTo(12);
      // crime (3) is withheld, so safeguarding (9) must be too: 12 - 9 would give it away
      assertThat(cell(march, "categoryGroup", "crime")).isNull();
      assertThat(cell(march, "categoryGroup", "safeguarding")).isNull();
      assertThat(cell(march, "destination", "CSCT")).isEqualTo(6);
      assertThat(cell(march, "destination", "IGT")).isNull();
      assertThat(cell(march, "destination", "CRIMESTOPPERS")).isNull();
      assertThat(cell(march, "area", "holloway")).isEqualTo(5);
      assertThat(cell(march, "area", "highbury")).isNull();
      assertThat(cell(march, "area", "not_given")).isNull();
      assertThat(cell(march, "outcome", "passed_on")).isEqualTo(12);
      assertNothingRecoverable(march);

      JsonObject april = month(app, "2026-04");
      assertThat(april.getValue("total")).isNull();
      assertThat(cell(april, "categoryGroup", "crime")).isNull();
      assertNothingRecoverable(april);

      var csv =
          app.send(
              app.http()
                  .get("/v1/report-statistics?from=2026-03&to=2026-04")
                  .putHeader("Accept", "text/csv"),
              null,
              null);
      assertThat(csv.statusCode()).isEqualTo(200);
      assertThat(csv.getHeader("Content-Type")).startsWith("text/csv");
      assertThat(csv.bodyAsString())
          .startsWith("month,breakdown,value,reports,suppressed\r\n")
          .contains(
              "2026-03,total,,12,false\r\n",
              "2026-03,categoryGroup,crime,,true\r\n",
              "2026-03,categoryGroup,safeguarding,,true\r\n",
              "2026-03,destination,CSCT,6,false\r\n",
              "2026-04,total,,,true\r\n")
          .doesNotContain(",3,")
          .doesNotContain(",9,")
          .doesNotContain(",4,");

      assertThat(fields(app.get("/v1/report-statistics?from=2026-13", null)))
          .containsExactly("from");
      assertThat(fields(app.get("/v1/report-statistics?from=2026-05&to=2026-03", null)))
          .containsExactly("from");
    }
  }

  @Test
  void theCountsOutliveThePurgeOfTheReportsTheyCameFrom() throws Exception {
    try (TestApp app = TestApp.start()) {
      String moderator = app.staffToken("moderator");
      String month =
          YearMonth.from(LocalDate.ofInstant(app.clock.instant(), ZoneId.of("Europe/London")))
              .toString();
      for (int i = 0; i < 6; i++) {
        String text = "counted " + i + " " + UUID.randomUUID();
        submitOk(app, report("someone-being-hurt", text, false).put("area", "holloway"));
        String id = findReportId(app, moderator, text);
        actOk(
            app,
            moderator,
            id,
            i == 5
                ? new JsonObject().put("action", "spam")
                : new JsonObject().put("action", "close").put("outcome", "Looked into."));
      }
      JsonObject before = month(app, month);
      assertThat(before.getInteger("total")).isEqualTo(6);
      assertThat(cell(before, "area", "holloway")).isEqualTo(6);
      assertThat(cell(before, "outcome", "closed")).isNull(); // 5, but spam (1) would then be 6 - 5
      assertThat(cell(before, "outcome", "spam")).isNull();
      assertNothingRecoverable(before);

      app.clock.advance(Duration.ofDays(100));
      app.await(app.app().retention().runOnce());
      assertThat(app.sql("SELECT count(*) FROM content.reports").get(0).getLong(0)).isZero();
      JsonObject after = month(app, month);
      assertThat(after).isEqualTo(before);
      assertThat(app.sql("SELECT sum(reports) FROM content.report_statistics").get(0).getLong(0))
          .isEqualTo(6);
    }
  }
}
