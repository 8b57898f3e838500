-- Who changed which staff account, how, and when: the admins' audit view reads it. Written in the
-- transaction of the change itself, by the API and the console alike. No passwords, no codes, no
-- session ids; only ids, role names and the kind of change.
CREATE TABLE content.staff_audit (
    id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- the admin (or the account itself, for its own password); null: the service, from its settings
    actor_id text,
    staff_id text NOT NULL,
    action   text NOT NULL CHECK (action IN
               ('create', 'roles', 'disable', 'enable', 'password', 'reset_second_factor', 'end_sessions',
                'end_session')),
    detail   jsonb NOT NULL DEFAULT '{}'::jsonb,
    at       timestamptz NOT NULL
);
CREATE INDEX staff_audit_at ON content.staff_audit (at DESC, id DESC);
CREATE INDEX staff_audit_staff ON content.staff_audit (staff_id, at DESC);
CREATE INDEX staff_audit_actor ON content.staff_audit (actor_id, at DESC);

-- Append-only for the service: never edited, and deleted only once older than two years by the
-- database's own clock (the retention rule staff-audit), whoever asks.
CREATE FUNCTION content.staff_audit_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND OLD.at < now() - interval '2 years' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'content.staff_audit is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER staff_audit_append_only
    BEFORE UPDATE OR DELETE ON content.staff_audit
    FOR EACH ROW EXECUTE FUNCTION content.staff_audit_append_only();
CREATE FUNCTION content.staff_audit_no_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'content.staff_audit is append-only: TRUNCATE refused' USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER staff_audit_no_truncate
    BEFORE TRUNCATE ON content.staff_audit
    FOR EACH STATEMENT EXECUTE FUNCTION content.staff_audit_no_truncate();

-- The admins' view of one person reads the moderators' trail by who acted.
CREATE INDEX report_audit_staff ON content.report_audit (staff_id, at DESC);
