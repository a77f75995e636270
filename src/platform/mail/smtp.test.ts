// Real: nodemailer and the SMTP conversation over a TCP socket. Stand-in: a local smtp-server
// SMTPServer on 127.0.0.1 (plain text, AUTH checked in onAuth) in place of a mail provider.
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMTPServer, type SMTPServerEnvelope } from 'smtp-server';
import { DeliveryError } from '../delivery-error.ts';
import { createSmtpMailer } from './smtp.ts';

const USER = 'atelier';
const PASS = 'smtp-secret';

interface Received {
  envelope: SMTPServerEnvelope;
  raw: string;
}

/** Recipients at these addresses are refused the way real servers do: 550 permanent, 450 transient. */
const REFUSED: Record<string, number> = { 'nobody@example.test': 550, 'busy@example.test': 450 };

let server: SMTPServer;
let port: number;
const received: Received[] = [];

beforeAll(async () => {
  server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === USER && auth.password === PASS) return callback(null, { user: USER });
      callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onRcptTo(address, _session, callback) {
      const refusal = REFUSED[address.address];
      if (refusal) return callback(Object.assign(new Error('Mailbox unavailable'), { responseCode: refusal }));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({ envelope: structuredClone(session.envelope), raw: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.server.address() as AddressInfo).port;
});

afterAll(() => new Promise<void>((resolve) => server.close(resolve)));

const smtpUrl = (user = USER, pass = PASS) => `smtp://${user}:${pass}@127.0.0.1:${port}`;

/** Enough of RFC 5322 for these messages: unfolded headers by lower-case name, and the body. */
function parseMessage(raw: string): { headers: Map<string, string>; body: string } {
  const split = raw.indexOf('\r\n\r\n');
  const headers = new Map<string, string>();
  for (const line of raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body: raw.slice(split + 4) };
}

describe('createSmtpMailer', () => {
  it('authenticates and delivers the envelope, subject and text', async () => {
    const mailer = createSmtpMailer({ url: smtpUrl(), from: 'Atelier <no-reply@atelier.test>' });
    try {
      const { id } = await mailer.send({ to: 'ada@example.test', subject: 'Your sign-in code', text: 'Your code is 123456.\r\n' });

      const message = received.at(-1)!;
      expect(message.envelope.mailFrom).toMatchObject({ address: 'no-reply@atelier.test' });
      expect(message.envelope.rcptTo.map((r) => r.address)).toEqual(['ada@example.test']);
      const { headers, body } = parseMessage(message.raw);
      expect(headers.get('subject')).toBe('Your sign-in code');
      expect(headers.get('from')).toBe('Atelier <no-reply@atelier.test>');
      expect(headers.get('to')).toBe('ada@example.test');
      expect(headers.get('message-id')).toBe(id);
      expect(headers.get('content-type')).toMatch(/^text\/plain/);
      expect(body.trim()).toBe('Your code is 123456.');
    } finally {
      await mailer.close();
    }
  });

  it('sends the html alternative beside the text', async () => {
    const mailer = createSmtpMailer({ url: smtpUrl(), from: 'no-reply@atelier.test' });
    try {
      await mailer.send({ to: 'ada@example.test', subject: 'Welcome', text: 'Welcome aboard.', html: '<p>Welcome aboard.</p>' });

      const { headers, body } = parseMessage(received.at(-1)!.raw);
      expect(headers.get('content-type')).toMatch(/^multipart\/alternative/);
      expect(body).toContain('Content-Type: text/plain');
      expect(body).toContain('Content-Type: text/html');
      expect(body).toContain('<p>Welcome aboard.</p>');
    } finally {
      await mailer.close();
    }
  });

  it('turns a refused recipient into a permanent DeliveryError without the message in it', async () => {
    const mailer = createSmtpMailer({ url: smtpUrl(), from: 'no-reply@atelier.test' });
    try {
      const err = await mailer.send({ to: 'nobody@example.test', subject: 'Code', text: 'Your code is 654321.', code: '654321' }).catch((e: unknown) => e);

      expect(err).toBeInstanceOf(DeliveryError);
      expect(err).toMatchObject({ channel: 'email', transport: 'smtp', retryable: false });
      expect((err as Error).message).toContain('550');
      expect((err as Error).message).not.toContain('654321');
    } finally {
      await mailer.close();
    }
  });

  it('marks a transient refusal (4xx) retryable', async () => {
    const mailer = createSmtpMailer({ url: smtpUrl(), from: 'no-reply@atelier.test' });
    try {
      const err = await mailer.send({ to: 'busy@example.test', subject: 'Hi', text: 'Hi.' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DeliveryError);
      expect(err).toMatchObject({ retryable: true });
    } finally {
      await mailer.close();
    }
  });

  it('reports bad credentials as a permanent failure', async () => {
    const mailer = createSmtpMailer({ url: smtpUrl(USER, 'wrong'), from: 'no-reply@atelier.test' });
    try {
      const err = await mailer.send({ to: 'ada@example.test', subject: 'Hi', text: 'Hi.' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DeliveryError);
      expect(err).toMatchObject({ retryable: false });
      expect((err as Error).message).not.toContain('wrong');
    } finally {
      await mailer.close();
    }
  });

  it('marks an unreachable server retryable', async () => {
    const closed = new SMTPServer({ logger: false });
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.server.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(resolve));

    const mailer = createSmtpMailer({ url: `smtp://127.0.0.1:${closedPort}`, from: 'no-reply@atelier.test' });
    try {
      const err = await mailer.send({ to: 'ada@example.test', subject: 'Hi', text: 'Hi.' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DeliveryError);
      expect(err).toMatchObject({ retryable: true });
    } finally {
      await mailer.close();
    }
  });
});
