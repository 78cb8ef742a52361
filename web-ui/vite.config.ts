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
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
