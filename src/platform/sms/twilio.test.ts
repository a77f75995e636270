// Real: the transport's HTTP request (fetch, Basic auth, form encoding, timeout signal) and
// response parsing. Stand-in: a node:http server on 127.0.0.1 speaking Twilio's Messages.json
// protocol in place of api.twilio.com: it checks the path, method, credentials, content type and
// form fields, and answers 201 with a Message resource or Twilio's `{ code, message, more_info,
// status }` error shape.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeliveryError } from '../delivery-error.ts';
import { createTwilioSms } from './twilio.ts';

const ACCOUNT_SID = 'AC00000000000000000000000000000001';
const AUTH_TOKEN = 'twilio-test-token';
const FROM = '+15005550006';
/** A recipient that makes the stand-in fail the way an overloaded Twilio does. */
const OUTAGE = '+15005550500';

interface Request {
  method: string | undefined;
  path: string | undefined;
  contentType: string | undefined;
  form: URLSearchParams;
}

let server: http.Server;
let apiBase: string;
const requests: Request[] = [];

function twilioError(res: http.ServerResponse, status: number, code: number, message: string): void {
  res
    .writeHead(status, { 'content-type': 'application/json' })
    .end(JSON.stringify({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }));
}

beforeAll(async () => {
  const expectedAuth = `Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}`;
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      requests.push({ method: req.method, path: req.url, contentType: req.headers['content-type'], form });

      const match = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(req.url ?? '');
      if (!match) return twilioError(res, 404, 20404, 'The requested resource was not found');
      if (req.method !== 'POST') return twilioError(res, 405, 20004, 'Method not allowed');
      if (match[1] !== ACCOUNT_SID || req.headers.authorization !== expectedAuth) return twilioError(res, 401, 20003, 'Authenticate');
      if (!req.headers['content-type']?.startsWith('application/x-www-form-urlencoded')) return twilioError(res, 400, 21601, 'Bad request');
      const to = form.get('To');
      const from = form.get('From');
      const body = form.get('Body');
      if (!from) return twilioError(res, 400, 21603, "A 'From' phone number is required.");
      if (!body) return twilioError(res, 400, 21602, 'Message body is required.');
      if (!to || !/^\+[1-9]\d{6,14}$/.test(to)) return twilioError(res, 400, 21211, `The 'To' number ${to} is not a valid phone number.`);
      if (to === OUTAGE) return twilioError(res, 503, 20503, 'Service unavailable');
      res.writeHead(201, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          sid: 'SM0123456789abcdef0123456789abcdef',
          account_sid: ACCOUNT_SID,
          to,
          from,
          body,
          status: 'queued',
          direction: 'outbound-api',
          api_version: '2010-04-01',
          error_code: null,
          error_message: null,
          uri: `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages/SM0123456789abcdef0123456789abcdef.json`,
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  apiBase = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections(); // fetch keeps connections alive; close() would wait for them
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const twilio = (overrides: { authToken?: string; apiBase?: string } = {}) =>
  createTwilioSms({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: FROM, apiBase, ...overrides });

describe('createTwilioSms', () => {
  it('posts To, From and Body with Basic auth and returns the message sid', async () => {
    const { id } = await twilio().send({ to: '+989121234567', text: 'Your code is 123456.', code: '123456' });

    expect(id).toBe('SM0123456789abcdef0123456789abcdef');
    const req = requests.at(-1)!;
    expect(req.method).toBe('POST');
    expect(req.path).toBe(`/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`);
    expect(req.contentType).toMatch(/^application\/x-www-form-urlencoded/);
    expect(Object.fromEntries(req.form)).toEqual({ To: '+989121234567', From: FROM, Body: 'Your code is 123456.' });
  });

  it("turns Twilio's error answer into a permanent DeliveryError with the code, not the number or text", async () => {
    const err = await twilio().send({ to: '+12', text: 'Your code is 654321.', code: '654321' }).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(DeliveryError);
    expect(err).toMatchObject({ channel: 'sms', transport: 'twilio', retryable: false });
    const message = (err as Error).message;
    expect(message).toContain('21211');
    expect(message).toContain('400');
    expect(message).not.toContain('654321');
    expect(message).not.toContain('+12');
  });

  it('reports rejected credentials as permanent, without the token', async () => {
    const err = await twilio({ authToken: 'wrong-token' }).send({ to: '+989121234567', text: 'Hello' }).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(DeliveryError);
    expect(err).toMatchObject({ retryable: false });
    expect((err as Error).message).toContain('20003');
    expect((err as Error).message).not.toContain('wrong-token');
  });

  it('marks a Twilio outage (5xx) retryable', async () => {
    const err = await twilio().send({ to: OUTAGE, text: 'Hello' }).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(DeliveryError);
    expect(err).toMatchObject({ retryable: true });
  });

  it('marks an unreachable API retryable', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedBase = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const err = await twilio({ apiBase: closedBase }).send({ to: '+989121234567', text: 'Hello' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryError);
    expect(err).toMatchObject({ retryable: true });
  });
});
