// The web console's build. @vitejs/plugin-react could not be installed next to Vite 8 (peer range), so the
// JSX is compiled by Vite 8's built-in Oxc transform with the automatic runtime; what we lose is React
// Fast Refresh in `vite dev` (a full reload instead), which a production build never uses anyway.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    outDir: fileURLToPath(new URL('../../dist/web', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 2500,
    reportCompressedSize: false,
    rolldownOptions: {
      // antd marks its modules "use client" for React Server Components; meaningless in a client bundle
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  // `npx vite --config apps/web/vite.config.mjs` for development: the api runs on :3000
  server: { proxy: { '/api': 'http://localhost:3000' } },
});
