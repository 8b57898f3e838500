package uk.gov.islington.youthsafety.api.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.islington.youthsafety.api.reports.Reports.actOk;
import static uk.gov.islington.youthsafety.api.reports.Reports.findReportId;
import static uk.gov.islington.youthsafety.api.reports.Reports.report;
import static uk.gov.islington.youthsafety.api.reports.Reports.submitOk;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import uk.gov.islington.youthsafety.api.testing.TestApp;
import uk.gov.islington.youthsafety.testing.MutableClock;

/**
 * The moderators' audit trail against the database's own roles: the service's role may append and
 * read only, and owns nothing; the rows are chained by hash, so what the owner role deletes or
 * edits by hand shows in the verification (an admin operation), while the retention purge, which
 * deletes the oldest rows through the owner's function, does not.
 */
class AuditChainTest {

  static final Instant THREE_YEARS_AGO = Instant.now().minus(Duration.ofDays(3 * 365));
  static TestApp app;
  static Pool owner;

  @BeforeAll
  static void start() throws Exception {
    app = TestApp.start(java.util.Map.of(), new MutableClock(THREE_YEARS_AGO));
    owner = app.database().pool(app.app().context().vertx());
  }

  @AfterAll
  static void stop() throws Exception {
    owner.close();
    app.close();
  }

