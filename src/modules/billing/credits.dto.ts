/** Request and response schemas of the credit endpoints (Z… schemas, T… types). */
import { z } from 'zod';
import { ZListQuery } from '../../platform/http/pagination.ts';
import { creditTransactionTypes } from './credits.tables.ts';

const ZTimestamp = z.iso.datetime();

export const ZCredits = z.object({
  available: z.number().int(),
  held: z.number().int(),
  total_purchased: z.number().int(),
  total_used: z.number().int(),
  expiring: z.array(z.object({ amount: z.number().int(), expires_at: ZTimestamp })),
});
export type TCredits = z.infer<typeof ZCredits>;

export const ZTransactionsQuery = ZListQuery.extend({ type: z.enum(creditTransactionTypes).optional() });
export type TTransactionsQuery = z.infer<typeof ZTransactionsQuery>;

export const ZCreditTransaction = z.object({
  id: z.uuid(),
  type: z.enum(creditTransactionTypes),
  amount: z.number().int(),
  balance_before: z.number().int(),
  balance_after: z.number().int(),
  description: z.string().nullable(),
  reference_type: z.string().nullable(),
  reference_id: z.string().nullable(),
  created_at: ZTimestamp,
});
export type TCreditTransaction = z.infer<typeof ZCreditTransaction>;
