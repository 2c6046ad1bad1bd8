/** Differences in JSON shape (keys and types; values may differ; null on either side matches any type). */
type Json = unknown;
const kind = (v: Json): string => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v);

export function shapeDiff(rec: Json, got: Json, at = '$', labels: [string, string] = ['recorded', 'fake']): string[] {
  if (rec === null || got === null) return [];
  if (kind(rec) !== kind(got)) return [`${at}: ${labels[0]} ${kind(rec)}, ${labels[1]} ${kind(got)}`];
  if (Array.isArray(rec) && Array.isArray(got)) {
    if (rec.length !== got.length) return [`${at}: ${labels[0]} ${rec.length} items, ${labels[1]} ${got.length}`];
    return rec.flatMap((r, i) => shapeDiff(r, got[i], `${at}[${i}]`, labels));
  }
  if (kind(rec) !== 'object') return [];
  const r = rec as Record<string, Json>;
  const g = got as Record<string, Json>;
  const missing = Object.keys(r).filter((k) => !(k in g) && k !== 'debug').map((k) => `${at}.${k}: missing in ${labels[1]}`);
  const extra = Object.keys(g).filter((k) => !(k in r) && k !== 'debug').map((k) => `${at}.${k}: only in ${labels[1]}`);
  const inner = Object.keys(r).filter((k) => k in g && k !== 'debug').flatMap((k) => shapeDiff(r[k], g[k], `${at}.${k}`, labels));
  return [...missing, ...extra, ...inner];
}
