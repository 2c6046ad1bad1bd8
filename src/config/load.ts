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

/** What WordPress's Settings hold for the sidecar (POST /syncline/v1/sidecar/connection), validated later by the config schema. */
export interface WordPressSettings {
  /** The ERP block; null until Settings have an ERP URL and API key. */
  erp: Json | null;
  /** The stock block: `channel` (the channel WooCommerce sells as) and `rules` (the ATS rules; null until saved). */
  stock?: { channel?: unknown; rules?: unknown };
}

/** Asks WordPress for its Settings' blocks. Rejects with ConfigError when WordPress cannot say. */
export type SettingsSource = (wordpress: { url: string; secret: string }) => Promise<WordPressSettings>;

/**
 * Like loadConfig, but what the file (or environment) lacks of `erp.url` and `stock.rules` comes from WordPress
 * (`fetchSettings`, i.e. the signed POST /syncline/v1/sidecar/connection): Settings are the one source of the ERP
 * connection and of the ATS rules, and a file or environment value (e.g. SYNCLINE_ERP_KEY, or a `stock.rules`
 * block) still overrides it. The served rules go through the same zod schema as a file's.
 */
export async function resolveConfig(file: string | undefined, env: NodeJS.ProcessEnv, fetchSettings: SettingsSource): Promise<SidecarConfig> {
  const raw = applyEnv(file === undefined ? {} : readJson(file), env);
  const erp = block(raw.erp);
  const stock = block(raw.stock);
  const wp = block(raw.wordpress);
  const needErp = typeof erp.url !== 'string';
  if ((needErp || stock.rules === undefined) && typeof wp.url === 'string' && typeof wp.secret === 'string') {
    const served = await fetchSettings({ url: wp.url, secret: wp.secret }).catch((e: unknown) => {
      throw new ConfigError(`${needErp ? 'erp' : 'stock.rules'}: not in the config file, and ${e instanceof Error ? e.message : String(e)}`);
    });
    if (needErp) {
      if (served.erp === null) throw new ConfigError('erp: not in the config file, and WordPress Settings have no ERP connection yet (enter the ERP URL and API key under WooCommerce → Syncline → Settings)');
      raw.erp = { ...served.erp, ...erp };
    }
    raw.stock = { ...servedStock(served.stock), ...stock };
  }
  return parseConfig(raw);
}

/** The served stock block without its nulls (no rules saved: the schema's default applies). */
function servedStock(stock: WordPressSettings['stock']): Json {
  const out: Json = {};
  if (typeof stock?.channel === 'string') out.channel = stock.channel;
  if (stock?.rules !== undefined && stock.rules !== null) out.rules = stock.rules;
  return out;
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
