package uk.gov.islington.youthsafety.content.directory;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import uk.gov.islington.youthsafety.content.common.InvalidInput;
import uk.gov.islington.youthsafety.content.hours.OpeningHours;

/**
 * The directory in the Open Referral UK data standard (the UK profile of HSDS 3.0): services as an
 * HSDA page ({@code {total_items, ..., contents: [service]}}), and an import of such a page checked
 * in full and turned into a plan (create, update, retire) before anything is written.
 *
 * <p>Mapping: {@code url} is the website, {@code minimum_age}/{@code maximum_age} the age range,
 * {@code phones} (type {@code voice}/{@code text}) the phone and text numbers, {@code schedules}
 * the hours (weekly by {@code byday}; a schedule valid for one day only, {@code valid_from} =
 * {@code valid_to}, is a dated exception, closed when it has no times; {@code attending_type} names
 * the channel: {@code phone}, {@code text} or {@code in person}; 00:00–23:59 is the whole day, as
 * HSDS advises), the first {@code service_at_locations[].location} the address, position and
 * accessibility, {@code languages[].code} the languages, {@code attributes[].taxonomy_term} of
 * vocabulary {@value #VOCABULARY} the categories, a {@code cost_options} entry with amount 0 means
 * free, and {@code status} other than {@code active} means retired. Ids are UUIDs: ours are derived
 * from the service id (stable), a service first imported keeps the file's.
 */
public final class OpenReferral {

  public static final String VOCABULARY = "islington-youth-safety-support-category";
  private static final Pattern UUID_FORM =
      Pattern.compile(
          "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
  private static final Pattern TIME =
      Pattern.compile(
          "^([01][0-9]|2[0-3]):([0-5][0-9])(:[0-5][0-9](\\.[0-9]+)?)?(Z|[+-][0-9]{2}:?[0-9]{2})?$");
  private static final Pattern POSTCODE =
      Pattern.compile("([A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2})\\s*$");
  private static final String[] BYDAY = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};
  private static final String[] DAY = {"MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"};
  private static final int MAX_SERVICES = 2_000;

  /**
   * What an import would do: services to create and update (with their new fields), ids to retire.
   */
  public record Plan(
      List<Change> creates, List<Change> updates, List<String> retires, int unchanged) {}

  /**
   * One service as the import would write it; {@code id} is ours (existing) or the file's (new).
   */
  public record Change(
      String id, String name, SupportServiceInput.Draft draft, List<String> changedFields) {}

  private OpenReferral() {}

  // ---- export

  /** The published directory as an HSDA page of services, all on one page. */
  public static JsonObject export(List<SupportService> services) {
    JsonArray contents = new JsonArray();
    services.forEach(s -> contents.add(service(s)));
    return new JsonObject()
        .put("total_items", services.size())
        .put("total_pages", 1)
        .put("page_number", 1)
        .put("size", services.size())
        .put("first_page", true)
        .put("last_page", true)
        .put("empty", services.isEmpty())
        .put("contents", contents);
  }

  /** The Open Referral id of one of our services. */
  public static String uuidOf(String id) {
    return UUID_FORM.matcher(id).matches()
        ? id.toLowerCase(Locale.ROOT)
        : UUID.nameUUIDFromBytes(
                ("islington-youth-safety/support-service/" + id).getBytes(StandardCharsets.UTF_8))
            .toString();
  }

  private static String child(String serviceUuid, String kind, int i) {
    return UUID.nameUUIDFromBytes(
            (serviceUuid + "/" + kind + "/" + i).getBytes(StandardCharsets.UTF_8))
        .toString();
  }

