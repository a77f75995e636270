-- Every change to what GET /me shows, but the balance, announces the user it belongs to on the
-- 'atelier_account' channel, on commit (nothing on rollback), so each API process can forget the
-- account view it cached for that user (decision 106). '*' means every user: a plan's row is shown
-- to all on it. Triggers rather than calls in the code, as for 'atelier_auth' (0020): payments,
-- webhooks, admin edits, workers and hand-run SQL all announce. The balance is not announced: a
-- notification per ledger write would make every ledger commit on the server wait its turn for the
-- notification queue; a cached balance is re-read once it is half a second old instead.
CREATE OR REPLACE FUNCTION atelier_notify_account_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'plans' THEN
    PERFORM pg_notify('atelier_account', '*');
  ELSIF TG_TABLE_NAME = 'users' THEN
    PERFORM pg_notify('atelier_account', (CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END)::text);
  ELSE
    PERFORM pg_notify('atelier_account', (CASE WHEN TG_OP = 'DELETE' THEN OLD.user_id ELSE NEW.user_id END)::text);
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- Every column of users is shown or decides what is (role → the free plan, avatar_asset_id → the link).
CREATE TRIGGER users_account_changed AFTER UPDATE ON users FOR EACH ROW
  WHEN (OLD.* IS DISTINCT FROM NEW.*)
  EXECUTE FUNCTION atelier_notify_account_change();
--> statement-breakpoint
CREATE TRIGGER users_account_deleted AFTER DELETE ON users FOR EACH ROW EXECUTE FUNCTION atelier_notify_account_change();
--> statement-breakpoint
CREATE TRIGGER subscriptions_account_changed AFTER INSERT OR UPDATE OR DELETE ON subscriptions FOR EACH ROW EXECUTE FUNCTION atelier_notify_account_change();
--> statement-breakpoint
CREATE TRIGGER vendor_profiles_account_changed AFTER INSERT OR UPDATE OR DELETE ON vendor_profiles FOR EACH ROW EXECUTE FUNCTION atelier_notify_account_change();
--> statement-breakpoint
CREATE TRIGGER plans_account_changed AFTER INSERT OR UPDATE OR DELETE ON plans FOR EACH STATEMENT EXECUTE FUNCTION atelier_notify_account_change();
--> statement-breakpoint
-- An avatar's link is made from its asset's files: announce when the asset an account shows as its
-- avatar loses or changes them. Other assets (most writes to this table) announce nothing.
CREATE OR REPLACE FUNCTION atelier_notify_avatar_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM users WHERE id = OLD.owner_id AND avatar_asset_id = OLD.id) THEN
    PERFORM pg_notify('atelier_account', OLD.owner_id::text);
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER assets_avatar_changed AFTER UPDATE OF storage_key, thumbnail_key, owner_id OR DELETE ON assets FOR EACH ROW EXECUTE FUNCTION atelier_notify_avatar_change();
