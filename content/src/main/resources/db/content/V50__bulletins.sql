-- The Youth Safety Bulletin: drafts written by editors, sent once to push subscribers, and the
-- public archive of what was sent. Public content; the only personal data is the staff id of the
-- editor who wrote or sent it (an audit trail).
--
-- The life of a bulletin is a state machine that this table enforces, whatever the code does:
--   draft ──send──▶ scheduled ──(send_at reached; fan-out)──▶ sending ──(last batch)──▶ sent
-- Only drafts may be edited or deleted; a bulletin never goes back.
CREATE TABLE content.bulletins (
    id              text        PRIMARY KEY CHECK (id ~ '^bul_[A-Za-z0-9_-]{22}$'),
    title           text        NOT NULL CHECK (length(title) BETWEEN 1 AND 120),
    body            text        NOT NULL CHECK (length(body) BETWEEN 1 AND 10000),
    audiences       text[]      NOT NULL CHECK (cardinality(audiences) BETWEEN 1 AND 3
                                    AND audiences <@ ARRAY['parents', 'young_people', 'professionals']),
    -- Empty = the whole borough.
    areas           text[]      NOT NULL DEFAULT '{}' CHECK (cardinality(areas) <= 20),
    link            text        CHECK (link ~ '^https://' AND length(link) <= 2048),
    urgent          boolean     NOT NULL DEFAULT false,
    state           text        NOT NULL DEFAULT 'draft'
                                CHECK (state IN ('draft', 'scheduled', 'sending', 'sent')),
    send_at         timestamptz,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    -- When the push started: the bulletin is in the public archive from then on.
    published_at    timestamptz,
    -- When the last push batch was handed to FCM.
    sent_at         timestamptz,
    created_by      text        NOT NULL CHECK (length(created_by) BETWEEN 1 AND 100),
    scheduled_by    text        CHECK (length(scheduled_by) <= 100),
    -- createBulletin's Idempotency-Key (per editor) and a hash of the request it came with.
    idempotency_key text        CHECK (length(idempotency_key) <= 128),
    request_hash    text        CHECK (length(request_hash) = 64),
    UNIQUE (created_by, idempotency_key),
    CHECK ((state = 'draft') = (send_at IS NULL)),
    CHECK ((state IN ('sending', 'sent')) = (published_at IS NOT NULL)),
    CHECK ((state = 'sent') = (sent_at IS NOT NULL))
);

-- The public archive, newest first.
CREATE INDEX bulletins_published ON content.bulletins (published_at DESC, id DESC)
    WHERE state IN ('sending', 'sent');
-- Editors' lists by state.
CREATE INDEX bulletins_state_created ON content.bulletins (state, created_at DESC, id DESC);

CREATE FUNCTION content.bulletins_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.state <> 'draft' THEN
      RAISE EXCEPTION 'a bulletin starts as a draft' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
  END IF;
  IF TG_OP = 'DELETE' THEN
    IF OLD.state <> 'draft' THEN
      RAISE EXCEPTION 'bulletin % is %, only drafts can be deleted', OLD.id, OLD.state
        USING ERRCODE = 'check_violation';
    END IF;
    RETURN OLD;
  END IF;
  IF NEW.id <> OLD.id OR NEW.created_by <> OLD.created_by OR NEW.created_at <> OLD.created_at THEN
    RAISE EXCEPTION 'bulletin identity cannot change' USING ERRCODE = 'check_violation';
  END IF;
  IF NEW.state <> OLD.state AND NOT (
       (OLD.state = 'draft' AND NEW.state = 'scheduled')
    OR (OLD.state = 'scheduled' AND NEW.state = 'sending')
    OR (OLD.state = 'sending' AND NEW.state = 'sent')) THEN
    RAISE EXCEPTION 'bulletin % cannot go from % to %', OLD.id, OLD.state, NEW.state
      USING ERRCODE = 'check_violation';
  END IF;
  IF OLD.state <> 'draft' AND (NEW.title, NEW.body, NEW.audiences, NEW.areas, NEW.link, NEW.urgent)
      IS DISTINCT FROM (OLD.title, OLD.body, OLD.audiences, OLD.areas, OLD.link, OLD.urgent) THEN
    RAISE EXCEPTION 'bulletin % is %, only drafts can be edited', OLD.id, OLD.state
      USING ERRCODE = 'check_violation';
  END IF;
  IF OLD.state <> 'draft' AND NEW.state = OLD.state
      AND (NEW.published_at, NEW.sent_at, NEW.scheduled_by) IS DISTINCT FROM (OLD.published_at, OLD.sent_at, OLD.scheduled_by) THEN
    RAISE EXCEPTION 'bulletin % is %: nothing changes without a transition', OLD.id, OLD.state
      USING ERRCODE = 'check_violation';
  END IF;
  IF OLD.state <> 'draft' AND NEW.send_at IS DISTINCT FROM OLD.send_at THEN
    RAISE EXCEPTION 'bulletin % is %, its send time is fixed', OLD.id, OLD.state
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER bulletins_guard BEFORE INSERT OR UPDATE OR DELETE ON content.bulletins
    FOR EACH ROW EXECUTE FUNCTION content.bulletins_guard();

COMMENT ON TABLE content.bulletins IS
    'Youth Safety Bulletin; state machine draft -> scheduled -> sending -> sent enforced by bulletins_guard.';
