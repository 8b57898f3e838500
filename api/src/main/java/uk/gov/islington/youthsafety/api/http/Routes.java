package uk.gov.islington.youthsafety.api.http;

import io.vertx.ext.web.Router;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The handlers features register, by operationId; {@link ApiRouter} binds them to the contract.
 * Pages (HTML for people, not JSON operations, so not in the contract) are added to the router by
 * the feature itself, under its own path prefix.
 */
public final class Routes {

  private final Map<String, ApiHandler> handlers = new LinkedHashMap<>();
  private final List<Consumer<Router>> pages = new ArrayList<>();

  public Routes on(String operationId, ApiHandler handler) {
    if (handlers.putIfAbsent(operationId, handler) != null) {
      throw new IllegalStateException("two handlers for operation " + operationId);
    }
    return this;
  }

  /** Adds a feature's pages to every router built (one per event loop). */
  public Routes pages(Consumer<Router> mount) {
    pages.add(mount);
    return this;
  }

  public List<Consumer<Router>> pages() {
    return Collections.unmodifiableList(pages);
  }

  public Map<String, ApiHandler> handlers() {
    return Collections.unmodifiableMap(handlers);
  }
}
