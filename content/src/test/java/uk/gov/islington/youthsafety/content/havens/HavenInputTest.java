package uk.gov.islington.youthsafety.content.havens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import uk.gov.islington.youthsafety.content.common.InvalidInput;

/** The rules a schema cannot express: postcodes, the service area, hours that make sense. */
class HavenInputTest {

  static final LocalDate TODAY = LocalDate.parse("2026-06-10");

  static JsonObject valid() {
    return new JsonObject()
        .put("name", "Corner Shop")
        .put("address", "1 Upper Street, London")
        .put("postcode", "n1 0pn")
        .put("location", new JsonObject().put("lat", 51.5380).put("lon", -0.1030))
        .put("category", "shop")
        .put("facilities", new JsonArray().add("toilet").add("bleed_kit"))
        .put("phone", "020 7527 2000")
        .put(
            "openingHours",
            new JsonObject()
                .put(
                    "weekly",
                    new JsonArray()
                        .add(range("MON", "09:00", "17:00"))
                        .add(range("FRI", "22:00", "03:00")))
                .put(
                    "exceptions",
                    new JsonArray()
                        .add(new JsonObject().put("date", "2026-12-25").put("closed", true))));
  }

  static JsonObject range(String day, String opens, String closes) {
    return new JsonObject().put("day", day).put("opens", opens).put("closes", closes);
  }

  static List<InvalidInput.FieldError> errors(Consumer<JsonObject> change) {
    JsonObject body = valid();
    change.accept(body);
    InvalidInput e = catchThrowableOfType(InvalidInput.class, () -> HavenInput.haven(body, TODAY));
    assertThat(e).as("expected a validation failure").isNotNull();
    return e.errors();
  }

  static void assertField(Consumer<JsonObject> change, String field) {
    assertThat(errors(change)).extracting(InvalidInput.FieldError::field).contains(field);
  }

  static JsonArray weekly(JsonObject body) {
    return body.getJsonObject("openingHours").getJsonArray("weekly");
  }

  static JsonArray exceptions(JsonObject body) {
    return body.getJsonObject("openingHours").getJsonArray("exceptions");
  }

  @Test
  void validBodyIsNormalised() {
    HavenInput.Draft d = HavenInput.haven(valid(), TODAY);
    assertThat(d.postcode()).isEqualTo("N1 0PN");
    assertThat(d.facilities()).containsExactly("bleed_kit", "toilet");
    assertThat(d.lastVerifiedOn()).isEqualTo(TODAY);
    assertThat(d.hours().weekly()).hasSize(2);
    assertThat(d.hours().exceptions()).hasSize(1);
  }

  @Test
  void postcodes() {
    for (String ok :
        List.of(
            "N1 1XR",
            "n7 8ab",
            "EC1V 4PW",
            "N19 5QT",
            "WC1X 8AA",
            "N1C 4AG",
            "SW1A 1AA",
            "GIR 0AA")) {
      JsonObject b = valid().put("postcode", ok);
      assertThat(HavenInput.haven(b, TODAY).postcode())
          .as(ok)
          .isEqualTo(ok.toUpperCase().replaceAll("\\s+", " "));
    }
    for (String bad : List.of("N1", "12345", "Q1 1AA", "N1 1CX", "NN1 ABC", "N1 1X")) {
      assertField(b -> b.put("postcode", bad), "postcode");
    }
  }

  @Test
  void overlappingWeeklyRangesAreRefused() {
    assertField(b -> weekly(b).add(range("MON", "16:00", "18:00")), "openingHours.weekly[2]");
    // Friday 22:00-03:00 runs into Saturday 02:00
    assertField(b -> weekly(b).add(range("SAT", "02:00", "05:00")), "openingHours.weekly[2]");
    // Sunday night wraps into Monday morning
    assertField(b -> weekly(b).add(range("SUN", "23:00", "10:00")), "openingHours.weekly[2]");
    // touching is fine
    JsonObject touching = valid();
    weekly(touching).add(range("MON", "17:00", "19:00")).add(range("SAT", "03:00", "05:00"));
    assertThat(HavenInput.haven(touching, TODAY).hours().weekly()).hasSize(4);
  }

  @Test
  void timesMustBeWellFormed() {
    assertField(
        b -> weekly(b).getJsonObject(0).put("opens", "24:00"), "openingHours.weekly[0].opens");
    assertField(
        b -> weekly(b).getJsonObject(0).put("opens", "9:00"), "openingHours.weekly[0].opens");
    assertField(
        b -> weekly(b).getJsonObject(0).put("closes", "24:30"), "openingHours.weekly[0].closes");
    assertField(
        b -> weekly(b).getJsonObject(0).put("closes", "09:00"), "openingHours.weekly[0].closes");
    assertField(b -> weekly(b).getJsonObject(0).put("day", "MONDAY"), "openingHours.weekly[0].day");
    assertField(b -> weekly(b).getJsonObject(0).remove("closes"), "openingHours.weekly[0].closes");
    assertField(b -> weekly(b).clear(), "openingHours.weekly");
    assertField(b -> b.remove("openingHours"), "openingHours");
    // all day is 00:00-24:00, not 00:00-00:00
    assertField(
        b -> weekly(b).getJsonObject(0).put("opens", "00:00").put("closes", "00:00"),
        "openingHours.weekly[0].closes");
    JsonObject allDay = valid();
    weekly(allDay).getJsonObject(0).put("opens", "00:00").put("closes", "24:00");
    assertThat(HavenInput.haven(allDay, TODAY).hours().weekly().get(0).range().end())
        .isEqualTo(1440);
  }

