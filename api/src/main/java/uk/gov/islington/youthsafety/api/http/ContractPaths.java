package uk.gov.islington.youthsafety.api.http;

import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** The contract's paths as patterns, to answer 405 with the methods a path does allow. */
final class ContractPaths {

  private record Entry(Pattern pattern, TreeSet<String> methods) {}

  private final List<Entry> entries = new ArrayList<>();

  ContractPaths(OpenAPIContract contract) {
    for (Path path : contract.getPaths()) {
      Pattern p = Pattern.compile(toRegex(path.getName()));
      TreeSet<String> methods = new TreeSet<>();
      for (Operation op : path.getOperations()) {
        methods.add(op.getHttpMethod().name());
      }
      entries.add(new Entry(p, methods));
    }
  }

  /** The Allow header value for a concrete request path, or null when no contract path matches. */
  String allow(String requestPath) {
    TreeSet<String> all = new TreeSet<>();
    for (Entry e : entries) {
      if (e.pattern().matcher(requestPath).matches()) {
        all.addAll(e.methods());
      }
    }
    return all.isEmpty() ? null : String.join(", ", all);
  }

  private static String toRegex(String template) {
    StringBuilder sb = new StringBuilder();
    for (String part : template.split("(?=\\{)|(?<=})")) {
      sb.append(part.startsWith("{") && part.endsWith("}") ? "[^/]+" : Pattern.quote(part));
    }
    return sb.toString();
  }
}
