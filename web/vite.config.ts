import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Paths come from this file's own location, so the build works from any working directory.
const webRoot = fileURLToPath(new URL('.', import.meta.url));
const outDir = fileURLToPath(new URL('./dist', import.meta.url));

export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [react()],
  build: {
    outDir,
    emptyOutDir: true,
  },
  server: {
    // `npx vite --config web/vite.config.ts` serves the SPA; the API runs separately on :3000.
    proxy: {
      '/api': { target: 'http://127.0.0.1:3000' },
    },
  },
});
