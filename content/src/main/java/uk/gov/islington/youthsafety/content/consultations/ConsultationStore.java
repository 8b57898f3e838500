package uk.gov.islington.youthsafety.content.consultations;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import uk.gov.islington.youthsafety.content.consultations.Consultation.Option;
import uk.gov.islington.youthsafety.content.consultations.Consultation.Question;

/** All SQL of the consultations feature. */
final class ConsultationStore {

  /**
   * Advisory lock class of "the definition of consultation X" (shared by voters, exclusive for
   * edits).
   */
  private static final int DEFINITION_LOCK = 0x436f_6e73; // "Cons"

  /** Advisory lock of the ballot-box shaker, so that two instances do not shake at once. */
  private static final int MIXER_LOCK = 0x436f_6e74;

  private static final String COLUMNS =
      """
      c.id, c.title, c.description, c.opens_at, c.closes_at, c.age_bands, c.version, c.results_published_at,
      c.created_at, c.updated_at,
      (SELECT count(*) FROM content.consultation_questions q WHERE q.consultation_id = c.id)::int AS question_count,
      EXISTS (SELECT 1 FROM content.consultation_ballots b WHERE b.consultation_id = c.id) AS has_ballots
      """;

  private static final String GET =
      "SELECT " + COLUMNS + " FROM content.consultations c WHERE c.id = $1";

  private static final String GET_FOR_UPDATE = GET + " FOR UPDATE OF c";

  private static final String QUESTIONS =
      """
      SELECT q.id AS question_id, q.text AS question_text, q.type, q.max_choices, o.id AS option_id, o.text AS option_text
        FROM content.consultation_questions q
        JOIN content.consultation_options o ON o.question_id = q.id
       WHERE q.consultation_id = $1
       ORDER BY q.position, o.position
      """;

  private static final String INSERT =
      """
      INSERT INTO content.consultations
        (id, title, description, opens_at, closes_at, age_bands, created_at, updated_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
      """;

  private static final String INSERT_QUESTION =
      """
      INSERT INTO content.consultation_questions (id, consultation_id, position, text, type, max_choices)
      VALUES ($1, $2, $3, $4, $5, $6)
      """;

  private static final String INSERT_OPTION =
      """
      INSERT INTO content.consultation_options (id, question_id, position, text) VALUES ($1, $2, $3, $4)
      """;

  private static final String DELETE_QUESTIONS =
      "DELETE FROM content.consultation_questions WHERE consultation_id = $1";

  private static final String UPDATE =
      """
      UPDATE content.consultations
         SET title = $2, description = $3, opens_at = $4, closes_at = $5, age_bands = $6,
             version = version + 1, updated_at = $7
       WHERE id = $1
      """;

  private static final String PUBLISH =
      """
      UPDATE content.consultations
         SET results_published_at = $2, version = version + 1, updated_at = $2
       WHERE id = $1 AND results_published_at IS NULL
      """;

  private static final String LOCK_SHARED =
      "SELECT pg_advisory_xact_lock_shared(" + DEFINITION_LOCK + ", hashtext($1))";
  private static final String LOCK_EXCLUSIVE =
      "SELECT pg_advisory_xact_lock(" + DEFINITION_LOCK + ", hashtext($1))";

  private static final String VERSION = "SELECT version FROM content.consultations WHERE id = $1";

  /*
   * One statement casts a ballot: the voter row (whose primary key is the one-ballot rule) and,
   * only if that row is new and the definition is still the version the ballot was validated
   * against, the ballot. No row comes back when the device has voted or the definition changed.
   */
  private static final String CAST =
      """
      WITH voter AS (
        INSERT INTO content.consultation_voters (consultation_id, voter_key, replay_key, replay_check)
        SELECT $1, $2, $3, $4
         WHERE EXISTS (SELECT 1 FROM content.consultations WHERE id = $1 AND version = $5)
        ON CONFLICT (consultation_id, voter_key) DO NOTHING
        RETURNING consultation_id
      )
      INSERT INTO content.consultation_ballots (consultation_id, age_band, option_ids, ranks)
      SELECT consultation_id, $6, $7, $8 FROM voter
      RETURNING true AS cast
      """;

  private static final String VOTER =
      """
      SELECT replay_key, replay_check FROM content.consultation_voters WHERE consultation_id = $1 AND voter_key = $2
      """;

