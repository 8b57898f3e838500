package uk.gov.islington.youthsafety.api.http;

import static io.vertx.openapi.validation.SchemaValidationException.createErrorFromOutputUnitType;
import static io.vertx.openapi.validation.SchemaValidationException.createInvalidValueBody;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaValidationException;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import io.vertx.json.schema.common.dsl.SchemaType;
import io.vertx.openapi.contract.Location;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.contract.RequestBody;
import io.vertx.openapi.contract.Style;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.ValidatedRequest;
import io.vertx.openapi.validation.ValidationContext;
import io.vertx.openapi.validation.ValidatorErrorType;
import io.vertx.openapi.validation.ValidatorException;
import io.vertx.openapi.validation.analyser.ContentAnalyser;
import io.vertx.openapi.validation.transformer.FormTransformer;
import io.vertx.openapi.validation.transformer.LabelTransformer;
import io.vertx.openapi.validation.transformer.MatrixTransformer;
import io.vertx.openapi.validation.transformer.ParameterTransformer;
import io.vertx.openapi.validation.transformer.SimpleTransformer;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Checks a request against its operation in the contract, with the same checks and the same
 * exceptions ({@link ValidatorException}, {@link
 * io.vertx.openapi.validation.SchemaValidationException}) as vertx-openapi's {@code
 * RequestValidator}, built only from the library's public API: its transformers, content analysers,
 * schema validators and exception factories. It differs where the stock validator was wrong or
 * slow:
 *
 * <ul>
 *   <li>values are read once from what Vert.x has already decoded: the stock extraction decodes
 *       query values a second time (a search for "100%" fails) and turns a "+" in a header into a
 *       space;
 *   <li>a string parameter is taken as the string it is: the stock transformer first tries any
 *       value that is not all word characters as JSON, so "-1" sent to a {@code type: string}
 *       parameter became a number and failed its own type, and every date-time threw and caught an
 *       exception;
 *   <li>one schema validator per schema, built here at start-up: the library's schema repository
 *       builds a new one, copying the contract's whole schema map, on every call;
 *   <li>a valid value of a simple parameter schema is recognised without the general schema
 *       validator ({@link SimpleParameterCheck}); anything else still goes to it;
 *   <li>it validates on the calling event loop instead of hopping to a worker thread and back:
 *       bodies are capped by the router's body limit, so the work is bounded.
 * </ul>
 *
 * The speed of each step is measured by {@code bench/events/ParameterValidationCost.java}, and
 * {@code ContractValidationConformanceTest} proves the errors equal the library's own.
 */
final class InlineRequestValidator {

  private static final Map<Style, ParameterTransformer> TRANSFORMERS = new EnumMap<>(Style.class);

  static {
    TRANSFORMERS.put(Style.SIMPLE, new SimpleTransformer());
    TRANSFORMERS.put(Style.LABEL, new LabelTransformer());
    TRANSFORMERS.put(Style.MATRIX, new MatrixTransformer());
    TRANSFORMERS.put(Style.FORM, new FormTransformer());
  }

  // the primitive transform is the same for every style
  private static final ParameterTransformer PRIMITIVES = TRANSFORMERS.get(Style.FORM);

  private static final RequestParameter ABSENT = new Value(null);

  // both built once, read-only afterwards (so shared by every event loop without a lock)
  private final Map<Parameter, SimpleParameterCheck> simpleChecks = new IdentityHashMap<>();
  private final Map<JsonSchema, Validator> validators = new IdentityHashMap<>();

  InlineRequestValidator(OpenAPIContract contract) {
    for (Operation op : contract.operations()) {
      for (Parameter p : op.getParameters()) {
        SimpleParameterCheck check = SimpleParameterCheck.of(p.getSchema());
        if (check != null) {
          simpleChecks.put(p, check);
        }
        if (p.getSchema() != null) {
          validators.computeIfAbsent(p.getSchema(), contract.getSchemaRepository()::validator);
        }
      }
      RequestBody body = op.getRequestBody();
      if (body != null) {
        for (MediaType type : body.getContent().values()) {
          if (type.getSchema() != null) {
            validators.computeIfAbsent(type.getSchema(), contract.getSchemaRepository()::validator);
          }
        }
      }
    }
  }

  /** Whether valid values of this parameter are recognised without the general validator. */
  boolean hasQuickCheck(Parameter parameter) {
    return simpleChecks.containsKey(parameter);
  }

  /** The validated request, or a {@link ValidatorException} naming what is wrong. */
  ValidatedRequest validate(RoutingContext ctx, Operation operation, Buffer body) {
    HttpServerRequest request = ctx.request();
    return validate(
        operation,
        (in, name) ->
            switch (in) {
              case COOKIE -> {
                Cookie cookie = request.getCookie(name);
                yield cookie == null ? null : cookie.getValue();
              }
              case HEADER -> request.getHeader(name);
              case PATH -> ctx.pathParam(name);
              case QUERY -> request.getParam(name);
            },
        body,
        request.getHeader(HttpHeaders.CONTENT_TYPE));
  }

