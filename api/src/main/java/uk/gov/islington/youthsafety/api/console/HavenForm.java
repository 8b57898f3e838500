package uk.gov.islington.youthsafety.api.console;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.DayOfWeek;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import uk.gov.islington.youthsafety.content.common.InvalidInput;
import uk.gov.islington.youthsafety.content.havens.Haven;
import uk.gov.islington.youthsafety.content.hours.HoursJson;
import uk.gov.islington.youthsafety.content.hours.OpeningHours;

/**
 * The haven form as typed: every field a string, so that a page with errors shows exactly what was
 * sent. It turns into the JSON body {@code createHaven} takes (and, for an edit, the merge patch
 * {@code updateHaven} takes), and the service's field paths back into the form's inputs. The form
 * checks nothing itself: whatever is wrong, the service says so against its field.
 *
 * <p>The week is one row per day with a few sessions, each an opening and a closing time; a closing
 * time at or before the opening time runs past midnight into the next day, and "all day" is 00:00
 * to 24:00. Dated exceptions are rows of a date and either "closed" or times.
 */
public final class HavenForm {

  /** Sessions shown per day, at least (more when a haven already has more on that day). */
  static final int SESSIONS = 2;

  /** Blank rows offered for new dated exceptions. */
  static final int NEW_EXCEPTIONS = 2;

  public record Session(String id, String opens, String closes) {}

  public record Day(String code, String name, boolean allDay, List<Session> sessions) {}

  public record Exception(String id, String date, boolean closed, String opens, String closes) {}

  public String name = "";
  public String address = "";
  public String postcode = "";
  public String lat = "";
  public String lon = "";
  public String category = "";
  public Set<String> facilities = new LinkedHashSet<>();
  public String phone = "";
  public String notes = "";
  public String lastVerifiedOn = "";
  public List<Day> week = new ArrayList<>();
  public List<Exception> exceptions = new ArrayList<>();
  public String closureReason = "";
  public String closureFrom = "";
  public String closureUntil = "";
  public String version = "";

  /** A new haven's form is sent with one key however often Save is pressed. */
  public String idempotency = "";

  /** An empty form: every day closed, two blank exception rows. */
  static HavenForm blank() {
    HavenForm f = new HavenForm();
    for (DayOfWeek d : DayOfWeek.values()) {
      f.week.add(day(d, false, List.of()));
    }
    f.addBlankExceptions();
    f.idempotency = java.util.UUID.randomUUID().toString();
    return f;
  }

  /** The form for editing {@code h} as it is now. */
  static HavenForm of(Haven h) {
    HavenForm f = new HavenForm();
    f.name = h.name();
    f.address = h.address();
    f.postcode = h.postcode();
    f.lat = Double.toString(h.lat());
    f.lon = Double.toString(h.lon());
    f.category = h.category();
    f.facilities.addAll(h.facilities());
    f.phone = Objects.requireNonNullElse(h.phone(), "");
    f.notes = Objects.requireNonNullElse(h.notes(), "");
    f.lastVerifiedOn = h.lastVerifiedOn().toString();
    for (DayOfWeek d : DayOfWeek.values()) {
      List<OpeningHours.Range> ranges =
          h.hours().weekly().stream()
              .filter(w -> w.day() == d)
              .map(OpeningHours.Weekly::range)
              .toList();
      boolean allDay =
          ranges.size() == 1 && ranges.get(0).opens() == 0 && ranges.get(0).closes() == 24 * 60;
      f.week.add(
          day(
              d,
              allDay,
              allDay
                  ? List.of()
                  : ranges.stream()
                      .map(r -> new String[] {r.opensText(), r.closesText()})
                      .toList()));
    }
    for (OpeningHours.Exception e : h.hours().exceptions()) {
      f.exceptions.add(
          new Exception(
              "ex-" + (f.exceptions.size() + 1),
              e.date().toString(),
              e.closed(),
              e.closed() ? "" : e.range().opensText(),
              e.closed() ? "" : e.range().closesText()));
    }
    f.addBlankExceptions();
    OpeningHours.Closure c = h.hours().closure();
    if (c != null) {
      f.closureReason = c.reason();
      f.closureFrom = c.from() == null ? "" : c.from().toString();
      f.closureUntil = c.until() == null ? "" : c.until().toString();
    }
    f.version = Long.toString(h.changeSeq());
    return f;
  }

