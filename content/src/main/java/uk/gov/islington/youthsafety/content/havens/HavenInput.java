package uk.gov.islington.youthsafety.content.havens;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import uk.gov.islington.youthsafety.content.common.InvalidInput;
import uk.gov.islington.youthsafety.content.common.LocationInput;
import uk.gov.islington.youthsafety.content.common.TextInput;
import uk.gov.islington.youthsafety.content.hours.HoursInput;
import uk.gov.islington.youthsafety.content.hours.OpeningHours;

/**
 * The rules for what a haven (or an application to become one) may say. Reads the JSON body the
 * contract already checked for shape and applies the rules a schema cannot express: UK postcode
 * format, the service area, hours as {@link HoursInput} checks them, dates in range. Every problem
 * is reported against the field it concerns (e.g. {@code openingHours.weekly[2].closes}) and all of
 * them at once.
 */
public final class HavenInput {

  /** UK postcode (outward + inward code), checked on the upper-cased value without spaces. */
  private static final Pattern POSTCODE =
      Pattern.compile(
          "^(GIR0AA|[A-PR-UWYZ](?:[0-9]{1,2}|[A-HK-Y][0-9]{1,2}|[0-9][A-HJKPSTUW]|[A-HK-Y][0-9][ABEHMNPRVWXY])"
              + "[0-9][ABD-HJLNP-UW-Z]{2})$");

