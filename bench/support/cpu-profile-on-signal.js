// Preloaded into a server a benchmark profiles (`node -r bench/support/cpu-profile-on-signal.js …`):
// the first SIGWINCH starts V8's sampling profiler, the next one stops it and writes
// $BENCH_CPU_PROFILE_DIR/server-<n>.cpuprofile (Chrome DevTools format). Profiling only the measured phase
// is why this exists: `node --cpu-prof` covers start-up and setup too, and writes only at a clean exit,
// which a server stopped by a signal never has. SIGWINCH because Nest's shutdown hooks take SIGUSR2 (and
// most others) to mean "stop", and node keeps SIGUSR1 for its inspector.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const inspector = require('node:inspector');

const dir = process.env.BENCH_CPU_PROFILE_DIR;
if (dir) {
  const session = new inspector.Session();
  session.connect();
  let running = false;
  let written = 0;
  const post = (method, params) => new Promise((ok, fail) => session.post(method, params ?? {}, (err, res) => (err ? fail(err) : ok(res))));
  process.on('SIGWINCH', () => {
    if (!running) {
      running = true;
      // 500 µs: about 1,000 samples a second is plenty at ~1 core, and cheap enough not to move the figures much
      post('Profiler.enable')
        .then(() => post('Profiler.setSamplingInterval', { interval: 500 }))
        .then(() => post('Profiler.start'))
        .catch((e) => process.stderr.write(`profiler: ${e}\n`));
      return;
    }
    running = false;
    post('Profiler.stop')
      .then(({ profile }) => {
        written += 1;
        fs.mkdirSync(dir, { recursive: true });
        const file = path.join(dir, `server-${written}.cpuprofile`);
        fs.writeFileSync(`${file}.tmp`, JSON.stringify(profile));
        fs.renameSync(`${file}.tmp`, file);
      })
      .catch((e) => process.stderr.write(`profiler: ${e}\n`));
  });
}
