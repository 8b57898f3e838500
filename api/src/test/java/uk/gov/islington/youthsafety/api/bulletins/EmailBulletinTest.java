package uk.gov.islington.youthsafety.api.bulletins;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.islington.youthsafety.api.bulletins.BulletinApi.waitUntil;
import static uk.gov.islington.youthsafety.api.bulletins.EmailSubscribers.address;
import static uk.gov.islington.youthsafety.api.bulletins.EmailSubscribers.header;
import static uk.gov.islington.youthsafety.api.bulletins.EmailSubscribers.html;
import static uk.gov.islington.youthsafety.api.bulletins.EmailSubscribers.link;
import static uk.gov.islington.youthsafety.api.bulletins.EmailSubscribers.subscriberId;
import static uk.gov.islington.youthsafety.api.bulletins.EmailSubscribers.text;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import jakarta.mail.internet.MimeMessage;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import uk.gov.islington.youthsafety.api.testing.TestApp;
import uk.gov.islington.youthsafety.api.testing.WithTestApp;
import uk.gov.islington.youthsafety.testing.ScriptedSmtp;

/**
 * A bulletin by e-mail through the real service and a local SMTP server: once per confirmed
 * subscriber who wants each bulletin, with a text and an HTML part and both unsubscribe headers;
 * the one-click unsubscribe deletes the address; the preferences page; 550 and 451 answers.
 */
@WithTestApp(scriptedSmtp = true)
class EmailBulletinTest {

  static ScriptedSmtp smtp;
  static TestApp app;
  static final EmailSubscribers subscribers = new EmailSubscribers(() -> app, () -> smtp);
  static final BulletinApi api = new BulletinApi(() -> app);

  private static JsonObject emailDelivery(String bulletinId) {
    return api.delivery(bulletinId).getJsonObject("email");
  }

  private static String sendBulletin(String title, String... audiences) {
    JsonObject draft =
        BulletinApi.draft(title)
            .put(
                "audiences",
                new io.vertx.core.json.JsonArray(java.util.List.of((Object[]) audiences)))
            .put("body", "First paragraph about <the hub> & more.\n\nSecond paragraph.")
            .put("link", "https://example.org/more");
    String id = api.createDraft(draft);
    api.sendAndWait(id);
    return id;
  }

  @Test
  void aSendBringsThePlannersCountOfPendingMessagesUpToDateThroughTheServicesOwnRole() {
    subscribers.subscribeConfirmed(address("statistics"), "parents");
    long before = subscribers.outboxAnalyzed();
    sendBulletin("Statistics " + UUID.randomUUID().toString().substring(0, 6), "parents");
    waitUntil("the outbox is analyzed", () -> subscribers.outboxAnalyzed() > before);
  }

