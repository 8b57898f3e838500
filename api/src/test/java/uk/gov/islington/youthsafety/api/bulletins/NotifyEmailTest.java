package uk.gov.islington.youthsafety.api.bulletins;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.islington.youthsafety.api.bulletins.BulletinApi.waitUntil;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import uk.gov.islington.youthsafety.api.testing.TestApp;
import uk.gov.islington.youthsafety.testing.FakeNotify;

/**
 * EMAIL_TRANSPORT=notify against a local fake of GOV.UK Notify that checks the JWT (HS256, iss =
 * service id, iat) and the request: sign-up and bulletin e-mails go through it with the template
 * id, the one-click unsubscribe URL, and nothing sent twice; its 400 (address), 403 (key) and 429
 * (rate) answers are handled as Notify means them.
 */
class NotifyEmailTest {

  static FakeNotify notify;
  static TestApp app;
  static BulletinApi api;

  @BeforeAll
  static void start() throws Exception {
    notify = new FakeNotify();
    Path key = Files.createTempFile("notify", ".key");
    Files.writeString(key, notify.apiKey() + "\n");
    Map<String, String> env = new HashMap<>();
    env.put("EMAIL_TRANSPORT", "notify");
    env.put("NOTIFY_API_KEY_FILE", key.toString());
    env.put("NOTIFY_TEMPLATE_ID", notify.templateId);
    env.put("NOTIFY_BASE_URL", "http://127.0.0.1:" + notify.port());
    env.put("PUBLIC_BASE_URL", EmailSubscribers.BASE);
    env.put("BULLETIN_EMAIL_RETRY_INITIAL", "200ms");
    env.put("BULLETIN_EMAIL_RETRY_MAX", "1s");
    env.put("BULLETIN_SIGNUP_RATE_CAPACITY", "1000");
    app = TestApp.start(env);
    api = new BulletinApi(app);
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
    notify.close();
  }

  /**
   * Signs up and confirms through the link in the e-mail Notify was asked to send; answers the
   * subscriber id.
   */
  private static String subscribeConfirmed(String address) {
    int before = notify.acceptedFor(address).size();
    assertThat(
            app.post(
                    "/v1/email-subscriptions",
                    null,
                    EmailSubscribers.signUpBody(address, "parents"))
                .statusCode())
        .isEqualTo(202);
    waitUntil("the confirmation for " + address, () -> notify.acceptedFor(address).size() > before);
    String body =
        notify.acceptedFor(address).get(before).getJsonObject("personalisation").getString("body");
    String link = EmailSubscribers.link(body, "/bulletins/confirm");
    assertThat(
            app.await(app.http().post(link).sendForm(MultiMap.caseInsensitiveMultiMap()))
                .statusCode())
        .isEqualTo(200);
    return EmailSubscribers.subscriberId(link);
  }

  @Test
  void signUpAndBulletinGoThroughNotifyWithTheTemplateAndOneClickUnsubscribe() {
    String address = EmailSubscribers.address("notify");
    subscribeConfirmed(address);
    JsonObject confirmation = notify.acceptedFor(address).get(0);
    assertThat(confirmation.getString("template_id")).isEqualTo(notify.templateId);
    assertThat(confirmation.getJsonObject("personalisation").getString("subject"))
        .contains("Confirm your subscription");
    assertThat(confirmation.getString("reference")).startsWith("outbox-").doesNotContain(address);

    String id = api.createDraft(BulletinApi.draft("Sent through Notify"));
    api.sendAndWait(id);
    waitUntil("the bulletin went", () -> notify.acceptedFor(address).size() == 2);
    JsonObject bulletin = notify.acceptedFor(address).get(1);
    assertThat(bulletin.getJsonObject("personalisation").getString("subject"))
        .startsWith("Sent through Notify");
    assertThat(bulletin.getJsonObject("personalisation").getString("body"))
        .contains("The Lift youth hub");
    assertThat(bulletin.getString("one_click_unsubscribe_url"))
        .startsWith(EmailSubscribers.BASE + "/bulletins/unsubscribe?s=");
    waitUntil("counted", () -> api.delivery(id).getJsonObject("email").getInteger("sent") == 1);
    assertThat(notify.refusedTokens()).isZero();
  }

  @Test
  void notifysRefusalsRateLimitsAndAuthErrorsAreHandledAsNotifyMeansThem() throws Exception {
    String refused = EmailSubscribers.address("refused");
    String limited = EmailSubscribers.address("limited");
    String refusedId = subscribeConfirmed(refused);
    subscribeConfirmed(limited);
    AtomicInteger limitedTries = new AtomicInteger();
    notify.answering(
        a ->
            a.equals(refused)
                ? 400
                : a.equals(limited) && limitedTries.incrementAndGet() <= 2 ? 429 : 201);
    try {
      String id = api.createDraft(BulletinApi.draft("Refusals"));
      api.sendAndWait(id);
      waitUntil(
          "settled", () -> api.delivery(id).getJsonObject("email").getInteger("pending") == 0);
      JsonObject email = api.delivery(id).getJsonObject("email");
      assertThat(email.getInteger("undeliverable")).isEqualTo(1);
      assertThat(email.getInteger("sent")).isGreaterThanOrEqualTo(1);
      assertThat(notify.acceptedFor(limited)).hasSize(2); // the confirmation and the bulletin, once
      assertThat(notify.requests(limited)).isEqualTo(4);
      assertThat(
              app.sql("SELECT bounces FROM content.email_subscribers WHERE id = $1", refusedId)
                  .get(0)
                  .getInteger(0))
          .isEqualTo(1);
    } finally {
      notify.answering(a -> 201);
    }

    // a key Notify does not accept is our problem, not the subscriber's: retried, nothing counted
    // against them
    String key = notify.apiKey();
    notify.revokeKey();
    String waiting = EmailSubscribers.address("waiting");
    assertThat(
            app.post(
                    "/v1/email-subscriptions",
                    null,
                    EmailSubscribers.signUpBody(waiting, "parents"))
                .statusCode())
        .isEqualTo(202);
    waitUntil("refused twice", () -> notify.refusedTokens() >= 2);
    assertThat(
            app.sql("SELECT bounces FROM content.email_subscribers WHERE confirmed_at IS NULL")
                .get(0)
                .getInteger(0))
        .isZero();
    String lastError =
        app.sql(
                "SELECT last_error FROM notifications.outbox WHERE channel = 'bulletin-email-confirm' "
                    + "AND state = 'pending'")
            .get(0)
            .getString(0);
    assertThat(lastError).contains("Notify answered 403 (AuthError)").doesNotContain(waiting);
    notify.restoreKey(key);
    waitUntil("delivered once the key works", () -> notify.acceptedFor(waiting).size() == 1);
    Matcher m =
        Pattern.compile("/bulletins/confirm\\?")
            .matcher(
                notify
                    .acceptedFor(waiting)
                    .get(0)
                    .getJsonObject("personalisation")
                    .getString("body"));
    assertThat(m.find()).isTrue();
  }
}
