/**
 * Authentication: GET /me with a bearer token and with an API key against GET /healthz, through
 * the full app on one database, measured in alternating slices (bench/measure.ts pairedOpsPerSec)
 * so load that comes and goes on a shared machine weighs on both sides alike. The target (issue
 * 15) is ≥ 0.5 × baseline for both credentials, on PGlite and on PostgreSQL (decision 070).
 */
import { call, createTestApp, sqlRows } from '../test/helpers/app.ts';
import { pairedOpsPerSec } from './measure.ts';

export async function authBench(databaseUrl: string | null): Promise<string[]> {
  const t = await createTestApp({ realClock: true, databaseUrl });
  try {
    const reg = await call(t.app, 'POST', '/api/v1/auth/register', { body: { email: 'bench-auth@example.com', password: 'password123' } });
    const token: string = reg.data.access_token;
    // API keys need a verified account (decision 051); the code round trip is not what is measured.
    await sqlRows(t, `update users set email_verified_at = now() where id = '${reg.data.user.id}'`);
    const created = await call(t.app, 'POST', '/api/v1/me/api-keys', { token, body: { name: 'bench' } });
    if (created.statusCode !== 201) throw new Error(`bench: no API key (${created.statusCode} ${created.body})`);
    const key: string = created.data.key;

    const healthz = () => t.app.inject({ method: 'GET', url: '/healthz' });
    const me = (credential: string) => async () => {
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${credential}` } });
      // A failed sign-in is cheap: measuring one would flatter the path.
      if (res.statusCode !== 200) throw new Error(`bench: GET /me answered ${res.statusCode}`);
    };
    const lines = [`auth on ${t.database.kind === 'pglite' ? 'PGlite' : 'PostgreSQL'} (GET /me against GET /healthz, same slices):`];
    for (const [name, credential] of [
      ['bearer token', token],
      ['API key', key],
    ] as const) {
      const { ops, baselineOps } = await pairedOpsPerSec(1, me(credential), healthz, { slices: 10, sliceSeconds: 0.3 });
      lines.push(`  GET /me, ${name}: ${ops.toFixed(0)} ops/s vs GET /healthz ${baselineOps.toFixed(0)} ops/s = ${(ops / baselineOps).toFixed(2)} × baseline`);
    }
    return lines;
  } finally {
    await t.close();
  }
}
