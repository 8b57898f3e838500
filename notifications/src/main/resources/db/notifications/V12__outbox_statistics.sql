-- After a bulletin's or a week's digests' fan-out has made many messages pending in one
-- transaction, the planner's statistics must say so at once (autovacuum analyzes a minute later at
-- the earliest): otherwise the statement that records each delivery reads every pending message
-- through the pending index instead of its own rows by key. Only the table's owner may ANALYZE it,
-- and the service runs as an ordinary role, so this owner's function does that and nothing else.
CREATE FUNCTION notifications.analyze_outbox() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    ANALYZE notifications.outbox;
END
$$;
REVOKE ALL ON FUNCTION notifications.analyze_outbox() FROM PUBLIC;

-- What the service's runtime role gets beyond RuntimeGrants' read and write on the tables.
CREATE FUNCTION notifications.restrict_runtime(runtime_role text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('GRANT EXECUTE ON FUNCTION notifications.analyze_outbox() TO %I', runtime_role);
END
$$;
REVOKE ALL ON FUNCTION notifications.restrict_runtime(text) FROM PUBLIC;
