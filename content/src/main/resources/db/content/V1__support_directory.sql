-- The support directory: the real Directory of Support (seed 004, section 11) plus the emergency
-- and anonymous-reporting numbers. Public information, no personal data.
CREATE TABLE content.support_services (
  id          text PRIMARY KEY,
  name        text NOT NULL,
  description text NOT NULL,
  category    text NOT NULL,
  age_min     int,
  age_max     int,
  phone       text,
  email       text,
  website     text,
  address     text,
  sort_order  int NOT NULL UNIQUE,
  CHECK (age_min IS NULL OR age_max IS NULL OR age_min <= age_max)
);

CREATE INDEX support_services_category ON content.support_services (category, sort_order);