  @Test
  void theServiceRunsAsARoleThatOwnsNothingAndMayOnlyAppendToTheTrail() {
    Row role =
        app.sql("SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user").get(0);
    assertThat(role.getString(0))
        .isEqualTo(app.database().runtimeUser())
        .isNotEqualTo(app.database().user());
    assertThat(role.getBoolean(1)).isFalse();
    assertThat(
            app.sql(
                    "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                        + "WHERE n.nspname IN ('content', 'notifications') AND pg_get_userbyid(c.relowner) = current_user")
                .get(0)
                .getLong(0))
        .isZero();
    List<String> granted =
        app
            .sql(
                "SELECT privilege_type FROM information_schema.table_privileges "
                    + "WHERE table_schema = 'content' AND table_name = 'report_audit' AND grantee = current_user "
                    + "ORDER BY privilege_type")
            .stream()
            .map(r -> r.getString(0))
            .toList();
    assertThat(granted).containsExactly("INSERT", "SELECT");
  }

  @Test
  void whatTheOwnerDeletesOrEditsBreaksTheChainAndTheRetentionPurgeDoesNot() {
    String moderator = app.staffToken("moderator");
    String admin = app.staffToken("admin");
    // three years ago: a few actions on two reports
    String first = newReport(moderator);
    String second = newReport(moderator);
    actOk(app, moderator, first, new JsonObject().put("action", "claim"));
    actOk(app, moderator, second, new JsonObject().put("action", "claim"));
    actOk(
        app,
        moderator,
        first,
        new JsonObject().put("action", "ask").put("message", "Where was this?"));
    long rows = count();
    assertThat(rows).isGreaterThanOrEqualTo(3);
    assertIntact(admin, rows);

    // the owner edits a row by hand: the chain breaks at that row; put back, it is whole again
    long edited = auditIds().get(1);
    String by =
        ownerSql("SELECT staff_id FROM content.report_audit WHERE id = " + edited)
            .get(0)
            .getString(0);
    ownerEdit("UPDATE content.report_audit SET staff_id = 'someone-else' WHERE id = " + edited);
    JsonObject broken = verify(admin);
    assertThat(broken.getBoolean("intact")).isFalse();
    assertThat(broken.getJsonObject("brokenAt").getLong("rowId")).isEqualTo(edited);
    assertThat(broken.getJsonObject("brokenAt").getString("problem"))
        .isEqualTo("this row was edited");
    ownerEdit("UPDATE content.report_audit SET staff_id = '" + by + "' WHERE id = " + edited);
    assertThat(verify(admin).getBoolean("intact")).isTrue();

    // today: the retention job purges the three-year-old rows, which is no break
    app.setNow(Instant.now());
    app.await(app.app().retention().runOnce());
    assertThat(count()).isZero();
    moderator = app.staffToken("moderator");
    admin = app.staffToken("admin");
    actOk(
        app,
        moderator,
        first,
        new JsonObject().put("action", "close").put("outcome", "Passed on."));
    actOk(
        app,
        moderator,
        second,
        new JsonObject().put("action", "close").put("outcome", "Passed on."));
    List<Long> left = auditIds();
    assertIntact(admin, left.size());

    // the owner deletes the oldest row, as a purge would but by hand: the next row shows the gap
    ownerEdit("DELETE FROM content.report_audit WHERE id = " + left.get(0));
    broken = verify(admin);
    assertThat(broken.getBoolean("intact")).isFalse();
    assertThat(broken.getJsonObject("brokenAt").getLong("rowId")).isEqualTo(left.get(1));
    assertThat(broken.getJsonObject("brokenAt").getString("problem"))
        .isEqualTo("rows deleted or edited before this one");

    // moderators cannot run the check (admins look after the trail), nor anyone without a token
    assertThat(app.get("/v1/moderation/report-audit/verification", moderator).statusCode())
        .isEqualTo(403);
    assertThat(app.get("/v1/moderation/report-audit/verification", null).statusCode())
        .isEqualTo(401);
  }

  @Test
  void deletingTheNewestRowsShows() throws Exception {
    try (TestApp fresh = TestApp.start()) {
      Pool freshOwner = fresh.database().pool(fresh.app().context().vertx());
      try {
        String moderator = fresh.staffToken("moderator");
        String text = "newest " + UUID.randomUUID();
        submitOk(fresh, report("something-else", text, false));
        actOk(
            fresh,
            moderator,
            findReportId(fresh, moderator, text),
            new JsonObject().put("action", "claim"));
        fresh.await(
            freshOwner.withTransaction(
                tx ->
                    tx.query(
                            "SELECT set_config('content.report_audit_purge_before', 'infinity', true)")
                        .execute()
                        .compose(
                            v ->
                                tx.query(
                                        "DELETE FROM content.report_audit WHERE id = (SELECT max(id) FROM "
                                            + "content.report_audit)")
                                    .execute())));
        JsonObject broken =
            fresh
                .get("/v1/moderation/report-audit/verification", fresh.staffToken("admin"))
                .bodyAsJsonObject();
        assertThat(broken.getBoolean("intact")).isFalse();
        assertThat(broken.getJsonObject("brokenAt").getString("problem"))
            .isEqualTo("the newest rows were deleted");
        assertThat(broken.getJsonObject("brokenAt").getValue("rowId")).isNull();
      } finally {
        freshOwner.close();
      }
    }
  }

  private static String newReport(String moderator) {
    String text = "chain " + UUID.randomUUID();
    submitOk(app, report("something-else", text, false));
    return findReportId(app, moderator, text);
  }

  private static void assertIntact(String admin, long rows) {
    JsonObject v = verify(admin);
    assertThat(v.getBoolean("intact")).as(v.encode()).isTrue();
    assertThat(v.getLong("rowsChecked")).isEqualTo(rows);
    assertThat(v.containsKey("brokenAt")).isFalse();
  }

  private static JsonObject verify(String admin) {
    var r = app.get("/v1/moderation/report-audit/verification", admin);
    assertThat(r.statusCode()).isEqualTo(200);
    return r.bodyAsJsonObject();
  }

  private static long count() {
    return app.sql("SELECT count(*) FROM content.report_audit").get(0).getLong(0);
  }

  private static List<Long> auditIds() {
    return app.sql("SELECT id FROM content.report_audit ORDER BY chain_seq").stream()
        .map(r -> r.getLong(0))
        .toList();
  }

  private static List<Row> ownerSql(String sql) {
    List<Row> out = new java.util.ArrayList<>();
    app.await(owner.query(sql).execute()).forEach(out::add);
    return out;
  }

  /** As the owner, past the append-only trigger (which only the owner can switch off). */
  private static void ownerEdit(String sql) {
    app.await(
        owner.withTransaction(
            tx ->
                tx.query(
                        "ALTER TABLE content.report_audit DISABLE TRIGGER report_audit_no_update_or_delete")
                    .execute()
                    .compose(v -> tx.query(sql).execute())
                    .compose(
                        v ->
                            tx.query(
                                    "ALTER TABLE content.report_audit ENABLE TRIGGER report_audit_no_update_or_delete")
                                .execute())));
  }
}
