/**
 * Protocol helpers of the fake Dolibarr: Restler error bodies, list paging, and the `sqlfilters` forms the
 * adapter uses, with Dolibarr 20.0.2's reactions to malformed filters (fixtures 92c, 92i).
 */

export interface FakeRequest {
  method: string;
  /** Decoded path segments after `/api/index.php` (PHP decoding: `+` is a space). */
  parts: string[];
  query: URLSearchParams;
  body: unknown;
}

export interface FakeResponse {
  status: number;
  json?: unknown;
  text?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

const REASON: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 429: 'Too Many Requests',
  500: 'Internal Server Error', 501: 'Not Implemented', 503: 'Service Unavailable',
};

/** Restler's error body: `{"error": {"code", "message": "<Reason>: <msg>"}, "debug": {…}}`. */
export function restlerError(status: number, message: string, extra?: string): FakeResponse {
  const error: Record<string, unknown> = { code: status, message: `${REASON[status] ?? 'Error'}: ${message}` };
  if (extra !== undefined) error['0'] = extra;
  const failureStage = status === 401 ? 'authenticate' : 'call';
  return {
    status,
    json: { error, debug: { source: `fake-dolibarr at ${failureStage} stage`, stages: { success: ['get', 'route', 'negotiate'], failure: [failureStage, 'message'] } } },
  };
}

export const ok = (json: unknown): FakeResponse => ({ status: 200, json });

/** The plain-text 501 Dolibarr sends for an unknown API resource (fixture 91d). */
export const unknownResource = (): FakeResponse => ({ status: 501, text: 'API not found (failed to include API file)', contentType: 'text/html; charset=UTF-8' });


/** `limit`, `page`, `sortfield`/`sortorder` and `pagination_data=true` on a list of rendered objects. */
export function pageList(items: Record<string, unknown>[], q: URLSearchParams): unknown {
  const limit = Math.max(0, Number(q.get('limit') ?? '100')) || 100;
  const page = Math.max(0, Number(q.get('page') ?? '0'));
  const sorted = sortItems(items, q.get('sortfield'), q.get('sortorder'));
  const data = sorted.slice(page * limit, page * limit + limit);
  if (q.get('pagination_data') !== 'true') return data;
  return { data, pagination: { total: items.length, page, page_count: Math.ceil(items.length / limit), limit } };
}

function sortItems(items: Record<string, unknown>[], field: string | null, order: string | null): Record<string, unknown>[] {
  const key = (field ?? 't.rowid').replace(/^t\./, '').replace(/^rowid$/, 'id');
  const dir = (order ?? 'ASC').toUpperCase() === 'DESC' ? -1 : 1;
  const val = (x: Record<string, unknown>): string | number => {
    const v = x[key];
    return typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : String(v ?? '');
  };
  return [...items].sort((a, b) => (val(a) < val(b) ? -dir : val(a) > val(b) ? dir : 0));
}

export interface Clause {
  field: string;
  op: string;
  values: string[];
}

export type ParsedFilter = { clauses: Clause[]; joiner: 'and' | 'or' } | FakeResponse;

function balanced(filter: string): boolean {
  let depth = 0;
  let inQuote = false;
  for (const ch of filter) {
    if (ch === "'") inQuote = !inQuote;
    else if (!inQuote && ch === '(') depth++;
    else if (!inQuote && ch === ')') depth--;
    if (depth < 0) return false;
  }
  return depth === 0 && !inQuote;
}

/** Parses `(t.f:=:'v')`, `(t.f:in:'A','B')`, joined by ` or ` / ` and `. `resource` names the list in SQL errors. */
export function parseSqlFilters(filter: string, resource: string): ParsedFilter {
  if (!balanced(filter)) {
    return restlerError(400, `Error when validating parameter sqlfilters -> Wrong balance of parenthesis in sqlfilters=(${filter})`);
  }
  const clauses: Clause[] = [];
  const re = /\(t\.(\w+):([\w=<>!]+):((?:'[^']*'(?:,'[^']*')*)|[\w.-]+)\)/g;
  for (const m of filter.matchAll(re)) {
    const raw = m[3] ?? '';
    const values = raw.startsWith("'") ? [...raw.matchAll(/'([^']*)'/g)].map((v) => v[1] ?? '') : [raw];
    const op = (m[2] ?? '').toLowerCase();
    if (op === 'in' && values.length === 1 && (values[0] ?? '').includes(',')) {
      return restlerError(503, `Error when retrieve ${resource} list : You have an error in your SQL syntax; check the manual that corresponds to your MariaDB server version for the right syntax to use near '\\'${values[0] ?? ''}\\')))' at line 1`);
    }
    clauses.push({ field: m[1] ?? '', op, values });
  }
  if (clauses.length === 0) return restlerError(400, `Error when validating parameter sqlfilters -> Bad syntax of the search string: ${filter}`);
  return { clauses, joiner: / and /i.test(filter) && !/ or /i.test(filter) ? 'and' : 'or' };
}

function matchesClause(value: unknown, c: Clause): boolean {
  const v = value === null || value === undefined ? null : String(value);
  if (c.op === '=') return v !== null && v === c.values[0];
  if (c.op === 'in') return v !== null && c.values.includes(v);
  if (c.op === 'like') {
    const re = new RegExp(`^${(c.values[0] ?? '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*')}$`, 'i');
    return v !== null && re.test(v);
  }
  if (c.op === '!=' || c.op === '<>') return v !== c.values[0];
  if (c.op === '>' || c.op === '<') {
    if (v === null || !/^-?\d+$/.test(v)) return false;
    return c.op === '>' ? Number(v) > Number(c.values[0]) : Number(v) < Number(c.values[0]);
  }
  return false;
}

/** Filters plain records; `fields` maps a sqlfilters field name (`ref_ext`, `fk_product`) to a record value. */
export function applyFilter<T>(items: T[], f: { clauses: Clause[]; joiner: 'and' | 'or' }, fields: (item: T, field: string) => unknown): T[] {
  return items.filter((it) => {
    const results = f.clauses.map((c) => matchesClause(fields(it, c.field), c));
    return f.joiner === 'and' ? results.every(Boolean) : results.some(Boolean);
  });
}

export function isResponse(x: ParsedFilter): x is FakeResponse {
  return 'status' in x;
}
