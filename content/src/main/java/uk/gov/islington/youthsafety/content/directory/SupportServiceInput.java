package uk.gov.islington.youthsafety.content.directory;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.LocalDate;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import uk.gov.islington.youthsafety.content.common.InvalidInput;
import uk.gov.islington.youthsafety.content.common.LocationInput;
import uk.gov.islington.youthsafety.content.common.TextInput;
import uk.gov.islington.youthsafety.content.hours.HoursInput;
import uk.gov.islington.youthsafety.content.hours.HoursJson;
import uk.gov.islington.youthsafety.content.hours.OpeningHours;

/**
 * What a support service may say, as an editor writes it (createSupportService, the result of an
 * updateSupportService merge patch, one service of an import): reads the JSON and applies the
 * rules, reporting every problem against its field under a base path (empty for a request body,
 * {@code services[3]} in an import), all at once. {@link #json} writes the same shape back.
 */
public final class SupportServiceInput {

  /** The directory's categories; the first of a service's is its main one. */
  public static final List<String> CATEGORIES =
      List.of(
          "emergency",
          "safeguarding",
          "youth_justice",
          "exploitation",
          "youth_work",
          "mental_health",
          "substance_misuse",
          "victim_support",
          "mentoring",
          "family_support",
          "education_employment",
          "community");

