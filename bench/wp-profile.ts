/**
 * Where WordPress spends its time serving the sidecar, for the orders benchmark:
 * - a must-use plugin (bench only) logs, per `syncline/v1` lease/ack/renew request, the events it carried, its SQL
 *   queries (`$wpdb->num_queries`), its CPU (getrusage from the plugin's load to the response) and wall time;
 * - the CPU of whole process groups (the site's `php -S` workers, Dolibarr's, MariaDB) read from /proc, so a phase's
 *   CPU can be split between WordPress, the ERP and the database.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

const LOG = 'syncline-bench-profile.log';

const PLUGIN = `<?php
/**
 * Syncline benchmark profiler (written by bench/wp-profile.ts; never shipped).
 */
$GLOBALS['syncline_bench_ru'] = getrusage();
$GLOBALS['syncline_bench_q']  = array();
add_filter(
	'query',
	static function ( $q ) {
		$GLOBALS['syncline_bench_q'][] = substr( preg_replace( '/\\s+/', ' ', preg_replace( "/'[^']*'|\\b\\d+\\b/", '?', (string) $q ) ), 0, 90 );
		return $q;
	}
);
add_filter(
	'rest_post_dispatch',
	static function ( $response, $server, $request ) {
		if ( ! preg_match( '#^/syncline/v1/(lease|ack|events/renew)$#', $request->get_route(), $m ) ) {
			return $response;
		}
		global $wpdb;
		$cpu   = static fn ( array $r ): float => ( $r['ru_utime.tv_sec'] + $r['ru_stime.tv_sec'] ) * 1000 + ( $r['ru_utime.tv_usec'] + $r['ru_stime.tv_usec'] ) / 1000;
		$data  = $response instanceof WP_REST_Response ? $response->get_data() : array();
		$items = is_array( $data ) ? count( (array) ( $data['events'] ?? $data['results'] ?? $data['renewed'] ?? array() ) ) : 0;
		$line  = array(
			'route'   => $m[1],
			'items'   => $items,
			'queries' => (int) $wpdb->num_queries,
			'cpu_ms'  => round( $cpu( getrusage() ) - $cpu( $GLOBALS['syncline_bench_ru'] ), 2 ),
			'wall_ms' => round( ( microtime( true ) - $_SERVER['REQUEST_TIME_FLOAT'] ) * 1000, 2 ),
		);
		file_put_contents( WP_CONTENT_DIR . '/${LOG}', wp_json_encode( $line ) . "\\n", FILE_APPEND | LOCK_EX );
		// A sample of what the queries were (one request per route and size), for reading by hand.
		$sample = WP_CONTENT_DIR . '/${LOG}.' . str_replace( '/', '-', $m[1] ) . '-' . $items . '.json';
		if ( $items > 0 && ! file_exists( $sample ) ) {
			$counts = array_count_values( $GLOBALS['syncline_bench_q'] );
			arsort( $counts );
			file_put_contents( $sample, wp_json_encode( $counts, JSON_PRETTY_PRINT ) );
		}
		return $response;
	},
	10,
	3
);
`;

const Line = z.object({ route: z.string(), items: z.number(), queries: z.number(), cpu_ms: z.number(), wall_ms: z.number() });

export interface RouteProfile {
  requests: number;
  items: number;
  queries_per_request: number;
  queries_per_item: number;
  cpu_ms_per_item: number;
  wall_ms_per_request: number;
}

/** Installs the profiler in a site (a must-use plugin) and empties its log. */
export function installProfiler(sitePath: string): void {
  const dir = join(sitePath, 'wp-content', 'mu-plugins');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'syncline-bench-profile.php'), PLUGIN);
  resetProfile(sitePath);
}

/** Empties the log and the query samples (`<log>.<route>-<items>.json`: query shapes and their counts). */
export function resetProfile(sitePath: string): void {
  const dir = join(sitePath, 'wp-content');
  for (const f of readdirSync(dir).filter((n) => n.startsWith(LOG))) rmSync(join(dir, f), { force: true });
}

/** Per route (lease, ack, renew), what the logged requests cost; only requests that carried something. */
export function readProfile(sitePath: string): Record<string, RouteProfile> {
  const file = join(sitePath, 'wp-content', LOG);
  if (!existsSync(file)) return {};
  const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => Line.parse(JSON.parse(l)));
  const out: Record<string, RouteProfile> = {};
  const r2 = (n: number): number => Number(n.toFixed(2));
  for (const route of new Set(lines.map((l) => l.route))) {
    const ls = lines.filter((l) => l.route === route && l.items > 0);
    if (ls.length === 0) continue;
    const sum = (f: (l: z.infer<typeof Line>) => number): number => ls.reduce((a, l) => a + f(l), 0);
    const items = sum((l) => l.items);
    out[route] = {
      requests: ls.length, items,
      queries_per_request: r2(sum((l) => l.queries) / ls.length), queries_per_item: r2(sum((l) => l.queries) / items),
      cpu_ms_per_item: r2(sum((l) => l.cpu_ms) / items), wall_ms_per_request: r2(sum((l) => l.wall_ms) / ls.length),
    };
  }
  return out;
}

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** CPU milliseconds (user + system) used so far by every live process whose pid or command line matches. */
export function cpuOf(match: (cmdline: string, pid: number) => boolean): number {
  let ticks = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (!match(cmd, Number(pid))) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(f[11]) + Number(f[12]); // utime, stime (fields 14, 15)
    } catch { /* gone */ }
  }
  return ticks * TICK_MS;
}

/**
 * CPU meters for what a benchmark runs in this checkout: the site's PHP server, Dolibarr's PHP server and MariaDB
 * (all found by their paths under `runDir`), and the sidecar by pid. Returns CPU ms so far per part.
 */
export function cpuMeters(o: { sitePath: string; runDir: string; sidecarPid?: number }): () => Record<string, number> {
  const php = (c: string): boolean => c.startsWith('php ') && c.includes(' -S ');
  return () => ({
    wordpress: cpuOf((c) => php(c) && c.includes(o.sitePath)),
    dolibarr: cpuOf((c) => php(c) && c.includes(join(o.runDir, 'dolibarr'))),
    mariadb: cpuOf((c) => c.startsWith('mariadbd') && c.includes(join(o.runDir, 'mariadb'))),
    ...(o.sidecarPid !== undefined ? { sidecar: cpuOf((_c, pid) => pid === o.sidecarPid) } : {}),
  });
}

/** Per-part CPU between two readings, in ms per order. */
export function cpuPerOrder(before: Record<string, number>, after: Record<string, number>, orders: number): Record<string, number> {
  return Object.fromEntries(Object.keys(after).map((k) => [k, Number((((after[k] ?? 0) - (before[k] ?? 0)) / Math.max(1, orders)).toFixed(1))]));
}
