package uk.gov.islington.youthsafety.api.http;

import static io.vertx.openapi.validation.SchemaValidationException.createErrorFromOutputUnitType;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.json.schema.JsonSchemaValidationException;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.common.dsl.SchemaType;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.ValidatableRequest;
import io.vertx.openapi.validation.ValidatedRequest;
import io.vertx.openapi.validation.impl.RequestParameterImpl;
import io.vertx.openapi.validation.impl.RequestValidatorImpl;
import io.vertx.openapi.validation.impl.ValidatableRequestImpl;
import io.vertx.openapi.validation.impl.ValidatedRequestImpl;
import io.vertx.ext.web.RoutingContext;
import io.vertx.openapi.validation.transformer.FormTransformer;
import io.vertx.openapi.validation.transformer.ParameterTransformer;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Vert.x's request validation (vertx-openapi 5.0.8) with its checks and errors, minus what was
 * found wrong or slow under load and in tests:
 * <ul>
 *   <li>values are read once: {@code RequestUtils.extract} URL-decodes query values that Vert.x has
 *       already decoded, and headers that were never encoded, so a search for "100%" failed as
 *       "body: is not valid" and a "+" in a header became a space;</li>
 *   <li>a string parameter is taken as the string it is. The stock transformer first tries to decode
 *       any value that is not all word characters as JSON, so every date, time or negative number
 *       sent as a string threw and caught a DecodeException (about 20 µs each), and a search for
 *       "-1" became a number and then failed its own {@code type: string};</li>
 *   <li>a valid value of a simple parameter schema is recognised without the general schema
 *       validator ({@link SimpleParameterCheck}); anything else still goes to it;</li>
 *   <li>it validates on the calling event loop instead of hopping to a worker thread and back for
 *       every request: bodies are capped at MAX_BODY_BYTES (64 KiB), so the work is bounded.</li>
 * </ul>
 */
final class InlineRequestValidator extends RequestValidatorImpl {

  // the primitive transform is the same for every style
  private static final ParameterTransformer PRIMITIVES = new FormTransformer();

  // built once, read-only afterwards
  private final Map<Parameter, SimpleParameterCheck> simpleChecks = new IdentityHashMap<>();

  InlineRequestValidator(Vertx vertx, OpenAPIContract contract) {
    super(vertx, contract);
    for (Operation op : contract.operations()) {
      for (Parameter p : op.getParameters()) {
        SimpleParameterCheck check = SimpleParameterCheck.of(p.getSchema());
        if (check != null) {
          simpleChecks.put(p, check);
        }
      }
    }
  }

  /** Whether valid values of this parameter are recognised without the general validator. */
  boolean hasQuickCheck(Parameter parameter) {
    return simpleChecks.containsKey(parameter);
  }

  /** The validated request, or a {@link io.vertx.openapi.validation.ValidatorException} naming what is wrong. */
  ValidatedRequest validate(RoutingContext ctx, Operation operation, Buffer body) {
    Map<String, RequestParameter> cookies = new HashMap<>();
    Map<String, RequestParameter> headers = new HashMap<>();
    Map<String, RequestParameter> path = new HashMap<>();
    Map<String, RequestParameter> query = new HashMap<>();
    HttpServerRequest request = ctx.request();
    for (Parameter param : operation.getParameters()) {
      String name = param.getName();
      switch (param.getIn()) {
        case COOKIE -> {
          Cookie cookie = request.getCookie(name);
          cookies.put(name, validateParameter(param, cookie == null ? null : cookie.getValue()));
        }
        case HEADER -> headers.put(name, validateParameter(param, request.getHeader(name)));
        case PATH -> path.put(name, validateParameter(param, ctx.pathParam(name)));
        case QUERY -> query.put(name, validateParameter(param, request.getParam(name)));
      }
    }
    ValidatableRequest withBody = new ValidatableRequestImpl(cookies, headers, path, query,
        new RequestParameterImpl(body), request.getHeader(HttpHeaders.CONTENT_TYPE));
    return new ValidatedRequestImpl(cookies, headers, path, query, validateBody(operation.getRequestBody(), withBody));
  }

  private RequestParameter validateParameter(Parameter parameter, String raw) {
    if (raw == null) {
      return validateParameter(parameter, new RequestParameterImpl(null));
    }
    boolean string = parameter.getSchemaType() == SchemaType.STRING;
    SimpleParameterCheck check = simpleChecks.get(parameter);
    if (check != null) {
      Object value = check.parse(raw);
      if (value == null && !string) {
        value = PRIMITIVES.transform(parameter, raw);
      }
      if (value != null && check.accepts(value)) {
        return new RequestParameterImpl(value);
      }
    }
    if (!string) {
      return validateParameter(parameter, new RequestParameterImpl(raw));
    }
    OutputUnit result = contract.getSchemaRepository().validator(parameter.getSchema()).validate(raw);
    try {
      result.checkValidity();
      return new RequestParameterImpl(raw);
    } catch (JsonSchemaValidationException e) {
      throw createErrorFromOutputUnitType(parameter, result, e);
    }
  }
}
