import 'reflect-metadata';
import { loadCheckpointKeys, openIntegrityLog, signCheckpoint, verifyIntegrity } from '@coord/event-store';
import { loadConfig } from '@coord/platform';

/**
 * `npm run verify` — re-walks the event store's hash chain and signed checkpoints (docs/security-integrity.md)
 * with the same configuration as `npm start` (COORD_DATA_DIR, COORD_EVENT_STORE, COORD_PG_URL …).
 *
 *   npm run verify                    report only; never writes (not even a missing key file)
 *   npm run verify -- --checkpoint    and, if the history is intact, sign a checkpoint at the head
 *   npm run verify -- --json          the report as JSON (for scripts and monitoring)
 *
 * Exit code: 0 intact, 1 a broken link was found, 2 the check could not run (e.g. KurrentDB, no database).
 * This is an operator's command-line tool: it writes its report to stdout, not to the service log.
 */
async function main(): Promise<number> {
  const args = new Set(process.argv.slice(2));
  const config = loadConfig();
  if (config.eventStore.kind === 'kurrentdb') {
    process.stderr.write('KurrentDB 事件存储不提供哈希链（见 docs/security-integrity.md）\n');
    return 2;
  }
  const wantCheckpoint = args.has('--checkpoint');
  const { signer, trusted } = loadCheckpointKeys(config.integrity, { create: wantCheckpoint });
  const { log, close } = await openIntegrityLog(config.eventStore);
  try {
    const started = process.hrtime.bigint();
    const report = await verifyIntegrity(log, { trustedKeys: trusted });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    let signed: Awaited<ReturnType<typeof signCheckpoint>> = null;
    if (wantCheckpoint && report.intact && signer) signed = await signCheckpoint(log, signer);
    if (args.has('--json')) {
      process.stdout.write(`${JSON.stringify({ ...report, seconds, signedCheckpoint: signed }, null, 2)}\n`);
    } else {
      process.stdout.write(`${report.summary}\n`);
      if (report.firstBroken) {
        const b = report.firstBroken;
        process.stdout.write(`  类型: ${b.kind}  位置: ${b.position}${b.streamId ? `  流: ${b.streamId}` : ''}${b.streamVersion ? `  版本: ${b.streamVersion}` : ''}\n`);
      }
      process.stdout.write(`  已校验 ${report.eventsChecked} 个事件，用时 ${seconds.toFixed(2)} 秒；受信任密钥: ${trusted.ids.join(', ') || '（无）'}\n`);
      if (signed) process.stdout.write(`  已在位置 ${signed.position} 签署检查点（密钥 ${signed.keyId}）\n`);
      else if (wantCheckpoint) process.stdout.write(report.intact ? '  无需新检查点（没有新事件）\n' : '  历史不完整：未签署检查点\n');
    }
    return report.intact ? 0 : 1;
  } finally {
    await close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(2);
  },
);