  @Test
  void exceptionsMustBeConsistent() {
    assertField(
        b -> exceptions(b).getJsonObject(0).put("opens", "10:00"),
        "openingHours.exceptions[0].opens");
    assertField(
        b -> exceptions(b).add(new JsonObject().put("date", "2026-12-24")),
        "openingHours.exceptions[1].opens");
    assertField(
        b ->
            exceptions(b)
                .add(
                    new JsonObject()
                        .put("date", "2026-12-25")
                        .put("opens", "10:00")
                        .put("closes", "12:00")),
        "openingHours.exceptions[1]");
    assertField(
        b ->
            exceptions(b)
                .add(
                    new JsonObject()
                        .put("date", "2026-12-24")
                        .put("opens", "10:00")
                        .put("closes", "14:00"))
                .add(
                    new JsonObject()
                        .put("date", "2026-12-24")
                        .put("opens", "13:00")
                        .put("closes", "15:00")),
        "openingHours.exceptions[2]");
    assertField(
        b -> exceptions(b).getJsonObject(0).put("date", "25/12/2026"),
        "openingHours.exceptions[0].date");
    assertField(
        b -> exceptions(b).getJsonObject(0).put("date", "2030-01-01"),
        "openingHours.exceptions[0].date");
    assertField(
        b -> exceptions(b).getJsonObject(0).remove("date"), "openingHours.exceptions[0].date");
  }

  @Test
  void temporaryClosureNeedsAReasonAndOrderedDates() {
    assertField(
        b -> b.put("temporaryClosure", new JsonObject().put("from", "2026-06-01")),
        "temporaryClosure.reason");
    assertField(
        b ->
            b.put(
                "temporaryClosure",
                new JsonObject()
                    .put("reason", "works")
                    .put("from", "2026-06-10")
                    .put("until", "2026-06-01")),
        "temporaryClosure.until");
    HavenInput.Draft d =
        HavenInput.haven(
            valid()
                .put(
                    "temporaryClosure",
                    new JsonObject().put("reason", "Refurbishment").put("until", "2026-06-20")),
            TODAY);
    assertThat(d.hours().closure().until()).isEqualTo(LocalDate.parse("2026-06-20"));
  }

  @Test
  void otherFields() {
    assertField(b -> b.put("name", " "), "name");
    assertField(b -> b.put("name", "x".repeat(121)), "name");
    assertField(b -> b.put("address", "1"), "address");
    assertField(b -> b.put("category", "nightclub"), "category");
    assertField(b -> b.getJsonArray("facilities").add("swimming_pool"), "facilities[2]");
    assertField(b -> b.getJsonArray("facilities").add("toilet"), "facilities[2]");
    assertField(b -> b.put("phone", "999"), "phone");
    assertField(b -> b.put("notes", "x".repeat(501)), "notes");
    assertField(b -> b.getJsonObject("location").put("lat", 91), "location.lat");
    assertField(b -> b.getJsonObject("location").remove("lon"), "location.lon");
    assertField(b -> b.put("lastVerifiedOn", "2026-06-11"), "lastVerifiedOn");
    assertField(b -> b.put("name", "bad\u0000name"), "name");
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    List<InvalidInput.FieldError> all =
        errors(b -> b.put("name", "").put("postcode", "nope").put("category", "x"));
    assertThat(all)
        .extracting(InvalidInput.FieldError::field)
        .containsExactly("name", "postcode", "category");
  }

  @Test
  void applicationsMustBeInsideTheServiceAreaAndNameAContact() {
    ServiceArea area = ServiceArea.islington();
    JsonObject app =
        valid()
            .put("contactName", "Sam Owner")
            .put("contactEmail", "Sam@Example.org")
            .put("contactPhone", "07700 900123");
    HavenInput.ApplicationDraft ok = HavenInput.application(app, TODAY, area);
    assertThat(ok.contactEmail()).isEqualTo("sam@example.org");

    JsonObject outside =
        app.copy().put("location", new JsonObject().put("lat", 51.5390).put("lon", -0.1426));
    InvalidInput e =
        catchThrowableOfType(
            InvalidInput.class, () -> HavenInput.application(outside, TODAY, area));
    assertThat(e.errors()).extracting(InvalidInput.FieldError::field).containsExactly("location");

    JsonObject noContact = valid().put("contactEmail", "not-an-email").put("contactPhone", "12");
    e =
        catchThrowableOfType(
            InvalidInput.class, () -> HavenInput.application(noContact, TODAY, area));
    assertThat(e.errors())
        .extracting(InvalidInput.FieldError::field)
        .containsExactly("contactName", "contactEmail", "contactPhone");

    JsonObject closure = app.copy().put("temporaryClosure", new JsonObject().put("reason", "x"));
    e =
        catchThrowableOfType(
            InvalidInput.class, () -> HavenInput.application(closure, TODAY, area));
    assertThat(e.errors())
        .extracting(InvalidInput.FieldError::field)
        .containsExactly("temporaryClosure");
  }
}
