package uk.gov.islington.youthsafety.api.events;

import uk.gov.islington.youthsafety.api.config.Config;
import uk.gov.islington.youthsafety.content.events.CalendarFeed;
import uk.gov.islington.youthsafety.content.events.EventQuery;
import uk.gov.islington.youthsafety.content.events.Events;

/**
 * Every setting of events, read and checked once at start (docs/operations.md, "Events").
 *
 * @param events what the service needs (defaults in {@link Events.Settings#defaults()})
 * @param cacheEntries rendered answers kept in memory
 */
record EventsSettings(Events.Settings events, int cacheEntries) {

  static EventsSettings from(Config c) {
    Events.Settings d = Events.Settings.defaults();
    return new EventsSettings(
        new Events.Settings(
            new EventQuery.Windows(
                c.positiveDuration("EVENTS_DEFAULT_WINDOW", d.windows().defaultLength()),
                c.positiveDuration("EVENTS_MAX_WINDOW", d.windows().maxLength())),
            c.positiveDuration("EVENTS_FEED_PAST", d.feedPast()),
            new CalendarFeed.Options(
                c.string("EVENTS_UID_DOMAIN", d.feed().uidDomain()),
                c.string("EVENTS_FEED_NAME", d.feed().name()),
                c.positiveDuration("EVENTS_FEED_REFRESH", d.feed().refresh())),
            c.positiveDuration("EVENTS_CACHE_MAX_AGE", d.cacheMaxAge()),
            c.bool("EVENTS_CACHE", d.cacheEnabled())),
        c.integer("EVENTS_CACHE_ENTRIES", 2000, 1, 10_000_000));
  }
}
