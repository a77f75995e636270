/**
 * A local stand-in for ZarinPal's REST API v4, speaking its documented protocol:
 *   POST /pg/v4/payment/request.json → { data: { code: 100, message, authority, fee_type, fee }, errors: [] }
 *   POST /pg/v4/payment/verify.json  → { data: { code: 100 | 101, message, card_hash, card_pan, ref_id, fee_type, fee }, errors: [] }
 * and refusals as { data: [], errors: { code, message, validations } } (HTTP 400 here): -9 validation,
 * -10 unknown merchant, -50 amount differs, -51 not paid, -54 unknown authority. Tests play the
 * buyer with `pay(authority)` (what paying at StartPay does) and read every request it received.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StandInTransaction {
  authority: string;
  amount: number;
  callbackUrl: string;
  /** unpaid: the buyer has not paid; paid: paid, not verified yet; verified: verify answered 100 once. */
  state: 'unpaid' | 'paid' | 'verified';
  refId: number;
}

export interface ZarinpalStandIn {
  url: string;
  merchantId: string;
  requests: { path: string; body: Record<string, unknown> }[];
  transactions: Map<string, StandInTransaction>;
  /** `down`: the connection is dropped; `hang`: never answers; `refuse`: request.json answers -10; `html`: a 502 error page. */
  mode: 'normal' | 'down' | 'hang' | 'refuse' | 'html';
  /** Answers of verify.json with code 100, by authority. */
  verifiedNow: Map<string, number>;
  pay(authority: string): void;
  close(): Promise<void>;
}

const refusal = (code: number, message: string, validations: Record<string, string>[] = []) => ({ data: [], errors: { code, message, validations } });

export async function startZarinpalStandIn(merchantId = '1344b5d4-0048-11e8-94db-005056a205be'): Promise<ZarinpalStandIn> {
  let next = 0;
  const stand: ZarinpalStandIn = {
    url: '',
    merchantId,
    requests: [],
    transactions: new Map(),
    mode: 'normal',
    verifiedNow: new Map(),
    pay(authority) {
      const tx = stand.transactions.get(authority);
      if (!tx) throw new Error(`no transaction ${authority}`);
      tx.state = 'paid';
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  function answer(path: string, body: Record<string, unknown>): [number, unknown] {
    if (body.merchant_id !== merchantId) return [400, refusal(-10, 'Terminal is not valid, please check merchant_id or ip address.')];
    if (path === '/pg/v4/payment/request.json') {
      if (stand.mode === 'refuse') return [400, refusal(-10, 'Terminal is not valid, please check merchant_id or ip address.')];
      const validations: Record<string, string>[] = [];
      if (!Number.isInteger(body.amount) || (body.amount as number) < 10_000) validations.push({ amount: 'The amount must be at least 10000.' });
      if (typeof body.callback_url !== 'string' || !/^https?:\/\//.test(body.callback_url)) validations.push({ callback_url: 'The callback url field is required.' });
      if (typeof body.description !== 'string' || body.description.length === 0 || body.description.length > 500) validations.push({ description: 'The description field is required.' });
      if (body.currency !== undefined && body.currency !== 'IRR' && body.currency !== 'IRT') validations.push({ currency: 'The selected currency is invalid.' });
      if (validations.length) return [400, refusal(-9, 'The input params invalid, validation error.', validations)];
      const authority = `A${String(++next).padStart(35, '0')}`;
      stand.transactions.set(authority, { authority, amount: body.amount as number, callbackUrl: body.callback_url as string, state: 'unpaid', refId: 0 });
      return [200, { data: { code: 100, message: 'Success', authority, fee_type: 'Merchant', fee: 0 }, errors: [] }];
    }
    if (path === '/pg/v4/payment/verify.json') {
      const tx = stand.transactions.get(String(body.authority));
      if (!tx) return [400, refusal(-54, 'Invalid authority.')];
      if (body.amount !== tx.amount) return [400, refusal(-50, 'Session is not valid, amounts values is not the same.')];
      if (tx.state === 'unpaid') return [400, refusal(-51, 'Session is not valid, session is not active paid try.')];
      const card = { card_hash: '1EBE3EBEBE35C7EC0F8D6EE4F2F859107A87822CA179BC9528767EA7B5489B69', card_pan: '502229******5995', fee_type: 'Merchant', fee: 0 };
      if (tx.state === 'verified') return [200, { data: { code: 101, message: 'Verified', ...card, ref_id: tx.refId }, errors: [] }];
      tx.state = 'verified';
      tx.refId = 200_000 + next * 7;
      stand.verifiedNow.set(tx.authority, (stand.verifiedNow.get(tx.authority) ?? 0) + 1);
      return [200, { data: { code: 100, message: 'Paid', ...card, ref_id: tx.refId }, errors: [] }];
    }
    return [404, { data: [], errors: { code: -404, message: 'Not found', validations: [] } }];
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (stand.mode === 'down') return req.socket.destroy();
      if (stand.mode === 'hang') return;
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      } catch {
        body = {};
      }
      const path = (req.url ?? '').split('?')[0]!;
      stand.requests.push({ path, body });
      if (stand.mode === 'html') {
        res.writeHead(502, { 'content-type': 'text/html' }).end('<html><body>Bad gateway</body></html>');
        return;
      }
      const [status, json] = req.method === 'POST' ? answer(path, body) : [405, refusal(-405, 'Method not allowed')];
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stand.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return stand;
}
