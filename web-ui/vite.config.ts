import { defineConfig } from 'vitest/config';

// Built into the jar's webui/ folder; the coordinator serves it at /ui/ (hashed assets cached for a year).
export default defineConfig({
  base: '/ui/',
  build: {
    outDir: 'target/classes/webui',
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2022',
    sourcemap: false,
    manifest: true,
    chunkSizeWarningLimit: 700,
  },
  // npm run dev: the console with hot reload against a coordinator (GLAUX_URL, default the demo's)
  server: {
    proxy: { '/v1': { target: process.env.GLAUX_URL ?? 'https://localhost:8443', secure: false, changeOrigin: true } },
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