  private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s.]{2,}$");
  private static final Pattern UK_PHONE = Pattern.compile("^(\\+44|0)[1-9][0-9]{8,9}$");

  /** A haven's fields as an editor (or an approved application) sets them. */
  public record Draft(
      String name,
      String address,
      String postcode,
      double lat,
      double lon,
      String category,
      List<String> facilities,
      String phone,
      String notes,
      OpeningHours hours,
      LocalDate lastVerifiedOn) {

    /** The same premises, checked on {@code day}. */
    public Draft verifiedOn(LocalDate day) {
      return new Draft(
          name, address, postcode, lat, lon, category, facilities, phone, notes, hours, day);
    }
  }

  /** An application: the premises as they describe themselves, and who to contact about it. */
  public record ApplicationDraft(
      Draft premises, String contactName, String contactEmail, String contactPhone) {}

  private HavenInput() {}

  /** A haven as created or, after merging a patch, updated by an editor. */
  public static Draft haven(JsonObject body, LocalDate today) {
    InvalidInput.Builder errors = InvalidInput.builder();
    Draft draft = premises(body, today, errors, null, true);
    errors.throwIfAny();
    return draft;
  }

  /**
   * An application from premises: the haven fields, inside the service area, plus contact details.
   */
  public static ApplicationDraft application(JsonObject body, LocalDate today, ServiceArea area) {
    InvalidInput.Builder errors = InvalidInput.builder();
    Draft premises = premises(body, today, errors, area, false);
    String contactName = text(body, "contactName", 2, 100, true, errors);
    String email = text(body, "contactEmail", 3, 254, true, errors);
    if (email != null && !EMAIL.matcher(email).matches()) {
      errors.add("contactEmail", "is not an e-mail address");
    }
    String phone = phone(body, "contactPhone", true, errors);
    errors.throwIfAny();
    return new ApplicationDraft(
        premises, contactName, email == null ? null : email.toLowerCase(Locale.ROOT), phone);
  }

  private static Draft premises(
      JsonObject body,
      LocalDate today,
      InvalidInput.Builder errors,
      ServiceArea area,
      boolean editor) {
    String name = text(body, "name", 2, 120, true, errors);
    String address = text(body, "address", 5, 200, true, errors);
    String postcode = postcode(body, errors);
    double[] location = location(body, errors, area);
    String category = oneOf(body, "category", Haven.CATEGORIES, errors);
    List<String> facilities = facilities(body, errors);
    String phone = phone(body, "phone", false, errors);
    String notes = text(body, "notes", 0, 500, false, errors);
    OpeningHours.Closure closure =
        editor
            ? HoursInput.closure(
                body.getValue("temporaryClosure"), "temporaryClosure", today, errors)
            : null;
    OpeningHours hours =
        HoursInput.hours(
            body.getValue("openingHours"),
            "openingHours",
            closure,
            today,
            "must have at least one range (use temporaryClosure for a closure)",
            errors);
    LocalDate verified = today;
    if (editor && body.getValue("lastVerifiedOn") != null) {
      verified = HoursInput.date(body.getValue("lastVerifiedOn"), "lastVerifiedOn", errors);
      if (verified != null && verified.isAfter(today)) {
        errors.add("lastVerifiedOn", "is in the future");
      }
    } else if (!editor && body.containsKey("lastVerifiedOn")) {
      errors.add("lastVerifiedOn", "is not a known field");
    }
    if (!editor && body.containsKey("temporaryClosure")) {
      errors.add("temporaryClosure", "is not a known field");
    }
    if (!errors.isEmpty()) {
      return null;
    }
    return new Draft(
        name,
        address,
        postcode,
        location[0],
        location[1],
        category,
        facilities,
        phone,
        notes == null || notes.isEmpty() ? null : notes,
        hours,
        verified);
  }

  // ---- fields

  private static String text(
      JsonObject body,
      String field,
      int min,
      int max,
      boolean required,
      InvalidInput.Builder errors) {
    return TextInput.read(body.getValue(field), field, min, max, required, false, errors);
  }

  private static String postcode(JsonObject body, InvalidInput.Builder errors) {
    String raw = text(body, "postcode", 5, 10, true, errors);
    if (raw == null) {
      return null;
    }
    String compact = raw.toUpperCase(Locale.ROOT).replace(" ", "");
    if (!POSTCODE.matcher(compact).matches()) {
      errors.add("postcode", "is not a UK postcode (e.g. N1 1XR)");
      return null;
    }
    return compact.substring(0, compact.length() - 3)
        + " "
        + compact.substring(compact.length() - 3);
  }

  private static double[] location(JsonObject body, InvalidInput.Builder errors, ServiceArea area) {
    Object v = body.getValue("location");
    if (!(v instanceof JsonObject loc)) {
      errors.add("location", v == null ? "is required" : "must be an object with lat and lon");
      return null;
    }
    double[] latLon = LocationInput.latLon(loc, "location", errors);
    if (latLon != null && area != null && !area.contains(latLon[0], latLon[1])) {
      errors.add("location", "is outside the area the scheme covers");
    }
    return latLon;
  }

  private static String oneOf(
      JsonObject body, String field, List<String> allowed, InvalidInput.Builder errors) {
    Object v = body.getValue(field);
    if (v == null) {
      errors.add(field, "is required");
      return null;
    }
    if (!(v instanceof String s) || !allowed.contains(s)) {
      errors.add(field, "must be one of " + String.join(", ", allowed));
      return null;
    }
    return s;
  }

  private static List<String> facilities(JsonObject body, InvalidInput.Builder errors) {
    Object v = body.getValue("facilities");
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof JsonArray list)) {
      errors.add("facilities", "must be a list");
      return List.of();
    }
    Set<String> out = new LinkedHashSet<>();
    for (int i = 0; i < list.size(); i++) {
      Object f = list.getValue(i);
      if (!(f instanceof String s) || !Haven.FACILITIES.contains(s)) {
        errors.add(
            "facilities[" + i + "]", "must be one of " + String.join(", ", Haven.FACILITIES));
      } else if (!out.add(s)) {
        errors.add("facilities[" + i + "]", "is listed twice");
      }
    }
    // a stable order, so that equal sets encode equally
    List<String> sorted = new ArrayList<>(out);
    sorted.sort(null);
    return List.copyOf(sorted);
  }

  private static String phone(
      JsonObject body, String field, boolean required, InvalidInput.Builder errors) {
    String raw = text(body, field, 1, 30, required, errors);
    if (raw == null) {
      return null;
    }
    String digits = raw.replaceAll("[\\s()-]", "");
    if (!UK_PHONE.matcher(digits).matches()) {
      errors.add(field, "is not a UK phone number (e.g. 020 7527 2000)");
      return null;
    }
    return raw;
  }
}
