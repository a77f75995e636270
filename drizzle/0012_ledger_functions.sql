-- The credit ledger's writes as PL/pgSQL functions (docs/decisions/014-ledger-in-one-round-trip.md).
-- A grant or spend is one statement, `select * from credit_apply(…)`: one round trip instead of
-- about ten, and atomic on its own, so a standalone call needs no BEGIN/COMMIT. The rules are those
-- of docs/decisions/007-credit-lots-and-holds.md:
-- - lock order: the user's credit_balances row first, then lots, then holds;
-- - one credit_transactions row per balance change, with balance_before/after;
-- - spends take the soonest-expiring lot first (never-expiring last) and never an expired one.
-- Under READ COMMITTED every statement of a (volatile) PL/pgSQL function takes a fresh snapshot, so
-- what is read after the balance lock was granted includes what the previous holder committed.

-- Writes off what is left of the user's lots past expiry: one `expiration` row each. The caller
-- holds the balance lock. Returns the credits written off.
CREATE OR REPLACE FUNCTION credit_expire_due(p_user uuid, p_now timestamptz) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  lot record;
  bal record;
  total integer := 0;
BEGIN
  FOR lot IN
    SELECT id, remaining, expires_at FROM credit_lots
    WHERE user_id = p_user AND remaining > 0 AND expires_at IS NOT NULL AND expires_at <= p_now
    ORDER BY expires_at, id
    FOR UPDATE
  LOOP
    UPDATE credit_balances SET available = available - lot.remaining, updated_at = p_now
    WHERE user_id = p_user AND available >= lot.remaining
    RETURNING available, held INTO bal;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'credit lot % holds more than the balance has available', lot.id;
    END IF;
    UPDATE credit_lots SET remaining = 0 WHERE id = lot.id;
    INSERT INTO credit_transactions
      (user_id, type, amount, balance_before, balance_after, description, reference_type, reference_id,
       idempotency_key, metadata, created_at)
    VALUES
      (p_user, 'expiration', -lot.remaining, bal.available + bal.held + lot.remaining, bal.available + bal.held,
       'Credits expired', 'credit_lot', lot.id::text,
       -- A lot can expire twice when a released hold gives credits back to it after its expiry.
       'expiration:' || lot.id || ':' || gen_random_uuid(),
       -- The same ISO 8601 form as JavaScript's Date#toISOString.
       jsonb_build_object('expires_at', to_char(lot.expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
       p_now);
    total := total + lot.remaining;
  END LOOP;
  RETURN total;
END
$$;
--> statement-breakpoint

-- Takes `p_amount` from the user's spendable lots in spending order and returns which lot gave how
-- much, as [{"lot_id", "amount"}]. Lots are locked as they are reached, so a spend touches only the
-- lots it needs. The caller holds the balance lock and has already taken the credits off
-- `available`; lots holding less than that means the books are broken, which is raised.
CREATE OR REPLACE FUNCTION credit_take_from_lots(p_user uuid, p_amount integer, p_now timestamptz) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  lot record;
  n integer;
  remaining_to_take integer := p_amount;
  taken jsonb := '[]'::jsonb;
BEGIN
  FOR lot IN
    SELECT id, remaining FROM credit_lots
    WHERE user_id = p_user AND remaining > 0 AND (expires_at IS NULL OR expires_at > p_now)
    ORDER BY expires_at ASC NULLS LAST, created_at, id
    FOR UPDATE
  LOOP
    n := least(remaining_to_take, lot.remaining);
    UPDATE credit_lots SET remaining = remaining - n WHERE id = lot.id;
    taken := taken || jsonb_build_object('lot_id', lot.id, 'amount', n);
    remaining_to_take := remaining_to_take - n;
    EXIT WHEN remaining_to_take = 0;
  END LOOP;
  IF remaining_to_take > 0 THEN
    RAISE EXCEPTION 'credit lots of user % hold less than the balance has available', p_user;
  END IF;
  RETURN taken;
END
$$;
--> statement-breakpoint

-- One credit change (a grant when amount > 0, a spend when < 0), all of it in one statement:
-- 1. lock the balance row (creating it at 0 if the user has none);
-- 2. under the lock, a key applied before replays its ledger row: outcome 'replayed', `entry` is
--    that row as JSON;
-- 3. a spend checks that the credits not past expiry cover it, and otherwise returns
--    'insufficient' having written nothing (an outcome, not an exception: an error would abort the
--    caller's transaction, which may want to go on); then lots past expiry are written off;
-- 4. the conditional UPDATE of the balance, the ledger row, and the new lot (grant) or the lots
--    taken from (spend): outcome 'applied', `balance_after` is the row's balance_after (the caller
--    wrote everything else of the row, so nothing more is sent back).
-- The change comes as one JSON object (one parameter binds much faster than twelve on the embedded
-- database):
--   id (uuid of the new ledger row), user_id, type, amount, idempotency_key, expires_at (grants,
--   or null), description, reference_type, reference_id, metadata (object), purchased and used
--   (what to add to total_purchased / total_used), now (timestamp of the change).
CREATE OR REPLACE FUNCTION credit_apply(change jsonb, OUT outcome text, OUT balance_after integer, OUT entry jsonb)
LANGUAGE plpgsql AS $$
DECLARE
  p_user uuid := change->>'user_id';
  p_amount integer := change->>'amount';
  p_key text := change->>'idempotency_key';
  p_now timestamptz := change->>'now';
  bal credit_balances;
  due integer;
  previous credit_transactions;
BEGIN
  SELECT * INTO bal FROM credit_balances WHERE user_id = p_user FOR UPDATE;
  IF NOT FOUND THEN
    INSERT INTO credit_balances (user_id) VALUES (p_user) ON CONFLICT DO NOTHING;
    SELECT * INTO bal FROM credit_balances WHERE user_id = p_user FOR UPDATE;
  END IF;

  SELECT * INTO previous FROM credit_transactions WHERE idempotency_key = p_key;
  IF FOUND THEN
    outcome := 'replayed';
    entry := to_jsonb(previous);
    RETURN;
  END IF;

  IF p_amount < 0 THEN
    SELECT coalesce(sum(remaining), 0) INTO due FROM credit_lots
    WHERE user_id = p_user AND remaining > 0 AND expires_at IS NOT NULL AND expires_at <= p_now;
    IF bal.available - due + p_amount < 0 THEN
      outcome := 'insufficient';
      RETURN;
    END IF;
    IF due > 0 THEN
      PERFORM credit_expire_due(p_user, p_now);
    END IF;
  END IF;

  -- Still conditional: the check above and this condition must agree, or the books are broken.
  UPDATE credit_balances
  SET available = available + p_amount,
      total_purchased = total_purchased + (change->>'purchased')::integer,
      total_used = total_used + (change->>'used')::integer,
      updated_at = p_now
  WHERE user_id = p_user AND available + p_amount >= 0
  RETURNING * INTO bal;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'credit balance of user % has less available than its lots', p_user;
  END IF;
  balance_after := bal.available + bal.held;

  INSERT INTO credit_transactions
    (id, user_id, type, amount, balance_before, balance_after, description, reference_type, reference_id,
     idempotency_key, metadata, created_at)
  VALUES
    ((change->>'id')::uuid, p_user, change->>'type', p_amount, balance_after - p_amount, balance_after,
     change->>'description', change->>'reference_type', change->>'reference_id', p_key, change->'metadata', p_now);

  IF p_amount > 0 THEN
    INSERT INTO credit_lots (user_id, source, amount, remaining, expires_at, transaction_id, created_at)
    VALUES (p_user, change->>'type', p_amount, p_amount, (change->>'expires_at')::timestamptz, (change->>'id')::uuid, p_now);
  ELSE
    -- Usually the first lot in spending order covers the spend: take it in one UPDATE (the balance
    -- lock keeps the user's lots still; the WHERE re-checks the lot anyway), else walk the lots.
    UPDATE credit_lots SET remaining = remaining + p_amount
    WHERE id = (SELECT id FROM credit_lots
                WHERE user_id = p_user AND remaining > 0 AND (expires_at IS NULL OR expires_at > p_now)
                ORDER BY expires_at ASC NULLS LAST, created_at, id
                LIMIT 1)
      AND remaining + p_amount >= 0;
    IF NOT FOUND THEN
      PERFORM credit_take_from_lots(p_user, -p_amount, p_now);
    END IF;
  END IF;

  outcome := 'applied';
END
$$;
