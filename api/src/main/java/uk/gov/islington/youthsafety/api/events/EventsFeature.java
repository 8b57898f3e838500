package uk.gov.islington.youthsafety.api.events;

import java.time.Clock;
import java.util.List;
import uk.gov.islington.youthsafety.api.AppContext;
import uk.gov.islington.youthsafety.api.Feature;
import uk.gov.islington.youthsafety.api.http.Routes;
import uk.gov.islington.youthsafety.content.common.DemoContent;
import uk.gov.islington.youthsafety.content.common.PgListener;
import uk.gov.islington.youthsafety.content.events.Events;
import uk.gov.islington.youthsafety.content.events.EventsDemoContent;

/**
 * Events, wired: the service and its in-memory catalogue (kept by LISTEN/NOTIFY), the cache of
 * rendered public answers, and the demo content. The operations are in {@link EventRoutes};
 * settings in {@link EventsSettings}.
 */
public final class EventsFeature implements Feature {

  private final Events events;
  private final Clock clock;
  private final AnswerCache cache;

  public EventsFeature(AppContext app) {
    EventsSettings settings = EventsSettings.from(app.config());
    this.events =
        new Events(
            app.vertx(),
            app.pool(),
            app.listenerOptions("events-listener"),
            app.clock(),
            settings.events());
    this.clock = app.clock();
    this.cache = new AnswerCache(settings.cacheEntries());
  }

  public Events events() {
    return events;
  }

  @Override
  public void routes(Routes routes) {
    new EventRoutes(events, clock, cache).addTo(routes);
  }

  @Override
  public List<DemoContent> demoContent() {
    return List.of(new EventsDemoContent(events));
  }

  @Override
  public List<PgListener> listeners() {
    return events.catalogue().listener().stream().toList();
  }
}
