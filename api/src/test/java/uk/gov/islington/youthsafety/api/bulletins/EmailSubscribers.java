package uk.gov.islington.youthsafety.api.bulletins;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import uk.gov.islington.youthsafety.api.testing.TestApp;
import uk.gov.islington.youthsafety.testing.ScriptedSmtp;
import uk.gov.islington.youthsafety.testing.Waiting;

/** Signing up by e-mail through HTTP, and reading what arrived at the local SMTP server. */
public final class EmailSubscribers {

  static final String BASE = "https://youth-safety.example.test";

  private final Supplier<TestApp> app;
  private final Supplier<ScriptedSmtp> smtp;

  EmailSubscribers(TestApp app, ScriptedSmtp smtp) {
    this(() -> app, () -> smtp);
  }

  /**
   * On whatever service and server {@code app} and {@code smtp} answer at each call (e.g. static
   * fields @WithTestApp sets).
   */
  EmailSubscribers(Supplier<TestApp> app, Supplier<ScriptedSmtp> smtp) {
    this.app = app;
    this.smtp = smtp;
  }

  /**
   * Settings that send bulletin e-mail through this server, retrying quickly, with links under
   * {@link #BASE}.
   */
  public static Map<String, String> settings(ScriptedSmtp smtp) {
    Map<String, String> env = new HashMap<>();
    env.put("SMTP_HOST", "127.0.0.1");
    env.put("SMTP_PORT", Integer.toString(smtp.port()));
    env.put("SMTP_STARTTLS", "disabled");
    env.put("SMTP_CONNECT_TIMEOUT", "2s");
    env.put("PUBLIC_BASE_URL", BASE);
    env.put("BULLETIN_EMAIL_FROM", "bulletin@example.test");
    env.put("BULLETIN_EMAIL_RETRY_INITIAL", "200ms");
    env.put("BULLETIN_EMAIL_RETRY_MAX", "1s");
    env.put("BULLETIN_EMAIL_PER_SECOND", "1000");
    env.put("BULLETIN_SIGNUP_RATE_CAPACITY", "1000");
    return env;
  }

  /** A fresh address on a reserved domain. */
  static String address(String tag) {
    return tag + "-" + java.util.UUID.randomUUID().toString().substring(0, 8) + "@example.org";
  }

  /** The body of a sign-up of this address to these audiences, for a test to add to. */
  static JsonObject signUpBody(String email, String... audiences) {
    return new JsonObject()
        .put("email", email)
        .put("audiences", new JsonArray(List.of((Object[]) audiences)));
  }

  HttpResponse<Buffer> signUp(String email, String... audiences) {
    return signUp(signUpBody(email, audiences));
  }

  HttpResponse<Buffer> signUp(JsonObject body) {
    return app.get().post("/v1/email-subscriptions", null, body);
  }

  /** The messages accepted for one recipient, parsed. */
  List<MimeMessage> to(String address) {
    return smtp.get().accepted().stream()
        .filter(m -> m.recipients().contains(address.toLowerCase(java.util.Locale.ROOT)))
        .map(m -> parse(m.raw()))
        .toList();
  }

  MimeMessage waitForOne(String address, int nth) {
    Waiting.until("e-mail " + nth + " to " + address, () -> to(address).size() >= nth);
    return to(address).get(nth - 1);
  }

  /**
   * Signs up and confirms through the e-mailed link and the confirmation page; answers the
   * address's e-mails so far.
   */
  MimeMessage subscribeConfirmed(String address, String... audiences) {
    int before = to(address).size();
    assertThat(signUp(address, audiences).statusCode()).isEqualTo(202);
    MimeMessage confirmation = waitForOne(address, before + 1);
    String link = link(text(confirmation), "/bulletins/confirm");
    HttpResponse<Buffer> done = postPage(link, MultiMap.caseInsensitiveMultiMap());
    assertThat(done.statusCode()).as(done.bodyAsString()).isEqualTo(200);
    assertThat(done.bodyAsString()).contains("You are subscribed");
    return confirmation;
  }

  HttpResponse<Buffer> getPage(String pathAndQuery) {
    return app.get().await(app.get().http().get(pathAndQuery).send());
  }

  HttpResponse<Buffer> postPage(String pathAndQuery, MultiMap form) {
    TestApp service = app.get();
    return service.await(service.http().post(pathAndQuery).followRedirects(false).sendForm(form));
  }

  /** The subscriber id in a link of ours. */
  /** How often PostgreSQL has analyzed the outbox (the planner's count of pending messages). */
  long outboxAnalyzed() {
    return app.get()
        .sql("SELECT pg_stat_get_analyze_count('notifications.outbox'::regclass)")
        .get(0)
        .getLong(0);
  }

  static String subscriberId(String pathAndQuery) {
    return pathAndQuery.replaceAll(".*[?&]s=([^&]+).*", "$1");
  }

  /** The subscriber id behind a confirmation e-mail. */
  static String subscriberId(MimeMessage confirmation) {
    return subscriberId(link(text(confirmation), "/bulletins/confirm"));
  }

  /** The path and query of the first link in the text that starts with {@code BASE + path}. */
  static String link(String text, String path) {
    Matcher m = Pattern.compile(Pattern.quote(BASE + path) + "\\?[^\\s\"<>]+").matcher(text);
    assertThat(m.find()).as("a link to " + path + " in:\n" + text).isTrue();
    return m.group().substring(BASE.length());
  }

  static MimeMessage parse(String raw) {
    try {
      return new MimeMessage(
          Session.getInstance(new Properties()),
          new ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** The text/plain part (or the whole body when it is not multipart). */
  static String text(MimeMessage m) {
    return part(m, "text/plain");
  }

  static String html(MimeMessage m) {
    return part(m, "text/html");
  }

  static String part(MimeMessage m, String type) {
    try {
      Object content = m.getContent();
      if (content instanceof String s) {
        return m.isMimeType(type) ? s : null;
      }
      return find((Multipart) content, type);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static String find(Multipart multipart, String type) throws Exception {
    for (int i = 0; i < multipart.getCount(); i++) {
      BodyPart p = multipart.getBodyPart(i);
      if (p.isMimeType(type)) {
        return p.getContent().toString();
      }
      if (p.getContent() instanceof Multipart inner) {
        String found = find(inner, type);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  static String header(MimeMessage m, String name) {
    try {
      String[] values = m.getHeader(name);
      return values == null ? null : values[0];
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