  private static final Set<String> FIELDS =
      Set.of(
          "name",
          "description",
          "categories",
          "ageRange",
          "phone",
          "textNumber",
          "email",
          "website",
          "address",
          "location",
          "languages",
          "selfReferral",
          "confidential",
          "free",
          "accessibilityNotes",
          "hours");
  private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s.]{2,}$");
  // a UK number (some freephone lines are shorter than ten digits: Childline is 0800 1111), or a
  // short code such as 999, 101 or 116 123
  private static final Pattern PHONE = Pattern.compile("^((\\+44|0)[1-9][0-9]{6,9}|[0-9]{3,6})$");
  private static final Pattern LANGUAGE = Pattern.compile("^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$");
  private static final int MAX_CATEGORIES = 5;
  private static final int MAX_LANGUAGES = 20;

  /** A service's fields. Null means not stated; lists are empty when not stated. */
  public record Draft(
      String name,
      String description,
      List<String> categories,
      Integer ageMin,
      Integer ageMax,
      String phone,
      String textNumber,
      String email,
      String website,
      String address,
      Double lat,
      Double lon,
      List<String> languages,
      Boolean selfReferral,
      Boolean confidential,
      Boolean free,
      String accessibilityNotes,
      Map<SupportService.Channel, SupportService.ChannelHours> hours) {}

  private SupportServiceInput() {}

  /** The service in {@code body}; 400 naming every bad field. */
  public static Draft draft(JsonObject body, LocalDate today) {
    InvalidInput.Builder errors = InvalidInput.builder();
    Draft d = draft(body, "", today, errors);
    errors.throwIfAny();
    return d;
  }

  /**
   * The service in {@code body}, its fields named under {@code base}; null with errors added when
   * invalid.
   */
  static Draft draft(JsonObject body, String base, LocalDate today, InvalidInput.Builder errors) {
    for (String key : body.fieldNames()) {
      if (!FIELDS.contains(key)) {
        errors.add(at(base, key), "is not a known field");
      }
    }
    String name = text(body, base, "name", 2, 120, true, errors);
    String description = text(body, base, "description", 10, 2000, true, errors);
    List<String> categories =
        categories(body.getValue("categories"), at(base, "categories"), errors);
    Integer[] ages = ageRange(body.getValue("ageRange"), at(base, "ageRange"), errors);
    String phone = phone(body, base, "phone", errors);
    String textNumber = phone(body, base, "textNumber", errors);
    String email = text(body, base, "email", 3, 254, false, errors);
    if (email != null && !EMAIL.matcher(email).matches()) {
      errors.add(at(base, "email"), "is not an e-mail address");
    }
    String website = website(body, base, errors);
    String address = text(body, base, "address", 5, 200, false, errors);
    double[] location = location(body.getValue("location"), at(base, "location"), errors);
    List<String> languages = languages(body.getValue("languages"), at(base, "languages"), errors);
    Boolean selfReferral = flag(body, base, "selfReferral", errors);
    Boolean confidential = flag(body, base, "confidential", errors);
    Boolean free = flag(body, base, "free", errors);
    String accessibility = text(body, base, "accessibilityNotes", 2, 1000, false, errors);
    Map<SupportService.Channel, SupportService.ChannelHours> hours =
        hours(body.getValue("hours"), at(base, "hours"), today, errors);
    if (hours != null) {
      requireContact(hours, SupportService.Channel.PHONE, phone, base, "phone", errors);
      requireContact(hours, SupportService.Channel.TEXT, textNumber, base, "textNumber", errors);
      requireContact(hours, SupportService.Channel.IN_PERSON, address, base, "address", errors);
    }
    if (!errors.isEmpty()) {
      return null;
    }
    return new Draft(
        name,
        description,
        categories,
        ages[0],
        ages[1],
        phone,
        textNumber,
        email,
        website,
        address,
        location == null ? null : location[0],
        location == null ? null : location[1],
        languages,
        selfReferral,
        confidential,
        free,
        accessibility,
        hours);
  }

  /** The draft in the shape an editor writes it (absent fields are not stated). */
  public static JsonObject json(Draft d) {
    JsonObject o =
        new JsonObject()
            .put("name", d.name())
            .put("description", d.description())
            .put("categories", new JsonArray(d.categories()));
    if (d.ageMin() != null || d.ageMax() != null) {
      JsonObject range = new JsonObject();
      if (d.ageMin() != null) {
        range.put("min", d.ageMin());
      }
      if (d.ageMax() != null) {
        range.put("max", d.ageMax());
      }
      o.put("ageRange", range);
    }
    putIf(o, "phone", d.phone());
    putIf(o, "textNumber", d.textNumber());
    putIf(o, "email", d.email());
    putIf(o, "website", d.website());
    putIf(o, "address", d.address());
    if (d.lat() != null) {
      o.put("location", new JsonObject().put("lat", d.lat()).put("lon", d.lon()));
    }
    if (!d.languages().isEmpty()) {
      o.put("languages", new JsonArray(d.languages()));
    }
    putIf(o, "selfReferral", d.selfReferral());
    putIf(o, "confidential", d.confidential());
    putIf(o, "free", d.free());
    putIf(o, "accessibilityNotes", d.accessibilityNotes());
    if (!d.hours().isEmpty()) {
      o.put("hours", hoursJson(d.hours()));
    }
    return o;
  }

  /**
   * Hours per channel: {@code {"phone": {weekly, exceptions, note?}, ...}}, as stored and as
   * written.
   */
  public static JsonObject hoursJson(
      Map<SupportService.Channel, SupportService.ChannelHours> hours) {
    JsonObject o = new JsonObject();
    hours.forEach(
        (channel, h) -> {
          JsonObject one = HoursJson.hours(h.hours());
          if (h.note() != null) {
            one.put("note", h.note());
          }
          o.put(channel.wire(), one);
        });
    return o;
  }

  /** Hours as stored (only ever what {@link #draft} accepted). */
  static Map<SupportService.Channel, SupportService.ChannelHours> parseHours(JsonObject stored) {
    Map<SupportService.Channel, SupportService.ChannelHours> out =
        new EnumMap<>(SupportService.Channel.class);
    for (SupportService.Channel c : SupportService.Channel.values()) {
      JsonObject one = stored.getJsonObject(c.wire());
      if (one != null) {
        out.put(
            c, new SupportService.ChannelHours(HoursJson.parse(one, null), one.getString("note")));
      }
    }
    return out;
  }

  // ---- fields

  private static String at(String base, String field) {
    return base.isEmpty() ? field : base + "." + field;
  }

  private static void putIf(JsonObject o, String key, Object value) {
    if (value != null) {
      o.put(key, value);
    }
  }

  private static String text(
      JsonObject body,
      String base,
      String key,
      int min,
      int max,
      boolean required,
      InvalidInput.Builder errors) {
    boolean multiline = key.equals("description") || key.equals("accessibilityNotes");
    return TextInput.read(body.getValue(key), at(base, key), min, max, required, multiline, errors);
  }

  private static List<String> categories(Object v, String field, InvalidInput.Builder errors) {
    if (!(v instanceof JsonArray list)) {
      errors.add(field, v == null ? "is required" : "must be a list");
      return null;
    }
    if (list.isEmpty() || list.size() > MAX_CATEGORIES) {
      errors.add(field, "must have from 1 to " + MAX_CATEGORIES + " categories");
      return null;
    }
    Set<String> out = new LinkedHashSet<>();
    for (int i = 0; i < list.size(); i++) {
      Object c = list.getValue(i);
      if (!(c instanceof String s) || !CATEGORIES.contains(s)) {
        errors.add(field + "[" + i + "]", "must be one of " + String.join(", ", CATEGORIES));
      } else if (!out.add(s)) {
        errors.add(field + "[" + i + "]", "is listed twice");
      }
    }
    return List.copyOf(out);
  }

  private static Integer[] ageRange(Object v, String field, InvalidInput.Builder errors) {
    Integer[] out = {null, null};
    if (v == null) {
      return out;
    }
    if (!(v instanceof JsonObject range)) {
      errors.add(field, "must be an object with min and/or max");
      return out;
    }
    for (String key : range.fieldNames()) {
      if (!key.equals("min") && !key.equals("max")) {
        errors.add(field + "." + key, "is not a known field");
      }
    }
    out[0] = age(range.getValue("min"), field + ".min", errors);
    out[1] = age(range.getValue("max"), field + ".max", errors);
    if (out[0] != null && out[1] != null && out[1] < out[0]) {
      errors.add(field + ".max", "must not be below ageRange.min");
    }
    return out;
  }

  private static Integer age(Object v, String field, InvalidInput.Builder errors) {
    if (v == null) {
      return null;
    }
    if (!(v instanceof Integer || v instanceof Long)
        || ((Number) v).longValue() < 0
        || ((Number) v).longValue() > 120) {
      errors.add(field, "must be a whole number from 0 to 120");
      return null;
    }
    return ((Number) v).intValue();
  }

  private static String phone(
      JsonObject body, String base, String key, InvalidInput.Builder errors) {
    String raw = text(body, base, key, 3, 30, false, errors);
    if (raw == null) {
      return null;
    }
    if (!PHONE.matcher(raw.replaceAll("[\\s()-]", "")).matches()) {
      errors.add(at(base, key), "is not a UK phone number or short code (e.g. 020 7527 7400, 999)");
      return null;
    }
    return raw;
  }

  private static String website(JsonObject body, String base, InvalidInput.Builder errors) {
    String raw = text(body, base, "website", 5, 500, false, errors);
    if (raw == null) {
      return null;
    }
    String field = at(base, "website");
    try {
      URI uri = new URI(raw);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      boolean ok =
          switch (scheme) {
            case "https" -> uri.getHost() != null && uri.getUserInfo() == null;
            case "tel", "mailto" ->
                uri.getSchemeSpecificPart() != null && !uri.getSchemeSpecificPart().isBlank();
            default -> false;
          };
      if (!ok) {
        errors.add(field, "must be an https, tel or mailto link");
        return null;
      }
      return raw;
    } catch (URISyntaxException e) {
      errors.add(field, "is not a link (e.g. https://www.example.org/)");
      return null;
    }
  }

  private static double[] location(Object v, String field, InvalidInput.Builder errors) {
    if (v == null) {
      return null;
    }
    if (!(v instanceof JsonObject loc)) {
      errors.add(field, "must be an object with lat and lon");
      return null;
    }
    return LocationInput.latLon(loc, field, errors);
  }

  private static List<String> languages(Object v, String field, InvalidInput.Builder errors) {
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof JsonArray list)) {
      errors.add(field, "must be a list");
      return List.of();
    }
    if (list.size() > MAX_LANGUAGES) {
      errors.add(field, "must have at most " + MAX_LANGUAGES + " languages");
      return List.of();
    }
    Set<String> out = new LinkedHashSet<>();
    for (int i = 0; i < list.size(); i++) {
      Object l = list.getValue(i);
      if (!(l instanceof String s) || !LANGUAGE.matcher(s).matches()) {
        errors.add(field + "[" + i + "]", "must be a language tag (e.g. en, tr, so, pt-BR)");
      } else if (!out.add(s)) {
        errors.add(field + "[" + i + "]", "is listed twice");
      }
    }
    return List.copyOf(out);
  }

  private static Boolean flag(
      JsonObject body, String base, String key, InvalidInput.Builder errors) {
    Object v = body.getValue(key);
    if (v == null || v instanceof Boolean) {
      return (Boolean) v;
    }
    errors.add(at(base, key), "must be true, false or null (not stated)");
    return null;
  }

  private static Map<SupportService.Channel, SupportService.ChannelHours> hours(
      Object v, String field, LocalDate today, InvalidInput.Builder errors) {
    Map<SupportService.Channel, SupportService.ChannelHours> out =
        new EnumMap<>(SupportService.Channel.class);
    if (v == null) {
      return out;
    }
    if (!(v instanceof JsonObject byChannel)) {
      errors.add(field, "must be an object with hours per channel (phone, text, inPerson)");
      return null;
    }
    boolean ok = true;
    for (String key : byChannel.fieldNames()) {
      SupportService.Channel channel = null;
      for (SupportService.Channel c : SupportService.Channel.values()) {
        if (c.wire().equals(key)) {
          channel = c;
        }
      }
      String at = field + "." + key;
      if (channel == null) {
        errors.add(at, "is not a channel (phone, text, inPerson)");
        ok = false;
        continue;
      }
      Object value = byChannel.getValue(key);
      String note = null;
      if (value instanceof JsonObject one) {
        for (String k : one.fieldNames()) {
          if (!k.equals("weekly") && !k.equals("exceptions") && !k.equals("note")) {
            errors.add(at + "." + k, "is not a known field");
            ok = false;
          }
        }
        note = text(one, at, "note", 2, 200, false, errors);
      }
      OpeningHours h =
          HoursInput.hours(
              value,
              at,
              null,
              today,
              "must have at least one range (leave the channel out when its hours are not known)",
              errors);
      if (h == null) {
        ok = false;
        continue;
      }
      out.put(channel, new SupportService.ChannelHours(h, note));
    }
    return ok ? out : null;
  }

  private static void requireContact(
      Map<SupportService.Channel, SupportService.ChannelHours> hours,
      SupportService.Channel channel,
      String contact,
      String base,
      String contactField,
      InvalidInput.Builder errors) {
    if (hours.containsKey(channel) && contact == null) {
      errors.add(
          at(base, "hours." + channel.wire()),
          "needs " + contactField + " (the hours are that channel's)");
    }
  }
}
