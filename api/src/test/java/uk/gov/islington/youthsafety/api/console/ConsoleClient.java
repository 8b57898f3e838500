package uk.gov.islington.youthsafety.api.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import uk.gov.islington.youthsafety.api.testing.TestApp;
import uk.gov.islington.youthsafety.content.staff.Totp;

/**
 * A browser without JavaScript, for the console's HTTP-level tests: keeps the session cookie, sends
 * forms with the CSRF token of the last page it read and an Origin of the service itself, does not
 * follow redirects (tests look at them), and computes TOTP codes from the key shown at enrolment
 * with the service's clock.
 */
final class ConsoleClient {

  private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
  private static final Pattern KEY =
      Pattern.compile("<code class=\"ys-key\" id=\"totp-key\">([A-Z2-7 ]+)</code>");
  private static final Pattern CODE =
      Pattern.compile("<li><code>([a-z2-9]{5}-[a-z2-9]{5})</code></li>");

  final TestApp app;
  final Map<String, String> cookies = new LinkedHashMap<>();
  String csrf;
  String origin;
  byte[] secret;
  List<String> recoveryCodes = List.of();

  ConsoleClient(TestApp app) {
    this.app = app;
    this.origin = "http://localhost:" + app.app().port();
  }

  HttpResponse<Buffer> get(String uri) {
    HttpResponse<Buffer> r = send(app.http().get(uri).followRedirects(false), null);
    remember(r);
    return r;
  }

  /** POST a form; the CSRF token of the last page read is added unless the form names one. */
  HttpResponse<Buffer> post(String uri, Map<String, String> fields) {
    MultiMap form = MultiMap.caseInsensitiveMultiMap();
    if (!fields.containsKey("csrf") && csrf != null) {
      form.add("csrf", csrf);
    }
    fields.forEach(
        (k, v) -> {
          if (v != null) {
            form.add(k, v);
          }
        });
    HttpResponse<Buffer> r = send(app.http().post(uri).followRedirects(false), form);
    remember(r);
    return r;
  }

  /** POST a form whose names may repeat (checkboxes): name, value, name, value, ... */
  HttpResponse<Buffer> postPairs(String uri, String... pairs) {
    MultiMap form = MultiMap.caseInsensitiveMultiMap();
    if (csrf != null) {
      form.add("csrf", csrf);
    }
    for (int i = 0; i < pairs.length; i += 2) {
      form.add(pairs[i], pairs[i + 1]);
    }
    HttpResponse<Buffer> r = send(app.http().post(uri).followRedirects(false), form);
    remember(r);
    return r;
  }

  private HttpResponse<Buffer> send(HttpRequest<Buffer> request, MultiMap form) {
    if (!cookies.isEmpty()) {
      request.putHeader(
          "Cookie",
          String.join(
              "; ",
              cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()));
    }
    if (form != null && origin != null) {
      request.putHeader("Origin", origin);
    }
    return app.await(form == null ? request.send() : request.sendForm(form));
  }

  private void remember(HttpResponse<Buffer> r) {
    for (String set : r.cookies()) {
      String[] nameValue = set.split(";", 2)[0].split("=", 2);
      if (nameValue[1].isEmpty() || set.toLowerCase().contains("max-age=0")) {
        cookies.remove(nameValue[0]);
      } else {
        cookies.put(nameValue[0], nameValue[1]);
      }
    }
    String body = r.bodyAsString();
    if (body != null) {
      Matcher m = CSRF.matcher(body);
      if (m.find()) {
        csrf = m.group(1);
      }
    }
  }

  /** A new account with these roles (made through the JSON API), signed in to the console. */
  static ConsoleClient newStaff(TestApp app, String... roles) {
    return signedIn(app, app.newStaff(roles).getString("username"));
  }

  /** A new browser, signed in to the console as this account (with the staff password). */
  static ConsoleClient signedIn(TestApp app, String username) {
    ConsoleClient c = new ConsoleClient(app);
    c.signIn(username, TestApp.STAFF_PASSWORD);
    return c;
  }

  /**
   * The page of a form sent back with its mistakes: 400, "Error: " in its title and the error
   * summary; answers its HTML.
   */
  static String errorPage(HttpResponse<Buffer> r) {
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(400);
    String html = r.bodyAsString();
    assertThat(html).contains("<title>Error: ", "govuk-error-summary");
    return html;
  }

  /** The handle under which an admin sees this client's session. */
  static String handle(ConsoleClient c) {
    return uk.gov.islington.youthsafety.content.staff.StaffSessions.handleOf(
        c.cookies.get(ConsolePages.COOKIE));
  }

  /** The current TOTP code, one step later than any used before (each code is accepted once). */
  String nextCode() {
    app.clock.advance(Duration.ofSeconds(30));
    return Totp.code(secret, app.clock.instant());
  }

  /** Password, then enrolment (a first sign-in) or the code; ends signed in. */
  void signIn(String username, String password) {
    HttpResponse<Buffer> r =
        post(
            "/console/sign-in",
            Map.of("username", username, "password", password, "next", "/console"));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(303);
    String location = r.getHeader("Location");
    HttpResponse<Buffer> step = get(location);
    assertThat(step.statusCode()).as(step.bodyAsString()).isEqualTo(200);
    if (location.startsWith("/console/sign-in/enrol")) {
      Matcher key = KEY.matcher(step.bodyAsString());
      assertThat(key.find()).as("the key is shown as text").isTrue();
      secret = Totp.fromBase32(key.group(1));
      HttpResponse<Buffer> done =
          post("/console/sign-in/enrol", Map.of("code", nextCode(), "next", "/console"));
      assertThat(done.statusCode()).as(done.bodyAsString()).isEqualTo(200);
      List<String> codes = new ArrayList<>();
      Matcher m = CODE.matcher(done.bodyAsString());
      while (m.find()) {
        codes.add(m.group(1));
      }
      recoveryCodes = List.copyOf(codes);
    } else {
      assertThat(location).startsWith("/console/sign-in/code");
      HttpResponse<Buffer> done =
          post("/console/sign-in/code", Map.of("code", nextCode(), "next", "/console"));
      assertThat(done.statusCode()).as(done.bodyAsString()).isEqualTo(303);
    }
    HttpResponse<Buffer> home = get("/console");
    assertThat(home.statusCode()).as(home.bodyAsString()).isEqualTo(200);
  }
}
