import { z } from 'zod';

/** The response schema of a 204. */
export const ZNoContent = z.null().describe('No content');
