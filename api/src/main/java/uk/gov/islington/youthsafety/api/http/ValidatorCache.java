package uk.gov.islington.youthsafety.api.http;

import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.json.schema.Validator;
import io.vertx.openapi.contract.OpenAPIContract;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The contract as the request validator sees it, with one schema validator per schema instead of
 * one per request. Vert.x's RequestValidator asks the schema repository for a validator for every
 * parameter and body of every request, and each one copies the whole contract's schema map
 * (vertx-json-schema 5.0.8, SchemaValidatorImpl's constructor): over half the CPU of a request
 * with a few query parameters, growing with the contract. Validators are immutable once built
 * (final fields, read-only map), so one per schema instance is safe to share.
 */
final class ValidatorCache {

  private ValidatorCache() {}

  static OpenAPIContract wrap(OpenAPIContract contract) {
    SchemaRepository repository = contract.getSchemaRepository();
    // JsonSchema keeps Object's identity equals/hashCode, so this is keyed by schema instance; reads
    // take no lock (every event loop asks for a validator on most requests)
    Map<JsonSchema, Validator> validators = new ConcurrentHashMap<>();
    SchemaRepository cached = proxy(SchemaRepository.class, repository, (method, args) ->
        method.getName().equals("validator") && args != null && args.length == 1 && args[0] instanceof JsonSchema s
            ? validators.computeIfAbsent(s, repository::validator) : null);
    return proxy(OpenAPIContract.class, contract, (method, args) ->
        method.getName().equals("getSchemaRepository") && (args == null || args.length == 0) ? cached : null);
  }

  private interface Override {
    /** The answer instead of the delegate's, or null to delegate. */
    Object apply(Method method, Object[] args);
  }

  private static <T> T proxy(Class<T> type, T delegate, Override override) {
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, method, args) -> {
      Object answer = override.apply(method, args);
      if (answer != null) {
        return answer;
      }
      try {
        return method.invoke(delegate, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    }));
  }
}
