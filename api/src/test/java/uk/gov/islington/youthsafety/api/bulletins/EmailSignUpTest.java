package uk.gov.islington.youthsafety.api.bulletins;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.islington.youthsafety.api.bulletins.BulletinApi.fields;
import static uk.gov.islington.youthsafety.api.bulletins.EmailSubscribers.address;
import static uk.gov.islington.youthsafety.api.bulletins.EmailSubscribers.link;
import static uk.gov.islington.youthsafety.api.bulletins.EmailSubscribers.signUpBody;
import static uk.gov.islington.youthsafety.api.bulletins.EmailSubscribers.text;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import uk.gov.islington.youthsafety.api.testing.TestApp;
import uk.gov.islington.youthsafety.api.testing.WithTestApp;
import uk.gov.islington.youthsafety.testing.ScriptedSmtp;

/**
 * Signing up by e-mail through the real service and a local SMTP server: double opt-in, the same
 * answer whatever the address's state, one e-mail an hour per address, single-use links that
 * expire, and bad input refused naming the field with nothing stored or sent.
 */
@WithTestApp(scriptedSmtp = true)
class EmailSignUpTest {

  static ScriptedSmtp smtp;
  static TestApp app;
  static final EmailSubscribers subscribers = new EmailSubscribers(() -> app, () -> smtp);

  private static long rows(String address) {
    return app.sql("SELECT count(*) FROM content.email_subscribers").get(0).getLong(0);
  }

  private static String confirmedAt(String confirmLink) {
    String id = EmailSubscribers.subscriberId(confirmLink);
    List<io.vertx.sqlclient.Row> r =
        app.sql("SELECT confirmed_at::text FROM content.email_subscribers WHERE id = $1", id);
    return r.isEmpty() ? "gone" : r.get(0).getString(0);
  }

  @Test
  void signUpThenTheEmailedLinkAndItsButtonConfirm() throws Exception {
    String address = address("parent");
    HttpResponse<Buffer> r =
        subscribers.signUp(
            signUpBody(address, "parents")
                .put("areas", new JsonArray().add("highbury"))
                .put("frequency", "each"));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(202);
    assertThat(r.bodyAsJsonObject().getString("status")).isEqualTo("confirmation_sent");

    MimeMessage confirmation = subscribers.waitForOne(address, 1);
    assertThat(confirmation.getSubject()).contains("Confirm your subscription");
    assertThat(EmailSubscribers.html(confirmation))
        .contains("<html lang=\"en\">")
        .doesNotContain("<img");
    String link = link(text(confirmation), "/bulletins/confirm");
    assertThat(confirmedAt(link)).isNull();

    // opening the link (as a mail scanner would) changes nothing; the button confirms
    HttpResponse<Buffer> page = subscribers.getPage(link);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.getHeader("Cache-Control")).isEqualTo("no-store");
    assertThat(page.getHeader("Referrer-Policy")).isEqualTo("no-referrer");
    assertThat(page.bodyAsString()).contains("Confirm subscription");
    assertThat(confirmedAt(link)).isNull();
    HttpResponse<Buffer> done = subscribers.postPage(link, MultiMap.caseInsensitiveMultiMap());
    assertThat(done.statusCode()).isEqualTo(200);
    assertThat(done.bodyAsString()).contains("You are subscribed");
    assertThat(confirmedAt(link)).isNotNull();

    // the link is single-use
    HttpResponse<Buffer> replay = subscribers.postPage(link, MultiMap.caseInsensitiveMultiMap());
    assertThat(replay.statusCode()).isEqualTo(404);
    assertThat(replay.bodyAsString()).contains("This link does not work");
    assertThat(subscribers.getPage(link).statusCode()).isEqualTo(404);

