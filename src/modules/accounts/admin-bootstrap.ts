/** Creating administrators from the CLI and from ATELIER_ADMIN_EMAIL/PASSWORD at start. */
import { recordAudit } from '../../platform/audit/audit.ts';
import * as uq from './accounts.queries.ts';
import type { AccountsContext } from './context.ts';
import { hashPassword } from './passwords.ts';

export type CreateAdminResult = { created: true; userId: string } | { created: false; reason: 'exists'; userId: string };

export function createAdminBootstrap(ctx: AccountsContext) {
  /** Creates an admin with a verified email. An existing account with that email is left as it is. */
  async function createAdmin(input: { email: string; password: string }): Promise<CreateAdminResult> {
    const email = input.email.trim().toLowerCase();
    const existing = await uq.findUserByIdentifier(ctx.db, { email });
    if (existing) return { created: false, reason: 'exists', userId: existing.id };
    const passwordHash = await hashPassword(input.password);
    const now = ctx.clock.now();
    return ctx.db.transaction(async (tx) => {
      const user = await uq.insertUserIfFree(tx, {
        email,
        passwordHash,
        role: 'admin',
        emailVerifiedAt: now,
        fullName: 'Administrator',
        createdAt: now,
        updatedAt: now,
      });
      if (!user) {
        const raced = await uq.findUserByIdentifier(tx, { email });
        return { created: false as const, reason: 'exists' as const, userId: raced!.id };
      }
      await recordAudit(tx, {
        actorType: 'system',
        action: 'user.role_changed',
        targetType: 'user',
        targetId: user.id,
        details: { from: null, to: 'admin', reason: 'admin bootstrap' },
        at: now,
      });
      return { created: true as const, userId: user.id };
    });
  }

  return { createAdmin };
}
