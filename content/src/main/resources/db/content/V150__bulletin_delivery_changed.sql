-- "A bulletin's delivery moved", for open delivery pages of the console (server-sent events):
-- a bulletin changes state (scheduled, sending, sent) or a push job counts a batch. The payload
-- is empty on purpose; the page fetches itself again through the usual checks. Push jobs also
-- carry other pushes (duty alerts): a page that refreshes for those finds nothing new.
CREATE FUNCTION content.bulletin_delivery_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('content_bulletin_delivery_changed', '');
  RETURN NULL;
END
$$;
CREATE TRIGGER bulletin_delivery_changed AFTER UPDATE ON content.bulletins
  FOR EACH STATEMENT EXECUTE FUNCTION content.bulletin_delivery_changed();
CREATE TRIGGER bulletin_push_progress AFTER INSERT OR UPDATE ON notifications.push_jobs
  FOR EACH STATEMENT EXECUTE FUNCTION content.bulletin_delivery_changed();