    // the address is stored sealed only, and nothing else holds it
    assertThat(app.dumpAllTables())
        .doesNotContainIgnoringCase(address)
        .doesNotContain(address.split("@")[0]);
  }

  @Test
  void everySignUpGetsTheSameAnswerAndAnAddressAtMostOneEmailAnHour() throws Exception {
    String fresh = address("same");
    HttpResponse<Buffer> first = subscribers.signUp(fresh, "parents");
    HttpResponse<Buffer> again = subscribers.signUp(fresh, "professionals");
    subscribers.waitForOne(fresh, 1);
    String confirmed = address("confirmed");
    subscribers.subscribeConfirmed(confirmed, "parents");
    HttpResponse<Buffer> known = subscribers.signUp(confirmed, "parents");
    for (HttpResponse<Buffer> r : List.of(first, again, known)) {
      assertThat(r.statusCode()).isEqualTo(202);
      assertThat(r.bodyAsString()).isEqualTo(first.bodyAsString());
      assertThat(r.headers().names()).containsExactlyInAnyOrderElementsOf(first.headers().names());
    }
    // nothing more within the hour: no e-mail flood at a victim's address
    for (int i = 0; i < 5; i++) {
      assertThat(subscribers.signUp(fresh, "parents").statusCode()).isEqualTo(202);
    }
    Thread.sleep(500);
    app.await(app.app().dispatcher().runOnce());
    assertThat(subscribers.to(fresh)).hasSize(1);
    assertThat(subscribers.to(confirmed)).hasSize(1);

    // an hour later: the unconfirmed address gets a new link (the old one stops working), the
    // confirmed one a reminder with its own links, not a new confirmation
    String oldLink = link(text(subscribers.to(fresh).get(0)), "/bulletins/confirm");
    app.clock.advance(Duration.ofMinutes(61));
    assertThat(subscribers.signUp(fresh, "parents").statusCode()).isEqualTo(202);
    assertThat(subscribers.signUp(confirmed, "parents").statusCode()).isEqualTo(202);
    String newLink = link(text(subscribers.waitForOne(fresh, 2)), "/bulletins/confirm");
    MimeMessage reminder = subscribers.waitForOne(confirmed, 2);
    assertThat(reminder.getSubject()).contains("already");
    assertThat(text(reminder)).doesNotContain("/bulletins/confirm");
    link(text(reminder), "/bulletins/preferences");
    assertThat(subscribers.postPage(oldLink, MultiMap.caseInsensitiveMultiMap()).statusCode())
        .isEqualTo(404);
    assertThat(subscribers.postPage(newLink, MultiMap.caseInsensitiveMultiMap()).statusCode())
        .isEqualTo(200);
  }

  @Test
  void aConfirmationLinkExpiresAfter48Hours() {
    String address = address("late");
    subscribers.signUp(address, "parents");
    String link = link(text(subscribers.waitForOne(address, 1)), "/bulletins/confirm");
    app.clock.advance(Duration.ofHours(48).plusMinutes(1));
    try {
      HttpResponse<Buffer> page = subscribers.getPage(link);
      assertThat(page.statusCode()).isEqualTo(410);
      assertThat(page.bodyAsString()).contains("This link has expired");
      assertThat(subscribers.postPage(link, MultiMap.caseInsensitiveMultiMap()).statusCode())
          .isEqualTo(410);
      assertThat(confirmedAt(link)).isNull();
    } finally {
      app.clock.advance(Duration.ofHours(-48).minusMinutes(1));
    }
  }

  @Test
  void unconfirmedSignUpsAreDeletedAfterSevenDays() {
    String address = address("forgotten");
    subscribers.signUp(address, "parents");
    String link = link(text(subscribers.waitForOne(address, 1)), "/bulletins/confirm");
    java.time.Instant now = app.clock.instant();
    try {
      app.clock.set(now.plus(Duration.ofDays(6)));
      app.await(app.app().retention().runOnce());
      assertThat(confirmedAt(link)).isNull();
      app.clock.set(now.plus(Duration.ofDays(7).plusMinutes(1)));
      app.await(app.app().retention().runOnce());
      assertThat(confirmedAt(link)).isEqualTo("gone");
    } finally {
      app.clock.set(now);
    }
  }

  @Test
  void malformedAddressesAndHeaderInjectionAreRefusedNamingTheField() throws Exception {
    int before = smtp.accepted().size();
    long rowsBefore = rows(null);
    for (String bad :
        List.of(
            "",
            "plainaddress",
            "@example.org",
            "a@",
            "a@b",
            "a b@example.org",
            "a@exa mple.org",
            "a@example.org\r\nBcc: victim@example.org",
            "a@example.org\nSubject: hi",
            "Name <a@example.org>",
            "a@example.org, b@example.org",
            "x".repeat(300) + "@example.org",
            "a..b@example.org",
            "\"q\"@example.org")) {
      HttpResponse<Buffer> r = subscribers.signUp(bad, "parents");
      assertThat(r.statusCode()).as(bad).isEqualTo(400);
      assertThat(r.getHeader("Content-Type")).startsWith("application/problem+json");
      assertThat(
              r.bodyAsJsonObject().getJsonArray("errors").stream()
                  .map(e -> ((JsonObject) e).getString("field")))
          .as(bad)
          .contains("email");
    }
    assertThat(fields(subscribers.signUp("ok@example.org", "grandparents")))
        .anyMatch(f -> f.startsWith("audiences"));
    JsonObject ok = signUpBody("ok@example.org", "parents");
    assertThat(
            fields(
                subscribers.signUp(ok.copy().put("areas", new JsonArray().add("narnia\r\nX: y")))))
        .anyMatch(f -> f.startsWith("areas"));
    assertThat(fields(subscribers.signUp(ok.copy().put("frequency", "daily\r\n"))))
        .contains("frequency");
    assertThat(fields(subscribers.signUp(new JsonObject().put("email", "ok@example.org"))))
        .contains("audiences");
    Thread.sleep(300);
    assertThat(smtp.accepted()).hasSize(before);
    assertThat(rows(null)).isEqualTo(rowsBefore);
  }

  @Test
  void aFloodFromOneNetworkIsThrottled() throws Exception {
    Map<String, String> env = new java.util.HashMap<>(EmailSubscribers.settings(smtp));
    env.put("BULLETIN_SIGNUP_RATE_CAPACITY", "3");
    TestApp strict = TestApp.start(env);
    try {
      EmailSubscribers s = new EmailSubscribers(strict, smtp);
      for (int i = 0; i < 3; i++) {
        assertThat(s.signUp(address("flood"), "parents").statusCode()).isEqualTo(202);
      }
      HttpResponse<Buffer> refused = s.signUp(address("flood"), "parents");
      assertThat(refused.statusCode()).isEqualTo(429);
      assertThat(refused.getHeader("Retry-After")).isNotNull();
      assertThat(refused.getHeader("Content-Type")).startsWith("application/problem+json");
      assertThat(strict.sql("SELECT count(*) FROM content.email_subscribers").get(0).getLong(0))
          .isEqualTo(3);
    } finally {
      strict.close();
    }
  }
}
