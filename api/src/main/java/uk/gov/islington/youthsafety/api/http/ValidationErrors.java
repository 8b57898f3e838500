package uk.gov.islington.youthsafety.api.http;

import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatorException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import uk.gov.islington.youthsafety.content.common.InvalidInput.FieldError;

/**
 * Turns the contract validator's exceptions into field errors the app can show next to a field:
 * body fields as dotted paths ({@code questions[0].options}), parameters by their name.
 */
final class ValidationErrors {

  private static final Pattern PARAMETER =
      Pattern.compile("(?:query|path|header|cookie) parameter ([^ ]+?)(?:[ .]|$)");
  private static final Pattern PROPERTY =
      Pattern.compile("(?:required property|Property) \"([^\"]+)\"");

  private ValidationErrors() {}

  static List<FieldError> of(ValidatorException e) {
    Matcher param = PARAMETER.matcher(String.valueOf(e.getMessage()));
    if (param.find()) {
      return List.of(new FieldError(param.group(1), parameterMessage(e)));
    }
    if (e instanceof SchemaValidationException s && s.getOutputUnit() != null) {
      List<FieldError> fields = fromOutput(s.getOutputUnit());
      if (!fields.isEmpty()) {
        return fields;
      }
    }
    return List.of(new FieldError("body", bodyMessage(e)));
  }

  private static String parameterMessage(ValidatorException e) {
    return switch (e.type()) {
      case MISSING_REQUIRED_PARAMETER -> "is required";
      case INVALID_VALUE, INVALID_VALUE_FORMAT, ILLEGAL_VALUE ->
          e instanceof SchemaValidationException s
                  && s.getOutputUnit() != null
                  && !s.getOutputUnit().getErrors().isEmpty()
              ? lower(last(s.getOutputUnit().getErrors()).getError())
              : "is not valid";
      default -> "is not valid";
    };
  }

  private static String bodyMessage(ValidatorException e) {
    String m = String.valueOf(e.getMessage());
    if (m.contains("can't be decoded")) {
      return "is not valid JSON";
    }
    if (m.contains("does not contain the required body")) {
      return "is required";
    }
    return "is not valid";
  }

  private static List<FieldError> fromOutput(OutputUnit unit) {
    Map<String, String> byField = new LinkedHashMap<>();
    List<OutputUnit> errors = unit.getErrors() == null ? List.of() : unit.getErrors();
    // the validator also runs additionalProperties on a declared property whose own schema failed;
    // such a field is known, and its real error is reported
    java.util.Set<String> declared = new java.util.HashSet<>();
    for (OutputUnit error : errors) {
      if (error.getKeywordLocation() != null
          && error.getKeywordLocation().endsWith("/properties")) {
        declared.add(String.valueOf(error.getInstanceLocation()));
      }
    }
    for (OutputUnit error : errors) {
      String location = error.getInstanceLocation() == null ? "" : error.getInstanceLocation();
      String message = error.getError() == null ? "is not valid" : error.getError();
      String field = pointerToField(location);
      Matcher prop = PROPERTY.matcher(message);
      if (message.startsWith("Instance does not have required property") && prop.find()) {
        field = join(field, prop.group(1));
        message = "is required";
      } else if (message.contains("does not match additional properties")
          || message.contains("unevaluated properties")) {
        if (declared.contains(location)) {
          continue;
        }
        message = "is not a known field";
      } else if (isSummary(error)) {
        continue;
      }
      byField.putIfAbsent(field.isEmpty() ? "body" : field, lower(message));
    }
    List<FieldError> out = new ArrayList<>();
    // the validator also reports a property whose value failed below it as "not a known field":
    // drop that echo
    byField.forEach(
        (f, m) -> {
          boolean echo =
              m.equals("is not a known field")
                  && byField.keySet().stream()
                      .anyMatch(other -> other.startsWith(f + ".") || other.startsWith(f + "["));
          if (!echo) {
            out.add(new FieldError(f, m));
          }
        });
    return out;
  }

  // "properties"/"items"/"$ref"/"allOf" errors only repeat that something below them failed
  private static boolean isSummary(OutputUnit error) {
    String kw = error.getKeywordLocation() == null ? "" : error.getKeywordLocation();
    return kw.endsWith("/properties")
        || kw.endsWith("/items")
        || kw.endsWith("/$ref")
        || kw.endsWith("/allOf")
        || kw.endsWith("/prefixItems");
  }

  static String pointerToField(String pointer) {
    StringBuilder sb = new StringBuilder();
    String path = pointer.startsWith("#") ? pointer.substring(1) : pointer;
    for (String raw : path.split("/")) {
      if (raw.isEmpty()) {
        continue;
      }
      String part = raw.replace("~1", "/").replace("~0", "~");
      if (part.chars().allMatch(Character::isDigit)) {
        sb.append('[').append(part).append(']');
      } else {
        sb.append(sb.length() == 0 ? "" : ".").append(part);
      }
    }
    return sb.toString();
  }

  private static String join(String parent, String child) {
    return parent.isEmpty() ? child : parent + "." + child;
  }

  private static OutputUnit last(List<OutputUnit> list) {
    return list.get(list.size() - 1);
  }

  private static String lower(String s) {
    return s == null || s.isEmpty()
        ? "is not valid"
        : Character.toLowerCase(s.charAt(0)) + s.substring(1);
  }
}
