import io.vertx.core.Vertx;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.validation.transformer.FormTransformer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Callable;

/**
 * What the router's contract validation costs for one query parameter of listEvents
 * (`to=2026-11-30T18:00:00Z`) in vertx-openapi 5.0.8, step by step:
 * <ul>
 *   <li>schema validation as vertx-openapi's RequestValidator does it, building a schema validator
 *       per call (copying the contract's whole schema map; InlineRequestValidator builds each
 *       once at start-up);</li>
 *   <li>the form-style transformer alone: a string that is not all word characters (a date-time
 *       has '-' and ':') is first tried as JSON, which throws a DecodeException every time;</li>
 *   <li>the same transformer on a word-only string (no exception), and schema validation with a
 *       validator built once.</li>
 * </ul>
 * Single-file program; from the repository root:
 * <pre>
 * mvn -B -q -pl api dependency:build-classpath -Dmdep.outputFile=target/api.cp
 * java -cp "$(cat target/api.cp):api/target/classes" bench/events/ParameterValidationCost.java openapi.yaml
 * </pre>
 */
public class ParameterValidationCost {

  public static void main(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx();
    OpenAPIContract contract = uk.gov.islington.youthsafety.api.http.ContractLoader
        .fromText(vertx, java.nio.file.Files.readString(java.nio.file.Path.of(args[0])))
        .await(60, TimeUnit.SECONDS);
    Parameter to = contract.operation("listEvents").getParameters().stream()
        .filter(p -> p.getName().equals("to")).findFirst().orElseThrow();
    String dateTime = "2026-11-30T18:00:00Z";
    FormTransformer form = new FormTransformer();
    var once = contract.getSchemaRepository().validator(to.getSchema());
    report("schema validation, validator built per call", () ->
        contract.getSchemaRepository().validator(to.getSchema()).validate(dateTime));
    report("form transform of a date-time (DecodeException inside)", () -> form.transform(to, dateTime));
    report("form transform of a word-only string", () -> form.transform(to, "20261130T180000Z"));
    report("schema validation, validator built once", () -> once.validate(dateTime));
    vertx.close();
  }

  private static void report(String name, Callable<Object> work) throws Exception {
    int n = 20_000;
    double[] rounds = new double[7];
    for (int r = 0; r < rounds.length; r++) {
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        work.call();
      }
      rounds[r] = (System.nanoTime() - t0) / 1000.0 / n;
    }
    Arrays.sort(rounds);
    System.out.printf("{\"name\":\"%s\",\"us_median_of_7\":%.1f}%n", name, rounds[3]);
  }
}
