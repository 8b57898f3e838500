package uk.gov.islington.youthsafety.api.bulletins;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.islington.youthsafety.api.bulletins.EmailSubscribers.address;
import static uk.gov.islington.youthsafety.api.bulletins.EmailSubscribers.link;
import static uk.gov.islington.youthsafety.api.bulletins.EmailSubscribers.subscriberId;
import static uk.gov.islington.youthsafety.api.bulletins.EmailSubscribers.text;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Row;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import uk.gov.islington.youthsafety.api.App;
import uk.gov.islington.youthsafety.api.testing.TestApp;
import uk.gov.islington.youthsafety.content.reports.ReportKeys;
import uk.gov.islington.youthsafety.testing.ScriptedSmtp;

/**
 * E-mail subscribers across a rotation of the report pepper and text key, as docs/operations.md
 * tells operators to do it: a second sign-up still finds the address (one row, no new e-mail),
 * links in e-mails sent before keep working until their pepper is removed, and the start-up step
 * leaves no row under the old pepper or key, harmlessly when run again or on two instances at once.
 */
class EmailKeyRotationTest {

  private ScriptedSmtp smtp;
  private TestApp app;
  private EmailSubscribers subscribers;

  @BeforeEach
  void start() throws Exception {
    smtp = new ScriptedSmtp();
    app = TestApp.start(EmailSubscribers.settings(smtp));
    subscribers = new EmailSubscribers(() -> app, () -> smtp);
  }

  @AfterEach
  void stop() throws Exception {
    app.close();
    smtp.close();
  }

  /** The key file's settings with p2 and k2 added and made current; the old ones kept. */
  private Map<String, String> rotated() throws Exception {
    Map<String, String> keys =
        ReportKeys.readFile(app.dataDir().resolve("keys/report-keys.properties"));
    Map<String, String> env = new HashMap<>(EmailSubscribers.settings(smtp));
    env.put(ReportKeys.PEPPERS, keys.get(ReportKeys.PEPPERS) + "," + ReportKeys.newEntry("p2", 32));
    env.put(ReportKeys.PEPPER_ID, "p2");
    env.put(ReportKeys.KEYS, keys.get(ReportKeys.KEYS) + "," + ReportKeys.newEntry("k2", 32));
    env.put(ReportKeys.KEY_ID, "k2");
    return env;
  }

  private String oldPepperId() throws Exception {
    return ReportKeys.readFile(app.dataDir().resolve("keys/report-keys.properties"))
        .get(ReportKeys.PEPPER_ID);
  }

  private Row row(String id) {
    List<Row> rows =
        app.sql(
            "SELECT address_hash, address_pepper_id, address_key_id, address_sealed"
                + " FROM content.email_subscribers WHERE id = $1",
            id);
    assertThat(rows).as("subscriber " + id).hasSize(1);
    return rows.get(0);
  }

  private long rows() {
    return app.sql("SELECT count(*) FROM content.email_subscribers").get(0).getLong(0);
  }

  private long notUnder(String pepperId, String keyId) {
    return app.sql(
            "SELECT count(*) FROM content.email_subscribers"
                + " WHERE address_pepper_id IS DISTINCT FROM $1 OR address_key_id <> $2",
            pepperId,
            keyId)
        .get(0)
        .getLong(0);
  }

  /** A confirmed subscriber's reminder, sent an hour after confirming: its manage links. */
  private String reminderText(String address) {
    int before = subscribers.to(address).size();
    app.clock.advance(Duration.ofMinutes(61));
    assertThat(subscribers.signUp(address, "parents").statusCode()).isEqualTo(202);
    return text(subscribers.waitForOne(address, before + 1));
  }

  private HttpResponse<Buffer> oneClick(String unsubscribe) {
    return app.await(
        app.http()
            .post(unsubscribe)
            .putHeader("Content-Type", "application/x-www-form-urlencoded")
            .sendBuffer(Buffer.buffer("List-Unsubscribe=One-Click")));
  }