  private static final String COUNTS =
      """
      SELECT x.option_id, x.rank, count(*)::int AS n
        FROM content.consultation_ballots b
        CROSS JOIN LATERAL unnest(b.option_ids, b.ranks) AS x(option_id, rank)
       WHERE b.consultation_id = $1
       GROUP BY x.option_id, x.rank
      """;

  private static final String TURNOUT =
      """
      SELECT age_band, count(*)::int AS n FROM content.consultation_ballots WHERE consultation_id = $1 GROUP BY age_band
      """;

  // state is computed from the service's clock ($1), never from the database's
  private static final String LIST_ALL =
      "SELECT "
          + COLUMNS
          + """
       FROM content.consultations c
      WHERE ($2::text IS NULL OR $2 = ANY (c.age_bands))
        AND ($3::timestamptz IS NULL OR (c.opens_at, c.id) < ($3, $4))
        AND $1::timestamptz IS NOT NULL
      ORDER BY c.opens_at DESC, c.id DESC
      LIMIT $5
      """;
  private static final String LIST_UPCOMING =
      "SELECT "
          + COLUMNS
          + """
       FROM content.consultations c
      WHERE c.opens_at > $1
        AND ($2::text IS NULL OR $2 = ANY (c.age_bands))
        AND ($3::timestamptz IS NULL OR (c.opens_at, c.id) > ($3, $4))
      ORDER BY c.opens_at, c.id
      LIMIT $5
      """;
  private static final String LIST_OPEN =
      "SELECT "
          + COLUMNS
          + """
       FROM content.consultations c
      WHERE c.opens_at <= $1 AND c.closes_at > $1
        AND ($2::text IS NULL OR $2 = ANY (c.age_bands))
        AND ($3::timestamptz IS NULL OR (c.closes_at, c.id) > ($3, $4))
      ORDER BY c.closes_at, c.id
      LIMIT $5
      """;
  private static final String LIST_CLOSED =
      "SELECT "
          + COLUMNS
          + """
       FROM content.consultations c
      WHERE c.closes_at <= $1
        AND ($2::text IS NULL OR $2 = ANY (c.age_bands))
        AND ($3::timestamptz IS NULL OR (c.closes_at, c.id) < ($3, $4))
      ORDER BY c.closes_at DESC, c.id DESC
      LIMIT $5
      """;

  /*
   * Shaking the ballot box: every ballot not yet shaken, with a random sample of up to $1 older
   * ballots of the same consultations, is deleted and written again in random order with a new
   * random id. Afterwards no ballot shares its transaction id (xmin) or its place in the table with
   * the voter row that was written with it.
   */
  private static final String MIX =
      """
      WITH pending AS (
        SELECT DISTINCT consultation_id FROM content.consultation_ballots WHERE NOT mixed
      ), chosen AS (
        SELECT id FROM content.consultation_ballots WHERE NOT mixed
        UNION
        SELECT s.id FROM pending p
          CROSS JOIN LATERAL (SELECT o.id FROM content.consultation_ballots o
                               WHERE o.consultation_id = p.consultation_id AND o.mixed
                               ORDER BY random() LIMIT $1) s
      ), taken AS (
        DELETE FROM content.consultation_ballots WHERE id IN (SELECT id FROM chosen)
        RETURNING consultation_id, age_band, option_ids, ranks
      )
      INSERT INTO content.consultation_ballots (consultation_id, age_band, option_ids, ranks, mixed)
      SELECT consultation_id, age_band, option_ids, ranks, true FROM taken ORDER BY random()
      """;

  private static final String TRY_MIXER_LOCK =
      "SELECT pg_try_advisory_xact_lock(" + MIXER_LOCK + ", 0) AS locked";

  private static final String PURGE_VOTERS =
      """
      DELETE FROM content.consultation_voters v
       USING content.consultations c
       WHERE v.consultation_id = c.id AND c.closes_at < $1
      """;

  private static final String SECRET_CLAIM =
      """
      INSERT INTO content.consultation_voter_secret (fingerprint) VALUES ($1) ON CONFLICT (id) DO NOTHING
      """;
  private static final String SECRET_LOCKED =
      "SELECT fingerprint FROM content.consultation_voter_secret FOR UPDATE";
  private static final String SECRET_REPLACE =
      "UPDATE content.consultation_voter_secret SET fingerprint = $1";
  private static final String VOTER_ROWS = "SELECT count(*)::int FROM content.consultation_voters";

