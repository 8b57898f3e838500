-- The moderators' audit trail, chained by hash: each row's hash covers the previous row's hash
-- and its own content, so a row deleted or edited after the fact (by anyone, the owner included)
-- breaks the chain where it was. content.verify_report_audit() walks it.
--
-- The chain's state lives in one row only the owner's functions write: its newest link (head)
-- and its start (anchor). The retention purge deletes the oldest rows only, and moves the anchor
-- to the last row it deleted, so a purge is not a break while deleting the oldest row by hand is.

ALTER TABLE content.report_audit
    ADD COLUMN chain_seq bigint,
    ADD COLUMN prev_hash bytea,
    ADD COLUMN hash      bytea;

CREATE TABLE content.report_audit_chain (
    only_row    boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    head_seq    bigint NOT NULL,
    head_hash   bytea  NOT NULL,
    anchor_seq  bigint NOT NULL,
    anchor_hash bytea  NOT NULL
);

-- What a row's hash covers: the previous hash, its place in the chain and every column, in a
-- form that does not depend on the session (jsonb's text is canonical; times in UTC).
CREATE FUNCTION content.report_audit_digest(prev bytea, r content.report_audit) RETURNS bytea
LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
    SELECT sha256(prev || convert_to(jsonb_build_array(
        r.chain_seq, r.id, r.report_id, r.report_reference, r.staff_id, r.action, r.detail,
        to_char(r.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'))::text, 'UTF8'))
$$;

-- Chain the rows already there, oldest first.
ALTER TABLE content.report_audit DISABLE TRIGGER report_audit_no_update_or_delete;
DO $$
DECLARE
    genesis bytea := sha256(convert_to('youth-safety:content.report_audit', 'UTF8'));
    prev    bytea := genesis;
    seq     bigint := 0;
    row_id  bigint;
BEGIN
    FOR row_id IN SELECT id FROM content.report_audit ORDER BY id LOOP
        seq := seq + 1;
        UPDATE content.report_audit SET chain_seq = seq, prev_hash = prev WHERE id = row_id;
        SELECT content.report_audit_digest(prev, a) INTO prev FROM content.report_audit a WHERE a.id = row_id;
        UPDATE content.report_audit SET hash = prev WHERE id = row_id;
    END LOOP;
    INSERT INTO content.report_audit_chain (head_seq, head_hash, anchor_seq, anchor_hash)
    VALUES (seq, prev, 0, genesis);
END
$$;
ALTER TABLE content.report_audit ENABLE TRIGGER report_audit_no_update_or_delete;

ALTER TABLE content.report_audit
    ALTER COLUMN chain_seq SET NOT NULL,
    ALTER COLUMN prev_hash SET NOT NULL,
    ALTER COLUMN hash SET NOT NULL;
CREATE UNIQUE INDEX report_audit_chain_seq ON content.report_audit (chain_seq);

-- Every new row is linked to the head under the chain row's lock, so concurrent inserts queue
-- up instead of forking the chain; whatever the inserter wrote into these columns is replaced.
CREATE FUNCTION content.report_audit_link() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
    chain content.report_audit_chain;
BEGIN
    SELECT * INTO chain FROM content.report_audit_chain FOR UPDATE;
    NEW.chain_seq := chain.head_seq + 1;
    NEW.prev_hash := chain.head_hash;
    NEW.hash := content.report_audit_digest(NEW.prev_hash, NEW);
    UPDATE content.report_audit_chain SET head_seq = NEW.chain_seq, head_hash = NEW.hash;
    RETURN NEW;
END
$$;
CREATE TRIGGER report_audit_link BEFORE INSERT ON content.report_audit
    FOR EACH ROW EXECUTE FUNCTION content.report_audit_link();

-- Where the chain breaks, if it does: the first row that does not follow from the one before
-- it (rows deleted or edited before it), or the first row whose content no longer matches its
-- hash (edited), or a head the newest row no longer reaches (newest rows deleted).
CREATE FUNCTION content.verify_report_audit()
RETURNS TABLE (intact boolean, rows_checked bigint, broken_at_seq bigint, broken_at_id bigint, problem text)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog AS $$
DECLARE
    chain    content.report_audit_chain;
    r        content.report_audit;
    expected bigint;
    prev     bytea;
    n        bigint := 0;
BEGIN
    SELECT * INTO chain FROM content.report_audit_chain;
    expected := chain.anchor_seq + 1;
    prev := chain.anchor_hash;
    FOR r IN SELECT * FROM content.report_audit ORDER BY chain_seq LOOP
        n := n + 1;
        IF r.chain_seq <> expected OR r.prev_hash <> prev THEN
            RETURN QUERY SELECT false, n, r.chain_seq, r.id, 'rows deleted or edited before this one'::text;
            RETURN;
        END IF;
        IF r.hash <> content.report_audit_digest(r.prev_hash, r) THEN
            RETURN QUERY SELECT false, n, r.chain_seq, r.id, 'this row was edited'::text;
            RETURN;
        END IF;
        prev := r.hash;
        expected := r.chain_seq + 1;
    END LOOP;
    IF expected - 1 <> chain.head_seq OR prev <> chain.head_hash THEN
        RETURN QUERY SELECT false, n, expected, NULL::bigint, 'the newest rows were deleted'::text;
        RETURN;
    END IF;
    RETURN QUERY SELECT true, n, NULL::bigint, NULL::bigint, NULL::text;
END
$$;

-- The retention job's one way to delete audit rows, with the owner's rights: the oldest rows, in
-- chain order up to the first one still within retention (`before`, the service's word), never
-- any younger than a year by the database's own clock whatever the service asks (a shorter
-- retention needs a migration that lowers this floor); the chain's anchor moves past them.
CREATE FUNCTION content.purge_report_audit(before timestamptz) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
    cutoff    timestamptz := least(before, now() - interval '365 days');
    keep_from bigint;
    last_gone content.report_audit;
    purged    bigint;
BEGIN
    PERFORM 1 FROM content.report_audit_chain FOR UPDATE;
    SELECT min(chain_seq) INTO keep_from FROM content.report_audit WHERE at >= cutoff;
    SELECT * INTO last_gone FROM content.report_audit
     WHERE keep_from IS NULL OR chain_seq < keep_from ORDER BY chain_seq DESC LIMIT 1;
    IF NOT FOUND THEN
        RETURN 0;
    END IF;
    PERFORM set_config('content.report_audit_purge_before', cutoff::text, true);
    DELETE FROM content.report_audit WHERE chain_seq <= last_gone.chain_seq;
    GET DIAGNOSTICS purged = ROW_COUNT;
    PERFORM set_config('content.report_audit_purge_before', '', true);
    UPDATE content.report_audit_chain SET anchor_seq = last_gone.chain_seq, anchor_hash = last_gone.hash;
    RETURN purged;
END
$$;
REVOKE ALL ON FUNCTION content.purge_report_audit(timestamptz) FROM PUBLIC;

-- Where the service's runtime role (DATABASE_URL's, when migrations run as their own role) gets
-- less than the read and write on working data that RuntimeGrants gives it at every start: the
-- audit trail is only appended to and read, so the service can neither rewrite nor erase it; the
-- chain's state is read only (the trigger writes it); old rows go through the purge function.
CREATE FUNCTION content.restrict_runtime(runtime_role text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON content.report_audit FROM %I', runtime_role);
    EXECUTE format('REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON content.report_audit_chain FROM %I', runtime_role);
    EXECUTE format('GRANT EXECUTE ON FUNCTION content.purge_report_audit(timestamptz) TO %I', runtime_role);
END
$$;
REVOKE ALL ON FUNCTION content.restrict_runtime(text) FROM PUBLIC;
