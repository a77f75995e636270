/**
 * Where a user's rows live, for the export and for erasure. Every column that points at a user must
 * be named here — in `exported` (with the secrets left out) or in `notExported` with the reason —
 * and a test compares this list with the database's own foreign keys, so a new table that holds
 * user data cannot be forgotten.
 */
export interface UserDataSource {
  /** Path of the JSON file inside the export zip. */
  file: string;
  table: string;
  /** The column holding the user's id. */
  column: string;
  /** Columns never exported: hashes and secrets. */
  omit?: string[];
}

export const exported: UserDataSource[] = [
  { file: 'account/user.json', table: 'users', column: 'id', omit: ['password_hash', 'webhook_secret', 'previous_webhook_secret'] },
  { file: 'account/vendor_profile.json', table: 'vendor_profiles', column: 'user_id' },
  { file: 'account/preferences.json', table: 'user_preferences', column: 'user_id' },
  { file: 'account/sign_in_identities.json', table: 'auth_identities', column: 'user_id' },
  { file: 'account/sessions.json', table: 'sessions', column: 'user_id', omit: ['refresh_token_hash'] },
  { file: 'account/api_keys.json', table: 'api_keys', column: 'user_id', omit: ['key_hash'] },
  { file: 'account/activity.json', table: 'audit_logs', column: 'actor_id' },
  { file: 'account/exports.json', table: 'account_exports', column: 'user_id', omit: ['storage_key'] },
  { file: 'credits/balance.json', table: 'credit_balances', column: 'user_id' },
  { file: 'credits/lots.json', table: 'credit_lots', column: 'user_id' },
  { file: 'credits/holds.json', table: 'credit_holds', column: 'user_id' },
  { file: 'credits/transactions.json', table: 'credit_transactions', column: 'user_id' },
  { file: 'billing/payments.json', table: 'payments', column: 'user_id' },
  { file: 'billing/refunds.json', table: 'refunds', column: 'user_id' },
  { file: 'billing/subscriptions.json', table: 'subscriptions', column: 'user_id' },
  { file: 'billing/subscription_history.json', table: 'subscription_history', column: 'user_id' },
  { file: 'billing/coupon_redemptions.json', table: 'coupon_redemptions', column: 'user_id' },
  { file: 'billing/gift_cards_bought.json', table: 'gift_cards', column: 'buyer_user_id', omit: ['code_hash'] },
  { file: 'billing/gift_cards_redeemed.json', table: 'gift_cards', column: 'redeemed_by_user_id', omit: ['code_hash'] },
  { file: 'media/assets.json', table: 'assets', column: 'owner_id', omit: ['storage_key', 'thumbnail_key'] },
  { file: 'media/collections.json', table: 'collections', column: 'owner_id' },
  { file: 'catalog/products.json', table: 'products', column: 'owner_id' },
  { file: 'generations/generations.json', table: 'generations', column: 'user_id', omit: ['run_token'] },
  { file: 'catalog/subjects.json', table: 'subjects', column: 'user_id' },
  { file: 'generations/batches.json', table: 'generation_batches', column: 'user_id' },
  { file: 'generations/daily_usage.json', table: 'usage_stats', column: 'user_id' },
  { file: 'generations/webhook_deliveries.json', table: 'webhook_deliveries', column: 'user_id' },
];

/** Columns pointing at users that the export leaves out on purpose. */
export const notExported: Array<{ table: string; column: string; why: string }> = [
  { table: 'otps', column: 'user_id', why: 'one-time codes: short-lived secrets, erased with the account' },
  { table: 'upload_counters', column: 'user_id', why: "the count of this hour's uploads against the plan (decision 110): a rate limit's bookkeeping, not the user's data; erased with the account" },
  {
    table: 'refunds',
    column: 'created_by',
    why: "the admin who gave a payment back: the operator's record of their own action (the audit log has it too); set null when that admin's account is erased",
  },
  {
    table: 'provider_calls',
    column: 'user_id',
    why: "the operator's log of calls to AI providers (latency, cost); what the user asked for is in generations.json, and the calls go with the generations on erasure",
  },
];
