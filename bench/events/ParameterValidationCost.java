import io.vertx.core.Vertx;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.impl.RequestParameterImpl;
import io.vertx.openapi.validation.impl.RequestValidatorImpl;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * What the router's contract validation costs per query parameter of listEvents, as vertx-openapi
 * 5.0.8 does it on every request (RequestValidatorImpl.validateParameter builds a new
 * SchemaValidator, copying the contract's whole schema lookup map), against validating the same
 * value with a validator built once. Single-file program; run from the repository root:
 *
 * <pre>
 * mvn -B -q -pl api dependency:build-classpath -Dmdep.outputFile=target/api.cp
 * java -cp "$(cat target/api.cp):api/target/classes" bench/events/ParameterValidationCost.java openapi.yaml
 * </pre>
 */
public class ParameterValidationCost {
  public static void main(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx();
    OpenAPIContract contract = uk.gov.islington.youthsafety.api.http.ContractLoader.load(vertx, args[0])
        .await(60, TimeUnit.SECONDS);
    RequestValidatorImpl validator = new RequestValidatorImpl(vertx, contract);
    Parameter to = contract.operation("listEvents").getParameters().stream()
        .filter(p -> p.getName().equals("to")).findFirst().orElseThrow();
    RequestParameter value = new RequestParameterImpl("2026-11-30T18:00:00Z");
    var once = contract.getSchemaRepository().validator(to.getSchema());
    int n = 20_000;
    double[] perRequest = new double[7];
    double[] prebuilt = new double[7];
    for (int round = 0; round < perRequest.length; round++) {
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        validator.validateParameter(to, value);
      }
      long t1 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        once.validate("2026-11-30T18:00:00Z").checkValidity();
      }
      long t2 = System.nanoTime();
      perRequest[round] = (t1 - t0) / 1000.0 / n;
      prebuilt[round] = (t2 - t1) / 1000.0 / n;
    }
    Arrays.sort(perRequest);
    Arrays.sort(prebuilt);
    System.out.printf("{\"name\":\"listEvents `to` parameter validation\",\"as the router does it (us)\":%.1f,"
        + "\"validator built once (us)\":%.1f}%n", perRequest[3], prebuilt[3]);
    vertx.close();
  }
}