  @Test
  void
      aBulletinReachesEachConfirmedSubscriberOnceWithBothPartsAndOneClickUnsubscribeDeletesTheAddress()
          throws Exception {
    String each = address("each");
    String weekly = address("weekly");
    String other = address("pro");
    String unconfirmed = address("unconfirmed");
    subscribers.subscribeConfirmed(each, "parents");
    subscribers.subscribeConfirmed(other, "professionals");
    String weeklyId = subscriberId(subscribers.subscribeConfirmed(weekly, "parents"));
    app.sql("UPDATE content.email_subscribers SET frequency = 'weekly' WHERE id = $1", weeklyId);
    subscribers.signUp(unconfirmed, "parents");
    subscribers.waitForOne(unconfirmed, 1);

    String title = "Half-term activities " + UUID.randomUUID().toString().substring(0, 6);
    String id = sendBulletin(title, "parents");
    MimeMessage m = subscribers.waitForOne(each, 2);
    waitUntil("the e-mail is counted", () -> emailDelivery(id).getInteger("sent") == 1);
    JsonObject delivery = emailDelivery(id);
    assertThat(delivery.getInteger("targeted")).isEqualTo(1);
    assertThat(delivery.getInteger("pending")).isZero();
    assertThat(api.delivery(id).getInteger("targeted")).isZero(); // the push: no phones subscribed

    assertThat(m.getSubject()).isEqualTo(title + " - Youth Safety Bulletin");
    assertThat(m.isMimeType("multipart/alternative")).isTrue();
    String text = text(m);
    String html = html(m);
    assertThat(text)
        .contains(
            title,
            "First paragraph about <the hub> & more.",
            "https://example.org/more",
            EmailSubscribers.BASE + "/bulletins/" + id);
    assertThat(html)
        .contains(
            "<html lang=\"en\">",
            "<h1>" + title + "</h1>",
            "First paragraph about &lt;the hub&gt; &amp; more.")
        .doesNotContain("<img", "src=", "<script", "<link", "url(");
    String unsubscribe = link(text, "/bulletins/unsubscribe");
    assertThat(html).contains("Unsubscribe");
    assertThat(header(m, "List-Unsubscribe"))
        .isEqualTo("<" + EmailSubscribers.BASE + unsubscribe + ">");
    assertThat(header(m, "List-Unsubscribe-Post")).isEqualTo("List-Unsubscribe=One-Click");
    link(text, "/bulletins/preferences");

    // nobody else: not the weekly one, not another audience, not the unconfirmed address
    assertThat(subscribers.to(weekly)).hasSize(1);
    assertThat(subscribers.to(other)).hasSize(1);
    assertThat(subscribers.to(unconfirmed)).hasSize(1);

    // sending again and more dispatcher rounds change nothing
    assertThat(api.send(id, null).statusCode()).isEqualTo(202);
    app.await(app.app().dispatcher().runOnce());
    assertThat(subscribers.to(each)).hasSize(2);

    // RFC 8058: a POST with the one-click body, no cookie, no Origin
    String sid = subscriberId(unsubscribe);
    HttpResponse<Buffer> oneClick =
        app.await(
            app.http()
                .post(unsubscribe)
                .putHeader("Content-Type", "application/x-www-form-urlencoded")
                .sendBuffer(Buffer.buffer("List-Unsubscribe=One-Click")));
    assertThat(oneClick.statusCode()).isEqualTo(200);
    assertThat(
            app.sql("SELECT count(*) FROM content.email_subscribers WHERE id = $1", sid)
                .get(0)
                .getLong(0))
        .isZero();
    assertThat(
            app.sql("SELECT count(*) FROM content.bulletin_emails WHERE subscriber_id = $1", sid)
                .get(0)
                .getLong(0))
        .isZero();
    assertThat(emailDelivery(id).getInteger("sent")).isEqualTo(1);
    // a repeat (mail clients retry) is harmless
    assertThat(
            app.await(
                    app.http()
                        .post(unsubscribe)
                        .putHeader("Content-Type", "application/x-www-form-urlencoded")
                        .sendBuffer(Buffer.buffer("List-Unsubscribe=One-Click")))
                .statusCode())
        .isEqualTo(200);

    // the next bulletin does not go to the unsubscribed address
    String next = sendBulletin("Next " + UUID.randomUUID().toString().substring(0, 6), "parents");
    waitUntil("the next send is counted", () -> emailDelivery(next).getInteger("pending") == 0);
    assertThat(emailDelivery(next).getInteger("targeted")).isZero();
    assertThat(subscribers.to(each)).hasSize(2);
  }

  @Test
  void thePreferencesPageChangesWhatComesAndRefusesBadLinksAndBadChoices() throws Exception {
    String address = address("prefs");
    subscribers.subscribeConfirmed(address, "parents");
    sendBulletin("Prefs " + UUID.randomUUID().toString().substring(0, 6), "parents");
    String prefs = link(text(subscribers.waitForOne(address, 2)), "/bulletins/preferences");

    HttpResponse<Buffer> page = subscribers.getPage(prefs);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.getHeader("Cache-Control")).isEqualTo("no-store");
    assertThat(page.bodyAsString())
        .contains("Change what you get")
        .containsPattern("value=\"parents\"\\s+checked");