  private static final String COUNT_CONSULTATIONS =
      "SELECT count(*)::int FROM content.consultations";

  enum ListKind {
    ALL,
    UPCOMING,
    OPEN,
    CLOSED
  }

  record ReplayRow(byte[] replayKey, byte[] replayCheck) {}

  record Count(String optionId, int rank, int n) {}

  ConsultationStore() {}

  // ------------------------------------------------------------------ drafts (console)

  /** A draft as stored: its body is a createConsultation request, complete or not. */
  record DraftRow(
      String id,
      String createdBy,
      io.vertx.core.json.JsonObject body,
      Instant createdAt,
      Instant updatedAt) {}

  Future<Void> saveDraft(
      SqlClient db, String id, String staffId, io.vertx.core.json.JsonObject body, Instant now) {
    return db.preparedQuery(
            """
            INSERT INTO content.consultation_drafts (id, created_by, body, created_at, updated_at)
            VALUES ($1, $2, $3, $4, $4)
            ON CONFLICT (id) DO UPDATE SET body = EXCLUDED.body, updated_at = EXCLUDED.updated_at""")
        .execute(Tuple.of(id, staffId, body, odt(now)))
        .mapEmpty();
  }

  Future<List<DraftRow>> drafts(SqlClient db, String id) {
    return db.preparedQuery(
            """
            SELECT id, created_by, body, created_at, updated_at FROM content.consultation_drafts
             WHERE $1::text IS NULL OR id = $1 ORDER BY updated_at DESC LIMIT 100""")
        .execute(Tuple.of(id))
        .map(
            rows -> {
              List<DraftRow> out = new ArrayList<>();
              rows.forEach(
                  r ->
                      out.add(
                          new DraftRow(
                              r.getString("id"),
                              r.getString("created_by"),
                              (io.vertx.core.json.JsonObject) r.getValue("body"),
                              instant(r, "created_at"),
                              instant(r, "updated_at"))));
              return out;
            });
  }

  Future<Void> deleteDraft(SqlClient db, String id) {
    return db.preparedQuery("DELETE FROM content.consultation_drafts WHERE id = $1")
        .execute(Tuple.of(id))
        .mapEmpty();
  }

  Future<Integer> purgeDrafts(SqlClient db, Instant untouchedSince) {
    return db.preparedQuery("DELETE FROM content.consultation_drafts WHERE updated_at < $1")
        .execute(Tuple.of(odt(untouchedSince)))
        .map(rows -> rows.rowCount());
  }

  // ------------------------------------------------------------------ definitions

  Future<Consultation> load(SqlClient db, String id) {
    return loadWith(db, GET, id);
  }

  Future<Consultation> loadForUpdate(SqlConnection conn, String id) {
    return loadWith(conn, GET_FOR_UPDATE, id);
  }

  private Future<Consultation> loadWith(SqlClient db, String sql, String id) {
    return db.preparedQuery(sql)
        .execute(Tuple.of(id))
        .compose(
            rows -> {
              if (rows.size() == 0) {
                return Future.succeededFuture(null);
              }
              Row r = rows.iterator().next();
              return db.preparedQuery(QUESTIONS)
                  .execute(Tuple.of(id))
                  .map(qs -> toConsultation(r, questions(qs)));
            });
  }

  private static List<Question> questions(Iterable<Row> rows) {
    Map<String, Question> byId = new LinkedHashMap<>();
    Map<String, List<Option>> options = new HashMap<>();
    for (Row r : rows) {
      String qid = r.getString("question_id");
      List<Option> list = options.computeIfAbsent(qid, k -> new ArrayList<>());
      byId.computeIfAbsent(
          qid,
          k ->
              new Question(
                  qid,
                  r.getString("question_text"),
                  QuestionType.fromWire(r.getString("type")),
                  r.getInteger("max_choices"),
                  list));
      list.add(new Option(r.getString("option_id"), r.getString("option_text")));
    }
    List<Question> out = new ArrayList<>(byId.size());
    byId.values()
        .forEach(
            q ->
                out.add(
                    new Question(
                        q.id(), q.text(), q.type(), q.maxChoices(), List.copyOf(q.options()))));
    return List.copyOf(out);
  }

