import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { authConfig, type AuthConfig } from './auth-config';
import type { MasterKeySource } from '@coord/event-store';

/**
 * The one typed, validated configuration object. Nothing else reads process.env: an invalid value stops
 * the process at start with a message naming the variable, instead of failing later in a request.
 */
export interface ClockConfig {
  transferAcknowledgeWorkingDays: number;
  transferDecisionWorkingDays: number;
  leadDispositionWorkingDays: number;
  dispositionWorkingDays: { 'talk-inquiry': number; 'preliminary-verification': number };
  majorCaseProgressDays: number;
}

/** One rung ladder of 催办: reminders before a due date, escalations after it. */
export interface ReminderLadder {
  /** remind this many WORKING days before the due date (0 = on the due date), e.g. [3, 1] */
  remindBeforeWorkingDays: number[];
  /** escalate to the group leader at this many CALENDAR days overdue (as daysOverdue counts), e.g. [1, 5, 10] */
  escalateAfterDays: number[];
}

/** The durable deadline scheduler (libs/platform/src/scheduler, docs/reminders.md). */
export interface ReminderConfig {
  /** run the scheduler where projections run (embedded api, projector process) */
  enabled: boolean;
  /** how often it ticks on the real clock; 0 = never by itself (tests tick it by hand) */
  tickIntervalMs: number;
  supervision: ReminderLadder;
  /** transfer acknowledgement / decision and disposition-conclusion clocks (durations from ClockConfig) */
  leadClocks: ReminderLadder;
}

export interface AppConfig {
  port: number;
  /** the projector process's /health port (distributed profile) */
  projectorPort: number;
  host: string;
  dataDir: string;
  eventStore:
    | { kind: 'sqlite'; file: string }
    | { kind: 'postgres'; url: string; schema: string }
    /** KurrentDB 25.1+; `namespace` prefixes every stream name (COORD_KURRENTDB_NAMESPACE, default '') */
    | { kind: 'kurrentdb'; url: string; namespace: string };
  readModels: { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string; schema: string };
  adminPassword?: string;
  jwtSecret: string;
  /** access token lifetime (COORD_TOKEN_TTL_SECONDS, default 15 min): short, because refresh tokens renew it */
  tokenTtlSeconds: number;
  /** sign-in: refresh tokens, TOTP, login throttling, OIDC mode (auth-config.ts) */
  auth: AuthConfig;
  bodyLimitBytes: number;
  groupEstablishedOn: string;
  clocks: ClockConfig;
  /** 催办 and escalation ladders and the scheduler's tick */
  reminders: ReminderConfig;
  /** run the projection runner inside the api process (the embedded default) */
  embeddedProjector: boolean;
  /** projection runner tuning; the lease TTL applies to SQLite read models only (PostgreSQL uses an advisory lock) */
  projections: { batchSize: number; pollIntervalMs: number; leaseTtlMs: number };
  logLevel: string;
  /** Kafka for member agencies' systems; undefined (COORD_KAFKA_BROKERS unset) = off: the relay then
   *  delivers integration events in process only and there is no intake consumer */
  kafka?: KafkaConfig;
  /** hash-chain checkpoints (docs/security-integrity.md) */
  integrity: IntegrityConfig;
  /** master key(s) wrapping the per-stream data keys of confidential parts (docs/security-confidentiality.md) */
  masterKey: MasterKeySource;
  /** hostile-input limits and browser-facing headers (docs/security-hardening.md) */
  http: HttpHardeningConfig;
}

export interface HttpHardeningConfig {
  /** addresses/CIDRs of reverse proxies whose X-Forwarded-For is believed (COORD_TRUST_PROXY); [] = none */
  trustProxy: string[];
  /** requests per window; 0 = that limit is off (COORD_RATE_LIMIT_PER_ADDRESS / _PER_USER / _WINDOW_MS) */
  rateLimit: { perAddress: number; perUser: number; windowMs: number };
  /** origins allowed to call the api from a browser page of another origin; [] = CORS closed */
  corsOrigins: string[];
  /** send Strict-Transport-Security and upgrade-insecure-requests: only when served over TLS (COORD_HSTS=on) */
  hsts: boolean;
}