    MultiMap form =
        MultiMap.caseInsensitiveMultiMap()
            .add("audiences", "parents")
            .add("audiences", "professionals")
            .add("areas", "highbury")
            .add("frequency", "weekly");
    HttpResponse<Buffer> saved = subscribers.postPage(prefs, form);
    assertThat(saved.statusCode()).isEqualTo(303);
    assertThat(subscribers.getPage(saved.getHeader("Location")).bodyAsString())
        .contains("Your choices are saved");
    var row =
        app.sql(
                "SELECT audiences::text, areas::text, frequency FROM content.email_subscribers WHERE id = $1",
                subscriberId(prefs))
            .get(0);
    assertThat(row.getString(0)).isEqualTo("{parents,professionals}");
    assertThat(row.getString(1)).isEqualTo("{highbury}");
    assertThat(row.getString(2)).isEqualTo("weekly");

    HttpResponse<Buffer> invalid =
        subscribers.postPage(
            prefs, MultiMap.caseInsensitiveMultiMap().add("frequency", "hourly\r\nX: y"));
    assertThat(invalid.statusCode()).isEqualTo(400);
    assertThat(invalid.bodyAsString())
        .contains(
            "<title>Error: ", "There is a problem", "href=\"#audiences\"", "href=\"#frequency\"");

    String forged = prefs.replaceAll("t=[^&]+", "t=" + "A".repeat(32));
    assertThat(subscribers.getPage(forged).statusCode()).isEqualTo(404);
    assertThat(subscribers.postPage(forged, form).statusCode()).isEqualTo(404);
  }

  @Test
  void
      aMailboxRefusedForGoodIsUndeliverableAndGoesAfterThreeBouncesWhileATemporaryFailureIsRetried()
          throws Exception {
    String bounce = address("bounce");
    String later = address("later");
    String bounceId = subscriberId(subscribers.subscribeConfirmed(bounce, "young_people"));
    subscribers.subscribeConfirmed(later, "young_people");
    java.util.concurrent.atomic.AtomicInteger laterTries =
        new java.util.concurrent.atomic.AtomicInteger();
    smtp.replyToRecipient(
        to ->
            to.startsWith("bounce-")
                ? "550 5.1.1 mailbox " + to + " unknown"
                : to.startsWith("later-") && laterTries.incrementAndGet() <= 2
                    ? "451 4.3.2 try again later"
                    : "250 OK");
    try {
      String first = sendBulletin("Bounce 1", "young_people");
      waitUntil("both e-mails are settled", () -> emailDelivery(first).getInteger("pending") == 0);
      JsonObject d = emailDelivery(first);
      assertThat(d.getInteger("targeted")).isEqualTo(2);
      assertThat(d.getInteger("sent")).isEqualTo(1);
      assertThat(d.getInteger("undeliverable")).isEqualTo(1);
      assertThat(subscribers.to(later)).hasSize(2);
      assertThat(smtp.attempts(later)).isEqualTo(4); // the confirmation, two refusals, the bulletin
      assertThat(subscribers.to(bounce)).hasSize(1);
      var row =
          app.sql(
                  "SELECT bounces, undeliverable_at IS NOT NULL FROM content.email_subscribers WHERE id = $1",
                  bounceId)
              .get(0);
      assertThat(row.getInteger(0)).isEqualTo(1);
      assertThat(row.getBoolean(1)).isTrue();
      assertThat(
              app.sql("SELECT string_agg(coalesce(last_error, ''), ' ') FROM notifications.outbox")
                  .get(0)
                  .getString(0))
          .doesNotContain("bounce-")
          .contains("(550)");

      for (int i = 2; i <= 3; i++) {
        String next = sendBulletin("Bounce " + i, "young_people");
        waitUntil(
            "bulletin " + i + " is settled", () -> emailDelivery(next).getInteger("pending") == 0);
      }
      assertThat(
              app.sql("SELECT count(*) FROM content.email_subscribers WHERE id = $1", bounceId)
                  .get(0)
                  .getLong(0))
          .isZero();
      assertThat(subscribers.to(later)).hasSize(4);
    } finally {
      smtp.replyToRecipient(to -> "250 OK");
    }
  }
}