  /**
   * @param raw a parameter's value as sent (after the URL's own decoding), or null when absent
   * @param body null or empty when the request has none
   */
  ValidatedRequest validate(
      Operation operation,
      BiFunction<Location, String, String> raw,
      Buffer body,
      String contentType) {
    Map<String, RequestParameter> cookies = new HashMap<>();
    Map<String, RequestParameter> headers = new HashMap<>();
    Map<String, RequestParameter> path = new HashMap<>();
    Map<String, RequestParameter> query = new HashMap<>();
    for (Parameter param : operation.getParameters()) {
      String name = param.getName();
      RequestParameter value = validateParameter(param, raw.apply(param.getIn(), name));
      switch (param.getIn()) {
        case COOKIE -> cookies.put(name, value);
        case HEADER -> headers.put(name, value);
        case PATH -> path.put(name, value);
        case QUERY -> query.put(name, value);
      }
    }
    return new Validated(
        cookies, headers, path, query, validateBody(operation.getRequestBody(), body, contentType));
  }

  RequestParameter validateParameter(Parameter parameter, String raw) {
    if (raw == null) {
      if (parameter.isRequired()) {
        throw ValidatorException.createMissingRequiredParameter(parameter);
      }
      return ABSENT;
    }
    boolean string = parameter.getSchemaType() == SchemaType.STRING;
    SimpleParameterCheck check = simpleChecks.get(parameter);
    if (check != null) {
      Object value = check.parse(raw);
      if (value == null && !string) {
        value = PRIMITIVES.transform(parameter, raw);
      }
      if (value != null && check.accepts(value)) {
        return new Value(value);
      }
    }
    Object value = raw;
    if (!string) {
      ParameterTransformer transformer = TRANSFORMERS.get(parameter.getStyle());
      if (transformer == null) {
        throw ValidatorException.createUnsupportedValueFormat(parameter);
      }
      value = transformer.transform(parameter, raw);
    }
    OutputUnit result = validators.get(parameter.getSchema()).validate(value);
    try {
      result.checkValidity();
      return new Value(value);
    } catch (JsonSchemaValidationException e) {
      throw createErrorFromOutputUnitType(parameter, result, e);
    }
  }

  private RequestParameter validateBody(RequestBody requestBody, Buffer body, String contentType) {
    if (requestBody == null) {
      return ABSENT;
    }
    if (body == null || body.length() == 0) {
      if (requestBody.isRequired()) {
        throw new ValidatorException(
            "The related request does not contain the required body.",
            ValidatorErrorType.MISSING_REQUIRED_PARAMETER);
      }
      return ABSENT;
    }
    MediaType mediaType = requestBody.determineContentType(contentType);
    ContentAnalyser analyser =
        mediaType == null
            ? null
            : ContentAnalyser.getContentAnalyser(
                mediaType, contentType, body, ValidationContext.REQUEST);
    if (analyser == null) {
      throw new ValidatorException(
          "The format of the " + ValidationContext.REQUEST + " body is not supported",
          ValidatorErrorType.UNSUPPORTED_VALUE_FORMAT);
    }
    analyser.checkSyntacticalCorrectness();
    if (!needsSchemaValidation(mediaType)) {
      return new Value(body);
    }
    Object value = analyser.transform();
    OutputUnit result = validators.get(mediaType.getSchema()).validate(value);
    try {
      result.checkValidity();
      return new Value(value);
    } catch (JsonSchemaValidationException e) {
      throw createInvalidValueBody(result, ValidationContext.REQUEST, e);
    }
  }

  /** As the library decides it: every schema except a bare {@code type: string, format: binary}. */
  private static boolean needsSchemaValidation(MediaType mediaType) {
    JsonSchema schema = mediaType.getSchema();
    if (schema == null) {
      return false;
    }
    Object type = schema.get("type");
    Object format = schema.get("format");
    boolean binary =
        "string".equalsIgnoreCase(String.valueOf(type))
            && "binary".equalsIgnoreCase(String.valueOf(format));
    return !(binary && schema.fieldNames().size() == 2);
  }

  /** A parameter's or body's value as validated (null when absent). */
  record Value(Object value) implements RequestParameter {
    @Override
    public Object get() {
      return value;
    }
  }

  private record Validated(
      Map<String, RequestParameter> getCookies,
      Map<String, RequestParameter> getHeaders,
      Map<String, RequestParameter> getPathParameters,
      Map<String, RequestParameter> getQuery,
      RequestParameter getBody)
      implements ValidatedRequest {}
}
