package uk.gov.islington.youthsafety.api.http;

import io.vertx.json.schema.JsonSchema;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A quick yes for the parameter schemas most requests carry — a single primitive {@code type} with
 * bounds, lengths, an enum, a pattern, a date-time format or an integer size (int32, int64), e.g.
 * {@code lat}, {@code limit}, {@code to} — so that a valid value skips the general JSON-schema
 * validator, which also compiles a schema's pattern on every call (docs/benchmarks.md, "Events",
 * has what that costs). Patterns are matched with the same {@code find} the library uses, compiled
 * once; a date-time must be RFC 3339 with seconds and a real calendar date. It only ever says
 * "valid": a value it does not accept, and any schema with another keyword ($ref, multipleOf,
 * another format, ...), goes to the library, which stays the judge and writes the error. {@code
 * SimpleParameterCheckTest} proves it never accepts what the library refuses.
 */
record SimpleParameterCheck(
    String type,
    Double minimum,
    Double maximum,
    Integer minLength,
    Integer maxLength,
    List<?> allowed,
    Pattern pattern,
    String format) {

  private static final String DATE_TIME = "date-time";
  // the sizes the contract states for every integer (its limits lie within them)
  private static final Set<String> INTEGER_FORMATS = Set.of("int32", "int64");
  // RFC 3339's grammar (seconds required, upper-case T and Z only); the calendar is checked by
  // parsing
  private static final Pattern RFC_3339 =
      Pattern.compile(
          "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})");

  private static final Set<String> TYPES = Set.of("integer", "number", "boolean", "string");
  private static final Set<String> KEYWORDS =
      Set.of(
          "type",
          "minimum",
          "maximum",
          "minLength",
          "maxLength",
          "enum",
          "pattern",
          "format",
          "default",
          "description",
          "title",
          "example",
          "examples");

  /** The check for this schema, or null when only the library can judge it. */
  static SimpleParameterCheck of(JsonSchema schema) {
    if (schema == null
        || !KEYWORDS.containsAll(schema.fieldNames())
        || !(schema.get("type") instanceof String type)
        || !TYPES.contains(type)) {
      return null;
    }
    Object enumValues = schema.get("enum");
    List<?> allowed = null;
    if (enumValues instanceof Iterable<?> values) {
      allowed = java.util.stream.StreamSupport.stream(values.spliterator(), false).toList();
    } else if (enumValues != null) {
      return null;
    }
    if (schema.containsKey("pattern") && !type.equals("string")) {
      return null;
    }
    Object declared = schema.get("format");
    if (declared != null
        && !(type.equals("string")
            ? DATE_TIME.equals(declared)
            : INTEGER_FORMATS.contains(declared) && type.equals("integer"))) {
      return null;
    }
    try {
      Pattern pattern =
          schema.containsKey("pattern") ? Pattern.compile(text(schema.get("pattern"))) : null;
      String format = schema.containsKey("format") ? text(schema.get("format")) : null;
      return new SimpleParameterCheck(
          type,
          number(schema.get("minimum")),
          number(schema.get("maximum")),
          integer(schema.get("minLength")),
          integer(schema.get("maxLength")),
          allowed,
          pattern,
          format);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * The value of a query or header text for this schema's primitive type, parsed as vertx-openapi's
   * transformer (Jackson) would parse it — {@code true}/{@code false}, an Integer or Long, a Double
   * for a decimal — or null when the text is anything less plain (exponents, leading zeros, signs,
   * spaces, very long digits), which then goes the library's way. Creating a Jackson parser per
   * value cost several microseconds of each nearby query.
   */
  Object parse(String raw) {
    return switch (type) {
      case "boolean" ->
          raw.equals("true") ? Boolean.TRUE : raw.equals("false") ? Boolean.FALSE : null;
      case "integer", "number" -> plainNumber(raw);
      default -> raw;
    };
  }

  /** JSON's number grammar without the exponent, at most 18 digits before the point. */
  static Object plainNumber(String s) {
    int n = s.length();
    int i = n > 0 && s.charAt(0) == '-' ? 1 : 0;
    int intStart = i;
    while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
      i++;
    }
    int intDigits = i - intStart;
    if (intDigits == 0 || intDigits > 18 || (intDigits > 1 && s.charAt(intStart) == '0')) {
      return null;
    }
    if (i == n) {
      long v = Long.parseLong(s);
      return v == (int) v ? (Object) (int) v : (Object) v;
    }
    if (s.charAt(i) != '.' || i + 1 == n || n - i > 20) {
      return null;
    }
    for (int j = i + 1; j < n; j++) {
      if (s.charAt(j) < '0' || s.charAt(j) > '9') {
        return null;
      }
    }
    return Double.parseDouble(s);
  }

  /**
   * True when the (transformed) value surely satisfies the schema; false means "ask the library".
   */
  boolean accepts(Object value) {
    boolean typed =
        switch (type) {
          case "integer" -> value instanceof Integer || value instanceof Long;
          case "number" ->
              value instanceof Integer || value instanceof Long || value instanceof Double;
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
    if (pattern != null && !pattern.matcher((String) value).find()) {
      return false;
    }
    if ("int32".equals(format) && !(value instanceof Integer)) {
      return false;
    }
    if (DATE_TIME.equals(format) && !isDateTime((String) value)) {
      return false;
    }
    return allowed == null || allowed.contains(value);
  }

  private static boolean isDateTime(String s) {
    if (!RFC_3339.matcher(s).matches()) {
      return false;
    }
    try {
      OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  private static String text(Object o) {
    if (o instanceof String s) {
      return s;
    }
    throw new IllegalArgumentException("not a string");
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