  private static Consultation toConsultation(Row r, List<Question> questions) {
    return new Consultation(
        r.getString("id"),
        r.getString("title"),
        r.getString("description"),
        instant(r, "opens_at"),
        instant(r, "closes_at"),
        List.of(r.getArrayOfStrings("age_bands")),
        questions,
        r.getInteger("question_count"),
        r.getInteger("version"),
        instant(r, "results_published_at"),
        r.getBoolean("has_ballots"),
        instant(r, "created_at"),
        instant(r, "updated_at"));
  }

  Future<Void> insert(SqlConnection conn, String id, ConsultationDraft d, Instant now) {
    return conn.preparedQuery(INSERT).execute(definition(id, d, now)).mapEmpty();
  }

  Future<Void> insertQuestions(
      SqlConnection conn, String consultationId, List<Question> questions) {
    List<Tuple> qs = new ArrayList<>();
    List<Tuple> os = new ArrayList<>();
    for (int i = 0; i < questions.size(); i++) {
      Question q = questions.get(i);
      qs.add(
          Tuple.of(
              q.id(),
              consultationId,
              (short) i,
              q.text(),
              q.type().wire(),
              (short) q.maxChoices()));
      for (int j = 0; j < q.options().size(); j++) {
        Option o = q.options().get(j);
        os.add(Tuple.of(o.id(), q.id(), (short) j, o.text()));
      }
    }
    return conn.preparedQuery(INSERT_QUESTION)
        .executeBatch(qs)
        .compose(v -> conn.preparedQuery(INSERT_OPTION).executeBatch(os))
        .mapEmpty();
  }

  Future<Void> deleteQuestions(SqlConnection conn, String consultationId) {
    return conn.preparedQuery(DELETE_QUESTIONS).execute(Tuple.of(consultationId)).mapEmpty();
  }

  Future<Void> update(SqlConnection conn, String id, ConsultationDraft d, Instant now) {
    return conn.preparedQuery(UPDATE).execute(definition(id, d, now)).mapEmpty();
  }

  /** $1 … $7 of {@link #INSERT} and {@link #UPDATE}: the consultation's own fields and the time. */
  private static Tuple definition(String id, ConsultationDraft d, Instant now) {
    return Tuple.from(
        new Object[] {
          id,
          d.title(),
          d.description(),
          odt(d.opensAt()),
          odt(d.closesAt()),
          d.ageBands().toArray(String[]::new),
          odt(now)
        });
  }

  Future<Void> publish(SqlConnection conn, String id, Instant now) {
    return conn.preparedQuery(PUBLISH).execute(Tuple.of(id, odt(now))).mapEmpty();
  }

  // ------------------------------------------------------------------ voting

  /**
   * Waits while the definition is being edited; many voters hold it at once (no row is locked or
   * written).
   */
  Future<Void> lockDefinitionShared(SqlConnection conn, String id) {
    return conn.preparedQuery(LOCK_SHARED).execute(Tuple.of(id)).mapEmpty();
  }

  Future<Void> lockDefinitionExclusive(SqlConnection conn, String id) {
    return conn.preparedQuery(LOCK_EXCLUSIVE).execute(Tuple.of(id)).mapEmpty();
  }

