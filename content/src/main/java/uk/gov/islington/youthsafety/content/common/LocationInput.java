package uk.gov.islington.youthsafety.content.common;

import io.vertx.core.json.JsonObject;

/** The one check of a location in an editor's body: an object with lat and lon in degrees. */
public final class LocationInput {

  private LocationInput() {}

  /**
   * {lat, lon} of {@code location}, or null when either is missing or out of range; each wrong one
   * is reported under {@code field.lat} or {@code field.lon}.
   */
  public static double[] latLon(JsonObject location, String field, InvalidInput.Builder errors) {
    Double lat = coordinate(location.getValue("lat"), field + ".lat", 90, errors);
    Double lon = coordinate(location.getValue("lon"), field + ".lon", 180, errors);
    return lat == null || lon == null ? null : new double[] {lat, lon};
  }

  private static Double coordinate(
      Object v, String field, double limit, InvalidInput.Builder errors) {
    if (!(v instanceof Number n)) {
      errors.add(field, v == null ? "is required" : "must be a number");
      return null;
    }
    double d = n.doubleValue();
    if (Double.isNaN(d) || Math.abs(d) > limit) {
      errors.add(field, "must be between -" + (int) limit + " and " + (int) limit);
      return null;
    }
    return d;
  }
}
