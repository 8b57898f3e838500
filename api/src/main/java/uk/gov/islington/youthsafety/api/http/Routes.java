package uk.gov.islington.youthsafety.api.http;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The handlers features register, by operationId; {@link ApiRouter} binds them to the contract. */
public final class Routes {

  private final Map<String, ApiHandler> handlers = new LinkedHashMap<>();

  public Routes on(String operationId, ApiHandler handler) {
    if (handlers.putIfAbsent(operationId, handler) != null) {
      throw new IllegalStateException("two handlers for operation " + operationId);
    }
    return this;
  }

  public Map<String, ApiHandler> handlers() {
    return Collections.unmodifiableMap(handlers);
  }
}
