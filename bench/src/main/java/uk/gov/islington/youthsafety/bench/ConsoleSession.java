package uk.gov.islington.youthsafety.bench;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import uk.gov.islington.youthsafety.content.staff.Totp;

/**
 * One member of staff's session in the console, as a browser holds it: the session cookie and the
 * form token of the last page, and the sign-in that enrols the second factor.
 */
public final class ConsoleSession {

  private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
  private static final Pattern TOTP_KEY = Pattern.compile("id=\"totp-key\">([A-Z2-7 ]+)<");

  private final WebClient http;
  private final String origin;
  private final Clock clock;
  private String cookie;
  private String csrf;

  /**
   * A session on the service at this local port, through a client whose default host and port are
   * the service's; the one-time codes are for the service's clock.
   */
  public ConsoleSession(WebClient http, int port, Clock clock) {
    this.http = http;
    this.origin = "http://localhost:" + port;
    this.clock = clock;
  }

  /** Signs in with this password, then enrols an authenticator app with the key shown. */
  public void signIn(String username, String password) {
    HttpResponse<Buffer> r =
        form("/console/sign-in", Map.of("username", username, "password", password));
    HttpResponse<Buffer> enrol = get(r.getHeader("Location"));
    Matcher key = TOTP_KEY.matcher(enrol.bodyAsString());
    if (!key.find()) {
      throw new IllegalStateException("no enrolment key on the page");
    }
    byte[] secret = Totp.fromBase32(key.group(1));
    form("/console/sign-in/enrol", Map.of("code", Totp.code(secret, clock.instant())));
  }

  /** The session cookie ({@code name=value}), for requests the bench sends itself. */
  public String cookie() {
    return cookie;
  }

  public HttpResponse<Buffer> get(String uri) {
    return remember(
        await(http.get(uri).followRedirects(false).putHeader("Cookie", orEmpty(cookie)).send()));
  }

  /** Posts a form from the console's own origin, with the form token of the last page. */
  public HttpResponse<Buffer> form(String uri, Map<String, String> fields) {
    MultiMap f = MultiMap.caseInsensitiveMultiMap();
    fields.forEach(f::add);
    if (csrf != null) {
      f.add("csrf", csrf);
    }
    return remember(
        await(
            http.post(uri)
                .followRedirects(false)
                .putHeader("Origin", origin)
                .putHeader("Cookie", orEmpty(cookie))
                .sendForm(f)));
  }

  private HttpResponse<Buffer> remember(HttpResponse<Buffer> r) {
    for (String c : r.cookies()) {
      cookie = c.split(";", 2)[0];
    }
    Matcher m = CSRF.matcher(orEmpty(r.bodyAsString()));
    if (m.find()) {
      csrf = m.group(1);
    }
    return r;
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }

  private static <T> T await(Future<T> f) {
    try {
      return f.await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
