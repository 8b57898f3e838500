package uk.gov.islington.youthsafety.notifications.email;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.StartTLSOptions;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import uk.gov.islington.youthsafety.notifications.outbox.DeliveryResult;
import uk.gov.islington.youthsafety.notifications.outbox.OutboxMessage;

/** The e-mail channel against a real SMTP server (GreenMail): outcomes the dispatcher acts on. */
class EmailChannelTest {

  private Vertx vertx;
  private int port;
  private GreenMail smtp;
  private final AtomicInteger sent = new AtomicInteger();

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
  }

  @AfterEach
  void tearDown() throws Exception {
    if (smtp != null) {
      smtp.stop();
    }
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private void startSmtp() {
    smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", "smtp"));
    smtp.start();
  }

  private EmailChannel channel(EmailSource source) {
    return channel(source, EmailPace.UNPACED);
  }

  private EmailChannel channel(EmailSource source, EmailPace pace) {
    MailClient client =
        MailClient.create(
            vertx,
            new MailConfig()
                .setHostname("127.0.0.1")
                .setPort(port)
                .setStarttls(StartTLSOptions.DISABLED)
                .setConnectTimeout(2000));
    return new EmailChannel(
        "report-email",
        source,
        new SmtpTransport(client, "reports@example.test"),
        pace,
        Duration.ofSeconds(1),
        Duration.ofSeconds(8));
  }

  private EmailSource source(Email email) {
    return new EmailSource() {
      @Override
      public Future<Email> compose(OutboxMessage message) {
        return Future.succeededFuture(email);
      }

      @Override
      public Future<Void> sent(OutboxMessage message, String transport) {
        sent.incrementAndGet();
        assertThat(transport).isEqualTo("smtp");
        return Future.succeededFuture();
      }
    };
  }

  private static OutboxMessage message(int attempt) {
    return new OutboxMessage(
        7,
        "report-email",
        "report-forward:x",
        new JsonObject().put("forwardId", "x"),
        attempt,
        Instant.now());
  }

  private static DeliveryResult await(Future<DeliveryResult> f) throws Exception {
    return f.await(30, TimeUnit.SECONDS);
  }

  private static final Email EMAIL =
      new Email(
          List.of("csct@example.test"),
          "Anonymous concern report R-2345-6789",
          "What the reporter wrote: secret text",
          "<report-forward-x@example.test>");

  @Test
  void aServerThatIsDownMeansRetryLaterWithGrowingBackoffAndNoTextInTheReason() throws Exception {
    EmailChannel channel = channel(source(EMAIL));
    DeliveryResult first = await(channel.deliver(message(1)));
    assertThat(first).isInstanceOf(DeliveryResult.RetryLater.class);
    DeliveryResult.RetryLater retry = (DeliveryResult.RetryLater) first;
    assertThat(retry.reason()).startsWith("mail server unavailable").doesNotContain("secret");
    assertThat(retry.notBefore()).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
    DeliveryResult.RetryLater fourth =
        (DeliveryResult.RetryLater) await(channel.deliver(message(4)));
    assertThat(fourth.notBefore()).isBetween(Duration.ofSeconds(4), Duration.ofSeconds(8));
    DeliveryResult.RetryLater capped =
        (DeliveryResult.RetryLater) await(channel.deliver(message(20)));
    assertThat(capped.notBefore()).isBetween(Duration.ofSeconds(4), Duration.ofSeconds(8));
    assertThat(sent).hasValue(0);
  }

  @Test
  void aServerThatAcceptsMeansDeliveredOnceWithTheStableMessageId() throws Exception {
    startSmtp();
    DeliveryResult result = await(channel(source(EMAIL)).deliver(message(1)));
    assertThat(result).isInstanceOf(DeliveryResult.Delivered.class);
    assertThat(smtp.getReceivedMessages()).hasSize(1);
    var mail = smtp.getReceivedMessages()[0];
    assertThat(mail.getSubject()).isEqualTo("Anonymous concern report R-2345-6789");
    assertThat(mail.getHeader("Message-ID")[0]).isEqualTo("<report-forward-x@example.test>");
    assertThat(GreenMailUtil.getBody(mail)).contains("secret text");
    assertThat(sent).hasValue(1);
  }

  @Test
  void nothingToSendFailsForGoodAndAlreadySentCountsAsDelivered() throws Exception {
    startSmtp();
    EmailChannel gone =
        channel(
            new EmailSource() {
              @Override
              public Future<Email> compose(OutboxMessage message) {
                return Future.failedFuture(new NothingToSend("the report no longer exists"));
              }
            });
    DeliveryResult r = await(gone.deliver(message(1)));
    assertThat(r).isInstanceOf(DeliveryResult.Failed.class);
    assertThat(((DeliveryResult.Failed) r).reason()).contains("no longer exists");
    EmailChannel done =
        channel(
            new EmailSource() {
              @Override
              public Future<Email> compose(OutboxMessage message) {
                return Future.failedFuture(new AlreadySent());
              }
            });
    assertThat(await(done.deliver(message(2)))).isInstanceOf(DeliveryResult.Delivered.class);
    assertThat(smtp.getReceivedMessages()).isEmpty();
  }

  @Test
  void aPacedChannelComposesEachEmailOnlyWhenItsSlotComes() throws Exception {
    startSmtp();
    AtomicInteger composed = new AtomicInteger();
    EmailSource counting =
        new EmailSource() {
          @Override
          public Future<Email> compose(OutboxMessage message) {
            composed.incrementAndGet();
            return Future.succeededFuture(EMAIL);
          }
        };
    EmailChannel channel = channel(counting, EmailPace.perSecond(vertx, 5));
    long start = System.nanoTime();
    List<Future<DeliveryResult>> three =
        List.of(
            channel.deliver(message(1)), channel.deliver(message(1)), channel.deliver(message(1)));
    // a claimed batch is not composed at once: only the first slot is free
    assertThat(composed).hasValue(1);
    Future.all(three).await(30, TimeUnit.SECONDS);
    assertThat(three)
        .allSatisfy(r -> assertThat(r.result()).isInstanceOf(DeliveryResult.Delivered.class));
    assertThat(composed).hasValue(3);
    assertThat(smtp.getReceivedMessages()).hasSize(3);
    // two slots of 200 ms after the first
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(350));
  }

  @Test
  void aSourceThatThrowsMeansRetryLater() throws Exception {
    EmailChannel broken =
        channel(
            new EmailSource() {
              @Override
              public Future<Email> compose(OutboxMessage message) {
                throw new IllegalArgumentException("a bug in the source");
              }
            });
    assertThat(await(broken.deliver(message(1)))).isInstanceOf(DeliveryResult.RetryLater.class);
    assertThat(sent).hasValue(0);
  }

  @Test
  void emailsNeverPrintTheirText() {
    assertThat(EMAIL.toString()).doesNotContain("secret").doesNotContain("csct@");
  }
}
