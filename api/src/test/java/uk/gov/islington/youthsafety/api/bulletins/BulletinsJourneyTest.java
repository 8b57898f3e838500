package uk.gov.islington.youthsafety.api.bulletins;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.islington.youthsafety.api.bulletins.BulletinApi.draft;
import static uk.gov.islington.youthsafety.api.bulletins.BulletinApi.fields;
import static uk.gov.islington.youthsafety.api.bulletins.BulletinApi.waitUntil;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import uk.gov.islington.youthsafety.api.testing.TestApp;
import uk.gov.islington.youthsafety.api.testing.WithTestApp;

/**
 * The bulletin from draft to archive over HTTP on the embedded default: pushes go to the local
 * sink, which counts as sent, so the whole journey and the delivery report run without FCM.
 */
@WithTestApp
class BulletinsJourneyTest {

  static TestApp app;
  static final BulletinApi api = new BulletinApi(() -> app);

  @BeforeEach
  void noSubscribers() {
    app.sql("DELETE FROM notifications.push_subscriptions");
  }

  @Test
  void aDraftIsPrivateUntilSentThenEverySubscriberIsCountedAndItIsInThePublicArchive() {
    api.subscribers(3, "parents");
    api.subscribers(2, "professionals"); // not targeted
    String id =
        api.createDraft(
            draft("Half-term activities for 10 to 17 year olds")
                .put("link", "https://www.islington.gov.uk/children-and-families"));

    assertThat(app.get("/v1/bulletins/" + id, null).statusCode()).isEqualTo(404);
    assertThat(app.get("/v1/bulletins/" + id, app.deviceToken("14-17")).statusCode())
        .isEqualTo(404);
    assertThat(archiveIds(app.get("/v1/bulletins", null))).doesNotContain(id);
    JsonObject asEditor = app.get("/v1/bulletins/" + id, api.editor()).bodyAsJsonObject();
    assertThat(asEditor.getString("state")).isEqualTo("draft");
    assertThat(asEditor.getString("publishedAt")).isNull();
    JsonObject before = api.delivery(id);
    assertThat(before.getString("state")).isEqualTo("draft");
    assertThat(before.getInteger("targeted")).isZero();

    HttpResponse<Buffer> sent = api.send(id, null);
    assertThat(sent.statusCode()).isEqualTo(202);
    assertThat(sent.getHeader("Location")).isEqualTo("/v1/bulletins/" + id + "/delivery");
    assertThat(sent.bodyAsJsonObject().getString("state")).isIn("scheduled", "sending", "sent");
    waitUntil("sent", () -> "sent".equals(api.delivery(id).getString("state")));

    JsonObject d = api.delivery(id);
    assertThat(d.getInteger("targeted")).isEqualTo(3);
    assertThat(d.getInteger("sent")).isEqualTo(3);
    assertThat(d.getInteger("failed")).isZero();
    assertThat(d.getInteger("invalidTokensRemoved")).isZero();
    assertThat(d.getInteger("pending")).isZero();
    assertThat(d.getString("completedAt")).isNotNull();

    HttpResponse<Buffer> pub = app.get("/v1/bulletins/" + id, null);
    assertThat(pub.statusCode()).isEqualTo(200);
    assertThat(pub.getHeader("Cache-Control")).contains("public");
    JsonObject b = pub.bodyAsJsonObject();
    assertThat(b.getString("title")).isEqualTo("Half-term activities for 10 to 17 year olds");
    assertThat(b.getString("link")).isEqualTo("https://www.islington.gov.uk/children-and-families");
    assertThat(b.getString("publishedAt")).isNotNull();
    assertThat(b.containsKey("state")).as("editors' fields stay with editors").isFalse();
    assertThat(archiveIds(app.get("/v1/bulletins", null))).contains(id);

    // the local sink holds the notification, a preview and the id the app opens; no tokens
    List<io.vertx.sqlclient.Row> sink =
        app.sql(
            "SELECT payload FROM notifications.local_sink WHERE channel = 'push'"
                + " AND payload->>'job' = $1",
            "bulletin:" + id);
    assertThat(sink).hasSize(1);
    JsonObject entry = sink.get(0).getJsonObject(0);
    assertThat(entry.getJsonObject("data").getString("bulletinId")).isEqualTo(id);
    assertThat(entry.getInteger("recipients")).isEqualTo(3);
  }

