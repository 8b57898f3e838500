package uk.gov.islington.youthsafety.api;

import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;
import uk.gov.islington.youthsafety.api.config.Config;

/** Starts the service from environment variables (docs/operations.md); SIGTERM shuts it down gracefully. */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    Logger log = LoggerFactory.getLogger(Main.class);
    try {
      App app = App.start(Config.fromEnvironment(), Clock.systemUTC());
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          app.close();
        } catch (Exception e) {
          log.error("shutdown failed", e);
        }
      }, "shutdown"));
    } catch (Exception e) {
      log.error("start failed: {}", e.getMessage(), e);
      System.exit(1);
    }
  }
}
