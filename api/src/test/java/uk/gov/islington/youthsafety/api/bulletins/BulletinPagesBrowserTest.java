package uk.gov.islington.youthsafety.api.bulletins;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.islington.youthsafety.api.bulletins.EmailSubscribers.link;
import static uk.gov.islington.youthsafety.api.bulletins.EmailSubscribers.text;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import uk.gov.islington.youthsafety.api.console.ConsoleBrowser;
import uk.gov.islington.youthsafety.api.testing.TestApp;
import uk.gov.islington.youthsafety.testing.ScriptedSmtp;

/**
 * The public pages in a real browser (Debian chromium, headless, the console's set-up) at a phone's
 * width, with axe-core finding no WCAG 2.2 A/AA violation on any page or error state: the archive
 * and a bulletin, then a parent's sign-up from the form to the confirmation, their preferences and
 * their unsubscribing, all without JavaScript of ours.
 */
class BulletinPagesBrowserTest {

  static ScriptedSmtp smtp;
  static TestApp app;
  static EmailSubscribers subscribers;

  @BeforeAll
  static void start() throws Exception {
    smtp = new ScriptedSmtp();
    Map<String, String> env = new java.util.HashMap<>(EmailSubscribers.settings(smtp));
    app = TestApp.start(env);
    subscribers = new EmailSubscribers(app, smtp);
    BulletinApi api = new BulletinApi(app);
    api.sendAndWait(
        api.createDraft(
            BulletinApi.draft("Knife crime: what parents can do")
                .put(
                    "body",
                    "Talk to your child about carrying knives.\n\nThe Lift youth hub runs free sessions every Thursday.")
                .put("urgent", true)));
    api.sendAndWait(api.createDraft(BulletinApi.draft("Half-term activities")));
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
    smtp.close();
  }

  @Test
  void aParentReadsTheArchiveAndSubscribesConfirmsChangesAndLeavesOnAPhone() throws Exception {
    try (ConsoleBrowser b = new ConsoleBrowser(app.app().port())) {
      b.phoneWidth();
      b.open("/bulletins");
      b.waitForPage("/bulletins");
      assertThat(b.find(By.tagName("h1")).getText()).isEqualTo("Youth Safety Bulletin");
      b.assertAccessible("archive");
      b.find(By.linkText("Urgent: Knife crime: what parents can do")).click();
      b.waitForPage("/bulletins/bul_");
      assertThat(b.find(By.tagName("h1")).getText()).isEqualTo("Knife crime: what parents can do");
      b.assertAccessible("a bulletin");
      noSidewaysScrolling(b, "a bulletin");

      // sign up: first with mistakes, then properly
      b.find(By.linkText("Get the Youth Safety Bulletin by e-mail")).click();
      b.waitForPage("/bulletins/subscribe");
      b.assertAccessible("sign-up");
      noSidewaysScrolling(b, "sign-up");
      b.find(By.id("email")).sendKeys("not an address");
      b.find(By.cssSelector("form[action='/bulletins/subscribe'] button")).click();
      b.find(By.className("govuk-error-summary"));
      assertThat(b.driver.getTitle()).startsWith("Error: ");
      assertThat(b.find(By.className("govuk-error-summary")).getText())
          .contains(
              "Enter an e-mail address in the correct format", "Select who the bulletin is for");
      b.assertAccessible("sign-up with errors");
      b.find(By.id("email")).clear();
      b.find(By.id("email")).sendKeys("browser-parent@example.org");
      b.find(By.cssSelector("label[for='audiences']")).click();
      b.find(By.cssSelector("label[for='areas-highbury']")).click();
      b.find(By.cssSelector("form[action='/bulletins/subscribe'] button")).click();
      b.waitForPage("/bulletins/subscribe/check-your-email");
      b.assertAccessible("check your e-mail");

      // the link from the e-mail, and its button
      String confirm =
          link(text(subscribers.waitForOne("browser-parent@example.org", 1)), "/bulletins/confirm");
      b.open(confirm);
      b.waitForPage("/bulletins/confirm");
      b.assertAccessible("confirm");
      b.find(By.cssSelector("form button")).click();
      b.until("confirmed", d -> d.getPageSource().contains("You are subscribed"));
      b.assertAccessible("confirmed");
      b.open(confirm);
      b.until(
          "the used link is refused", d -> d.getPageSource().contains("This link does not work"));
      b.assertAccessible("used link");

      // a bulletin by e-mail, its preferences link, then unsubscribe
      BulletinApi api = new BulletinApi(app);
      api.sendAndWait(api.createDraft(BulletinApi.draft("Summer safety")));
      String mail = text(subscribers.waitForOne("browser-parent@example.org", 2));
      b.open(link(mail, "/bulletins/preferences"));
      b.waitForPage("/bulletins/preferences");
      assertThat(b.find(By.id("areas-highbury")).isSelected()).isTrue();
      b.assertAccessible("preferences");
      b.find(By.cssSelector("label[for='audiences']")).click(); // untick the only audience
      b.find(By.cssSelector("form button")).click();
      b.find(By.className("govuk-error-summary"));
      b.assertAccessible("preferences with errors");
      b.find(By.cssSelector("label[for='audiences-professionals']")).click();
      b.find(By.cssSelector("label[for='frequency-weekly']")).click();
      b.find(By.cssSelector("form button")).click();
      b.find(By.className("govuk-notification-banner"));
      b.assertAccessible("preferences saved");
      b.find(By.linkText("Unsubscribe and delete your e-mail address")).click();
      b.waitForPage("/bulletins/unsubscribe");
      b.assertAccessible("unsubscribe");
      b.find(By.cssSelector("form button")).click();
      b.until("unsubscribed", d -> d.getPageSource().contains("You are unsubscribed"));
      b.assertAccessible("unsubscribed");
      assertThat(app.sql("SELECT count(*) FROM content.email_subscribers").get(0).getLong(0))
          .isZero();

      b.open("/bulletins/no-such-page/here");
      b.until("not found", d -> d.getPageSource().contains("Page not found"));
      b.assertAccessible("not found");
    }
  }

  private static void noSidewaysScrolling(ConsoleBrowser b, String page) {
    Object overflow =
        b.driver.executeScript(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
    assertThat(((Number) overflow).intValue())
        .as(page + " scrolls sideways on a phone")
        .isLessThanOrEqualTo(0);
  }
}