  @Test
  void afterARotationASecondSignUpFindsTheAddressAndLinksSentBeforeStillWork() throws Exception {
    String address = address("rotated");
    String id = subscriberId(subscribers.subscribeConfirmed(address, "parents"));
    String before = reminderText(address);
    Buffer oldHash = row(id).getBuffer("address_hash");
    String p1 = oldPepperId();
    assertThat(row(id).getString("address_pepper_id")).isEqualTo(p1);

    app = app.restart(rotated());
    Buffer newHash = row(id).getBuffer("address_hash");
    assertThat(newHash).isNotEqualTo(oldHash);
    assertThat(row(id).getString("address_pepper_id")).isEqualTo("p2");
    assertThat(row(id).getString("address_key_id")).isEqualTo("k2");

    // a row the start-up step has not reached (say, written by an instance not yet redeployed):
    // the sign-up finds it under the old pepper and brings it up to date itself
    app.sql(
        "UPDATE content.email_subscribers SET address_hash = $2, address_pepper_id = $3 WHERE id = $1",
        id,
        oldHash,
        p1);
    int emails = subscribers.to(address).size();
    assertThat(subscribers.signUp(address, "parents").statusCode()).isEqualTo(202);
    assertThat(rows()).isOne();
    assertThat(row(id).getBuffer("address_hash")).isEqualTo(newHash);
    assertThat(row(id).getString("address_pepper_id")).isEqualTo("p2");
    // within the hour of the reminder: nothing more is sent, as before the rotation
    Thread.sleep(300);
    app.await(app.app().dispatcher().runOnce());
    assertThat(subscribers.to(address)).hasSize(emails);

    // the links of the e-mail sent before the rotation: preferences, then the one-click POST
    String preferences = link(before, "/bulletins/preferences");
    assertThat(subscribers.getPage(preferences).statusCode()).isEqualTo(200);
    String unsubscribe = link(before, "/bulletins/unsubscribe");
    assertThat(oneClick(unsubscribe).statusCode()).isEqualTo(200);
    assertThat(rows()).isZero();
  }

  @Test
  void twoSignUpsAtOnceOfAnAddressUnderTheOldPepperLeaveOneRow() throws Exception {
    String address = address("race");
    String id = subscriberId(subscribers.subscribeConfirmed(address, "parents"));
    Buffer oldHash = row(id).getBuffer("address_hash");
    String p1 = oldPepperId();
    app = app.restart(rotated());
    app.sql(
        "UPDATE content.email_subscribers SET address_hash = $2, address_pepper_id = $3 WHERE id = $1",
        id,
        oldHash,
        p1);
    app.clock.advance(Duration.ofMinutes(61));

    List<CompletableFuture<Integer>> signUps =
        List.of(1, 2, 3, 4).stream()
            .map(
                i ->
                    CompletableFuture.supplyAsync(
                        () -> subscribers.signUp(address, "parents").statusCode()))
            .toList();
    for (CompletableFuture<Integer> s : signUps) {
      assertThat(s.get()).isEqualTo(202);
    }
    assertThat(rows()).isOne();
    assertThat(row(id).getString("address_pepper_id")).isEqualTo("p2");
    // one reminder, not four
    subscribers.waitForOne(address, 2);
    Thread.sleep(300);
    app.await(app.app().dispatcher().runOnce());
    assertThat(subscribers.to(address)).hasSize(2);
  }

  @Test
  void aSecondRowOfAnAddressFromAnInstanceOnTheOldPepperIsMergedIntoTheConfirmedOne()
      throws Exception {
    String bySignUp = address("merged-by-sign-up");
    String byStart = address("merged-at-start");
    String keptA = subscriberId(subscribers.subscribeConfirmed(bySignUp, "parents"));
    String keptB = subscriberId(subscribers.subscribeConfirmed(byStart, "parents"));
    Map<String, String> rotated = rotated();
    app = app.restart(rotated);

    // during a deploy, an instance still on the old configuration does not know p2: it does not
    // find the rows and makes a second one for each address
    App old = app.startServingInstance(EmailSubscribers.settings(smtp));
    try {
      for (String a : List.of(bySignUp, byStart)) {
        assertThat(
                app.await(
                        app.http()
                            .post(old.port(), "localhost", "/v1/email-subscriptions")
                            .sendJsonObject(EmailSubscribers.signUpBody(a, "professionals")))
                    .statusCode())
            .isEqualTo(202);
      }
    } finally {
      old.close();
    }
    assertThat(rows()).isEqualTo(4);

    // a sign-up on a new instance finds both rows and keeps the confirmed one
    app.clock.advance(Duration.ofMinutes(61));
    assertThat(subscribers.signUp(bySignUp, "parents").statusCode()).isEqualTo(202);
    assertThat(rows()).isEqualTo(3);
    assertThat(row(keptA).getString("address_pepper_id")).isEqualTo("p2");

    // the start-up step finds the other (its new hash is taken) and does the same
    app = app.restart(rotated);
    assertThat(rows()).isEqualTo(2);
    assertThat(row(keptB).getString("address_pepper_id")).isEqualTo("p2");
    assertThat(notUnder("p2", "k2")).isZero();
  }

