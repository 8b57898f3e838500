package uk.gov.islington.youthsafety.api;

import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;
import sun.misc.Signal;
import uk.gov.islington.youthsafety.api.config.Config;

/**
 * Starts the service from environment variables (docs/operations.md); SIGTERM and SIGINT shut it
 * down gracefully. The signals are handled before the JVM's shutdown starts because shutdown hooks
 * run concurrently: the embedded PostgreSQL's own hook would otherwise stop the database while
 * requests in flight still need it. The shutdown hook stays as a fallback for other exits.
 */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    Logger log = LoggerFactory.getLogger(Main.class);
    App app;
    try {
      app = App.start(Config.fromEnvironment(), Clock.systemUTC());
    } catch (Exception e) {
      log.error("start failed: {}", e.getMessage(), e);
      System.exit(1);
      return;
    }
    Runnable shutdown =
        () -> {
          try {
            app.close();
          } catch (Exception e) {
            log.error("shutdown failed", e);
          }
        };
    Runtime.getRuntime().addShutdownHook(new Thread(shutdown, "shutdown"));
    for (String name : new String[] {"TERM", "INT"}) {
      try {
        Signal.handle(
            new Signal(name),
            signal -> {
              log.info("SIG{} received", name);
              // on its own thread: the signal dispatcher must not block for the grace period
              Thread t =
                  new Thread(
                      () -> {
                        shutdown.run();
                        System.exit(0);
                      },
                      "graceful-shutdown");
              t.start();
            });
      } catch (IllegalArgumentException e) {
        log.warn("cannot handle SIG{} on this platform; relying on the shutdown hook", name);
      }
    }
  }
}
