package uk.gov.islington.youthsafety.content.hours;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Opening hours and closures as stored (jsonb), in the contract's own shape: {@code {weekly:[{day,
 * opens, closes}], exceptions:[{date, closed} | {date, opens, closes}]}} and {@code {reason, from?,
 * until?}}. Only ever reads what {@link HoursInput} accepted.
 */
public final class HoursJson {

  private static final String[] DAY_CODES = {"MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"};

  private HoursJson() {}

  public static String dayCode(DayOfWeek day) {
    return DAY_CODES[day.getValue() - 1];
  }

  public static JsonObject hours(OpeningHours hours) {
    JsonArray weekly = new JsonArray();
    for (OpeningHours.Weekly w : hours.weekly()) {
      weekly.add(
          new JsonObject()
              .put("day", dayCode(w.day()))
              .put("opens", w.range().opensText())
              .put("closes", w.range().closesText()));
    }
    JsonArray exceptions = new JsonArray();
    for (OpeningHours.Exception e : hours.exceptions()) {
      JsonObject o = new JsonObject().put("date", e.date().toString());
      if (e.closed()) {
        o.put("closed", true);
      } else {
        o.put("opens", e.range().opensText()).put("closes", e.range().closesText());
      }
      exceptions.add(o);
    }
    return new JsonObject().put("weekly", weekly).put("exceptions", exceptions);
  }

  public static JsonObject closure(OpeningHours.Closure c) {
    if (c == null) {
      return null;
    }
    JsonObject o = new JsonObject().put("reason", c.reason());
    if (c.from() != null) {
      o.put("from", c.from().toString());
    }
    if (c.until() != null) {
      o.put("until", c.until().toString());
    }
    return o;
  }

  public static OpeningHours parse(JsonObject hours, JsonObject closure) {
    List<OpeningHours.Weekly> weekly = new ArrayList<>();
    JsonArray w = hours.getJsonArray("weekly", new JsonArray());
    for (int i = 0; i < w.size(); i++) {
      JsonObject r = w.getJsonObject(i);
      weekly.add(
          new OpeningHours.Weekly(
              day(r.getString("day")),
              OpeningHours.Range.of(r.getString("opens"), r.getString("closes"))));
    }
    List<OpeningHours.Exception> exceptions = new ArrayList<>();
    JsonArray x = hours.getJsonArray("exceptions", new JsonArray());
    for (int i = 0; i < x.size(); i++) {
      JsonObject e = x.getJsonObject(i);
      LocalDate date = LocalDate.parse(e.getString("date"));
      exceptions.add(
          new OpeningHours.Exception(
              date,
              Boolean.TRUE.equals(e.getBoolean("closed"))
                  ? null
                  : OpeningHours.Range.of(e.getString("opens"), e.getString("closes"))));
    }
    OpeningHours.Closure c =
        closure == null
            ? null
            : new OpeningHours.Closure(
                closure.getString("reason"),
                closure.getString("from") == null
                    ? null
                    : LocalDate.parse(closure.getString("from")),
                closure.getString("until") == null
                    ? null
                    : LocalDate.parse(closure.getString("until")));
    return new OpeningHours(weekly, exceptions, c);
  }

  private static DayOfWeek day(String code) {
    for (int i = 0; i < DAY_CODES.length; i++) {
      if (DAY_CODES[i].equals(code)) {
        return DayOfWeek.of(i + 1);
      }
    }
    throw new IllegalArgumentException("unknown day");
  }
}
