// Real: the transport's HTTP request (fetch, form encoding, timeout signal) and response parsing.
// Stand-in: a node:http server on 127.0.0.1 speaking Kavenegar's sms/send.json protocol in place of
// api.kavenegar.com: it checks the key in the path, the method, the content type and the form
// fields, and answers with Kavenegar's `{ return, entries }` shape, refusals included.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeliveryError } from '../delivery-error.ts';
import { createKavenegarSms, toKavenegarReceptor } from './kavenegar.ts';

const API_KEY = 'kv-test-key';
/** Receptors that make the stand-in answer the way Kavenegar does for these cases. */
const NO_CREDIT = '09120000418';
const OUTAGE = '09120000500';

interface Request {
  method: string | undefined;
  path: string | undefined;
  contentType: string | undefined;
  form: URLSearchParams;
}

let server: http.Server;
let apiBase: string;
const requests: Request[] = [];

function answer(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      requests.push({ method: req.method, path: req.url, contentType: req.headers['content-type'], form });

      const match = /^\/v1\/([^/]+)\/sms\/send\.json$/.exec(req.url ?? '');
      if (!match || req.method !== 'POST') return answer(res, 404, { return: { status: 404, message: 'method not found' }, entries: null });
      if (match[1] !== API_KEY) return answer(res, 403, { return: { status: 403, message: 'invalid API key' }, entries: null });
      if (!req.headers['content-type']?.startsWith('application/x-www-form-urlencoded')) {
        return answer(res, 400, { return: { status: 400, message: 'incomplete parameters' }, entries: null });
      }
      const receptor = form.get('receptor');
      const message = form.get('message');
      if (!receptor || !message) return answer(res, 400, { return: { status: 400, message: 'incomplete parameters' }, entries: null });
      if (!/^09\d{9}$/.test(receptor)) return answer(res, 411, { return: { status: 411, message: 'invalid receptor' }, entries: null });
      if (receptor === NO_CREDIT) return answer(res, 418, { return: { status: 418, message: 'insufficient credit' }, entries: null });
      if (receptor === OUTAGE) return res.writeHead(502, { 'content-type': 'text/html' }).end('<h1>Bad Gateway</h1>');
      answer(res, 200, {
        return: { status: 200, message: 'confirmed' },
        entries: [
          { messageid: 8792343, message, status: 1, statustext: 'queued', sender: form.get('sender') ?? '10004346', receptor, date: 1356619709, cost: 120 },
        ],
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  apiBase = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections(); // fetch keeps connections alive; close() would wait for them
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('toKavenegarReceptor', () => {
  it('turns an Iranian E.164 mobile into the national form', () => {
    expect(toKavenegarReceptor('+989121234567')).toBe('09121234567');
  });

  it('has no receptor for other countries or malformed numbers', () => {
    expect(toKavenegarReceptor('+14155550100')).toBeUndefined();
    expect(toKavenegarReceptor('+98912123456')).toBeUndefined();
    expect(toKavenegarReceptor('09121234567')).toBeUndefined();
  });
});

describe('createKavenegarSms', () => {
  it('posts the form to sms/send.json and returns the message id', async () => {
    const sms = createKavenegarSms({ apiKey: API_KEY, sender: '10004346', apiBase });
    const { id } = await sms.send({ to: '+989121234567', text: 'کد ورود شما: 123456', code: '123456' });

    expect(id).toBe('8792343');
    const req = requests.at(-1)!;
    expect(req.method).toBe('POST');
    expect(req.path).toBe(`/v1/${API_KEY}/sms/send.json`);
    expect(req.contentType).toMatch(/^application\/x-www-form-urlencoded/);
    expect(Object.fromEntries(req.form)).toEqual({ receptor: '09121234567', message: 'کد ورود شما: 123456', sender: '10004346' });
  });

  it('leaves the sender out when none is configured', async () => {
    const sms = createKavenegarSms({ apiKey: API_KEY, apiBase });
    await sms.send({ to: '+989121234567', text: 'Hello' });
    expect(requests.at(-1)!.form.has('sender')).toBe(false);
  });

  it('turns a refusal into a permanent DeliveryError naming the status, not the message', async () => {
    const sms = createKavenegarSms({ apiKey: API_KEY, apiBase });
    const err = await sms.send({ to: '+989120000418', text: 'Your code is 654321.', code: '654321' }).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(DeliveryError);
    expect(err).toMatchObject({ channel: 'sms', transport: 'kavenegar', retryable: false });
    expect((err as Error).message).toContain('418');
    expect((err as Error).message).not.toContain('654321');
  });

  it('keeps the API key out of the error for a wrong key', async () => {
    const sms = createKavenegarSms({ apiKey: 'wrong-key', apiBase });
    const err = await sms.send({ to: '+989121234567', text: 'Hello' }).catch((e: unknown) => e);

    expect(err).toMatchObject({ retryable: false });
    expect((err as Error).message).toContain('403');
    expect((err as Error).message).not.toContain('wrong-key');
  });

  it('marks a gateway failure retryable', async () => {
    const sms = createKavenegarSms({ apiKey: API_KEY, apiBase });
    const err = await sms.send({ to: '+989120000500', text: 'Hello' }).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(DeliveryError);
    expect(err).toMatchObject({ retryable: true });
    expect((err as Error).message).toContain('502');
  });

  it('marks an unreachable API retryable', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedBase = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const err = await createKavenegarSms({ apiKey: API_KEY, apiBase: closedBase })
      .send({ to: '+989121234567', text: 'Hello' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryError);
    expect(err).toMatchObject({ retryable: true });
  });

  it('refuses a non-Iranian number without calling the API', async () => {
    const before = requests.length;
    const err = await createKavenegarSms({ apiKey: API_KEY, apiBase }).send({ to: '+14155550100', text: 'Hello' }).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(DeliveryError);
    expect(err).toMatchObject({ retryable: false });
    expect(requests.length).toBe(before);
  });
});
