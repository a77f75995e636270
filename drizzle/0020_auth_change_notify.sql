-- Every change that can end or narrow a credential announces the user it belongs to on the
-- 'atelier_auth' channel (delivered on commit, not at all on rollback). Each API process listens
-- and drops what it cached for that user (decision 070). Triggers rather than calls in the code, so
-- no path is missed: workers, cascades from an erased user and hand-run SQL announce too.
CREATE OR REPLACE FUNCTION atelier_notify_auth_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed jsonb;
BEGIN
  IF TG_OP = 'DELETE' THEN
    changed := to_jsonb(OLD);
  ELSE
    changed := to_jsonb(NEW);
  END IF;
  PERFORM pg_notify('atelier_auth', changed ->> TG_ARGV[0]);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER users_auth_changed AFTER UPDATE ON users FOR EACH ROW
  WHEN (OLD.role IS DISTINCT FROM NEW.role OR OLD.is_active IS DISTINCT FROM NEW.is_active OR OLD.password_hash IS DISTINCT FROM NEW.password_hash)
  EXECUTE FUNCTION atelier_notify_auth_change('id');
--> statement-breakpoint
CREATE TRIGGER users_auth_deleted AFTER DELETE ON users FOR EACH ROW EXECUTE FUNCTION atelier_notify_auth_change('id');
--> statement-breakpoint
CREATE TRIGGER sessions_auth_changed AFTER UPDATE ON sessions FOR EACH ROW
  WHEN (OLD.revoked_at IS DISTINCT FROM NEW.revoked_at)
  EXECUTE FUNCTION atelier_notify_auth_change('user_id');
--> statement-breakpoint
CREATE TRIGGER sessions_auth_deleted AFTER DELETE ON sessions FOR EACH ROW EXECUTE FUNCTION atelier_notify_auth_change('user_id');
--> statement-breakpoint
CREATE TRIGGER api_keys_auth_changed AFTER UPDATE ON api_keys FOR EACH ROW
  WHEN (OLD.revoked_at IS DISTINCT FROM NEW.revoked_at)
  EXECUTE FUNCTION atelier_notify_auth_change('user_id');
--> statement-breakpoint
CREATE TRIGGER api_keys_auth_deleted AFTER DELETE ON api_keys FOR EACH ROW EXECUTE FUNCTION atelier_notify_auth_change('user_id');