  @Test
  void theSameIdempotencyKeyAnswersTheFirstDraftAndADifferentBodyIsRefused() {
    JsonObject body = draft("Parents' evening on online safety");
    HttpResponse<Buffer> first = api.create(body, "create-parents-evening-1");
    HttpResponse<Buffer> again = api.create(body, "create-parents-evening-1");
    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(again.statusCode()).isEqualTo(201);
    assertThat(again.bodyAsJsonObject().getString("id"))
        .isEqualTo(first.bodyAsJsonObject().getString("id"));
    assertThat(
            app.sql(
                    "SELECT count(*) FROM content.bulletins WHERE title = $1",
                    "Parents' evening on online safety")
                .get(0)
                .getLong(0))
        .isEqualTo(1);
    HttpResponse<Buffer> other = api.create(draft("Something else"), "create-parents-evening-1");
    assertThat(other.statusCode()).isEqualTo(422);
    assertThat(other.bodyAsJsonObject().getString("type"))
        .isEqualTo("urn:youth-safety:problem:idempotency-key-reused");
    HttpResponse<Buffer> noKey = app.post("/v1/bulletins", api.editor(), body);
    assertThat(fields(noKey)).containsExactly("Idempotency-Key");
  }

  @Test
  void sendingFiveTimesAtOnceSendsOnce() {
    api.subscribers(4, "young_people");
    String id =
        api.createDraft(
            draft("Summer of sport").put("audiences", new JsonArray().add("young_people")));
    List<Future<HttpResponse<Buffer>>> calls = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      calls.add(
          app.http()
              .post("/v1/bulletins/" + id + "/send")
              .putHeader("Authorization", TestApp.bearer(api.editor()))
              .send());
    }
    app.await(Future.join(calls));
    for (Future<HttpResponse<Buffer>> call : calls) {
      assertThat(call.result().statusCode()).isEqualTo(202);
    }
    waitUntil("sent", () -> "sent".equals(api.delivery(id).getString("state")));
    // and again afterwards
    assertThat(api.send(id, null).statusCode()).isEqualTo(202);
    assertThat(api.send(id, null).bodyAsJsonObject().getString("state")).isEqualTo("sent");

