import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { ConfigError } from '../common/errors.js';
import { SidecarConfig } from './schema.js';

type Json = Record<string, unknown>;

/** Environment variables that override one config field each. */
const ENV_OVERRIDES: Array<[string, [string, string], 'string' | 'int']> = [
  ['SYNCLINE_WP_URL', ['wordpress', 'url'], 'string'],
  ['SYNCLINE_WP_SECRET', ['wordpress', 'secret'], 'string'],
  ['SYNCLINE_ERP_URL', ['erp', 'url'], 'string'],
  ['SYNCLINE_ERP_KEY', ['erp', 'api_key'], 'string'],
  ['SYNCLINE_HTTP_PORT', ['http', 'port'], 'int'],
  ['SYNCLINE_LOG_LEVEL', ['log', 'level'], 'string'],
];

/** Reads the JSON config file (when given), applies environment overrides and validates the result. */
export function loadConfig(file: string | undefined, env: NodeJS.ProcessEnv = process.env): SidecarConfig {
  const raw = file === undefined ? {} : readJson(file);
  return parseConfig(applyEnv(raw, env));
}

/**
 * Asks WordPress for the ERP block (the Settings screen's connection): the sidecar's part of "one source of truth for
 * the ERP connection". Rejects with ConfigError when WordPress cannot say.
 */
export type ErpConnectionSource = (wordpress: { url: string; secret: string }) => Promise<Json>;

/**
 * Like loadConfig, but a config without `erp.url` gets its ERP block from WordPress (`fetchErp`, i.e. the signed
 * POST /syncline/v1/sidecar/connection): Settings are the one source of the ERP connection, and a file or
 * environment value (e.g. SYNCLINE_ERP_KEY) still overrides a field of it.
 */
export async function resolveConfig(file: string | undefined, env: NodeJS.ProcessEnv, fetchErp: ErpConnectionSource): Promise<SidecarConfig> {
  const raw = applyEnv(file === undefined ? {} : readJson(file), env);
  const erp = block(raw.erp);
  const wp = block(raw.wordpress);
  if (typeof erp.url !== 'string' && typeof wp.url === 'string' && typeof wp.secret === 'string') {
    raw.erp = { ...(await fetchErp({ url: wp.url, secret: wp.secret })), ...erp };
  }
  return parseConfig(raw);
}

function block(value: unknown): Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
}

/** Validates a raw config object; throws ConfigError naming the first bad field. */
export function parseConfig(raw: unknown, pid = process.pid, host = hostname()): SidecarConfig {
  const result = SidecarConfig.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue && issue.path.length > 0 ? issue.path.join('.') : '(root)';
    throw new ConfigError(`${field}: ${issue?.message ?? 'invalid'}`);
  }
  const config = result.data;
  const id = config.worker.id ?? defaultWorkerId(host, pid);
  return { ...config, worker: { ...config.worker, id } };
}

/** `<hostname>-<pid>`, reduced to the characters WordPress accepts in a worker id. */
export function defaultWorkerId(host: string, pid: number): string {
  const clean = host.replace(/[^A-Za-z0-9_.:@-]/g, '-').slice(0, 50) || 'sidecar';
  return `${clean}-${pid}`;
}

function readJson(file: string): Json {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(`--config: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not a JSON object');
    return parsed as Json;
  } catch (e) {
    throw new ConfigError(`--config: ${file} is not a JSON object (${(e as Error).message})`);
  }
}

/** A copy of `raw` with the `SYNCLINE_*` overrides applied (non-numeric ports stay strings so zod names them). */
export function applyEnv(raw: Json, env: NodeJS.ProcessEnv): Json {
  const out: Json = { ...raw };
  for (const [name, [section, key], kind] of ENV_OVERRIDES) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    const current = out[section];
    const block: Json = current !== null && typeof current === 'object' && !Array.isArray(current) ? { ...(current as Json) } : {};
    block[key] = kind === 'int' && /^\d+$/.test(value) ? Number(value) : value;
    out[section] = block;
  }
  return out;
}
