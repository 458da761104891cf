// One jest config, three kinds of test selected by file suffix:
//   *.spec.ts      pure given/when/then specs (deciders, projections, calendar) and in-process adapters
//   *.int-spec.ts  against real services (PostgreSQL; later Kafka) — need COORD_TEST_PG_URL etc.
//   *.e2e-spec.ts  the real Nest app over HTTP with supertest
// swc strips types for speed on 2 cores; `npm run typecheck` (tsc --noEmit) is part of `npm test`.
const swc = JSON.parse(require('fs').readFileSync(__dirname + '/.swcrc', 'utf8'));
const moduleNameMapper = {
  '^@coord/(domain|event-store|read-models|messaging|platform|reporting)$': '<rootDir>/libs/$1/src',
  '^@coord/(domain|event-store|read-models|messaging|platform|reporting)/(.*)$': '<rootDir>/libs/$1/src/$2',
};
const base = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['@swc/jest', { ...swc, sourceMaps: 'inline' }],
    // a few dependencies ship ESM only (Node 20.19 loads them natively with require; jest's module
    // system does not), so jest transforms exactly those to CommonJS
    '^.+\\.m?js$': ['@swc/jest', { ...swc, jsc: { ...swc.jsc, parser: { syntax: 'ecmascript' } } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!(content-disposition|jose)/)'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper,
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test'],
};
module.exports = {
  reporters: ['default', '<rootDir>/test/support/plain-summary.reporter.js'],
  projects: [
    { ...base, displayName: 'unit', testMatch: ['**/*.spec.ts'], testPathIgnorePatterns: ['\\.int-spec\\.ts$', '\\.e2e-spec\\.ts$', '/node_modules/'] },
    // the KurrentDB contract suite needs a KurrentDB server: collected only when KURRENTDB_URL is set, so
    // ordinary runs show no skipped tests (docs/docker.md says how to run it against the compose file)
    {
      ...base,
      displayName: 'int',
      // real PostgreSQL and Kafka (scripts/ensure-postgres.sh, scripts/kafka.sh), started if not running
      globalSetup: '<rootDir>/test/support/jest-global-setup.ts',
      globalTeardown: '<rootDir>/test/support/jest-global-teardown.ts',
      testMatch: ['**/*.int-spec.ts'],
      testPathIgnorePatterns: ['/node_modules/', ...(process.env.KURRENTDB_URL ? [] : ['/kurrentdb/'])],
    },
    { ...base, displayName: 'e2e', testMatch: ['**/*.e2e-spec.ts'] },
    // the web console in Debian's chromium (playwright-core) against the built api process; the global
    // setup runs `npm run build` once (docs/web-console.md)
    { ...base, displayName: 'browser', testMatch: ['**/*.browser-spec.ts'], globalSetup: '<rootDir>/test/browser/support/browser-global-setup.ts' },
  ],
};