  /** The form as the browser sent it. */
  static HavenForm from(RoutingContext ctx) {
    HavenForm f = new HavenForm();
    f.name = field(ctx, "name");
    f.address = field(ctx, "address");
    f.postcode = field(ctx, "postcode");
    f.lat = field(ctx, "lat");
    f.lon = field(ctx, "lon");
    f.category = field(ctx, "category");
    ctx.request().formAttributes().getAll("facilities").forEach(v -> f.facilities.add(v.strip()));
    f.phone = field(ctx, "phone");
    f.notes = field(ctx, "notes");
    f.lastVerifiedOn = field(ctx, "lastVerifiedOn");
    for (DayOfWeek d : DayOfWeek.values()) {
      String code = HoursJson.dayCode(d);
      int n = count(ctx, "hours-" + code + "-count", SESSIONS);
      List<String[]> sessions = new ArrayList<>();
      for (int i = 1; i <= n; i++) {
        sessions.add(
            new String[] {
              field(ctx, "hours-" + code + "-" + i + "-opens"),
              field(ctx, "hours-" + code + "-" + i + "-closes")
            });
      }
      f.week.add(day(d, "yes".equals(field(ctx, "hours-" + code + "-allday")), sessions));
    }
    int rows = count(ctx, "ex-count", NEW_EXCEPTIONS);
    for (int i = 1; i <= rows; i++) {
      String id = "ex-" + i;
      f.exceptions.add(
          new Exception(
              id,
              field(ctx, id + "-date"),
              "yes".equals(field(ctx, id + "-closed")),
              field(ctx, id + "-opens"),
              field(ctx, id + "-closes")));
    }
    f.closureReason = field(ctx, "closure-reason");
    f.closureFrom = field(ctx, "closure-from");
    f.closureUntil = field(ctx, "closure-until");
    f.version = field(ctx, "version");
    f.idempotency = field(ctx, "idempotency");
    if (f.idempotency.isEmpty()) {
      f.idempotency = java.util.UUID.randomUUID().toString();
    }
    return f;
  }

  /**
   * The JSON body of createHaven (or updateHaven's merge patch: every field given, an empty one as
   * null so that it is removed), and where each of its paths is on the form.
   */
  Body body() {
    Map<String, String> where = new LinkedHashMap<>();
    JsonObject o = new JsonObject();
    o.put("name", name).put("address", address).put("postcode", postcode);
    o.put("location", new JsonObject().put("lat", number(lat)).put("lon", number(lon)));
    o.put("category", category.isEmpty() ? null : category);
    List<String> chosen = new ArrayList<>(facilities);
    chosen.sort(null);
    o.put("facilities", new JsonArray(chosen));
    o.put("phone", phone.isEmpty() ? null : phone);
    o.put("notes", notes.isEmpty() ? null : notes);
    o.put("lastVerifiedOn", lastVerifiedOn.isEmpty() ? null : lastVerifiedOn);
    JsonArray weekly = new JsonArray();
    for (Day d : week) {
      if (d.allDay()) {
        where.put("openingHours.weekly[" + weekly.size() + "]", "hours-" + d.code() + "-allday");
        weekly.add(
            new JsonObject().put("day", d.code()).put("opens", "00:00").put("closes", "24:00"));
        continue;
      }
      for (Session s : d.sessions()) {
        if (s.opens().isEmpty() && s.closes().isEmpty()) {
          continue;
        }
        where.put("openingHours.weekly[" + weekly.size() + "]", s.id());
        weekly.add(
            new JsonObject()
                .put("day", d.code())
                .put("opens", s.opens().isEmpty() ? null : s.opens())
                .put("closes", s.closes().isEmpty() ? null : s.closes()));
      }
    }
    JsonArray dated = new JsonArray();
    for (Exception e : exceptions) {
      if (e.date().isEmpty() && !e.closed() && e.opens().isEmpty() && e.closes().isEmpty()) {
        continue;
      }
      where.put("openingHours.exceptions[" + dated.size() + "]", e.id());
      JsonObject x = new JsonObject().put("date", e.date().isEmpty() ? null : e.date());
      if (e.closed()) {
        x.put("closed", true);
      } else {
        x.put("opens", e.opens().isEmpty() ? null : e.opens());
        x.put("closes", e.closes().isEmpty() ? null : e.closes());
      }
      dated.add(x);
    }
    o.put("openingHours", new JsonObject().put("weekly", weekly).put("exceptions", dated));
    if (closureReason.isEmpty() && closureFrom.isEmpty() && closureUntil.isEmpty()) {
      o.putNull("temporaryClosure");
    } else {
      o.put(
          "temporaryClosure",
          new JsonObject()
              .put("reason", closureReason.isEmpty() ? null : closureReason)
              .put("from", closureFrom.isEmpty() ? null : closureFrom)
              .put("until", closureUntil.isEmpty() ? null : closureUntil));
    }
    return new Body(o, where);
  }

  /** A body and where its paths are on the form (weekly and exception entries by index). */
  record Body(JsonObject json, Map<String, String> where) {

    /** The service's complaints as the page's error summary, each linked to its input. */
    List<FieldError> errors(InvalidInput invalid) {
      Map<String, FieldError> out = new LinkedHashMap<>();
      for (InvalidInput.FieldError e : invalid.errors()) {
        FieldError fe = error(e.field(), e.message());
        out.putIfAbsent(fe.field() + " " + fe.message(), fe);
      }
      return List.copyOf(out.values());
    }