export interface IntegrityConfig {
  /** Ed25519 private key (PKCS#8 PEM) signing checkpoints; generated there when absent, like the JWT secret */
  signingKeyFile: string;
  /** optional PEM file of further trusted public keys (rotated-out keys whose checkpoints must still verify) */
  trustedKeysFile?: string;
  /** sign a checkpoint once this many events were appended since the last one; 0 = on demand only */
  checkpointEvery: number;
  /** how often the api looks whether a checkpoint is due; 0 = never by itself */
  checkpointPollMs: number;
}

export interface KafkaConfig {
  brokers: string[];
  clientId: string;
  /** prepended to every topic name (tests, shared clusters); '' in production: names as in topics.ts */
  topicPrefix: string;
  /** the consumer group every api replica joins for the intake topic */
  intakeGroupId: string;
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new ConfigError(`${name} must be an integer >= ${min}, got "${raw}"`);
  return n;
}

function oneOf<T extends string>(env: Env, name: string, values: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!values.includes(raw as T)) throw new ConfigError(`${name} must be one of ${values.join(', ')}, got "${raw}"`);
  return raw as T;
}

/** A secret the operator did not set is generated once and kept in the data folder, so tokens survive restarts. */
function persistentSecret(dataDir: string, fileName: string): string {
  const file = join(dataDir, fileName);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

function kafkaConfig(env: Env): KafkaConfig | undefined {
  const raw = env.COORD_KAFKA_BROKERS;
  if (raw === undefined || raw.trim() === '') return undefined;
  const brokers = raw.split(',').map((b) => b.trim()).filter((b) => b !== '');
  for (const b of brokers) if (!/^[\w.-]+:\d{1,5}$/.test(b)) throw new ConfigError(`COORD_KAFKA_BROKERS must be host:port[,host:port], got "${b}"`);
  const prefix = env.COORD_KAFKA_TOPIC_PREFIX ?? '';
  if (!/^[\w.-]*$/.test(prefix)) throw new ConfigError('COORD_KAFKA_TOPIC_PREFIX may contain letters, digits, ".", "_" and "-" only');
  return {
    brokers,
    clientId: env.COORD_KAFKA_CLIENT_ID || 'coord',
    topicPrefix: prefix,
    intakeGroupId: env.COORD_KAFKA_INTAKE_GROUP || `${prefix}coord-intake`,
  };
}

/** A comma-separated list of distinct non-negative integers, e.g. "3,1". */
function intList(env: Env, name: string, fallback: number[], min = 0): number[] {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const values = raw.split(',').map((s) => Number(s.trim()));
  if (values.some((n) => !Number.isInteger(n) || n < min) || new Set(values).size !== values.length) {
    throw new ConfigError(`${name} must be a comma-separated list of distinct integers >= ${min}, got "${raw}"`);
  }
  return values;
}

function reminderConfig(env: Env): ReminderConfig {
  return {
    enabled: oneOf(env, 'COORD_REMINDERS', ['on', 'off'] as const, 'on') === 'on',
    tickIntervalMs: int(env, 'COORD_REMINDER_TICK_MS', 10 * 60_000, 0),
    supervision: {
      remindBeforeWorkingDays: intList(env, 'COORD_SUPERVISION_REMIND_BEFORE_WD', [3, 1]),
      escalateAfterDays: intList(env, 'COORD_SUPERVISION_ESCALATE_AFTER_DAYS', [1, 5, 10], 1),
    },
    leadClocks: {
      remindBeforeWorkingDays: intList(env, 'COORD_CLOCK_REMIND_BEFORE_WD', [1]),
      escalateAfterDays: intList(env, 'COORD_CLOCK_ESCALATE_AFTER_DAYS', [1, 5], 1),
    },
  };
}

function httpHardeningConfig(env: Env): HttpHardeningConfig {
  const list = (name: string) => (env[name] ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
  const corsOrigins = list('COORD_CORS_ORIGINS');
  // an origin is scheme://host[:port], exactly as a browser sends it in the Origin header (no path, no '*')
  for (const o of corsOrigins) if (!/^https?:\/\/[^/\s*]+$/.test(o)) throw new ConfigError(`COORD_CORS_ORIGINS must list origins like https://host[:port], got "${o}"`);
  const trustProxy = list('COORD_TRUST_PROXY');
  for (const a of trustProxy) if (!/^[0-9a-fA-F.:]+(\/\d{1,3})?$/.test(a)) throw new ConfigError(`COORD_TRUST_PROXY must list IP addresses or CIDRs, got "${a}"`);
  return {
    trustProxy,
    rateLimit: {
      perAddress: int(env, 'COORD_RATE_LIMIT_PER_ADDRESS', 3000, 0),
      perUser: int(env, 'COORD_RATE_LIMIT_PER_USER', 1200, 0),
      windowMs: int(env, 'COORD_RATE_LIMIT_WINDOW_MS', 60_000, 1000),
    },
    corsOrigins,
    hsts: oneOf(env, 'COORD_HSTS', ['on', 'off'] as const, 'off') === 'on',
  };
}

export function loadConfig(env: Env = process.env): AppConfig {
  const dataDir = resolve(env.COORD_DATA_DIR || './data');
  mkdirSync(dataDir, { recursive: true });
  const storeKind = oneOf(env, 'COORD_EVENT_STORE', ['sqlite', 'postgres', 'kurrentdb'] as const, 'sqlite');
  // KurrentDB holds events only: its read models default to PostgreSQL
  const readKind = oneOf(env, 'COORD_READ_MODELS', ['sqlite', 'postgres'] as const, storeKind === 'kurrentdb' ? 'postgres' : storeKind);
  const kurrentUrl = env.COORD_KURRENTDB_URL;
  if (storeKind === 'kurrentdb' && !kurrentUrl) {
    throw new ConfigError('COORD_KURRENTDB_URL is required when COORD_EVENT_STORE is kurrentdb (e.g. kurrentdb://localhost:2113?tls=false)');
  }
  const pgUrl = env.COORD_PG_URL;
  if ((storeKind === 'postgres' || readKind === 'postgres') && !pgUrl) {
    throw new ConfigError('COORD_PG_URL is required when COORD_EVENT_STORE or COORD_READ_MODELS is postgres');
  }
  const established = env.COORD_GROUP_ESTABLISHED_ON || '2012-01-01';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(established)) throw new ConfigError('COORD_GROUP_ESTABLISHED_ON must be YYYY-MM-DD');
  return {
    port: int(env, 'PORT', 3000, 0),
    projectorPort: int(env, 'COORD_PROJECTOR_PORT', 3001, 0),
    host: env.HOST || '0.0.0.0',
    dataDir,
    eventStore:
      storeKind === 'sqlite'
        ? { kind: 'sqlite', file: join(dataDir, 'events.sqlite') }
        : storeKind === 'kurrentdb'
          ? { kind: 'kurrentdb', url: kurrentUrl as string, namespace: env.COORD_KURRENTDB_NAMESPACE ?? '' }
          : { kind: 'postgres', url: pgUrl as string, schema: env.COORD_PG_EVENTS_SCHEMA || 'coord_events' },
    readModels:
      readKind === 'sqlite'
        ? { kind: 'sqlite', file: join(dataDir, 'read-models.sqlite') }
        : { kind: 'postgres', url: pgUrl as string, schema: env.COORD_PG_READ_SCHEMA || 'coord_read' },
    adminPassword: env.COORD_ADMIN_PASSWORD || undefined,
    jwtSecret: env.COORD_JWT_SECRET || persistentSecret(dataDir, 'jwt-secret'),
    tokenTtlSeconds: int(env, 'COORD_TOKEN_TTL_SECONDS', 15 * 60, 60),
    auth: authConfig(env),
    bodyLimitBytes: int(env, 'COORD_BODY_LIMIT_BYTES', 64 * 1024, 1024),
    groupEstablishedOn: established,
    clocks: {
      transferAcknowledgeWorkingDays: int(env, 'COORD_CLOCK_TRANSFER_ACK_WD', 5, 1),
      transferDecisionWorkingDays: int(env, 'COORD_CLOCK_TRANSFER_DECISION_WD', 5, 1),
      leadDispositionWorkingDays: int(env, 'COORD_CLOCK_LEAD_DISPOSITION_WD', 15, 1),
      dispositionWorkingDays: {
        'talk-inquiry': int(env, 'COORD_CLOCK_TALK_INQUIRY_WD', 30, 1),
        'preliminary-verification': int(env, 'COORD_CLOCK_VERIFICATION_WD', 15, 1),
      },
      majorCaseProgressDays: int(env, 'COORD_CLOCK_MAJOR_CASE_PROGRESS_DAYS', 30, 1),
    },
    reminders: reminderConfig(env),
    embeddedProjector: oneOf(env, 'COORD_EMBEDDED_PROJECTOR', ['true', 'false'] as const, 'true') === 'true',
    projections: {
      batchSize: int(env, 'COORD_PROJECTION_BATCH_SIZE', 1000, 1),
      pollIntervalMs: int(env, 'COORD_PROJECTION_POLL_MS', 500, 10),
      leaseTtlMs: int(env, 'COORD_PROJECTION_LEASE_TTL_MS', 10_000, 1000),
    },
    logLevel: oneOf(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
    kafka: kafkaConfig(env),
    integrity: {
      signingKeyFile: resolve(env.COORD_INTEGRITY_KEY_FILE || join(dataDir, 'integrity-ed25519.pem')),
      trustedKeysFile: env.COORD_INTEGRITY_TRUSTED_KEYS_FILE ? resolve(env.COORD_INTEGRITY_TRUSTED_KEYS_FILE) : undefined,
      checkpointEvery: int(env, 'COORD_INTEGRITY_CHECKPOINT_EVERY', 1000, 0),
      checkpointPollMs: int(env, 'COORD_INTEGRITY_CHECKPOINT_POLL_MS', 60_000, 0),
    },
    http: httpHardeningConfig(env),
    masterKey: masterKeySource(env, dataDir),
  };
}

/**
 * COORD_MASTER_KEY (base64, 32 bytes; COORD_MASTER_KEY_PREVIOUS: retired keys during a rotation), or
 * COORD_MASTER_KEY_FILE, or — the embedded default — `<data>/master-key`, generated (0600) on first use.
 * Read lazily by the vault: a process that never touches confidential data never reads the key.
 */
function masterKeySource(env: Env, dataDir: string): MasterKeySource {
  if (env.COORD_MASTER_KEY && env.COORD_MASTER_KEY_FILE) throw new ConfigError('set COORD_MASTER_KEY or COORD_MASTER_KEY_FILE, not both');
  const previous = (env.COORD_MASTER_KEY_PREVIOUS ?? '').split(',').map((k) => k.trim()).filter((k) => k !== '');
  if (env.COORD_MASTER_KEY) {
    for (const [name, k] of [['COORD_MASTER_KEY', env.COORD_MASTER_KEY], ...previous.map((p) => ['COORD_MASTER_KEY_PREVIOUS', p])]) {
      if (Buffer.from(k.trim(), 'base64').length !== 32) throw new ConfigError(`${name} must be 32 bytes of base64 (openssl rand -base64 32)`);
    }
    return { kind: 'keys', current: env.COORD_MASTER_KEY, previous };
  }
  if (previous.length) throw new ConfigError('COORD_MASTER_KEY_PREVIOUS needs COORD_MASTER_KEY (with a key file, list retired keys on its later lines)');
  if (env.COORD_MASTER_KEY_FILE) return { kind: 'file', file: resolve(env.COORD_MASTER_KEY_FILE), generateIfMissing: false };
  return { kind: 'file', file: join(dataDir, 'master-key'), generateIfMissing: true };
}

export const APP_CONFIG = Symbol('APP_CONFIG');
