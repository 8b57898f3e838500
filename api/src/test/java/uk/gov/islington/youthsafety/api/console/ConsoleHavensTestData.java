package uk.gov.islington.youthsafety.api.console;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.islington.youthsafety.api.havens.HavenFixtures.range;
import static uk.gov.islington.youthsafety.api.havens.HavenFixtures.weeklyHours;

import io.vertx.core.json.JsonObject;
import java.util.UUID;
import uk.gov.islington.youthsafety.api.testing.TestApp;

/** What the editors' console tests need from the public side of Safe Havens. */
final class ConsoleHavensTestData {

  private ConsoleHavensTestData() {}

  /** An application to join, sent as premises send it (applyToBeHaven); answers its id. */
  static String apply(TestApp app, String name) {
    JsonObject body =
        new JsonObject()
            .put("name", name)
            .put("address", "3 Essex Road, London")
            .put("postcode", "N1 2SF")
            .put("location", new JsonObject().put("lat", 51.5385).put("lon", -0.0990))
            .put("category", "shop")
            .put("openingHours", weeklyHours(range("SAT", "09:00", "17:00")))
            .put("contactName", "Robin Owner")
            .put("contactEmail", "robin.owner@example.org")
            .put("contactPhone", "07700 900456");
    var r =
        app.send(
            app.http()
                .post("/v1/haven-applications")
                .putHeader("Idempotency-Key", UUID.randomUUID().toString()),
            null,
            body);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
    return r.bodyAsJsonObject().getString("id");
  }
}
