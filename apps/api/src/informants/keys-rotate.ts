import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfidentialVault, generateMasterKey, MasterKeyring, readMasterKeyFile, rotateDataKeyWrapping, writeMasterKeyFile } from '@coord/event-store';
import { createPinoLogger, loadConfig, openDataKeyStore, PinoNestLogger } from '@coord/platform';

/**
 * `npm run keys:rotate`: re-wraps every data key under the current master key (the events are never
 * re-encrypted; a data key is 32 bytes). Two modes, from the same configuration as the api:
 *
 *  - key file (the embedded default `<data>/master-key`, or COORD_MASTER_KEY_FILE): a new master key is
 *    generated and put FIRST in the file (the old one stays on the next line, still able to unwrap),
 *    every data key is re-wrapped, then the old key is removed from the file. Restart the api afterwards
 *    (a running api also re-reads the file when it meets an unknown key id).
 *  - COORD_MASTER_KEY (+ COORD_MASTER_KEY_PREVIOUS): the operator has already set the new key as current
 *    and the old one as previous; this re-wraps, after which the previous key can be removed and destroyed.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  Logger.overrideLogger(new PinoNestLogger(createPinoLogger(config.logLevel)));
  const logger = new Logger('keys:rotate');
  const source = config.masterKey;
  let ring: MasterKeyring;
  if (source.kind === 'file') {
    const old = readMasterKeyFile(source.file, source.generateIfMissing).map((k) => k.toString('base64'));
    const fresh = generateMasterKey();
    writeMasterKeyFile(source.file, [fresh, ...old]);
    ring = MasterKeyring.fromSource({ ...source, generateIfMissing: false });
  } else {
    ring = MasterKeyring.fromSource(source);
  }
  const vault = new ConfidentialVault(ring, () => openDataKeyStore(config));
  try {
    const result = await rotateDataKeyWrapping(vault);
    if (source.kind === 'file') writeMasterKeyFile(source.file, [readMasterKeyFile(source.file, false)[0].toString('base64')]);
    logger.log(`re-wrapped ${result.rewrapped} data keys under master key ${ring.currentId} (${result.alreadyCurrent} already current)`);
    if (source.kind === 'keys' && source.previous.length) logger.log('every data key now uses COORD_MASTER_KEY: remove COORD_MASTER_KEY_PREVIOUS and destroy the old key');
  } finally {
    await vault.close();
  }
}

main().catch((e: unknown) => {
  new Logger('keys:rotate').error(e instanceof Error ? e.message : String(e));
  process.exitCode = 1;
});
