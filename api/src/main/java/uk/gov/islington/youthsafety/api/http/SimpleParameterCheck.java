package uk.gov.islington.youthsafety.api.http;

import io.vertx.json.schema.JsonSchema;
import java.util.List;
import java.util.Set;

/**
 * A quick yes for the parameter schemas most requests carry — a single primitive {@code type} with
 * bounds, lengths or an enum, e.g. {@code lat}, {@code limit}, {@code openNow} — so that a valid
 * value skips the general JSON-schema validator (about 15 µs a parameter in vertx-json-schema
 * 5.0.8, the largest single cost of a nearby query). It only ever says "valid": a value it does not
 * accept, and any schema with another keyword (pattern, format, $ref, ...), goes to the library,
 * which stays the judge and writes the error.
 */
record SimpleParameterCheck(String type, Double minimum, Double maximum, Integer minLength, Integer maxLength,
                            List<?> allowed) {

  private static final Set<String> TYPES = Set.of("integer", "number", "boolean", "string");
  private static final Set<String> KEYWORDS = Set.of("type", "minimum", "maximum", "minLength", "maxLength", "enum",
      "default", "description", "title", "example", "examples");

  /** The check for this schema, or null when only the library can judge it. */
  static SimpleParameterCheck of(JsonSchema schema) {
    if (schema == null || !KEYWORDS.containsAll(schema.fieldNames())
        || !(schema.get("type") instanceof String type) || !TYPES.contains(type)) {
      return null;
    }
    Object enumValues = schema.get("enum");
    List<?> allowed = null;
    if (enumValues instanceof Iterable<?> values) {
      allowed = java.util.stream.StreamSupport.stream(values.spliterator(), false).toList();
    } else if (enumValues != null) {
      return null;
    }
    try {
      return new SimpleParameterCheck(type, number(schema.get("minimum")), number(schema.get("maximum")),
          integer(schema.get("minLength")), integer(schema.get("maxLength")), allowed);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** True when the (transformed) value surely satisfies the schema; false means "ask the library". */
  boolean accepts(Object value) {
    boolean typed = switch (type) {
      case "integer" -> value instanceof Integer || value instanceof Long;
      case "number" -> value instanceof Integer || value instanceof Long || value instanceof Double;
      case "boolean" -> value instanceof Boolean;
      default -> value instanceof String;
    };
    if (!typed) {
      return false;
    }
    if (value instanceof Number n) {
      double d = n.doubleValue();
      if (Double.isNaN(d) || (minimum != null && d < minimum) || (maximum != null && d > maximum)) {
        return false;
      }
    }
    if (value instanceof String s && (minLength != null || maxLength != null)) {
      // JSON Schema counts characters (code points), not UTF-16 units
      int length = s.codePointCount(0, s.length());
      if ((minLength != null && length < minLength) || (maxLength != null && length > maxLength)) {
        return false;
      }
    }
    return allowed == null || allowed.contains(value);
  }

  private static Double number(Object o) {
    if (o == null) {
      return null;
    }
    if (o instanceof Number n) {
      return n.doubleValue();
    }
    throw new IllegalArgumentException("not a number");
  }

  private static Integer integer(Object o) {
    if (o == null) {
      return null;
    }
    if (o instanceof Integer i) {
      return i;
    }
    throw new IllegalArgumentException("not an integer");
  }
}
