/**
 * Peak RSS growth while uploading one ~25 MB JPEG, in a fresh process (run by bench/media.ts): in
 * the main bench process, earlier work has already raised RSS and would hide the upload's own
 * growth. One small upload first loads sharp, the database and the routes; then RSS is sampled
 * every 5 ms around the big upload. Prints one JSON line.
 */
import { call, createTestApp } from '../test/helpers/app.ts';
import { prepareTemplates } from '../test/helpers/databases.ts';
import { makeImage, multipart } from '../test/helpers/media.ts';
import { photoJpeg } from './media.ts';

await prepareTemplates();
const t = await createTestApp({ realClock: true });
try {
  const reg = await call(t.app, 'POST', '/api/v1/auth/register', { body: { email: 'rss@example.com', password: 'password123' } });
  const auth = { authorization: `Bearer ${reg.data.access_token}` };
  const post = (body: { payload: Buffer; headers: Record<string, string> }) =>
    t.app.inject({ method: 'POST', url: '/api/v1/assets', payload: body.payload, headers: { ...body.headers, ...auth } });
  const warm = await post(multipart({}, { filename: 'warm.jpg', data: await makeImage(640, 480, 'jpeg') }));
  if (warm.statusCode !== 201) throw new Error(`warm-up upload failed: ${warm.body}`);

  // Just under the default 25 MiB cap: noisy pixels at quality 100 (~0.86 bytes a pixel).
  let big = await photoJpeg(6400, 4500, 100);
  for (let w = 6200; big.length > 25 * 1024 * 1024 && w > 3000; w -= 200) big = await photoJpeg(w, 4500, 100);
  const body = multipart({}, { filename: 'big.jpg', data: big });
  global.gc?.();
  await new Promise((r) => setTimeout(r, 200));
  const before = process.memoryUsage.rss();
  let peak = before;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 5);
  const res = await post(body);
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage.rss());
  process.stdout.write(`${JSON.stringify({ status: res.statusCode, bytes: big.length, growth: peak - before })}\n`);
} finally {
  await t.close();
}
