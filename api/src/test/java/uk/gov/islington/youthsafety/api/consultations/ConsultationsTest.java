package uk.gov.islington.youthsafety.api.consultations;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.islington.youthsafety.api.consultations.ConsultationFixtures.answer;
import static uk.gov.islington.youthsafety.api.consultations.ConsultationFixtures.answers;
import static uk.gov.islington.youthsafety.api.consultations.ConsultationFixtures.body;
import static uk.gov.islington.youthsafety.api.consultations.ConsultationFixtures.fields;
import static uk.gov.islington.youthsafety.api.consultations.ConsultationFixtures.oid;
import static uk.gov.islington.youthsafety.api.consultations.ConsultationFixtures.option;
import static uk.gov.islington.youthsafety.api.consultations.ConsultationFixtures.qid;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import uk.gov.islington.youthsafety.api.testing.TestApp;
import uk.gov.islington.youthsafety.api.testing.WithTestApp;

/** Youth Council consultations over HTTP: authoring, voting, results, publication, roles. */
@WithTestApp(
    value = {ConsultationFixtures.MIX_NOW, ConsultationFixtures.LIVE_RESULTS_UNCACHED},
    now = ConsultationsTest.T0_TEXT)
class ConsultationsTest {

  static final String T0_TEXT = "2030-03-04T10:00:00Z";
  static final Instant T0 = Instant.parse(T0_TEXT);
  static TestApp app;
  static final ConsultationFixtures f = new ConsultationFixtures(() -> app);