    assertThat(
            count(
                "SELECT count(*) FROM notifications.outbox WHERE channel = 'bulletin-fanout' AND payload->>'bulletinId' = $1",
                id))
        .isEqualTo(1);
    assertThat(
            count("SELECT count(*) FROM notifications.push_jobs WHERE id = $1", "bulletin:" + id))
        .isEqualTo(1);
    assertThat(
            count(
                "SELECT count(*) FROM notifications.local_sink WHERE payload->>'job' = $1",
                "bulletin:" + id))
        .isEqualTo(1);
    JsonObject d = api.delivery(id);
    assertThat(d.getInteger("targeted")).isEqualTo(4);
    assertThat(d.getInteger("sent")).isEqualTo(4);
  }

  @Test
  void aScheduledBulletinWaitsForItsTimeAndCannotBeRescheduled() {
    api.subscribers(2, "parents");
    String id = api.createDraft(draft("Safer Schools week"));
    Instant at =
        app.clock
            .instant()
            .plus(Duration.ofHours(2))
            .truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    HttpResponse<Buffer> scheduled = api.send(id, new JsonObject().put("sendAt", at.toString()));
    assertThat(scheduled.statusCode()).isEqualTo(202);
    assertThat(scheduled.bodyAsJsonObject().getString("state")).isEqualTo("scheduled");
    assertThat(Instant.parse(scheduled.bodyAsJsonObject().getString("sendAt"))).isEqualTo(at);

    // a replay with the same time is fine; another time, or "now", is not
    // (formatted: OffsetDateTime.toString drops ":00" seconds, which RFC 3339 requires)
    String sameInstantInBst =
        java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
            at.atOffset(java.time.ZoneOffset.ofHours(1)));
    assertThat(api.send(id, new JsonObject().put("sendAt", sameInstantInBst)).statusCode())
        .isEqualTo(202);
    assertThat(
            api.send(id, new JsonObject().put("sendAt", at.plusSeconds(60).toString()))
                .statusCode())
        .isEqualTo(409);
    assertThat(api.send(id, null).statusCode()).isEqualTo(409);
    assertThat(
            app.patch("/v1/bulletins/" + id, api.editor(), new JsonObject().put("title", "x"))
                .statusCode())
        .isEqualTo(409);
    assertThat(archiveIds(app.get("/v1/bulletins", null))).doesNotContain(id);
    assertThat(api.delivery(id).getString("state")).isEqualTo("scheduled");
    assertThat(
            count("SELECT count(*) FROM notifications.push_jobs WHERE id = $1", "bulletin:" + id))
        .isZero();
    List<io.vertx.sqlclient.Row> due =
        app.sql(
            "SELECT next_attempt_at FROM notifications.outbox"
                + " WHERE channel = 'bulletin-fanout' AND payload->>'bulletinId' = $1",
            id);
    assertThat(due.get(0).getOffsetDateTime(0).toInstant()).isEqualTo(at);

    // time passes (the outbox reads due times from the database)
    app.sql(
        "UPDATE notifications.outbox SET next_attempt_at = now() WHERE channel = 'bulletin-fanout'"
            + " AND payload->>'bulletinId' = $1",
        id);
    waitUntil("sent", () -> "sent".equals(api.delivery(id).getString("state")));
    assertThat(api.delivery(id).getInteger("sent")).isEqualTo(2);
  }

  @Test
  void onlyDraftsCanBeEditedOrDeletedAndTheDatabaseRefusesAnyOtherOrder() {
    String draftId = api.createDraft(draft("Draft to edit"));
    HttpResponse<Buffer> edited =
        app.patch(
            "/v1/bulletins/" + draftId,
            api.editor(),
            new JsonObject()
                .put("title", "Edited title")
                .put("urgent", true)
                .put("areas", new JsonArray().add("holloway"))
                .put("link", "https://example.org/a"));
    assertThat(edited.statusCode()).as(edited.bodyAsString()).isEqualTo(200);
    assertThat(edited.bodyAsJsonObject().getString("title")).isEqualTo("Edited title");
    assertThat(edited.bodyAsJsonObject().getBoolean("urgent")).isTrue();
    assertThat(edited.bodyAsJsonObject().getJsonArray("areas")).containsExactly("holloway");
    JsonObject unlinked =
        app.patch("/v1/bulletins/" + draftId, api.editor(), new JsonObject().putNull("link"))
            .bodyAsJsonObject();
    assertThat(unlinked.getString("link")).isNull();
    assertThat(unlinked.getString("title")).isEqualTo("Edited title");

    String deleted = api.createDraft(draft("Draft to delete"));
    assertThat(app.delete("/v1/bulletins/" + deleted, api.editor()).statusCode()).isEqualTo(204);
    assertThat(app.get("/v1/bulletins/" + deleted, api.editor()).statusCode()).isEqualTo(404);
    assertThat(app.delete("/v1/bulletins/" + deleted, api.editor()).statusCode()).isEqualTo(404);

    String sentId = api.createDraft(draft("Sent already"));
    api.sendAndWait(sentId);
    assertThat(
            app.patch(
                    "/v1/bulletins/" + sentId,
                    api.editor(),
                    new JsonObject().put("body", "changed"))
                .statusCode())
        .isEqualTo(409);
    assertThat(app.delete("/v1/bulletins/" + sentId, api.editor()).statusCode()).isEqualTo(409);

    // the state machine holds even for SQL that bypasses the service
    assertSqlRefused(
        "UPDATE content.bulletins SET state = 'draft', send_at = NULL, published_at = NULL, sent_at = NULL"
            + " WHERE id = $1",
        sentId);
    assertSqlRefused("UPDATE content.bulletins SET title = 'rewritten' WHERE id = $1", sentId);
    assertSqlRefused("DELETE FROM content.bulletins WHERE id = $1", sentId);
    assertSqlRefused(
        "UPDATE content.bulletins SET state = 'sending', send_at = now(), published_at = now()"
            + " WHERE id = $1",
        draftId);
  }

  @Test
  void theArchivePagesNewestFirstAndFiltersByAudience() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String id =
          api.createDraft(
              draft("Archive " + i)
                  .put("audiences", new JsonArray().add(i % 2 == 0 ? "professionals" : "parents")));
      app.clock.advance(Duration.ofMinutes(1));
      api.sendAndWait(id);
      ids.add(0, id);
    }
    List<String> walked = new ArrayList<>();
    String cursor = null;
    do {
      JsonObject page =
          app.get("/v1/bulletins?limit=2" + (cursor == null ? "" : "&cursor=" + cursor), null)
              .bodyAsJsonObject();
      assertThat(page.getJsonArray("items").size()).isLessThanOrEqualTo(2);
      page.getJsonArray("items").forEach(item -> walked.add(((JsonObject) item).getString("id")));
      cursor = page.getString("nextCursor");
    } while (cursor != null);
    assertThat(walked).containsSubsequence(ids);
    assertThat(walked).doesNotHaveDuplicates();
    List<String> pros = archiveIds(app.get("/v1/bulletins?audience=professionals&limit=100", null));
    assertThat(pros)
        .contains(ids.get(0), ids.get(2), ids.get(4))
        .doesNotContain(ids.get(1), ids.get(3));

    JsonObject drafts =
        app.get("/v1/bulletins?state=draft&limit=100", api.editor()).bodyAsJsonObject();
    drafts
        .getJsonArray("items")
        .forEach(i -> assertThat(((JsonObject) i).getString("state")).isEqualTo("draft"));
  }

  @Test
  void audiencesAndAreasDecideWhoIsTargeted() {
    String everywhere = BulletinApi.fcmToken("everywhere");
    api.subscribe(app.deviceToken(null), everywhere, "parents");
    putSubscription(BulletinApi.fcmToken("highbury"), List.of("parents"), List.of("highbury"));
    putSubscription(BulletinApi.fcmToken("holloway"), List.of("parents"), List.of("holloway"));
    putSubscription(BulletinApi.fcmToken("young"), List.of("young_people"), List.of("highbury"));
    String id =
        api.createDraft(
            draft("Highbury Fields event")
                .put("audiences", new JsonArray().add("parents"))
                .put("areas", new JsonArray().add("highbury")));
    JsonObject d = api.sendAndWait(id);
    assertThat(d.getInteger("targeted")).isEqualTo(2);
    assertThat(d.getInteger("sent")).isEqualTo(2);
  }

  @Test
  void anUrgentBulletinIsPushedWithItsFlag() {
    api.subscribers(1, "parents");
    String id =
        api.createDraft(draft("Road closed: avoid Holloway Road tonight").put("urgent", true));
    api.sendAndWait(id);
    JsonObject entry = pushed(id);
    assertThat(entry.getBoolean("urgent")).isTrue();
    assertThat(entry.getJsonObject("data").getString("urgent")).isEqualTo("true");
  }

  @Test
  void aLongBodyIsPushedAsAPreviewUnderTheFcmSizeLimit() {
    api.subscribers(1, "parents");
    String longBody =
        ("Islington's Youth Safety Bulletin brings you updates on services, events, training and"
                + " reports from across the borough. ")
            .repeat(60);
    String id = api.createDraft(draft("Long read").put("body", longBody));
    api.sendAndWait(id);
    JsonObject entry = pushed(id);
    String preview = entry.getJsonObject("notification").getString("body");
    assertThat(preview).endsWith("…");
    assertThat(preview.getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
        .isLessThanOrEqualTo(300);
    assertThat(app.get("/v1/bulletins/" + id, null).bodyAsJsonObject().getString("body"))
        .isEqualTo(longBody.strip());
  }

  private void putSubscription(String fcmToken, List<String> audiences, List<String> areas) {
    HttpResponse<Buffer> r =
        app.put(
            "/v1/subscriptions/me",
            app.deviceToken(null),
            new JsonObject()
                .put("fcmToken", fcmToken)
                .put("audiences", new JsonArray(audiences))
                .put("areas", new JsonArray(areas)));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
  }

  private void assertSqlRefused(String sql, String id) {
    try {
      app.sql(sql, id);
    } catch (AssertionError e) {
      assertThat(e).hasStackTraceContaining("bulletin");
      return;
    }
    throw new AssertionError("the database accepted: " + sql);
  }

  /** The push the local sink received for a bulletin. */
  private static JsonObject pushed(String bulletinId) {
    return app.sql(
            "SELECT payload FROM notifications.local_sink WHERE payload->>'job' = $1",
            "bulletin:" + bulletinId)
        .get(0)
        .getJsonObject(0);
  }

  private static long count(String sql, Object... params) {
    return app.sql(sql, params).get(0).getLong(0);
  }

  private static List<String> archiveIds(HttpResponse<Buffer> r) {
    assertThat(r.statusCode()).isEqualTo(200);
    List<String> out = new ArrayList<>();
    r.bodyAsJsonObject()
        .getJsonArray("items")
        .forEach(i -> out.add(((JsonObject) i).getString("id")));
    return out;
  }
}