    private FieldError error(String path, String message) {
      String said = plain(message);
      switch (path) {
        case "name":
          return new FieldError("name", "Name " + said);
        case "address":
          return new FieldError("address", "Address " + said);
        case "postcode":
          return new FieldError("postcode", "Postcode " + said);
        case "location", "location.lat":
          return new FieldError("lat", "Latitude " + said);
        case "location.lon":
          return new FieldError("lon", "Longitude " + said);
        case "category":
          return new FieldError("category", "Select a kind of premises");
        case "phone":
          return new FieldError("phone", "Phone " + said);
        case "notes":
          return new FieldError("notes", "Notes " + said);
        case "lastVerifiedOn":
          return new FieldError("lastVerifiedOn", "Last verified " + said);
        case "temporaryClosure", "temporaryClosure.reason":
          return new FieldError("closure-reason", "Reason for the closure " + said);
        case "temporaryClosure.from":
          return new FieldError("closure-from", "Closed from " + said);
        case "temporaryClosure.until":
          return new FieldError("closure-until", "Closed until " + said);
        case "openingHours", "openingHours.weekly":
          return new FieldError(
              "hours-MON-1-opens",
              "Give at least one opening time in the week (for a closure, use Temporary closure)");
        default:
          break;
      }
      if (path.startsWith("facilities")) {
        return new FieldError("facilities", "Facilities " + said);
      }
      for (String kind : new String[] {"openingHours.weekly[", "openingHours.exceptions["}) {
        if (path.startsWith(kind)) {
          String entry = path.substring(0, path.indexOf(']') + 1);
          String id = where.get(entry);
          if (id == null) {
            return new FieldError(null, "Opening hours " + said);
          }
          String part = path.substring(entry.length());
          String label = label(id);
          if (id.endsWith("-allday")) {
            return new FieldError(id, label + " " + said);
          }
          return switch (part) {
            case ".closes" -> new FieldError(id + "-closes", label + ": the closing time " + said);
            case ".date" -> new FieldError(id + "-date", label + ": the date " + said);
            case ".closed" -> new FieldError(id + "-closed", label + " " + said);
            case ".opens" -> new FieldError(id + "-opens", label + ": the opening time " + said);
            default ->
                new FieldError(
                    id.startsWith("ex-") ? id + "-date" : id + "-opens", label + " " + said);
          };
        }
      }
      return new FieldError(null, path + " " + said);
    }

    /** "Monday, session 1" / "Monday, all day" / "Dated exception 2". */
    private static String label(String id) {
      if (id.startsWith("ex-")) {
        return "Dated exception " + id.substring(3);
      }
      String[] parts = id.split("-");
      String day = dayName(parts[1]);
      return "allday".equals(parts[2]) ? day + ", all day" : day + ", session " + parts[2];
    }

    /** The service speaks of JSON paths; the page of the form's words. */
    private static String plain(String message) {
      if (message.startsWith("overlaps ")) {
        return "overlaps another session (a session past midnight runs into the next day)";
      }
      return message
          .replace(
              "must differ from opens (00:00 to 24:00 is all day)",
              "must differ from the opening time (for the whole day, tick All day)")
          .replace("must be absent when closed is true", "must be empty when Closed is ticked")
          .replace("is before from", "is before the first day of the closure");
    }
  }

  // ---- helpers

  private void addBlankExceptions() {
    for (int i = 0; i < NEW_EXCEPTIONS; i++) {
      exceptions.add(new Exception("ex-" + (exceptions.size() + 1), "", false, "", ""));
    }
  }

  private static Day day(DayOfWeek d, boolean allDay, List<String[]> given) {
    String code = HoursJson.dayCode(d);
    List<Session> sessions = new ArrayList<>();
    int n = Math.max(SESSIONS, given.size());
    for (int i = 0; i < n; i++) {
      String[] g = i < given.size() ? given.get(i) : new String[] {"", ""};
      sessions.add(new Session("hours-" + code + "-" + (i + 1), g[0], g[1]));
    }
    return new Day(code, d.getDisplayName(TextStyle.FULL, Locale.UK), allDay, sessions);
  }

  static String dayName(String code) {
    for (DayOfWeek d : DayOfWeek.values()) {
      if (HoursJson.dayCode(d).equals(code)) {
        return d.getDisplayName(TextStyle.FULL, Locale.UK);
      }
    }
    return code;
  }

  private static String field(RoutingContext ctx, String name) {
    return Objects.requireNonNullElse(ConsolePages.form(ctx, name), "");
  }

  /** A count of rows the page sent (bounded: a page never offers more than this). */
  private static int count(RoutingContext ctx, String name, int fallback) {
    try {
      int n = Integer.parseInt(field(ctx, name));
      return n < 0 || n > 110 ? fallback : n;
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  /** A coordinate as a number when it is one; otherwise as typed, which the service refuses. */
  private static Object number(String v) {
    if (v.isEmpty()) {
      return null;
    }
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      return v;
    }
  }
}