  /** Opens an hour from now for a day; the clock is set to now. */
  private static JsonObject upcoming(Instant now, String... bands) {
    app.setNow(now);
    return f.create(body(now.plus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)), bands));
  }

  /** Open now for a day. */
  private static JsonObject open(Instant now, String... bands) {
    app.setNow(now);
    JsonObject c = f.create(body(now, now.plus(Duration.ofDays(1)), bands));
    return c;
  }

  // ------------------------------------------------------------------ authoring

  @Test
  void createAnswersIdsForQuestionsAndOptionsAndGetShowsThem() {
    JsonObject c = upcoming(T0);
    assertThat(c.getString("id")).startsWith("cns_");
    assertThat(c.getJsonArray("questions")).hasSize(3);
    JsonObject multiple = ConsultationFixtures.question(c, 1);
    assertThat(multiple.getString("type")).isEqualTo("multiple");
    assertThat(multiple.getInteger("maxChoices")).isEqualTo(2);
    assertThat(ConsultationFixtures.question(c, 0).getInteger("maxChoices")).isEqualTo(1);
    assertThat(ConsultationFixtures.question(c, 2).getInteger("maxChoices")).isEqualTo(3);
    assertThat(multiple.getJsonArray("options"))
        .hasSize(4)
        .allSatisfy(o -> assertThat(((JsonObject) o).getString("id")).startsWith("o_"));
    assertThat(c.getBoolean("questionsFrozen")).isFalse();
    assertThat(c.getString("state")).isEqualTo("upcoming");

    var got = app.get("/v1/consultations/" + c.getString("id"), null);
    assertThat(got.statusCode()).isEqualTo(200);
    JsonObject g = got.bodyAsJsonObject();
    assertThat(g.getJsonArray("questions")).isEqualTo(c.getJsonArray("questions"));
    assertThat(g.getJsonArray("ageBands")).containsExactly("10-13", "14-17", "18-25");
    assertThat(g.containsKey("questionsFrozen")).isFalse();
  }

  @Test
  void createIsIdempotentAndAKeyReusedWithAnotherBodyIs422() {
    app.setNow(T0);
    String key = UUID.randomUUID().toString();
    String token = f.council();
    JsonObject b = body(T0.plus(Duration.ofHours(1)), T0.plus(Duration.ofDays(2)));
    var first = f.createRaw(b, token, key);
    var again = f.createRaw(b, token, key);
    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(again.statusCode()).isEqualTo(201);
    assertThat(again.bodyAsJsonObject().getString("id"))
        .isEqualTo(first.bodyAsJsonObject().getString("id"));
    assertThat(again.bodyAsJsonObject().getJsonArray("questions"))
        .isEqualTo(first.bodyAsJsonObject().getJsonArray("questions"));
    var other = f.createRaw(b.copy().put("title", "Another"), token, key);
    assertThat(other.statusCode()).isEqualTo(422);
    assertThat(other.bodyAsJsonObject().getString("type"))
        .isEqualTo("urn:youth-safety:problem:idempotency-key-reused");
    assertThat(fields(f.createRaw(b, token, null))).containsExactly("Idempotency-Key");
  }

  /** The fields named by the problem a consultation with this body is refused with. */
  private static List<String> createFields(JsonObject body, String token) {
    return fields(f.createRaw(body, token, UUID.randomUUID().toString()));
  }

  /** A copy of the body with one field of one question set. */
  private static JsonObject withQuestion(
      JsonObject body, int question, String field, Object value) {
    JsonObject copy = body.copy();
    copy.getJsonArray("questions").getJsonObject(question).put(field, value);
    return copy;
  }

  @Test
  void everyAuthoringValidationErrorNamesItsField() {
    app.setNow(T0);
    String token = f.council();
    JsonObject good = body(T0.plus(Duration.ofHours(1)), T0.plus(Duration.ofDays(1)));
    assertThat(createFields(good.copy().put("closesAt", T0.toString()), token))
        .containsExactly("closesAt");
    assertThat(createFields(good.copy().put("opensAt", "next tuesday"), token))
        .containsExactly("opensAt");
    JsonObject past = body(T0.minus(Duration.ofDays(3)), T0.minus(Duration.ofDays(2)));
    assertThat(createFields(past, token)).containsExactly("closesAt");
    assertThat(createFields(withQuestion(good, 0, "maxChoices", 2), token))
        .containsExactly("questions[0].maxChoices");
    assertThat(createFields(withQuestion(good, 1, "maxChoices", 5), token))
        .containsExactly("questions[1].maxChoices");
    JsonObject repeated = good.copy();
    repeated
        .getJsonArray("questions")
        .getJsonObject(2)
        .getJsonArray("options")
        .getJsonObject(1)
        .put("text", " lighting ");
    assertThat(createFields(repeated, token)).containsExactly("questions[2].options[1].text");
    JsonObject oneOption = good.copy();
    oneOption
        .getJsonArray("questions")
        .getJsonObject(0)
        .put("options", new JsonArray().add(new JsonObject().put("text", "x")));
    assertThat(createFields(oneOption, token)).containsExactly("questions[0].options");
    JsonObject badBand = good.copy().put("ageBands", new JsonArray().add("8-9"));
    assertThat(createFields(badBand, token)).containsExactly("ageBands[0]");
    assertThat(createFields(withQuestion(good, 0, "type", "essay"), token))
        .containsExactly("questions[0].type");
    JsonObject noTitle = good.copy();
    noTitle.remove("title");
    assertThat(createFields(noTitle, token)).containsExactly("title");
    assertThat(createFields(good.copy().put("title", "   "), token)).containsExactly("title");
    assertThat(createFields(good.copy().put("colour", "red"), token)).containsExactly("colour");
    var patch =
        app.patch(
            "/v1/consultations/" + upcoming(T0).getString("id"),
            f.council(),
            new JsonObject().put("closesAt", T0.toString()));
    assertThat(fields(patch)).containsExactly("closesAt");
  }

  @Test
  void draftsAreEditableAndQuestionsFreezeWithTheFirstVote() {
    JsonObject c = open(T0);
    String id = c.getString("id");
    String token = f.council();
    // before any vote: anything may change, questions are replaced with new ids
    JsonArray newQuestions =
        new JsonArray()
            .add(ConsultationFixtures.question("Pick one", "single", null, "Yes", "No"))
            .add(ConsultationFixtures.question("Rank", "ranking", 2, "A", "B", "C"));
    var edited =
        app.patch(
            "/v1/consultations/" + id,
            token,
            new JsonObject()
                .put("title", "Edited")
                .put("questions", newQuestions)
                .put("ageBands", new JsonArray().add("14-17")));
    assertThat(edited.statusCode()).as(edited.bodyAsString()).isEqualTo(200);
    JsonObject e = edited.bodyAsJsonObject();
    assertThat(e.getString("title")).isEqualTo("Edited");
    assertThat(e.getJsonArray("questions")).hasSize(2);
    assertThat(qid(e, 0)).isNotEqualTo(qid(c, 0));
    assertThat(e.getInteger("version")).isGreaterThan(c.getInteger("version"));

    var vote = f.vote(id, app.deviceToken("14-17"), answers(answer(e, 0, 1)));
    assertThat(vote.statusCode()).as(vote.bodyAsString()).isEqualTo(201);

    var frozen =
        app.patch(
            "/v1/consultations/" + id, token, new JsonObject().put("questions", newQuestions));
    assertThat(frozen.statusCode()).isEqualTo(409);
    assertThat(frozen.bodyAsJsonObject().getString("detail")).contains("questions");
    for (JsonObject change :
        List.of(
            new JsonObject().put("title", "Again"),
            new JsonObject().put("closesAt", T0.plus(Duration.ofDays(9)).toString()),
            new JsonObject().put("ageBands", new JsonArray().add("14-17").add("18-25")))) {
      assertThat(app.patch("/v1/consultations/" + id, token, change).statusCode())
          .as(change.encode())
          .isEqualTo(409);
    }

    // a wording fix to the description is still allowed, also sent with unchanged fields
    var fixed =
        app.patch(
            "/v1/consultations/" + id,
            token,
            new JsonObject().put("title", "Edited").put("description", "Fixed a typo."));
    assertThat(fixed.statusCode()).as(fixed.bodyAsString()).isEqualTo(200);
    assertThat(fixed.bodyAsJsonObject().getString("description")).isEqualTo("Fixed a typo.");
    assertThat(fixed.bodyAsJsonObject().getBoolean("questionsFrozen")).isTrue();
    assertThat(fixed.bodyAsJsonObject().getJsonArray("questions"))
        .isEqualTo(e.getJsonArray("questions"));

    // and voting goes on against the same questions after the description changed
    assertThat(f.vote(id, app.deviceToken("14-17"), answers(answer(e, 0, 0))).statusCode())
        .isEqualTo(201);
    assertThat(
            app.patch("/v1/consultations/no_such_one", token, new JsonObject().put("title", "x"))
                .statusCode())
        .isEqualTo(404);
  }

  // ------------------------------------------------------------------ voting

  @Test
  void windowIsHalfOpenExactlyAtOpensAtOpenExactlyAtClosesAtClosed() {
    Instant base = T0.plus(Duration.ofDays(10));
    app.setNow(base);
    Instant opensAt = base.plus(Duration.ofHours(1));
    Instant closesAt = base.plus(Duration.ofHours(2));
    JsonObject c = f.create(body(opensAt, closesAt));
    String id = c.getString("id");
    JsonArray ballot = answers(answer(c, 0, 0));

    app.setNow(opensAt.minusMillis(1));
    var early = f.vote(id, app.deviceToken("14-17"), ballot);
    assertThat(early.statusCode()).isEqualTo(409);
    assertThat(early.bodyAsJsonObject().getString("detail")).contains("not started");
    assertThat(app.get("/v1/consultations/" + id, null).bodyAsJsonObject().getString("state"))
        .isEqualTo("upcoming");

    app.setNow(opensAt);
    assertThat(f.vote(id, app.deviceToken("14-17"), ballot).statusCode()).isEqualTo(201);
    assertThat(app.get("/v1/consultations/" + id, null).bodyAsJsonObject().getString("state"))
        .isEqualTo("open");

    app.setNow(closesAt.minusMillis(1));
    assertThat(f.vote(id, app.deviceToken("14-17"), ballot).statusCode()).isEqualTo(201);

    app.setNow(closesAt);
    var late = f.vote(id, app.deviceToken("14-17"), ballot);
    assertThat(late.statusCode()).isEqualTo(409);
    assertThat(late.bodyAsJsonObject().getString("detail")).contains("closed");
    assertThat(app.get("/v1/consultations/" + id, null).bodyAsJsonObject().getString("state"))
        .isEqualTo("closed");
    assertThat(f.results(id, f.council()).getInteger("totalBallots")).isEqualTo(2);
  }

  @Test
  void aRefusalIsNeverDecidedOnADefinitionAnotherInstanceHasChanged() {
    Instant base = T0.plus(Duration.ofDays(15));
    JsonObject c = upcoming(base, "18-25");
    String id = c.getString("id");
    JsonArray ballot = answers(answer(c, 0, 0));
    String device = app.deviceToken("14-17");
    assertThat(f.vote(id, device, ballot).statusCode())
        .isEqualTo(409); // not open yet; definition now cached
    // another instance opens it now and lets 14-17 in (as updateConsultation does: new values, new
    // version)
    app.sql(
        "UPDATE content.consultations SET opens_at = $2, age_bands = ARRAY['14-17','18-25'], version = version + 1"
            + " WHERE id = $1",
        id,
        java.time.OffsetDateTime.ofInstant(base.minusSeconds(1), java.time.ZoneOffset.UTC));
    var vote = f.vote(id, device, ballot);
    assertThat(vote.statusCode()).as(vote.bodyAsString()).isEqualTo(201);
  }

  @Test
  void oneBallotPerDeviceWithIdempotentReplays() {
    JsonObject c = open(T0.plus(Duration.ofDays(20)));
    String id = c.getString("id");
    String device = app.deviceToken("18-25");
    String key = UUID.randomUUID().toString();
    JsonArray ballot = answers(answer(c, 0, 2), answer(c, 1, 3, 0));

    var first = f.vote(id, device, key, ballot);
    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(first.getHeader("Idempotent-Replayed")).isNull();
    assertThat(first.bodyAsJsonObject().getString("status")).isEqualTo("counted");

    // the same key and ballot (picks of a multiple choice in another order are the same ballot)
    var replay = f.vote(id, device, key, answers(answer(c, 0, 2), answer(c, 1, 0, 3)));
    assertThat(replay.statusCode()).isEqualTo(201);
    assertThat(replay.getHeader("Idempotent-Replayed")).isEqualTo("true");
    assertThat(replay.bodyAsJsonObject()).isEqualTo(first.bodyAsJsonObject());

    var reused = f.vote(id, device, key, answers(answer(c, 0, 1)));
    assertThat(reused.statusCode()).isEqualTo(422);
    assertThat(reused.bodyAsJsonObject().getString("type"))
        .isEqualTo("urn:youth-safety:problem:idempotency-key-reused");
    var second = f.vote(id, device, UUID.randomUUID().toString(), answers(answer(c, 0, 1)));
    assertThat(second.statusCode()).isEqualTo(409);
    assertThat(second.bodyAsJsonObject().getString("detail")).contains("already voted");
    var sameAgain = f.vote(id, device, UUID.randomUUID().toString(), ballot);
    assertThat(sameAgain.statusCode()).isEqualTo(409);

    assertThat(f.rowsOf("consultation_ballots", id)).isEqualTo(1);
    assertThat(f.results(id, f.council()).getInteger("totalBallots")).isEqualTo(1);

    // after closing, a late retry of the counted ballot still gets its first answer; a new ballot a
    // 409
    app.setNow(T0.plus(Duration.ofDays(22)));
    var lateReplay = f.vote(id, device, key, ballot);
    assertThat(lateReplay.statusCode()).isEqualTo(201);
    assertThat(lateReplay.getHeader("Idempotent-Replayed")).isEqualTo("true");
    assertThat(f.vote(id, device, UUID.randomUUID().toString(), ballot).statusCode())
        .isEqualTo(409);
    assertThat(fields(f.vote(id, device, null, ballot))).containsExactly("Idempotency-Key");
  }

  @Test
  void everyBallotValidationErrorNamesItsField() {
    JsonObject c = open(T0.plus(Duration.ofDays(30)));
    String id = c.getString("id");
    String device = app.deviceToken("10-13");
    JsonObject unknownQuestion =
        new JsonObject()
            .put("questionId", "q_nope")
            .put("optionIds", new JsonArray().add(oid(c, 0, 0)));
    assertThat(fields(f.vote(id, device, answers(unknownQuestion))))
        .containsExactly("answers[0].questionId");
    JsonObject unknownOption =
        new JsonObject()
            .put("questionId", qid(c, 0))
            .put("optionIds", new JsonArray().add(oid(c, 1, 0)));
    assertThat(fields(f.vote(id, device, answers(unknownOption))))
        .containsExactly("answers[0].optionIds[0]");
    assertThat(fields(f.vote(id, device, answers(answer(c, 0, 0, 1)))))
        .containsExactly("answers[0].optionIds");
    assertThat(fields(f.vote(id, device, answers(answer(c, 0, 0), answer(c, 1, 0, 1, 2)))))
        .containsExactly("answers[1].optionIds");
    assertThat(fields(f.vote(id, device, answers(answer(c, 1, 2, 2)))))
        .containsExactly("answers[0].optionIds[1]");
    assertThat(fields(f.vote(id, device, answers(answer(c, 2, 0, 1, 0)))))
        .containsExactly("answers[0].optionIds[2]");
    assertThat(fields(f.vote(id, device, answers(answer(c, 0, 0), answer(c, 0, 1)))))
        .containsExactly("answers[1].questionId");
    assertThat(fields(f.vote(id, device, new JsonArray()))).containsExactly("answers");
    var missing = f.vote(id, device, answers(new JsonObject().put("questionId", qid(c, 0))));
    assertThat(fields(missing)).as(missing.bodyAsString()).containsExactly("answers[0].optionIds");
    var extra =
        app.send(
            app.http()
                .post("/v1/consultations/" + id + "/votes")
                .putHeader("Idempotency-Key", "key-12345678"),
            device,
            new JsonObject().put("answers", answers(answer(c, 0, 0))).put("deviceId", "x"));
    assertThat(fields(extra)).containsExactly("deviceId");
    // several mistakes at once are all named
    assertThat(fields(f.vote(id, device, answers(answer(c, 0, 0, 1), unknownQuestion))))
        .containsExactlyInAnyOrder("answers[0].optionIds", "answers[1].questionId");
    // none of this was counted, and a good ballot still goes in
    assertThat(f.vote(id, device, answers(answer(c, 2, 2, 0))).statusCode()).isEqualTo(201);
    assertThat(f.vote("cns_nothing", device, answers(answer(c, 0, 0))).statusCode()).isEqualTo(404);
  }

  @Test
  void ageBandEligibilityIsEnforcedAndADeviceWithoutABandVotesOnlyWhereEveryBandMay() {
    JsonObject teens = open(T0.plus(Duration.ofDays(40)), "14-17");
    JsonArray ballot = answers(answer(teens, 0, 0));
    var younger = f.vote(teens.getString("id"), app.deviceToken("10-13"), ballot);
    assertThat(younger.statusCode()).isEqualTo(403);
    assertThat(younger.bodyAsJsonObject().getString("detail")).contains("14-17");
    var unstated = f.vote(teens.getString("id"), app.deviceToken(null), ballot);
    assertThat(unstated.statusCode()).isEqualTo(403);
    assertThat(unstated.bodyAsJsonObject().getString("detail")).contains("age band");
    assertThat(f.vote(teens.getString("id"), app.deviceToken("14-17"), ballot).statusCode())
        .isEqualTo(201);

    JsonObject everyone = open(T0.plus(Duration.ofDays(40)));
    assertThat(
            f.vote(everyone.getString("id"), app.deviceToken(null), answers(answer(everyone, 0, 0)))
                .statusCode())
        .isEqualTo(201);
    JsonArray turnout =
        f.results(everyone.getString("id"), f.council()).getJsonArray("turnoutByAgeBand");
    assertThat(turnout.stream().map(t -> ((JsonObject) t).getString("ageBand")))
        .containsExactly("10-13", "14-17", "18-25", "not_stated");

    // listing by age band shows only what that band may vote in
    var forYounger =
        app.get("/v1/consultations?state=open&ageBand=10-13&limit=100", null).bodyAsJsonObject();
    assertThat(forYounger.getJsonArray("items").stream().map(i -> ((JsonObject) i).getString("id")))
        .contains(everyone.getString("id"))
        .doesNotContain(teens.getString("id"));
  }

  // ------------------------------------------------------------------ results

  @Test
  void resultsCountEveryQuestionTypeWithBordaPointsAndFirstPreferences() {
    JsonObject c = open(T0.plus(Duration.ofDays(50)));
    String id = c.getString("id");
    // ranking of 3 options: [Lighting, Youth clubs, Safer routes], [Youth clubs, Lighting],
    // [Lighting]
    f.vote(
        id,
        app.deviceToken("14-17"),
        answers(answer(c, 0, 0), answer(c, 1, 0, 1), answer(c, 2, 0, 1, 2)));
    f.vote(
        id,
        app.deviceToken("14-17"),
        answers(answer(c, 0, 1), answer(c, 1, 1), answer(c, 2, 1, 0)));
    f.vote(id, app.deviceToken("18-25"), answers(answer(c, 0, 0), answer(c, 2, 0)));
    JsonObject r = f.results(id, f.council());
    assertThat(r.getInteger("totalBallots")).isEqualTo(3);
    assertThat(r.getBoolean("published")).isFalse();
    assertThat(option(r, oid(c, 0, 0)).getInteger("count")).isEqualTo(2);
    assertThat(option(r, oid(c, 0, 1)).getInteger("count")).isEqualTo(1);
    assertThat(option(r, oid(c, 0, 2)).getInteger("count")).isZero();
    assertThat(option(r, oid(c, 0, 0)).containsKey("bordaPoints")).isFalse();
    assertThat(option(r, oid(c, 1, 0)).getInteger("count")).isEqualTo(1);
    assertThat(option(r, oid(c, 1, 1)).getInteger("count")).isEqualTo(2);
    JsonObject lighting = option(r, oid(c, 2, 0));
    JsonObject clubs = option(r, oid(c, 2, 1));
    JsonObject routes = option(r, oid(c, 2, 2));
    assertThat(
            List.of(
                lighting.getInteger("count"),
                lighting.getInteger("firstPreferences"),
                lighting.getInteger("bordaPoints")))
        .containsExactly(3, 2, 3 + 2 + 3);
    assertThat(
            List.of(
                clubs.getInteger("count"),
                clubs.getInteger("firstPreferences"),
                clubs.getInteger("bordaPoints")))
        .containsExactly(2, 1, 2 + 3);
    assertThat(
            List.of(
                routes.getInteger("count"),
                routes.getInteger("firstPreferences"),
                routes.getInteger("bordaPoints")))
        .containsExactly(1, 0, 1);
    JsonArray qs = r.getJsonArray("questions");
    assertThat(qs.getJsonObject(0).getInteger("answered")).isEqualTo(3);
    assertThat(qs.getJsonObject(1).getInteger("answered")).isEqualTo(2);
    assertThat(qs.getJsonObject(2).getInteger("answered")).isEqualTo(3);
  }

  @Test
  void smallTurnoutCellsAreSuppressedAndCannotBeRecoveredFromTheTotal() {
    JsonObject c = open(T0.plus(Duration.ofDays(60)));
    String id = c.getString("id");
    for (int i = 0; i < 7; i++) {
      assertThat(f.vote(id, app.deviceToken("14-17"), answers(answer(c, 0, 0))).statusCode())
          .isEqualTo(201);
    }
    for (int i = 0; i < 2; i++) {
      f.vote(id, app.deviceToken("18-25"), answers(answer(c, 0, 1)));
    }
    JsonObject r = f.results(id, f.council());
    assertThat(r.getInteger("totalBallots")).isEqualTo(9);
    assertThat(r.getInteger("suppressionThreshold")).isEqualTo(5);
    JsonArray cells = r.getJsonArray("turnoutByAgeBand");
    assertThat(cells.getJsonObject(1).getInteger("count")).isEqualTo(7);
    for (int i : new int[] {0, 2, 3}) {
      assertThat(cells.getJsonObject(i).getValue("count")).isNull();
      assertThat(cells.getJsonObject(i).getBoolean("suppressed")).isTrue();
    }

    // two bands only: one small cell would be total minus the other, so both are withheld
    JsonObject pair = open(T0.plus(Duration.ofDays(61)), "14-17", "18-25");
    for (int i = 0; i < 6; i++) {
      f.vote(pair.getString("id"), app.deviceToken("14-17"), answers(answer(pair, 0, 0)));
    }
    f.vote(pair.getString("id"), app.deviceToken("18-25"), answers(answer(pair, 0, 0)));
    JsonObject p = f.results(pair.getString("id"), f.council());
    assertThat(p.getInteger("totalBallots")).isEqualTo(7);
    assertThat(p.getJsonArray("turnoutByAgeBand"))
        .hasSize(2)
        .allSatisfy(
            cell -> {
              assertThat(((JsonObject) cell).getValue("count")).isNull();
              assertThat(((JsonObject) cell).getBoolean("suppressed")).isTrue();
            });
    int visible =
        p.getJsonArray("turnoutByAgeBand").stream()
            .mapToInt(
                cell ->
                    ((JsonObject) cell).getValue("count") == null
                        ? 0
                        : ((JsonObject) cell).getInteger("count"))
            .sum();
    assertThat(p.getInteger("totalBallots") - visible).isEqualTo(7); // nothing to subtract from
  }

  @Test
  void resultsAreHiddenFromThePublicUntilPublishedAfterClose() {
    Instant base = T0.plus(Duration.ofDays(70));
    JsonObject c = open(base);
    String id = c.getString("id");
    f.vote(id, app.deviceToken("14-17"), answers(answer(c, 0, 2)));
    String device = app.deviceToken("14-17");

    var anonymous = app.get("/v1/consultations/" + id + "/results", null);
    assertThat(anonymous.statusCode()).isEqualTo(403);
    assertThat(anonymous.bodyAsJsonObject().getString("detail")).contains("not published");
    assertThat(app.get("/v1/consultations/" + id + "/results", device).statusCode()).isEqualTo(403);
    assertThat(f.results(id, f.council()).getInteger("totalBallots")).isEqualTo(1);

    var tooEarly = app.post("/v1/consultations/" + id + "/results/publish", f.council(), null);
    assertThat(tooEarly.statusCode()).isEqualTo(409);

    app.setNow(base.plus(Duration.ofDays(1)));
    assertThat(app.get("/v1/consultations/" + id + "/results", null).statusCode()).isEqualTo(403);
    var published = app.post("/v1/consultations/" + id + "/results/publish", f.council(), null);
    assertThat(published.statusCode()).as(published.bodyAsString()).isEqualTo(200);
    assertThat(published.bodyAsJsonObject().getBoolean("published")).isTrue();
    String publishedAt = published.bodyAsJsonObject().getString("publishedAt");
    app.setNow(base.plus(Duration.ofDays(2)));
    var again = app.post("/v1/consultations/" + id + "/results/publish", f.council(), null);
    assertThat(again.bodyAsJsonObject().getString("publishedAt")).isEqualTo(publishedAt);

    var pub = app.get("/v1/consultations/" + id + "/results", null);
    assertThat(pub.statusCode()).isEqualTo(200);
    assertThat(pub.getHeader("Cache-Control")).startsWith("public");
    JsonObject r = pub.bodyAsJsonObject();
    assertThat(r.getInteger("totalBallots")).isEqualTo(1);
    assertThat(option(r, oid(c, 0, 2)).getInteger("count")).isEqualTo(1);
    var notModified =
        app.send(
            app.http()
                .get("/v1/consultations/" + id + "/results")
                .putHeader("If-None-Match", pub.getHeader("ETag")),
            null,
            null);
    assertThat(notModified.statusCode()).isEqualTo(304);
    assertThat(app.get("/v1/consultations/" + id + "/results", device).statusCode()).isEqualTo(200);
    assertThat(
            app.get("/v1/consultations/" + id, null)
                .bodyAsJsonObject()
                .getBoolean("resultsPublished"))
        .isTrue();
  }

  // ------------------------------------------------------------------ listing

  @Test
  void listByStateIsComputedFromTheClockPagedAndCacheable() {
    Instant base = T0.plus(Duration.ofDays(100));
    app.setNow(base);
    String token = f.council();
    List<String> upcoming = new ArrayList<>();
    for (int i = 3; i >= 1; i--) {
      upcoming.add(
          0,
          f.create(body(base.plus(Duration.ofHours(i)), base.plus(Duration.ofDays(5))))
              .getString("id"));
    }
    String open = f.create(body(base, base.plus(Duration.ofHours(1)))).getString("id");

    List<String> seen = new ArrayList<>();
    String cursor = null;
    do {
      var r =
          app.get(
              "/v1/consultations?state=upcoming&limit=2"
                  + (cursor == null ? "" : "&cursor=" + cursor),
              null);
      assertThat(r.statusCode()).isEqualTo(200);
      r.bodyAsJsonObject()
          .getJsonArray("items")
          .forEach(
              i -> {
                assertThat(((JsonObject) i).getString("state")).isEqualTo("upcoming");
                seen.add(((JsonObject) i).getString("id"));
              });
      cursor = r.bodyAsJsonObject().getString("nextCursor");
    } while (cursor != null);
    assertThat(seen).containsSubsequence(upcoming).doesNotContain(open);
    assertThat(
            app
                .get("/v1/consultations?state=open&limit=100", null)
                .bodyAsJsonObject()
                .getJsonArray("items")
                .stream()
                .map(i -> ((JsonObject) i).getString("id")))
        .contains(open);

    var list = app.get("/v1/consultations?state=upcoming&limit=100", null);
    assertThat(list.getHeader("ETag")).isNotBlank();
    // never cached past the moment the first of them opens
    assertThat(list.getHeader("Cache-Control")).isEqualTo("public, max-age=60");
    var cached =
        app.send(
            app.http()
                .get("/v1/consultations?state=upcoming&limit=100")
                .putHeader("If-None-Match", list.getHeader("ETag")),
            null,
            null);
    assertThat(cached.statusCode()).isEqualTo(304);

    // an hour on, the open one has closed and the first upcoming one is open
    app.setNow(base.plus(Duration.ofHours(1)));
    List<String> nowOpen =
        app
            .get("/v1/consultations?state=open&limit=100", null)
            .bodyAsJsonObject()
            .getJsonArray("items")
            .stream()
            .map(i -> ((JsonObject) i).getString("id"))
            .toList();
    assertThat(nowOpen).contains(upcoming.get(0)).doesNotContain(open);
    assertThat(
            app
                .get("/v1/consultations?state=closed&limit=100", null)
                .bodyAsJsonObject()
                .getJsonArray("items")
                .stream()
                .map(i -> ((JsonObject) i).getString("id")))
        .contains(open);
    var one = app.get("/v1/consultations/" + upcoming.get(1), null);
    assertThat(one.getHeader("Cache-Control")).isEqualTo("public, max-age=300");
    app.setNow(base.plus(Duration.ofHours(2)).minusSeconds(20));
    assertThat(app.get("/v1/consultations/" + upcoming.get(1), null).getHeader("Cache-Control"))
        .isEqualTo("public, max-age=20");

    assertThat(fields(app.get("/v1/consultations?state=soon", null))).containsExactly("state");
    assertThat(fields(app.get("/v1/consultations?cursor=bm9wZQ", null))).containsExactly("cursor");
    assertThat(app.get("/v1/consultations/cns_missing", null).statusCode()).isEqualTo(404);
  }

  // ------------------------------------------------------------------ roles

  @Test
  void everyOperationAdmitsOnlyItsRoles() {
    JsonObject c = open(T0.plus(Duration.ofDays(110)));
    String id = c.getString("id");
    JsonObject b = body(T0.plus(Duration.ofDays(111)), T0.plus(Duration.ofDays(112)));
    String device = app.deviceToken("14-17");
    for (String token :
        new String[] {
          device, app.staffToken("editor"), app.staffToken("moderator"), app.staffToken("admin")
        }) {
      assertThat(f.createRaw(b, token, UUID.randomUUID().toString()).statusCode()).isEqualTo(403);
      assertThat(
              app.patch("/v1/consultations/" + id, token, new JsonObject().put("title", "x"))
                  .statusCode())
          .isEqualTo(403);
      assertThat(app.post("/v1/consultations/" + id + "/results/publish", token, null).statusCode())
          .isEqualTo(403);
    }
    assertThat(f.createRaw(b, null, UUID.randomUUID().toString()).statusCode()).isEqualTo(401);
    assertThat(
            app.patch("/v1/consultations/" + id, null, new JsonObject().put("title", "x"))
                .statusCode())
        .isEqualTo(401);
    assertThat(f.vote(id, null, answers(answer(c, 0, 0))).statusCode()).isEqualTo(401);
    assertThat(f.vote(id, f.council(), answers(answer(c, 0, 0))).statusCode()).isEqualTo(403);
    assertThat(f.vote(id, app.staffToken("admin"), answers(answer(c, 0, 0))).statusCode())
        .isEqualTo(403);
    assertThat(
            app.get("/v1/consultations/" + id + "/results", app.staffToken("editor")).statusCode())
        .isEqualTo(403);
    assertThat(app.get("/v1/consultations/" + id + "/results", "not-a-token").statusCode())
        .isEqualTo(401);
    assertThat(app.get("/v1/consultations/" + id + "/results", f.council()).statusCode())
        .isEqualTo(200);
    // a role check never reveals the body's shape: an empty body still gets a 403, not a 400
    assertThat(
            app.post(
                    "/v1/consultations/" + id + "/votes",
                    app.staffToken("editor"),
                    new JsonObject())
                .statusCode())
        .isEqualTo(403);
  }
}
