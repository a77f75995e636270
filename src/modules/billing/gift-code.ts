/**
 * Gift card codes: 16 characters from an alphabet without look-alikes (no 0/O, 1/I/L), in groups
 * of four — about 79 bits, unguessable, and easy to read out and type. Lookups normalise what was typed.
 */
import { randomInt } from 'node:crypto';
import { sha256Hex } from '../../platform/crypto.ts';

const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ'; // 31 symbols, ~4.95 bits each

export function newGiftCode(): string {
  const chars = Array.from({ length: 16 }, () => ALPHABET[randomInt(ALPHABET.length)]);
  return [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join('')).join('-');
}

/** Upper-case, without spaces and dashes: `abcd-efgh …` and `ABCDEFGH…` name the same card. */
export const normaliseGiftCode = (code: string): string => code.toUpperCase().replace(/[\s-]/g, '');

export const hashGiftCode = (code: string): string => sha256Hex(`gift:${normaliseGiftCode(code)}`);
