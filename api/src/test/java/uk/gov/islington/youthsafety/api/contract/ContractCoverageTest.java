package uk.gov.islington.youthsafety.api.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import uk.gov.islington.youthsafety.api.AppContext;
import uk.gov.islington.youthsafety.api.http.ApiRouter;
import uk.gov.islington.youthsafety.api.http.ClientNetwork;
import uk.gov.islington.youthsafety.api.http.ContractLoader;
import uk.gov.islington.youthsafety.api.http.Reply;
import uk.gov.islington.youthsafety.api.http.Routes;
import uk.gov.islington.youthsafety.api.testing.TestApp;
import uk.gov.islington.youthsafety.api.testing.WithTestApp;

/**
 * The contract and the code agree: every operation in openapi.yaml has exactly one handler, no
 * handler serves an operation the contract lacks (the start fails on either), and every route the
 * router serves is a path and method of the contract.
 */
@WithTestApp
class ContractCoverageTest {

  static TestApp app;
  static OpenAPIContract contract;

  @BeforeAll
  static void start() throws Exception {
    contract = ContractLoader.load(app.app().context().vertx()).await(30, TimeUnit.SECONDS);
  }

  static Routes featureRoutes() {
    Routes routes = new Routes();
    app.app().features().forEach(f -> f.routes(routes));
    return routes;
  }

  static Router build(Routes routes) {
    AppContext c = app.app().context();
    return ApiRouter.build(
        c.vertx(),
        contract,
        routes,
        c.tokens(),
        c.rateLimits(),
        64 * 1024,
        ClientNetwork.of(List.of(), 0),
        c.deadlines());
  }

  @Test
  void everyOperationHasAHandlerAndEveryHandlerAnOperation() throws Exception {
    Set<String> operations =
        contract.operations().stream().map(Operation::getOperationId).collect(Collectors.toSet());
    Set<String> handled = featureRoutes().handlers().keySet();
    assertThat(new TreeSet<>(handled)).isEqualTo(new TreeSet<>(operations));
    // the file the tests read and the router's filtered copy hold the same operations
    assertThat(
            ContractFile.load(app.app().context().vertx()).operations().stream()
                .map(ContractFile.Op::operationId)
                .collect(Collectors.toSet()))
        .isEqualTo(operations);
  }

  @Test
  void anOperationWithoutAHandlerStopsTheStart() {
    Routes routes = new Routes();
    featureRoutes()
        .handlers()
        .forEach(
            (id, h) -> {
              if (!id.equals("listStaff")) {
                routes.on(id, h);
              }
            });
    assertThatThrownBy(() -> build(routes))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("operations without a handler [listStaff]");
  }

  @Test
  void aHandlerWithoutAnOperationStopsTheStart() {
    Routes routes = new Routes();
    featureRoutes().handlers().forEach(routes::on);
    routes.on("deleteEverything", req -> Future.succeededFuture(Reply.noContent()));
    assertThatThrownBy(() -> build(routes))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("handlers without an operation [deleteEverything]");
  }

  @Test
  void aSecondHandlerForAnOperationIsRefused() {
    Routes routes = new Routes();
    routes.on("liveness", req -> Future.succeededFuture(Reply.noContent()));
    assertThatThrownBy(
            () -> routes.on("liveness", req -> Future.succeededFuture(Reply.noContent())))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void everyRouteOfTheBuiltRouterIsInTheContract() {
    Set<String> contractRoutes = new HashSet<>();
    for (Operation op : contract.operations()) {
      contractRoutes.add(
          op.getHttpMethod() + " " + op.getOpenAPIPath().replaceAll("\\{([^}]+)}", ":$1"));
    }
    Set<String> served = new HashSet<>();
    for (Route route : build(featureRoutes()).getRoutes()) {
      if (route.getPath() == null && route.getName() == null) {
        continue; // the global route of root handlers and the failure handler
      }
      if (route.getPath() != null
          && (route.getPath().startsWith("/console") || route.getPath().startsWith("/bulletins"))) {
        continue; // the console's and the public bulletin pages: HTML, not contract operations
      }
      Set<HttpMethod> methods = route.methods();
      assertThat(methods).as("route %s serves all methods", route.getName()).hasSize(1);
      served.add(methods.iterator().next() + " " + route.getName());
    }
    assertThat(served).isEqualTo(contractRoutes);
  }
}