  static JsonObject service(SupportService s) {
    SupportServiceInput.Draft f = s.fields();
    String id = uuidOf(s.id());
    JsonObject o =
        new JsonObject()
            .put("id", id)
            .put("name", f.name())
            .put("description", f.description())
            .put("status", s.published() ? "active" : "inactive");
    if (f.website() != null && f.website().startsWith("https://")) {
      o.put("url", f.website());
    }
    if (f.email() != null) {
      o.put("email", f.email());
    }
    if (f.ageMin() != null) {
      o.put("minimum_age", f.ageMin());
    }
    if (f.ageMax() != null) {
      o.put("maximum_age", f.ageMax());
    }
    o.put("last_modified", s.updatedAt().toString());
    JsonArray phones = new JsonArray();
    if (f.phone() != null) {
      phones.add(
          new JsonObject()
              .put("id", child(id, "phone", 0))
              .put("number", f.phone())
              .put("type", "voice"));
    }
    if (f.textNumber() != null) {
      phones.add(
          new JsonObject()
              .put("id", child(id, "phone", 1))
              .put("number", f.textNumber())
              .put("type", "text"));
    }
    o.put("phones", phones);
    o.put("schedules", schedules(id, f.hours()));
    JsonArray locations = new JsonArray();
    if (f.address() != null || f.lat() != null) {
      JsonObject location =
          new JsonObject()
              .put("id", child(id, "location", 0))
              .put("location_type", "physical")
              .put("name", f.name());
      if (f.lat() != null) {
        location.put("latitude", f.lat()).put("longitude", f.lon());
      }
      if (f.address() != null) {
        Matcher pc = POSTCODE.matcher(f.address().toUpperCase(Locale.ROOT));
        location.put(
            "addresses",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("id", child(id, "address", 0))
                        .put("address_1", f.address())
                        .put("city", "")
                        .put("state_province", "")
                        .put("postal_code", pc.find() ? pc.group(1) : "")
                        .put("country", "GB")
                        .put("address_type", "physical")));
      }
      if (f.accessibilityNotes() != null) {
        location.put(
            "accessibility",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("id", child(id, "accessibility", 0))
                        .put("description", f.accessibilityNotes())));
      }
      locations.add(
          new JsonObject()
              .put("id", child(id, "service_at_location", 0))
              .put("location", location));
    }
    o.put("service_at_locations", locations);
    JsonArray languages = new JsonArray();
    for (int i = 0; i < f.languages().size(); i++) {
      languages.add(
          new JsonObject().put("id", child(id, "language", i)).put("code", f.languages().get(i)));
    }
    o.put("languages", languages);
    JsonArray attributes = new JsonArray();
    for (String c : f.categories()) {
      String term =
          UUID.nameUUIDFromBytes((VOCABULARY + "/" + c).getBytes(StandardCharsets.UTF_8))
              .toString();
      attributes.add(
          new JsonObject()
              .put("id", child(id, "attribute", attributes.size()))
              .put("taxonomy_term_id", term)
              .put("link_type", "service")
              .put(
                  "taxonomy_term",
                  new JsonObject()
                      .put("id", term)
                      .put("code", c)
                      .put("name", c)
                      .put("vocabulary", VOCABULARY)));
    }
    o.put("attributes", attributes);
    if (Boolean.TRUE.equals(f.free())) {
      o.put(
          "cost_options",
          new JsonArray()
              .add(
                  new JsonObject()
                      .put("id", child(id, "cost", 0))
                      .put("option", "Free")
                      .put("amount", 0)));
    }
    return o;
  }

  private static JsonArray schedules(
      String id, Map<SupportService.Channel, SupportService.ChannelHours> hours) {
    JsonArray out = new JsonArray();
    hours.forEach(
        (channel, h) -> {
          String attending =
              channel == SupportService.Channel.IN_PERSON ? "in person" : channel.wire();
          for (OpeningHours.Weekly w : h.hours().weekly()) {
            JsonObject s =
                new JsonObject()
                    .put("id", child(id, "schedule", out.size()))
                    .put("freq", "WEEKLY")
                    .put("interval", 1)
                    .put("byday", BYDAY[w.day().getValue() - 1])
                    .put("opens_at", w.range().opensText())
                    .put("closes_at", closes(w.range()))
                    .put("attending_type", attending);
            if (h.note() != null) {
              s.put("notes", h.note());
            }
            out.add(s);
          }
          for (OpeningHours.Exception e : h.hours().exceptions()) {
            JsonObject s =
                new JsonObject()
                    .put("id", child(id, "schedule", out.size()))
                    .put("freq", "WEEKLY")
                    .put("interval", 1)
                    .put("byday", BYDAY[e.date().getDayOfWeek().getValue() - 1])
                    .put("valid_from", e.date().toString())
                    .put("valid_to", e.date().toString())
                    .put("attending_type", attending);
            if (e.closed()) {
              s.put("description", "Closed on this day.");
            } else {
              s.put("opens_at", e.range().opensText()).put("closes_at", closes(e.range()));
            }
            out.add(s);
          }
        });
    return out;
  }

  /** 24:00 is written 23:59: HSDS advises 00:00–23:59 as the sign of a whole day. */
  private static String closes(OpeningHours.Range r) {
    return r.closes() == 24 * 60 ? "23:59" : r.closesText();
  }

  // ---- import

  /**
   * Checks every record of an HSDA page of services and works out what importing it would do to
   * {@code current}. Any problem anywhere: 400 naming the record ({@code contents[3]}) and the
   * field, all at once, and no plan. With {@code retireMissing}, services absent from the file are
   * retired (the file is the whole directory).
   */
  public static Plan plan(
      JsonObject file, List<SupportService> current, LocalDate today, boolean retireMissing) {
    InvalidInput.Builder errors = InvalidInput.builder();
    Object raw = file.getValue("contents");
    if (!(raw instanceof JsonArray contents)) {
      throw InvalidInput.of(
          "contents", raw == null ? "is required (an HSDA page of services)" : "must be a list");
    }
    if (contents.size() > MAX_SERVICES) {
      throw InvalidInput.of("contents", "must have at most " + MAX_SERVICES + " services");
    }
    Map<String, SupportService> byUuid = new HashMap<>();
    current.forEach(s -> byUuid.put(uuidOf(s.id()), s));
    Set<String> seen = new HashSet<>();
    List<Change> creates = new ArrayList<>();
    List<Change> updates = new ArrayList<>();
    List<String> retires = new ArrayList<>();
    int unchanged = 0;
    for (int i = 0; i < contents.size(); i++) {
      String at = "contents[" + i + "]";
      if (!(contents.getValue(i) instanceof JsonObject record)) {
        errors.add(at, "must be a service object");
        continue;
      }
      String id =
          record.getValue("id") instanceof String s && UUID_FORM.matcher(s).matches()
              ? s.toLowerCase(Locale.ROOT)
              : null;
      if (id == null) {
        errors.add(at + ".id", record.getValue("id") == null ? "is required" : "must be a UUID");
        continue;
      }
      if (!seen.add(id)) {
        errors.add(at + ".id", "is the id of an earlier record too");
        continue;
      }
      Object status = record.getValue("status");
      if (!(status instanceof String st)
          || !List.of("active", "inactive", "defunct", "temporarily closed").contains(st)) {
        errors.add(
            at + ".status",
            status == null
                ? "is required"
                : "must be one of active, inactive, defunct, temporarily closed");
        continue;
      }
      SupportService existing = byUuid.get(id);
      JsonObject ours = toOurs(record, at, existing, errors);
      if (ours == null) {
        continue;
      }
      SupportServiceInput.Draft draft;
      try {
        draft = SupportServiceInput.draft(ours, today);
      } catch (InvalidInput e) {
        // the directory's rules, reported against the record's own (Open Referral) fields
        e.errors().forEach(fe -> errors.add(at + "." + standardField(fe.field()), fe.message()));
        continue;
      }
      boolean active = st.equals("active");
      if (existing == null) {
        if (active) {
          creates.add(new Change(id, draft.name(), draft, List.of()));
        }
        continue;
      }
      List<String> changed =
          changedFields(
              SupportServiceInput.json(existing.fields()), SupportServiceInput.json(draft));
      if (!active) {
        if (existing.published()) {
          retires.add(existing.id());
        }
        continue;
      }
      if (!changed.isEmpty() || !existing.published()) {
        updates.add(new Change(existing.id(), draft.name(), draft, changed));
      } else {
        unchanged++;
      }
    }
    errors.throwIfAny();
    if (retireMissing) {
      for (SupportService s : current) {
        if (s.published() && !seen.contains(uuidOf(s.id()))) {
          retires.add(s.id());
        }
      }
    }
    return new Plan(creates, updates, retires, unchanged);
  }

  private static final Map<String, String> STANDARD_FIELDS =
      Map.ofEntries(
          Map.entry("website", "url"),
          Map.entry("ageRange.min", "minimum_age"),
          Map.entry("ageRange.max", "maximum_age"),
          Map.entry("phone", "phones"),
          Map.entry("textNumber", "phones"),
          Map.entry("address", "service_at_locations[0].location.addresses[0].address_1"),
          Map.entry("location", "service_at_locations[0].location"),
          Map.entry("location.lat", "service_at_locations[0].location.latitude"),
          Map.entry("location.lon", "service_at_locations[0].location.longitude"),
          Map.entry(
              "accessibilityNotes",
              "service_at_locations[0].location.accessibility[0].description"),
          Map.entry("categories", "attributes"),
          Map.entry("free", "cost_options"));

  /** The Open Referral field behind one of the directory's (hours: the record's schedules). */
  private static String standardField(String ours) {
    String mapped = STANDARD_FIELDS.get(ours);
    if (mapped != null) {
      return mapped;
    }
    if (ours.startsWith("languages[")) {
      return ours + ".code";
    }
    if (ours.startsWith("categories[")) {
      return "attributes";
    }
    return ours.startsWith("hours") ? "schedules" : ours;
  }

  private static List<String> changedFields(JsonObject before, JsonObject after) {
    Set<String> keys = new java.util.TreeSet<>(before.fieldNames());
    keys.addAll(after.fieldNames());
    List<String> out = new ArrayList<>();
    for (String k : keys) {
      if (!java.util.Objects.equals(before.getValue(k), after.getValue(k))) {
        out.add(k);
      }
    }
    return out;
  }

  /**
   * The record in the directory's own shape (checked by {@link SupportServiceInput} afterwards).
   */
  private static JsonObject toOurs(
      JsonObject r, String at, SupportService existing, InvalidInput.Builder errors) {
    int before = errors.size();
    JsonObject o = new JsonObject();
    copy(r, "name", o, "name");
    copy(r, "description", o, "description");
    copy(r, "url", o, "website");
    copy(r, "email", o, "email");
    JsonObject range = new JsonObject();
    age(r, "minimum_age", at, range, "min", errors);
    age(r, "maximum_age", at, range, "max", errors);
    if (!range.isEmpty()) {
      o.put("ageRange", range);
    }
    JsonArray phones = list(r, "phones", at, errors);
    for (int i = 0; i < phones.size(); i++) {
      if (!(phones.getValue(i) instanceof JsonObject p)
          || !(p.getValue("number") instanceof String n)) {
        errors.add(at + ".phones[" + i + "].number", "is required");
        continue;
      }
      String type = p.getString("type", "voice");
      String key =
          type.equalsIgnoreCase("text") || type.equalsIgnoreCase("sms") ? "textNumber" : "phone";
      if (!o.containsKey(key)) {
        o.put(key, n);
      }
    }
    JsonArray locations = list(r, "service_at_locations", at, errors);
    if (!locations.isEmpty()
        && locations.getValue(0) instanceof JsonObject sal
        && sal.getValue("location") instanceof JsonObject loc) {
      String base = at + ".service_at_locations[0].location";
      if (loc.getValue("latitude") != null || loc.getValue("longitude") != null) {
        o.put(
            "location",
            new JsonObject()
                .put("lat", loc.getValue("latitude"))
                .put("lon", loc.getValue("longitude")));
      }
      JsonArray addresses = list(loc, "addresses", base, errors);
      if (!addresses.isEmpty() && addresses.getValue(0) instanceof JsonObject a) {
        o.put("address", address(a));
      }
      JsonArray access = list(loc, "accessibility", base, errors);
      if (!access.isEmpty()
          && access.getValue(0) instanceof JsonObject a
          && a.getValue("description") != null) {
        o.put("accessibilityNotes", a.getValue("description"));
      }
    }
    JsonArray languages = list(r, "languages", at, errors);
    JsonArray codes = new JsonArray();
    for (int i = 0; i < languages.size(); i++) {
      if (!(languages.getValue(i) instanceof JsonObject l)
          || !(l.getValue("code") instanceof String c)) {
        errors.add(at + ".languages[" + i + "].code", "is required (a language tag such as en)");
        continue;
      }
      codes.add(c);
    }
    if (!codes.isEmpty()) {
      o.put("languages", codes);
    }
    JsonArray categories = new JsonArray();
    JsonArray attributes = list(r, "attributes", at, errors);
    for (int i = 0; i < attributes.size(); i++) {
      if (attributes.getValue(i) instanceof JsonObject a
          && a.getValue("taxonomy_term") instanceof JsonObject t
          && VOCABULARY.equals(t.getValue("vocabulary"))) {
        Object name = t.getValue("code") != null ? t.getValue("code") : t.getValue("name");
        if (!(name instanceof String c) || !SupportServiceInput.CATEGORIES.contains(c)) {
          errors.add(
              at + ".attributes[" + i + "].taxonomy_term.code",
              "must be one of " + String.join(", ", SupportServiceInput.CATEGORIES));
        } else if (!categories.contains(c)) {
          categories.add(c);
        }
      }
    }
    if (categories.isEmpty()) {
      errors.add(
          at + ".attributes",
          "needs a taxonomy_term of vocabulary " + VOCABULARY + " (the category)");
    }
    o.put("categories", categories);
    JsonArray costs = list(r, "cost_options", at, errors);
    for (Object c : costs) {
      if (c instanceof JsonObject co
          && co.getValue("amount") instanceof Number n
          && n.doubleValue() == 0) {
        o.put("free", true);
      }
    }
    JsonObject hours = hours(list(r, "schedules", at, errors), at, errors);
    if (hours != null && !hours.isEmpty()) {
      o.put("hours", hours);
    }
    // what the standard cannot say is kept as the directory had it
    if (existing != null) {
      SupportServiceInput.Draft f = existing.fields();
      putIfAbsent(o, "selfReferral", f.selfReferral());
      putIfAbsent(o, "confidential", f.confidential());
      putIfAbsent(o, "free", f.free());
    }
    return errors.size() > before ? null : o;
  }

  private static JsonObject hours(JsonArray schedules, String at, InvalidInput.Builder errors) {
    Map<SupportService.Channel, JsonObject> byChannel = new EnumMap<>(SupportService.Channel.class);
    for (int i = 0; i < schedules.size(); i++) {
      String s = at + ".schedules[" + i + "]";
      if (!(schedules.getValue(i) instanceof JsonObject sc)) {
        errors.add(s, "must be a schedule object");
        continue;
      }
      if (sc.getValue("freq") != null && !"WEEKLY".equals(sc.getValue("freq"))) {
        errors.add(s + ".freq", "only WEEKLY schedules can be imported");
        continue;
      }
      if (sc.getValue("interval") instanceof Number n && n.intValue() != 1) {
        errors.add(s + ".interval", "only every week (1) can be imported");
        continue;
      }
      if (sc.getValue("bymonthday") != null) {
        errors.add(s + ".bymonthday", "cannot be imported (weekly schedules only)");
        continue;
      }
      String attending =
          sc.getValue("attending_type") instanceof String a ? a.toLowerCase(Locale.ROOT) : "phone";
      SupportService.Channel channel =
          attending.contains("text") || attending.contains("sms")
              ? SupportService.Channel.TEXT
              : attending.contains("person")
                      || attending.contains("drop")
                      || attending.contains("visit")
                  ? SupportService.Channel.IN_PERSON
                  : SupportService.Channel.PHONE;
      JsonObject h =
          byChannel.computeIfAbsent(
              channel,
              c ->
                  new JsonObject()
                      .put("weekly", new JsonArray())
                      .put("exceptions", new JsonArray()));
      if (sc.getValue("notes") instanceof String note && !h.containsKey("note")) {
        h.put("note", note);
      }
      String opens = time(sc.getValue("opens_at"), s + ".opens_at", false, errors);
      String closes = time(sc.getValue("closes_at"), s + ".closes_at", true, errors);
      LocalDate from = date(sc.getValue("valid_from"), s + ".valid_from", errors);
      LocalDate to = date(sc.getValue("valid_to"), s + ".valid_to", errors);
      if (from != null && from.equals(to)) {
        JsonObject e = new JsonObject().put("date", from.toString());
        if (opens == null && closes == null) {
          e.put("closed", true);
        } else {
          e.put("opens", opens).put("closes", closes);
        }
        h.getJsonArray("exceptions").add(e);
        continue;
      }
      if (from != null || to != null) {
        errors.add(
            s + ".valid_to",
            "a schedule for a period can only be imported for a single day (valid_from = valid_to)");
        continue;
      }
      if (opens == null || closes == null) {
        errors.add(
            s + (opens == null ? ".opens_at" : ".closes_at"), "is required for a weekly schedule");
        continue;
      }
      Object byday = sc.getValue("byday");
      if (!(byday instanceof String days) || days.isBlank()) {
        errors.add(s + ".byday", "is required (e.g. MO,TU)");
        continue;
      }
      for (String d : days.split(",")) {
        int k = List.of(BYDAY).indexOf(d.trim().toUpperCase(Locale.ROOT));
        if (k < 0) {
          errors.add(s + ".byday", "must be days MO, TU, WE, TH, FR, SA, SU separated by commas");
          break;
        }
        h.getJsonArray("weekly")
            .add(new JsonObject().put("day", DAY[k]).put("opens", opens).put("closes", closes));
      }
    }
    JsonObject out = new JsonObject();
    byChannel.forEach((c, h) -> out.put(c.wire(), h));
    return out;
  }

  private static String time(Object v, String field, boolean closing, InvalidInput.Builder errors) {
    if (v == null) {
      return null;
    }
    Matcher m = v instanceof String s ? TIME.matcher(s) : null;
    if (m == null || !m.matches()) {
      errors.add(field, "must be a time HH:MM or HH:MM:SS");
      return null;
    }
    String hhmm = m.group(1) + ":" + m.group(2);
    return closing && hhmm.equals("23:59") ? "24:00" : hhmm;
  }

  private static LocalDate date(Object v, String field, InvalidInput.Builder errors) {
    if (v == null) {
      return null;
    }
    try {
      return LocalDate.parse((String) v);
    } catch (ClassCastException | DateTimeParseException e) {
      errors.add(field, "must be a date (YYYY-MM-DD)");
      return null;
    }
  }

  private static String address(JsonObject a) {
    List<String> parts = new ArrayList<>();
    for (String k : List.of("address_1", "city", "postal_code")) {
      if (a.getValue(k) instanceof String s
          && !s.isBlank()
          && parts.stream().noneMatch(p -> p.contains(s))) {
        parts.add(s.strip());
      }
    }
    return String.join(", ", parts);
  }

  private static void age(
      JsonObject r,
      String key,
      String at,
      JsonObject range,
      String ours,
      InvalidInput.Builder errors) {
    Object v = r.getValue(key);
    if (v == null) {
      return;
    }
    if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
      errors.add(at + "." + key, "must be a whole number");
      return;
    }
    range.put(ours, n.intValue());
  }

  private static JsonArray list(JsonObject o, String key, String at, InvalidInput.Builder errors) {
    Object v = o.getValue(key);
    if (v == null) {
      return new JsonArray();
    }
    if (!(v instanceof JsonArray a)) {
      errors.add(at + "." + key, "must be a list");
      return new JsonArray();
    }
    return a;
  }

  private static void copy(JsonObject from, String key, JsonObject to, String ours) {
    if (from.getValue(key) != null) {
      to.put(ours, from.getValue(key));
    }
  }

  private static void putIfAbsent(JsonObject o, String key, Object value) {
    if (!o.containsKey(key) && value != null) {
      o.put(key, value);
    }
  }

  /** A summary of a plan for the editor's preview. */
  public static JsonObject summary(Plan p) {
    Map<String, Object> m = new LinkedHashMap<>();
    JsonArray creates = new JsonArray();
    p.creates().forEach(c -> creates.add(new JsonObject().put("id", c.id()).put("name", c.name())));
    JsonArray updates = new JsonArray();
    p.updates()
        .forEach(
            c ->
                updates.add(
                    new JsonObject()
                        .put("id", c.id())
                        .put("name", c.name())
                        .put("fields", new JsonArray(c.changedFields()))));
    m.put("create", creates);
    m.put("update", updates);
    m.put("retire", new JsonArray(p.retires()));
    m.put("unchanged", p.unchanged());
    return new JsonObject(m);
  }
}
