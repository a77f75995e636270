// Real: the SendGrid adapter's HTTP calls (fetch) and its error mapping. Stand-in: a local node:http
// server speaking SendGrid's v3 Mail Send (Bearer key checked, 202 + X-Message-Id, `{ errors }` bodies).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeliveryError } from '../delivery-error.ts';
import { createSendGridMailer, parseFrom } from './sendgrid.ts';

const KEY = 'SG.test-key';
const received: { headers: http.IncomingHttpHeaders; path: string; body: any }[] = [];
let server: http.Server;
let base: string;
let n = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null');
      received.push({ headers: req.headers, path: req.url!, body });
      const to: string = body?.personalizations?.[0]?.to?.[0]?.email ?? '';
      const json = (status: number, b: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(b));
      if (req.method !== 'POST' || req.url !== '/v3/mail/send') return json(404, { errors: [{ message: 'not found' }] });
      if (req.headers.authorization !== `Bearer ${KEY}`) return json(401, { errors: [{ message: 'The provided authorization grant is invalid, expired, or revoked', field: null }] });
      if (to.startsWith('busy@')) return json(429, { errors: [{ message: 'too many requests' }] });
      if (to.startsWith('invalid')) return json(400, { errors: [{ message: `Does not contain a valid address: ${to}`, field: 'personalizations.0.to.0.email' }] });
      res.writeHead(202, { 'x-message-id': `msg${++n}` }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('createSendGridMailer', () => {
  it('posts v3 mail/send with the key, both parts, headers and the log id, and returns X-Message-Id', async () => {
    const mailer = createSendGridMailer({ apiKey: KEY, apiBase: base, from: 'Atelier <no-reply@atelier.test>' });
    const { id } = await mailer.send({ to: 'ada@example.test', subject: 'Hi', text: 'Hello', html: '<p>Hello</p>', headers: { 'List-Unsubscribe': '<https://x/u>' }, logId: 'log-1' });
    expect(id).toBe(`msg${n}`);
    const last = received.at(-1)!;
    expect(last.path).toBe('/v3/mail/send');
    expect(last.headers['content-type']).toBe('application/json');
    expect(last.body).toEqual({
      personalizations: [{ to: [{ email: 'ada@example.test' }], custom_args: { email_log_id: 'log-1' } }],
      from: { email: 'no-reply@atelier.test', name: 'Atelier' },
      subject: 'Hi',
      content: [
        { type: 'text/plain', value: 'Hello' },
        { type: 'text/html', value: '<p>Hello</p>' },
      ],
      headers: { 'List-Unsubscribe': '<https://x/u>' },
    });
  });

  it('maps refusals: a bad address is final without the address in the error, 429 is retryable, a bad key is final', async () => {
    const mailer = createSendGridMailer({ apiKey: KEY, apiBase: base, from: 'no-reply@atelier.test' });
    const invalid = await mailer.send({ to: 'invalid-ada@example.test', subject: 's', text: 't' }).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(DeliveryError);
    expect(invalid).toMatchObject({ transport: 'sendgrid', retryable: false });
    expect((invalid as Error).message).toContain('400');
    expect((invalid as Error).message).not.toContain('invalid-ada');
    expect(await mailer.send({ to: 'busy@example.test', subject: 's', text: 't' }).catch((e: unknown) => e)).toMatchObject({ retryable: true });
    const badKey = createSendGridMailer({ apiKey: 'SG.wrong', apiBase: base, from: 'no-reply@atelier.test' });
    expect(await badKey.send({ to: 'ada@example.test', subject: 's', text: 't' }).catch((e: unknown) => e)).toMatchObject({ retryable: false });
  });

  it('marks an unreachable API retryable', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const mailer = createSendGridMailer({ apiKey: KEY, apiBase: `http://127.0.0.1:${port}`, from: 'no-reply@atelier.test' });
    expect(await mailer.send({ to: 'ada@example.test', subject: 's', text: 't' }).catch((e: unknown) => e)).toMatchObject({ retryable: true });
  });

  it('reads MAIL_FROM forms', () => {
    expect(parseFrom('Atelier <no-reply@a.test>')).toEqual({ email: 'no-reply@a.test', name: 'Atelier' });
    expect(parseFrom('no-reply@a.test')).toEqual({ email: 'no-reply@a.test' });
  });
});
