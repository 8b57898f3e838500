package uk.gov.islington.youthsafety.api.bulletins;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.islington.youthsafety.api.bulletins.BulletinApi.waitUntil;
import static uk.gov.islington.youthsafety.api.bulletins.EmailSubscribers.link;
import static uk.gov.islington.youthsafety.api.bulletins.EmailSubscribers.text;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.StartTLSOptions;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import uk.gov.islington.youthsafety.api.testing.TestApp;
import uk.gov.islington.youthsafety.content.bulletins.EmailSubscriptions;
import uk.gov.islington.youthsafety.content.reports.ReportCrypto;
import uk.gov.islington.youthsafety.content.reports.ReportKeys;
import uk.gov.islington.youthsafety.notifications.email.EmailChannel;
import uk.gov.islington.youthsafety.notifications.email.SmtpTransport;
import uk.gov.islington.youthsafety.notifications.outbox.Dispatcher;
import uk.gov.islington.youthsafety.notifications.outbox.DispatcherOptions;
import uk.gov.islington.youthsafety.testing.ScriptedSmtp;

/**
 * Exactly once across a crash: the service's dispatcher sends the first batches of a bulletin's
 * e-mails; a second process (its own Vert.x, pool and SMTP client) claims the next batch and dies
 * while the mail server has not yet answered for it; the service's dispatcher, once that claim's
 * lease has run out, finishes the send. Every subscriber gets the bulletin exactly once.
 */
class EmailBulletinCrashTest {

  private static final int SUBSCRIBERS = 23;
  private static final String BULLETIN_SUBJECT = " - Youth Safety Bulletin";

  @Test
  void aDispatcherKilledBetweenBatchesIsReplacedAndEverySubscriberGetsTheBulletinExactlyOnce()
      throws Exception {
    try (ScriptedSmtp smtp = new ScriptedSmtp()) {
      Map<String, String> env = new HashMap<>(EmailSubscribers.settings(smtp));
      env.put("OUTBOX_DISPATCHER", "false"); // this test drives the dispatchers itself
      env.put("OUTBOX_BATCH_SIZE", "5");
      TestApp app = TestApp.start(env);
      try {
        EmailSubscribers subscribers = new EmailSubscribers(app, smtp);
        BulletinApi api = new BulletinApi(app);
        Dispatcher service = app.app().dispatcher();
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < SUBSCRIBERS; i++) {
          addresses.add("crash-" + i + "@example.org");
          assertThat(subscribers.signUp(addresses.get(i), "parents").statusCode()).isEqualTo(202);
        }
        while (smtp.accepted().size() < SUBSCRIBERS) {
          app.await(service.runOnce());
        }
        for (String a : addresses) {
          String confirm = link(text(subscribers.to(a).get(0)), "/bulletins/confirm");
          assertThat(subscribers.postPage(confirm, MultiMap.caseInsensitiveMultiMap()).statusCode())
              .isEqualTo(200);
        }

        String id = api.createDraft(BulletinApi.draft("Crash test"));
        assertThat(api.send(id, null).statusCode()).isEqualTo(202);
        waitUntil(
            "the send has started",
            () -> {
              app.await(service.runOnce());
              return bulletinEmails(app, "") == SUBSCRIBERS;
            });
        // the service's own dispatcher: batches of five until at least two are through
        while (bulletinsAccepted(smtp) < 10) {
          app.await(service.runOnce());
        }
        int beforeCrash = bulletinsAccepted(smtp);
        assertThat(bulletinEmails(app, "sent")).isEqualTo(beforeCrash);

        // another process takes the next batch; the mail server holds it; the process dies
        Vertx other = Vertx.vertx();
        Pool otherPool = app.database().pool(other);
        ReportCrypto crypto =
            new ReportCrypto(
                ReportKeys.from(
                    ReportKeys.readFile(app.dataDir().resolve("keys/report-keys.properties"))));
        EmailSubscriptions emails =
            new EmailSubscriptions(otherPool, app.clock, crypto, EmailSubscribers.BASE);
        SmtpTransport transport =
            new SmtpTransport(
                MailClient.create(
                    other,
                    new MailConfig()
                        .setHostname("127.0.0.1")
                        .setPort(smtp.port())
                        .setStarttls(StartTLSOptions.DISABLED)),
                "bulletin@example.test");
        Dispatcher dying =
            new Dispatcher(
                other,
                otherPool,
                null,
                app.clock,
                List.of(
                    new EmailChannel(
                        EmailSubscriptions.BULLETIN_CHANNEL,
                        emails.bulletins(),
                        transport,
                        null,
                        null)),
                new DispatcherOptions(
                    5,
                    Duration.ofMillis(200),
                    Duration.ofSeconds(2),
                    Duration.ofMillis(200),
                    Duration.ofSeconds(1),
                    20));
        smtp.holdData();
        dying.runOnce();
        waitUntil("a batch is in flight at the mail server", () -> smtp.holdingCount() == 5);
        other.close().await(10, TimeUnit.SECONDS);
        smtp.dropHeld();
        assertThat(bulletinsAccepted(smtp)).isEqualTo(beforeCrash);

        // the service finishes once the dead process's claims have run out
        waitUntil(
            "every e-mail is sent",
            () -> {
              app.await(service.runOnce());
              return bulletinEmails(app, "sent") == SUBSCRIBERS;
            });
        app.await(service.runOnce());
        for (String a : addresses) {
          long bulletins =
              subscribers.to(a).stream().filter(m -> subject(m).endsWith(BULLETIN_SUBJECT)).count();
          assertThat(bulletins).as(a).isEqualTo(1);
        }
        assertThat(bulletinsAccepted(smtp)).isEqualTo(SUBSCRIBERS);
        var email = api.delivery(id).getJsonObject("email");
        assertThat(email.getInteger("targeted")).isEqualTo(SUBSCRIBERS);
        assertThat(email.getInteger("sent")).isEqualTo(SUBSCRIBERS);
        assertThat(email.getInteger("pending")).isZero();
      } finally {
        app.close();
      }
    }
  }

  private static long bulletinEmails(TestApp app, String state) {
    return app.sql(
            "SELECT count(*) FROM content.bulletin_emails WHERE $1 = '' OR state = $1", state)
        .get(0)
        .getLong(0);
  }

  private static int bulletinsAccepted(ScriptedSmtp smtp) {
    return (int)
        smtp.accepted().stream()
            .filter(m -> subject(EmailSubscribers.parse(m.raw())).endsWith(BULLETIN_SUBJECT))
            .count();
  }

  private static String subject(jakarta.mail.internet.MimeMessage m) {
    try {
      return m.getSubject();
    } catch (jakarta.mail.MessagingException e) {
      throw new AssertionError(e);
    }
  }
}
