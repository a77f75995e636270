/** Schemas of ZarinPal's callback: the query string ZarinPal appends to our callback_url. */
import { z } from 'zod';

export const ZZarinpalCallbackQuery = z.object({
  /** ZarinPal's authorities are 36 characters; a little room is left for a change of format. */
  Authority: z.string().trim().min(1).max(100),
  /** Only says what the buyer's browser saw; OK is believed only after a verify. */
  Status: z.enum(['OK', 'NOK']),
});
export type TZarinpalCallbackQuery = z.infer<typeof ZZarinpalCallbackQuery>;
