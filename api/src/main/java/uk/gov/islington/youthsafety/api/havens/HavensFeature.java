package uk.gov.islington.youthsafety.api.havens;

import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import uk.gov.islington.youthsafety.api.AppContext;
import uk.gov.islington.youthsafety.api.Feature;
import uk.gov.islington.youthsafety.api.http.Routes;
import uk.gov.islington.youthsafety.content.common.DemoContent;
import uk.gov.islington.youthsafety.content.common.PgListener;
import uk.gov.islington.youthsafety.content.common.Retention;
import uk.gov.islington.youthsafety.content.havens.HavenApplications;
import uk.gov.islington.youthsafety.content.havens.HavenCatalogue;
import uk.gov.islington.youthsafety.content.havens.Havens;
import uk.gov.islington.youthsafety.content.havens.SampleHavens;

/**
 * Safe Havens, wired: the in-memory catalogue and its listener, the services, the retention rules
 * of applications and the sample havens of the embedded default. The operations are in {@link
 * HavenRoutes}; settings in {@link HavenSettings}.
 */
public final class HavensFeature implements Feature {

  private final Vertx vertx;
  private final Clock clock;
  private final HavenCatalogue catalogue;
  private final Havens havens;
  private final HavenApplications applications;
  private final Duration contactRetention;
  private final Duration pendingRetention;
  private final Duration reverifyAfter;

  public HavensFeature(AppContext app) {
    this.vertx = app.vertx();
    this.clock = app.clock();
    HavenSettings settings = HavenSettings.from(app.config());
    this.catalogue =
        new HavenCatalogue(
            app.vertx(),
            app.pool(),
            app.listenerOptions("havens-listener"),
            settings.resyncInterval());
    this.havens =
        new Havens(app.vertx(), app.pool(), app.clock(), catalogue, settings.nearbyIndex());
    this.applications =
        new HavenApplications(app.pool(), app.clock(), settings.serviceArea(), catalogue);
    this.contactRetention = settings.contactRetention();
    this.pendingRetention = settings.pendingRetention();
    this.reverifyAfter = settings.reverifyAfter();
  }

  public Havens havens() {
    return havens;
  }

  public HavenApplications applications() {
    return applications;
  }

  /** How long after the decision an applicant's contact details are kept. */
  public Duration contactRetention() {
    return contactRetention;
  }

  /** How long an application may wait undecided before it expires. */
  public Duration pendingRetention() {
    return pendingRetention;
  }

  /** How long after its last verification a haven is due to be verified again. */
  public Duration reverifyAfter() {
    return reverifyAfter;
  }

  @Override
  public void routes(Routes routes) {
    new HavenRoutes(vertx, clock, havens, applications).addTo(routes);
  }

  @Override
  public List<Retention> retention() {
    return List.of(HavenApplications.retention(contactRetention, pendingRetention));
  }

  @Override
  public List<DemoContent> demoContent() {
    return List.of(new SampleHavens());
  }

  @Override
  public List<PgListener> listeners() {
    return List.of(catalogue.listener());
  }
}