  @Test
  void aLinkUnderAPepperNoLongerConfiguredIsRefused() throws Exception {
    String address = address("removed");
    subscribers.subscribeConfirmed(address, "parents");
    String underP1 = reminderText(address);
    Map<String, String> rotated = rotated();
    app = app.restart(rotated);
    String underP2 = reminderText(address);
    String p1Preferences = link(underP1, "/bulletins/preferences");
    String p2Preferences = link(underP2, "/bulletins/preferences");
    assertThat(p2Preferences).isNotEqualTo(p1Preferences);
    assertThat(subscribers.getPage(p1Preferences).statusCode()).isEqualTo(200);

    // the old pepper removed: its links stop working, the new ones do not
    Map<String, String> without = new HashMap<>(rotated);
    String peppers = without.get(ReportKeys.PEPPERS);
    without.put(ReportKeys.PEPPERS, peppers.substring(peppers.indexOf(",p2=") + 1));
    app = app.restart(without);
    assertThat(subscribers.getPage(p1Preferences).statusCode()).isEqualTo(404);
    assertThat(
            subscribers
                .postPage(
                    link(underP1, "/bulletins/unsubscribe"), MultiMap.caseInsensitiveMultiMap())
                .statusCode())
        .isEqualTo(200); // answers as a repeat would ...
    assertThat(rows()).isOne(); // ... and deletes nothing
    assertThat(subscribers.getPage(p2Preferences).statusCode()).isEqualTo(200);
    String forged = p2Preferences.substring(0, p2Preferences.length() - 1) + "A";
    if (forged.equals(p2Preferences)) {
      forged = p2Preferences.substring(0, p2Preferences.length() - 1) + "B";
    }
    assertThat(subscribers.getPage(forged).statusCode()).isEqualTo(404);
  }

  @Test
  void theStartStepLeavesNoRowUnderTheOldPepperOrKeyAndIsHarmlessTwiceAndOnTwoInstances()
      throws Exception {
    for (int i = 0; i < 3; i++) {
      subscribers.subscribeConfirmed(address("many"), "parents");
    }
    String unconfirmed = address("unconfirmed");
    subscribers.signUp(unconfirmed, "parents");
    subscribers.waitForOne(unconfirmed, 1);
    // a row from before pepper ids were recorded
    app.sql(
        "UPDATE content.email_subscribers SET address_pepper_id = NULL"
            + " WHERE id = (SELECT min(id) FROM content.email_subscribers)");
    List<Row> old =
        app.sql(
            "SELECT id, address_hash, address_pepper_id, address_key_id, address_sealed"
                + " FROM content.email_subscribers");
    assertThat(old).hasSize(4);

    Map<String, String> rotated = rotated();
    app = app.restart(rotated);
    assertThat(rows()).isEqualTo(4);
    assertThat(notUnder("p2", "k2")).isZero();
    List<String> after = subscriberRows();
    Map<String, Buffer> hashesAfter = hashes();

    // again: nothing changes
    app = app.restart(rotated);
    assertThat(subscriberRows()).isEqualTo(after);

    // the rows as they were before the rotation, then two more instances starting at once
    for (Row r : old) {
      app.sql(
          "UPDATE content.email_subscribers SET address_hash = $2, address_pepper_id = $3,"
              + " address_key_id = $4, address_sealed = $5 WHERE id = $1",
          r.getString(0),
          r.getBuffer(1),
          r.getString(2),
          r.getString(3),
          r.getBuffer(4));
    }
    assertThat(notUnder("p2", "k2")).isEqualTo(4);
    List<CompletableFuture<App>> starting =
        List.of(1, 2).stream()
            .map(
                i ->
                    CompletableFuture.supplyAsync(
                        () -> {
                          try {
                            return app.startAnotherInstance(rotated);
                          } catch (Exception e) {
                            throw new IllegalStateException(e);
                          }
                        }))
            .toList();
    for (CompletableFuture<App> instance : starting) {
      instance.get().close();
    }
    assertThat(rows()).isEqualTo(4);
    assertThat(notUnder("p2", "k2")).isZero();
    // the same hashes as the first start made: HMAC of the address under p2
    assertThat(hashes()).isEqualTo(hashesAfter);
  }

  private List<String> subscriberRows() {
    return app.sql("SELECT s::text FROM content.email_subscribers s ORDER BY id").stream()
        .map(r -> r.getString(0))
        .toList();
  }

  private Map<String, Buffer> hashes() {
    Map<String, Buffer> out = new HashMap<>();
    app.sql("SELECT id, address_hash FROM content.email_subscribers")
        .forEach(r -> out.put(r.getString(0), r.getBuffer(1)));
    return out;
  }
}