  Future<Integer> version(SqlClient conn, String id) {
    return conn.preparedQuery(VERSION)
        .execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getInteger("version"));
  }

  /**
   * True when the ballot was cast; false when this device has already voted (the unique voter key
   * decided, not a prior read) or the definition is no longer {@code version}.
   */
  /** One ballot as cast: the voter row's keys and the ballot row's choices, written together. */
  record CastBallot(
      String consultationId,
      int version,
      byte[] voterKey,
      byte[] replayKey,
      byte[] replayCheck,
      String ageBand,
      String[] optionIds,
      Short[] ranks) {}

  Future<Boolean> cast(SqlConnection conn, CastBallot b) {
    return conn.preparedQuery(CAST)
        .execute(
            Tuple.from(
                new Object[] {
                  b.consultationId(),
                  Buffer.buffer(b.voterKey()),
                  Buffer.buffer(b.replayKey()),
                  Buffer.buffer(b.replayCheck()),
                  b.version(),
                  b.ageBand(),
                  b.optionIds(),
                  b.ranks()
                }))
        .map(rows -> rows.size() == 1);
  }

  Future<ReplayRow> voter(SqlClient db, String id, byte[] voterKey) {
    return db.preparedQuery(VOTER)
        .execute(Tuple.of(id, Buffer.buffer(voterKey)))
        .map(
            rows -> {
              if (rows.size() == 0) {
                return null;
              }
              Row r = rows.iterator().next();
              return new ReplayRow(
                  r.getBuffer("replay_key").getBytes(), r.getBuffer("replay_check").getBytes());
            });
  }

  // ------------------------------------------------------------------ counting

  Future<List<Count>> counts(SqlConnection conn, String id) {
    return conn.preparedQuery(COUNTS)
        .execute(Tuple.of(id))
        .map(
            rows -> {
              List<Count> out = new ArrayList<>();
              rows.forEach(
                  r ->
                      out.add(
                          new Count(
                              r.getString("option_id"), r.getInteger("rank"), r.getInteger("n"))));
              return out;
            });
  }

  /** Ballots per age band; the key null is "not stated". */
  Future<Map<String, Integer>> turnout(SqlConnection conn, String id) {
    return conn.preparedQuery(TURNOUT)
        .execute(Tuple.of(id))
        .map(
            rows -> {
              Map<String, Integer> out = new HashMap<>();
              rows.forEach(r -> out.put(r.getString("age_band"), r.getInteger("n")));
              return out;
            });
  }

  Future<Void> repeatableReadOnly(SqlConnection conn) {
    return conn.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        .execute()
        .mapEmpty();
  }

  // ------------------------------------------------------------------ lists

  Future<List<Consultation>> list(
      SqlClient db,
      ListKind kind,
      Instant now,
      String ageBand,
      Instant afterTime,
      String afterId,
      int limit) {
    String sql =
        switch (kind) {
          case ALL -> LIST_ALL;
          case UPCOMING -> LIST_UPCOMING;
          case OPEN -> LIST_OPEN;
          case CLOSED -> LIST_CLOSED;
        };
    return db.preparedQuery(sql)
        .execute(Tuple.from(new Object[] {odt(now), ageBand, odt(afterTime), afterId, limit}))
        .map(
            rows -> {
              List<Consultation> out = new ArrayList<>(rows.size());
              rows.forEach(r -> out.add(toConsultation(r, List.of())));
              return out;
            });
  }

  // ------------------------------------------------------------------ maintenance

  Future<Boolean> tryMixerLock(SqlConnection conn) {
    return conn.query(TRY_MIXER_LOCK)
        .execute()
        .map(rows -> rows.iterator().next().getBoolean("locked"));
  }

  Future<Integer> mix(SqlConnection conn, int sample) {
    return conn.preparedQuery(MIX).execute(Tuple.of(sample)).map(rows -> rows.rowCount());
  }

  Future<Integer> purgeVoters(SqlClient db, Instant closedBefore) {
    return db.preparedQuery(PURGE_VOTERS)
        .execute(Tuple.of(odt(closedBefore)))
        .map(rows -> rows.rowCount());
  }

  /**
   * The fingerprint on record after claiming it for {@code fingerprint} if there was none; the row
   * stays locked.
   */
  Future<String> claimSecret(SqlConnection conn, String fingerprint) {
    return conn.preparedQuery(SECRET_CLAIM)
        .execute(Tuple.of(fingerprint))
        .compose(v -> conn.query(SECRET_LOCKED).execute())
        .map(rows -> rows.iterator().next().getString("fingerprint"));
  }

  Future<Void> replaceSecret(SqlConnection conn, String fingerprint) {
    return conn.preparedQuery(SECRET_REPLACE).execute(Tuple.of(fingerprint)).mapEmpty();
  }

  Future<Integer> voterRows(SqlClient db) {
    return db.query(VOTER_ROWS).execute().map(rows -> rows.iterator().next().getInteger(0));
  }

  Future<Integer> countConsultations(SqlClient db) {
    return db.query(COUNT_CONSULTATIONS)
        .execute()
        .map(rows -> rows.iterator().next().getInteger(0));
  }

  static OffsetDateTime odt(Instant i) {
    return i == null ? null : OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
  }

  private static Instant instant(Row r, String column) {
    OffsetDateTime t = r.getOffsetDateTime(column);
    return t == null ? null : t.toInstant();
  }
}
