/**
 * The Odoo stand-in's record store: records as plain objects, Odoo search domains (prefix `&`, `|`, `!` and
 * leaves `[field, op, value]`, with dotted paths one level deep), `order` and `fields` projection the way Odoo's
 * `search_read` answers (many2one as `[id, name]`, empty char as `false`). Tests only.
 */
export type Value = unknown;
export type Rec = Record<string, Value> & { id: number };

/** A many2one stored as `{ m2o: [model, id] }` is read as `[id, display_name]`. */
export interface M2O { m2o: [string, number] }
export const m2o = (model: string, id: number): M2O => ({ m2o: [model, id] });
export const isM2O = (v: Value): v is M2O => typeof v === 'object' && v !== null && 'm2o' in v;

export class DomainError extends Error {}

export type Resolve = (model: string, id: number) => Rec | undefined;

function fieldValue(rec: Rec, path: string, resolve: Resolve): Value {
  const [head = '', ...rest] = path.split('.');
  const v = rec[head];
  if (rest.length === 0) return isM2O(v) ? v.m2o[1] : v;
  if (!isM2O(v)) return false;
  const target = resolve(v.m2o[0], v.m2o[1]);
  return target ? fieldValue(target, rest.join('.'), resolve) : false;
}

function compare(a: Value, op: string, b: Value): boolean {
  const norm = (x: Value): Value => (x === '' || x === null || x === undefined ? false : x);
  const x = norm(a);
  switch (op) {
    case '=': return x === norm(b) || (typeof x === 'number' && typeof b === 'number' && Math.abs(x - b) < 1e-9);
    case '!=': return !compare(a, '=', b);
    case 'in': return Array.isArray(b) && b.some((y) => compare(a, '=', y));
    case 'not in': return !compare(a, 'in', b);
    case '>': return x !== false && String(x) > String(b) && (typeof x !== 'number' || x > Number(b));
    case '>=': return x !== false && (typeof x === 'number' ? x >= Number(b) : String(x) >= String(b));
    case '<': return x !== false && (typeof x === 'number' ? x < Number(b) : String(x) < String(b));
    case '<=': return x !== false && (typeof x === 'number' ? x <= Number(b) : String(x) <= String(b));
    case '=ilike': return typeof x === 'string' && typeof b === 'string' && likePattern(b, 'i').test(x);
    case '=like': return typeof x === 'string' && typeof b === 'string' && likePattern(b).test(x);
    case 'ilike': return typeof x === 'string' && typeof b === 'string' && x.toLowerCase().includes(b.toLowerCase());
    default: throw new DomainError(`Invalid leaf operator ${op}`);
  }
}

/** SQL LIKE (`%` any run, `_` one character) as a regular expression. */
function likePattern(p: string, flags = ''): RegExp {
  return new RegExp(`^${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.')}$`, `s${flags}`);
}

/** Evaluates a domain (implicit AND, prefix operators) on one record. */
export function matches(rec: Rec, domain: readonly Value[], resolve: Resolve, known: ReadonlySet<string>): boolean {
  let i = 0;
  const next = (): boolean => {
    const term = domain[i++];
    if (term === '&') return next() && next();
    if (term === '|') { const a = next(); const b = next(); return a || b; }
    if (term === '!') return !next();
    if (!Array.isArray(term) || term.length !== 3) throw new DomainError(`Invalid domain term ${JSON.stringify(term)}`);
    const [field, op, value] = term as [string, string, Value];
    if (!known.has(field.split('.')[0] ?? '')) throw new DomainError(`Invalid field ${field} in leaf ${JSON.stringify(term)}`);
    return compare(fieldValue(rec, field, resolve), op, value);
  };
  let ok = true;
  while (i < domain.length) ok = next() && ok;
  return ok;
}

/** Sorts by an Odoo `order` clause (`a asc, b desc`). */
export function sortBy(recs: Rec[], order: string | undefined): Rec[] {
  const keys = (order ?? 'id asc').split(',').map((s) => s.trim().split(/\s+/)).map(([f = 'id', d = 'asc']) => ({ f, desc: d.toLowerCase() === 'desc' }));
  return [...recs].sort((a, b) => {
    for (const { f, desc } of keys) {
      const x = isM2O(a[f]) ? (a[f] as M2O).m2o[1] : a[f];
      const y = isM2O(b[f]) ? (b[f] as M2O).m2o[1] : b[f];
      if (x === y) continue;
      const lt = typeof x === 'number' && typeof y === 'number' ? x < y : String(x) < String(y);
      return (lt ? -1 : 1) * (desc ? -1 : 1);
    }
    return 0;
  });
}

/** What `search_read` answers for one record: `id` plus the asked fields, many2one as `[id, name]`. */
export function project(rec: Rec, fields: readonly string[] | undefined, displayName: (model: string, id: number) => string): Record<string, Value> {
  const names = fields && fields.length > 0 ? fields : Object.keys(rec);
  const out: Record<string, Value> = { id: rec.id };
  for (const f of names) {
    const v = rec[f];
    out[f] = isM2O(v) ? [v.m2o[1], displayName(v.m2o[0], v.m2o[1])] : v === undefined || v === null || v === '' ? false : v;
  }
  return out;
}
