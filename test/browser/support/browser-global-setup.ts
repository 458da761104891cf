import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * The browser suite runs the app the way the README starts it: `npm run build` (api, projector and the
 * web console into dist/), then the built api process. Built once per jest run, before any browser spec.
 * COORD_BROWSER_SKIP_BUILD=1 reuses an existing dist/ (for iterating on the specs only).
 */
export default function globalSetup(): void {
  if (process.env.COORD_BROWSER_SKIP_BUILD === '1') return;
  // jest sets NODE_ENV=test, and Vite keeps a NODE_ENV it finds: without this the console would be built
  // as a development bundle (React and antd development warnings on), not the one `npm start` serves
  const env = { ...process.env, NODE_ENV: 'production' };
  execFileSync('npm', ['run', 'build'], { cwd: join(__dirname, '..', '..', '..'), env, stdio: ['ignore', 'ignore', 'inherit'] });
}
