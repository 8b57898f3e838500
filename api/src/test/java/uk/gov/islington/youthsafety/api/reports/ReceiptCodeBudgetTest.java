package uk.gov.islington.youthsafety.api.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static uk.gov.islington.youthsafety.api.reports.Reports.report;
import static uk.gov.islington.youthsafety.api.reports.Reports.submitOk;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import uk.gov.islington.youthsafety.api.testing.TestApp;
import uk.gov.islington.youthsafety.api.testing.WithTestApp;
import uk.gov.islington.youthsafety.content.reports.ReceiptCodes;

/**
 * What receipt-code look-ups may cost: wrong codes are counted before they are looked up (so a
 * burst cannot pass the cap), and even right codes have a budget per code and per client network
 * (each look-up costs a slow hash and database reads). Every test comes from networks of its own.
 */
@WithTestApp({
  "TRUSTED_PROXIES=127.0.0.1/32,::1/128",
  "REPORT_CODE_FAILURES_CAPACITY=3",
  "REPORT_CODE_FAILURES_PER_HOUR=1",
  "REPORT_CODE_LOOKUPS_PER_CODE_CAPACITY=4",
  "REPORT_CODE_LOOKUPS_PER_CODE_PER_HOUR=1",
  "REPORT_CODE_LOOKUPS_PER_NETWORK_CAPACITY=6",
  "REPORT_CODE_LOOKUPS_PER_NETWORK_PER_HOUR=1",
  "REPORT_SUBMIT_RATE_CAPACITY=100"
})
class ReceiptCodeBudgetTest {

  static TestApp app;
  static final AtomicInteger NETWORKS = new AtomicInteger();

  static String newNetwork() {
    int n = NETWORKS.incrementAndGet();
    return "2001:db8:77:" + Integer.toHexString(n) + "::1";
  }

  static Future<HttpResponse<Buffer>> check(String network, String code) {
    return app.http()
        .post("/v1/reports/status")
        .putHeader("X-Forwarded-For", network)
        .sendJsonObject(new JsonObject().put("receiptCode", code));
  }

  static String newCode() {
    return submitOk(app, report("drugs", "budget-" + UUID.randomUUID(), false))
        .getString("receiptCode");
  }

  @Test
  void aConcurrentBurstOfWrongCodesGetsNoMoreLookUpsThanTheCap() {
    String network = newNetwork();
    List<Future<HttpResponse<Buffer>>> burst = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      burst.add(check(network, new ReceiptCodes(null).generate()));
    }
    app.await(Future.join(burst));
    long lookedUp = burst.stream().filter(f -> f.result().statusCode() == 404).count();
    long refused = burst.stream().filter(f -> f.result().statusCode() == 429).count();
    assertThat(lookedUp).isLessThanOrEqualTo(3);
    assertThat(lookedUp + refused).isEqualTo(12);
  }

  @Test
  void aRightCodeHasAPerCodeBudgetWhicheverNetworkAsks() {
    String code = newCode();
    for (int i = 0; i < 4; i++) {
      assertThat(app.await(check(newNetwork(), code)).statusCode()).isEqualTo(200);
    }
    HttpResponse<Buffer> spent = app.await(check(newNetwork(), code));
    assertThat(spent.statusCode()).isEqualTo(429);
    assertThat(spent.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(Long.parseLong(spent.getHeader("Retry-After"))).isPositive();
    assertThat(spent.getHeader("RateLimit"))
        .isEqualTo("\"checkReport\";r=0;t=" + spent.getHeader("Retry-After"));
    // another code is unaffected
    assertThat(app.await(check(newNetwork(), newCode())).statusCode()).isEqualTo(200);
  }

  @Test
  void rightCodesHaveAPerNetworkBudget() {
    String network = newNetwork();
    for (int i = 0; i < 6; i++) {
      assertThat(app.await(check(network, newCode())).statusCode()).isEqualTo(200);
    }
    assertThat(app.await(check(network, newCode())).statusCode()).isEqualTo(429);
    // another network is unaffected
    assertThat(app.await(check(newNetwork(), newCode())).statusCode()).isEqualTo(200);
  }
}
