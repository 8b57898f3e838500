package uk.gov.islington.youthsafety.content.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import uk.gov.islington.youthsafety.common.Digests;
import uk.gov.islington.youthsafety.testing.MutableClock;
import uk.gov.islington.youthsafety.testing.TestDatabase;
import uk.gov.islington.youthsafety.testing.TestPostgres;

/**
 * A deployment that has Idempotency-Keys in the six older shapes migrates cleanly: every key still
 * answers its first result through {@link Idempotency}, and the old tables and columns are gone.
 */
class IdempotencyMigrationTest {

  static TestDatabase db;
  static Vertx vertx;
  static Pool pool;
  static final Idempotency IDEMPOTENCY =
      new Idempotency(new MutableClock(Instant.parse("2026-01-02T10:00:00Z")));

  @BeforeAll
  static void migrateWithOldKeys() throws Exception {
    db = TestPostgres.freshDatabase();
    migrate("notifications", null);
    migrate("content", "50");
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        Statement st = c.createStatement()) {
      st.execute(
          """
          INSERT INTO content.haven_idempotency (operation, key, request_hash, result_id, created_at)
          VALUES ('applyToBeHaven', 'haven-key-1', sha256('application body'), 'app_1', '2026-01-01T23:30:00Z');
          INSERT INTO content.events (id, title, description, category, venue_name, venue_address, starts_at, ends_at,
                                      created_at, updated_at)
          VALUES ('evt-1', 't', 'd', 'sport', 'v', 'a', '2026-02-01T10:00Z', '2026-02-01T11:00Z', now(), now());
          INSERT INTO content.event_requests (staff_id, key, request_hash, event_id, created_at)
          VALUES ('editor-1', 'event-key-1', encode(sha256('event body'), 'hex'), 'evt-1', '2026-01-02T09:00:00Z');
          INSERT INTO content.reports (id, reference, category_id, destination, urgent, immediate_danger, key_id,
                                       description_ct, receipt_key_id, receipt_hash, created_on, updated_on)
          VALUES ('00000000-0000-0000-0000-000000000001', 'R-ABCD-EFGH', 'someone-being-hurt', 'CSCT', false, false,
                  'k1', '\\x01', 'p1', '\\x02', '2026-01-02', '2026-01-02');
          INSERT INTO content.report_submissions (key_hash, body_hash, report_id, key_id, response_ct, created_on)
          VALUES (sha256('keyed report key'), sha256('keyed report body'), '00000000-0000-0000-0000-000000000001',
                  'k1', '\\x0a0b', '2026-01-02');
          INSERT INTO content.consultations (id, title, description, opens_at, closes_at, age_bands, creation_key,
                                             creation_hash, created_at, updated_at)
          VALUES ('cns_1', 't', 'd', '2026-02-01T00:00Z', '2026-03-01T00:00Z', ARRAY['14-17'],
                  sha256(convert_to('create', 'UTF8') || '\\x00'::bytea || convert_to('youth-1', 'UTF8')
                         || '\\x00'::bytea || convert_to('consultation-key-1', 'UTF8')),
                  sha256('consultation body'), '2026-01-02T08:00:00Z', '2026-01-02T08:00:00Z');
          INSERT INTO content.bulletins (id, title, body, audiences, created_at, updated_at, created_by,
                                         idempotency_key, request_hash)
          VALUES ('bul_AAAAAAAAAAAAAAAAAAAAAA', 't', 'b', ARRAY['parents'], '2026-01-02T07:00Z', '2026-01-02T07:00Z',
                  'editor-2', 'bulletin-key-1', encode(sha256('bulletin body'), 'hex'));
          """);
    }
    migrate("content", "70");
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        Statement st = c.createStatement()) {
      st.execute(
          """
          INSERT INTO content.support_idempotency (operation, key, request_hash, result, created_at)
          VALUES ('createSupportService', 'service-key-1', sha256('service body'), 'svc-1', '2026-01-02T09:30:00Z'),
                 ('importSupportServices', 'import-key-1', sha256('import body'), '{"create":[],"unchanged":3}',
                  '2026-01-02T09:45:00Z');
          """);
    }
    migrate("content", null);
    vertx = Vertx.vertx();
    pool = db.pool(vertx);
  }

  private static void migrate(String schema, String target) {
    var config =
        Flyway.configure()
            .dataSource(db.jdbcUrl(), db.user(), db.password())
            .schemas(schema)
            .createSchemas(true)
            .locations("classpath:db/" + schema);
    if (target != null) {
      config.target(target);
    }
    config.load().migrate();
  }

  @AfterAll
  static void stop() throws Exception {
    pool.close().await(5, TimeUnit.SECONDS);
    vertx.close().await(5, TimeUnit.SECONDS);
    TestPostgres.drop(db);
  }

  @Test
  void everyOldKeyStillAnswersItsFirstResult() {
    assertThat(replay("applyToBeHaven", Idempotency.keyHash("", "haven-key-1"), "application body"))
        .contains("app_1");
    assertThat(replay("createEvent", Idempotency.keyHash("editor-1", "event-key-1"), "event body"))
        .contains("evt-1");
    assertThat(replay("submitReport", Digests.sha256("keyed report key"), "keyed report body"))
        .contains("00000000-0000-0000-0000-000000000001");
    assertThat(
            replay(
                "createConsultation",
                Idempotency.keyHash("youth-1", "consultation-key-1"),
                "consultation body"))
        .contains("cns_1");
    assertThat(
            replay(
                "createBulletin",
                Idempotency.keyHash("editor-2", "bulletin-key-1"),
                "bulletin body"))
        .contains("bul_AAAAAAAAAAAAAAAAAAAAAA");
    assertThat(
            replay(
                "createSupportService", Idempotency.keyHash("", "service-key-1"), "service body"))
        .contains("svc-1");
  }

  @Test
  void anImportKeepsItsSummaryAsItsFirstAnswer() {
    Idempotency.Claim claim =
        Idempotency.Claim.of(
            "importSupportServices",
            Idempotency.keyHash("", "import-key-1"),
            Digests.sha256("import body"),
            "import");
    Idempotency.First first =
        await(pool.withTransaction(tx -> IDEMPOTENCY.claim(tx, claim))).orElseThrow();
    assertThat(new String(first.answerCt(), StandardCharsets.UTF_8))
        .isEqualTo("{\"create\":[],\"unchanged\":3}");
    assertThat(first.answerKeyId()).as("kept in clear: it names services only").isNull();
  }

  @Test
  void theReportKeepsItsSealedAnswerAndEveryRowItsDayInLondon() throws Exception {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT scope, created_on::text, answer_key_id, encode(answer_ct, 'hex')"
                    + " FROM content.idempotency_keys ORDER BY scope")) {
      StringBuilder rows = new StringBuilder();
      while (rs.next()) {
        rows.append(rs.getString(1))
            .append(' ')
            .append(rs.getString(2))
            .append(' ')
            .append(rs.getString(3))
            .append(' ')
            .append(rs.getString(4))
            .append('\n');
      }
      assertThat(rows.toString())
          .isEqualTo(
              """
          applyToBeHaven 2026-01-01 null null
          createBulletin 2026-01-02 null null
          createConsultation 2026-01-02 null null
          createEvent 2026-01-02 null null
          createSupportService 2026-01-02 null null
          importSupportServices 2026-01-02 null 7b22637265617465223a5b5d2c22756e6368616e676564223a337d
          submitReport 2026-01-02 k1 0a0b
          """);
    }
  }

  @Test
  void theOldShapesAreGone() throws Exception {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                """
             SELECT count(*) FROM information_schema.columns
              WHERE table_schema = 'content'
                AND (table_name IN ('haven_idempotency', 'event_requests', 'report_submissions',
                                    'support_idempotency')
                     OR column_name IN ('creation_key', 'creation_hash', 'idempotency_key')
                     OR (table_name = 'bulletins' AND column_name = 'request_hash'))""")) {
      rs.next();
      assertThat(rs.getLong(1)).isZero();
    }
  }

  private static Optional<String> replay(String scope, byte[] keyHash, String body) {
    Idempotency.Claim claim =
        Idempotency.Claim.of(scope, keyHash, Digests.sha256(body), "would-be-new");
    return await(pool.withTransaction(tx -> IDEMPOTENCY.claim(tx, claim)))
        .map(Idempotency.First::resultId);
  }

  private static <T> T await(Future<T> f) {
    try {
      return f.await(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError(e);
    }
  }
}
