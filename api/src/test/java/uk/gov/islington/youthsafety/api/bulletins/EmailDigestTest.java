package uk.gov.islington.youthsafety.api.bulletins;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.islington.youthsafety.api.bulletins.EmailSubscribers.html;
import static uk.gov.islington.youthsafety.api.bulletins.EmailSubscribers.subscriberId;
import static uk.gov.islington.youthsafety.api.bulletins.EmailSubscribers.text;

import io.vertx.core.json.JsonArray;
import jakarta.mail.internet.MimeMessage;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import uk.gov.islington.youthsafety.api.testing.TestApp;
import uk.gov.islington.youthsafety.testing.MutableClock;
import uk.gov.islington.youthsafety.testing.ScriptedSmtp;

/**
 * The weekly digest: a weekly subscriber gets no e-mail per bulletin, and from Monday 08:00 one
 * e-mail with the week's bulletins for them, once, however often every instance checks.
 */
class EmailDigestTest {

  private static final ZoneId LONDON = ZoneId.of("Europe/London");

  @Test
  void aWeeklySubscriberGetsOneDigestOfTheirBulletinsAfterTheWeek() throws Exception {
    // a Wednesday noon: the digest of the week before was queued when the service started
    ZonedDateTime wednesday =
        ZonedDateTime.now(LONDON)
            .with(TemporalAdjusters.previous(DayOfWeek.WEDNESDAY))
            .with(LocalTime.NOON);
    try (ScriptedSmtp smtp = new ScriptedSmtp()) {
      Map<String, String> env = new HashMap<>(EmailSubscribers.settings(smtp));
      env.put("BULLETIN_DIGEST_CHECK_INTERVAL", "200ms");
      TestApp app = TestApp.start(env, new MutableClock(wednesday.toInstant()));
      try {
        EmailSubscribers subscribers = new EmailSubscribers(app, smtp);
        BulletinApi api = new BulletinApi(app);
        String weekly = "weekly-digest@example.org";
        String id = subscriberId(subscribers.subscribeConfirmed(weekly, "parents"));
        app.sql("UPDATE content.email_subscribers SET frequency = 'weekly' WHERE id = $1", id);

        api.sendAndWait(api.createDraft(BulletinApi.draft("Monday club")));
        api.sendAndWait(api.createDraft(BulletinApi.draft("Friday club")));
        api.sendAndWait(
            api.createDraft(
                BulletinApi.draft("For professionals only")
                    .put("audiences", new JsonArray().add("professionals"))));
        Thread.sleep(500);
        assertThat(subscribers.to(weekly)).hasSize(1); // the confirmation only

        // Monday 07:59: not yet; 08:01: the digest
        ZonedDateTime monday = wednesday.with(TemporalAdjusters.next(DayOfWeek.MONDAY));
        app.clock.set(monday.with(LocalTime.of(7, 59)).toInstant());
        Thread.sleep(600);
        assertThat(subscribers.to(weekly)).hasSize(1);
        long analyzed = subscribers.outboxAnalyzed();
        app.clock.set(monday.with(LocalTime.of(8, 1)).toInstant());
        MimeMessage digest = subscribers.waitForOne(weekly, 2);
        // the week's digests became pending at once: the planner is told
        BulletinApi.waitUntil(
            "the outbox is analyzed", () -> subscribers.outboxAnalyzed() > analyzed);
        assertThat(digest.getSubject()).startsWith("Youth Safety Bulletin: the week of");
        assertThat(text(digest))
            .contains("Monday club", "Friday club")
            .doesNotContain("For professionals only");
        assertThat(html(digest)).contains("<h2>Monday club</h2>").doesNotContain("<img");
        assertThat(EmailSubscribers.header(digest, "List-Unsubscribe-Post"))
            .isEqualTo("List-Unsubscribe=One-Click");

        // every later check (and another instance's) finds the week queued
        Thread.sleep(800);
        assertThat(subscribers.to(weekly)).hasSize(2);
        assertThat(
                app.sql(
                        "SELECT count(*) FROM notifications.outbox WHERE channel = 'bulletin-email-digest'")
                    .get(0)
                    .getLong(0))
            .isEqualTo(1);
      } finally {
        app.close();
      }
    }
  }
}
