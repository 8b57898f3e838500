package uk.gov.islington.youthsafety.api.directory;

import java.time.Duration;
import java.util.List;
import uk.gov.islington.youthsafety.api.AppContext;
import uk.gov.islington.youthsafety.api.Feature;
import uk.gov.islington.youthsafety.api.http.Routes;
import uk.gov.islington.youthsafety.content.common.PgListener;
import uk.gov.islington.youthsafety.content.directory.SupportCatalogue;
import uk.gov.islington.youthsafety.content.directory.SupportDirectory;

/**
 * The directory of support, wired: its catalogue (kept in memory, refreshed by LISTEN/NOTIFY and a
 * periodic resync) and the service behind its operations, which are in {@link SupportRoutes}:
 * listSupportServices (public, with a strong ETag and delta sync), getSupportService, the editors'
 * create, update, retire, reinstate and history, and the Open Referral UK export and import.
 *
 * <p>Settings (docs/operations.md, "Support directory"): {@code SUPPORT_RESYNC_INTERVAL}.
 */
public final class SupportDirectoryFeature implements Feature {

  private final SupportCatalogue catalogue;
  private final SupportDirectory directory;

  public SupportDirectoryFeature(AppContext app) {
    this.catalogue =
        new SupportCatalogue(
            app.vertx(),
            app.pool(),
            app.listenerOptions("support-listener"),
            app.config().positiveDuration("SUPPORT_RESYNC_INTERVAL", Duration.ofSeconds(60)));
    this.directory = new SupportDirectory(app.pool(), app.clock(), catalogue);
  }

  @Override
  public List<PgListener> listeners() {
    return List.of(catalogue.listener());
  }

  @Override
  public void routes(Routes routes) {
    new SupportRoutes(directory).addTo(routes);
  }
}
