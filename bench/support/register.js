// Runs the benchmarks' TypeScript directly: `node -r ./bench/support/register.js bench/x.bench.ts`.
// Same swc settings as jest (.swcrc: decorator metadata for Nest/TypeORM) and the same @coord/* aliases
// as tsconfig.json, so a benchmark exercises exactly the code the services run — no separate build step.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const { transformSync } = require('@swc/core');

const root = path.resolve(__dirname, '..', '..');
const swc = JSON.parse(fs.readFileSync(path.join(root, '.swcrc'), 'utf8'));
const LIBS = /^@coord\/(domain|event-store|read-models|messaging|platform|reporting)(\/.*)?$/;

const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  const m = LIBS.exec(request);
  if (m) request = path.join(root, 'libs', m[1], 'src', m[2] ?? '');
  return resolve.call(this, request, parent, ...rest);
};

require.extensions['.ts'] = function (module, filename) {
  const source = fs.readFileSync(filename, 'utf8');
  const { code } = transformSync(source, { ...swc, filename, sourceMaps: 'inline', swcrc: false });
  module._compile(code, filename);
};
