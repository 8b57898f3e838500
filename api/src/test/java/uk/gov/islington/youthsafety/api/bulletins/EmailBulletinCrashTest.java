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
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import uk.gov.islington.youthsafety.api.testing.TestApp;
import uk.gov.islington.youthsafety.content.bulletins.EmailSubscriptions;
import uk.gov.islington.youthsafety.content.reports.ReportCrypto;
import uk.gov.islington.youthsafety.content.reports.ReportKeys;
import uk.gov.islington.youthsafety.notifications.email.EmailChannel;
import uk.gov.islington.youthsafety.notifications.email.EmailSource;
import uk.gov.islington.youthsafety.notifications.email.SmtpTransport;
import uk.gov.islington.youthsafety.notifications.outbox.Dispatcher;
import uk.gov.islington.youthsafety.notifications.outbox.DispatcherOptions;
import uk.gov.islington.youthsafety.testing.MutableClock;
import uk.gov.islington.youthsafety.testing.ScriptedSmtp;

/**
 * Exactly once across a crash, for each e-mail a subscriber gets in bulk (a bulletin, or the weekly
 * digest): the service's dispatcher sends the first batches; a second process (its own Vert.x, pool
 * and SMTP client) claims the next batch and dies while the mail server has not yet answered for
 * it; the service's dispatcher, once that claim's lease has run out, finishes the send. Every
 * subscriber gets the e-mail exactly once.
 */
class EmailBulletinCrashTest {

  private static final int SUBSCRIBERS = 23;
  private static final ZoneId LONDON = ZoneId.of("Europe/London");
  // a Wednesday noon: the digest of the week before is queued at start, and is not this test's
  private static final ZonedDateTime WEDNESDAY =
      ZonedDateTime.now(LONDON)
          .with(TemporalAdjusters.previous(DayOfWeek.WEDNESDAY))
          .with(LocalTime.NOON);

  /** The bulk e-mail under test: its channel, its subject, and how its send is set going. */
  enum Kind {
    BULLETIN(EmailSubscriptions.BULLETIN_CHANNEL) {
      @Override
      boolean is(String subject) {
        return subject.endsWith(" - Youth Safety Bulletin");
      }

      @Override
      EmailSource source(EmailSubscriptions emails) {
        return emails.bulletins();
      }
    },
    DIGEST(EmailSubscriptions.DIGEST_CHANNEL) {
      @Override
      boolean is(String subject) {
        return subject.startsWith("Youth Safety Bulletin: the week of");
      }

      @Override
      EmailSource source(EmailSubscriptions emails) {
        return emails.digests();
      }
    };

    final String channel;

    Kind(String channel) {
      this.channel = channel;
    }

    abstract boolean is(String subject);

    abstract EmailSource source(EmailSubscriptions emails);
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void aDispatcherKilledBetweenBatchesIsReplacedAndEverySubscriberGetsItExactlyOnce(Kind kind)
      throws Exception {
    try (ScriptedSmtp smtp = new ScriptedSmtp()) {
      Map<String, String> env = new HashMap<>(EmailSubscribers.settings(smtp));
      env.put("OUTBOX_DISPATCHER", "false"); // this test drives the dispatchers itself
      env.put("OUTBOX_BATCH_SIZE", "5");
      env.put("BULLETIN_DIGEST_CHECK_INTERVAL", "200ms");
      TestApp app = TestApp.start(env, new MutableClock(WEDNESDAY.toInstant()));
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

        if (kind == Kind.DIGEST) {
          app.sql("UPDATE content.email_subscribers SET frequency = 'weekly'");
        }
        String id = api.createDraft(BulletinApi.draft("Crash test"));
        assertThat(api.send(id, null).statusCode()).isEqualTo(202);
        if (kind == Kind.DIGEST) {
          // the bulletin's own send finds no one; on Monday morning the week's digest is queued
          waitUntil("the bulletin is sent", () -> app.await(service.runOnce()) == 0);
          app.clock.set(
              WEDNESDAY
                  .with(TemporalAdjusters.next(DayOfWeek.MONDAY))
                  .with(LocalTime.of(8, 1))
                  .toInstant());
        }
        waitUntil(
            "the send has started",
            () -> {
              app.await(service.runOnce());
              return queued(app, kind, "") == SUBSCRIBERS;
            });
        // the service's own dispatcher: batches of five until at least two are through
        while (accepted(smtp, kind) < 10) {
          app.await(service.runOnce());
        }
        int beforeCrash = accepted(smtp, kind);
        assertThat(queued(app, kind, "sent")).isEqualTo(beforeCrash);

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
                List.of(new EmailChannel(kind.channel, kind.source(emails), transport, null, null)),
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
        assertThat(accepted(smtp, kind)).isEqualTo(beforeCrash);

        // the service finishes once the dead process's claims have run out
        waitUntil(
            "every e-mail is sent",
            () -> {
              app.await(service.runOnce());
              return queued(app, kind, "sent") == SUBSCRIBERS;
            });
        app.await(service.runOnce());
        for (String a : addresses) {
          long received = subscribers.to(a).stream().filter(m -> kind.is(subject(m))).count();
          assertThat(received).as(a).isEqualTo(1);
        }
        assertThat(accepted(smtp, kind)).isEqualTo(SUBSCRIBERS);
        if (kind == Kind.BULLETIN) {
          var email = api.delivery(id).getJsonObject("email");
          assertThat(email.getInteger("targeted")).isEqualTo(SUBSCRIBERS);
          assertThat(email.getInteger("sent")).isEqualTo(SUBSCRIBERS);
          assertThat(email.getInteger("pending")).isZero();
        }
      } finally {
        app.close();
      }
    }
  }

  /**
   * The e-mails of this kind queued (state "") or sent: a bulletin's have rows of their own, the
   * digest's are its outbox messages.
   */
  private static long queued(TestApp app, Kind kind, String sent) {
    String sql =
        kind == Kind.BULLETIN
            ? "SELECT count(*) FROM content.bulletin_emails WHERE $1 = '' OR state = $1"
            : "SELECT count(*) FROM notifications.outbox WHERE channel = '"
                + kind.channel
                + "' AND ($1 = '' OR state = 'delivered')";
    return app.sql(sql, sent).get(0).getLong(0);
  }

  private static int accepted(ScriptedSmtp smtp, Kind kind) {
    return (int)
        smtp.accepted().stream()
            .filter(m -> kind.is(subject(EmailSubscribers.parse(m.raw()))))
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
