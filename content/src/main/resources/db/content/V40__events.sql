-- Events (issue 6): listings with recurrence, age and place, and the calendar feed.
-- Public information about public events: no personal data about young people is stored here.
-- Times are instants (timestamptz); every event happens in Europe/London and its recurrence is
-- expanded in that zone, so exdates and cancelled occurrences are London calendar dates.
CREATE TABLE content.events (
  id                     text PRIMARY KEY,
  title                  text NOT NULL,
  description            text NOT NULL,
  category               text NOT NULL,
  organiser              text,
  venue_name             text NOT NULL,
  venue_address          text NOT NULL,
  venue_lat              double precision,
  venue_lon              double precision,
  starts_at              timestamptz NOT NULL,
  ends_at                timestamptz NOT NULL,
  -- normalised RFC 5545 RRULE value (no "RRULE:" prefix), null for a one-off event
  recurrence             text,
  -- London dates on which a recurring event does not take place (planned gaps, e.g. school holidays)
  exdates                date[] NOT NULL DEFAULT '{}',
  -- occurrences called off after publication: [{ "date": "YYYY-MM-DD", "reason": text|null, "at": instant }]
  cancelled_occurrences  jsonb NOT NULL DEFAULT '[]',
  -- end of the last occurrence (an upper bound for UNTIL rules); null when the series is open-ended
  series_ends_at         timestamptz,
  age_min                int,
  age_max                int,
  cost_free              boolean,
  cost_details           text,
  booking_url            text,
  accessibility          text,
  status                 text NOT NULL DEFAULT 'scheduled',
  previous_starts_at     timestamptz,
  cancellation_reason    text,
  -- shown in listings and the feed, never promoted (no push, no featuring), e.g. the annual memorial
  sensitive              boolean NOT NULL DEFAULT false,
  -- demo content on the embedded default
  sample                 boolean NOT NULL DEFAULT false,
  -- iCalendar SEQUENCE: bumped on every change, so subscribed calendars take the new version
  sequence               int NOT NULL DEFAULT 0,
  created_at             timestamptz NOT NULL,
  updated_at             timestamptz NOT NULL,
  CHECK (ends_at > starts_at),
  CHECK (status IN ('scheduled', 'postponed', 'cancelled')),
  CHECK (age_min IS NULL OR age_max IS NULL OR age_min <= age_max),
  CHECK ((venue_lat IS NULL) = (venue_lon IS NULL)),
  CHECK (sequence >= 0)
);

CREATE INDEX events_starts_at ON content.events (starts_at);
CREATE INDEX events_series_ends_at ON content.events (series_ends_at);

-- Idempotency of createEvent: one row per (staff member, Idempotency-Key), kept for 48 hours.
CREATE TABLE content.event_requests (
  staff_id      text NOT NULL,
  key           text NOT NULL,
  request_hash  text NOT NULL,
  event_id      text REFERENCES content.events (id),
  created_at    timestamptz NOT NULL,
  PRIMARY KEY (staff_id, key)
);

CREATE INDEX event_requests_created_at ON content.event_requests (created_at);
