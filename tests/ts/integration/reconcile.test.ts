/**
 * Reconciliation and its WP-CLI, on the real systems: WordPress 7 + WooCommerce 11 + the bundled sidecar + the real
 * Dolibarr 20.0.2. Six orders and five SKUs are pushed and synced, then one discrepancy of each class is made behind
 * Syncline's back (SQL on Dolibarr's and WordPress's tables: test setup only); `wp syncline reconcile --repair` must
 * find exactly those, repair the repairable ones, and the next run must show them cleared while the two that need a
 * person (duplicate, total) stay. Also: the schedules through the real WP-CLI (activation, deactivation, self-heal)
 * and every reconcile command's bad input (non-zero exit, a clear message).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql, wpAsync } from '../../../scripts/env/wp-env.js';
import { DEFAULT_SKUS, Stack } from '../support/stack.js';
import { simpleOrder } from '../support/orders.js';

/** Reconciliation reads many orders per request: a busy shared machine needs more than the stacks' 2 s timeout. */
const SIDECAR = { stock: { full_interval_seconds: 3600, changed_interval_seconds: 1 }, erp: { timeout_ms: 15_000 } };

interface Item { id: number; run_id: number; class: string; object_key: string; state: string; repairable: boolean; diff_minor: number | null }

describe('reconciliation (wp syncline reconcile) and schedules', () => {
  let stack: Stack;
  const ids: number[] = [];

  /**
   * The real WP-CLI, without blocking this process: the fault proxy in front of Dolibarr runs in it and must keep
   * serving the sidecar while a command waits for it.
   */
  const cli = (args: string[]): Promise<{ status: number; stdout: string; stderr: string }> => wpAsync(stack.site, args);
  const ok = async (args: string[]): Promise<string> => {
    const r = await cli(args);
    assert.equal(r.status, 0, `wp ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  const json = async <T>(args: string[]): Promise<T> => JSON.parse(await ok(args)) as T;
  const jsonIn = <T>(text: string): T => JSON.parse(text.slice(text.indexOf('['), text.lastIndexOf(']') + 1)) as T;
  const erpSql = (statement: string): string => (stack.erp as unknown as { dolibarr: { sql(s: string): string } }).dolibarr.sql(statement);
  const wpSql = (statement: string): string => sql(`USE \`${stack.site.db}\`; ${statement}`);
  let restartedAt = 0;
  /** A heartbeat newer than the restart (the option keeps the stopped sidecar's last beat too). */
  const liveBeat = (): boolean => {
    const raw = wpSql("SELECT option_value FROM wp_options WHERE option_name = 'syncline_heartbeats'");
    return [...raw.matchAll(/"received_at";i:(\d+)/g)].some((m) => Number(m[1]) >= restartedAt);
  };
  const cid = (orderId: number): string => stack.events(`object_type='order' AND object_id=${orderId}`)[0]?.correlation_id ?? '';

  before(async () => {
    stack = await Stack.start({ name: 'recon', port: 18271 });
    await stack.testApi('POST', '/products/bulk', { items: DEFAULT_SKUS.map((sku) => ({ sku, stock: 10 })) });
    for (let i = 0; i < 6; i++) ids.push(Number((await stack.createOrder(simpleOrder(`recon${i}@example.test`))).id));
    stack.startSidecar(SIDECAR);
    await stack.waitFor('every order pushed', () => stack.events("state <> 'done'").length === 0 && stack.erp.orders().length === 6, 90_000);
    await stack.waitFor('stock applied', () => wpSql('SELECT COUNT(*) FROM wp_syncline_stock_state').trim() === String(DEFAULT_SKUS.length), 30_000);
  });
  after(async () => stack?.stop());

  it('schedules: activation adds the stock pull, the reconciliation and the sweep; deactivation removes them; a lost one heals on the next load', async () => {
    // One PHP process (each WP-CLI start costs seconds on a busy machine): WordPress's own activation functions.
    const steps = await json<Record<string, string[]>>(['eval', `
      $hooks = static function () {
        $all = array();
        foreach ( _get_cron_array() as $events ) { $all = array_merge( $all, array_keys( $events ) ); }
        $ours = array_values( array_unique( array_filter( $all, static fn ( $h ) => str_starts_with( $h, 'syncline_' ) ) ) );
        sort( $ours );
        return $ours;
      };
      $out = array( 'before' => $hooks() );
      deactivate_plugins( 'syncline/plugin.php' );
      $out['deactivated'] = $hooks();
      activate_plugin( 'syncline/plugin.php' );
      $out['activated'] = $hooks();
      wp_clear_scheduled_hook( 'syncline_reconcile' );
      $out['lost'] = $hooks();
      echo wp_json_encode( $out );`]);
    // The master data job (a ScheduledJob of includes/Hooks/Schedules.php) heals and clears the same way.
    const all = ['syncline_products_sync', 'syncline_reconcile', 'syncline_stock_pull', 'syncline_sweep'];
    assert.deepEqual(steps.before, all, 'scheduled on activation');
    assert.deepEqual(steps.deactivated, [], 'deactivation clears every Syncline job');
    assert.deepEqual(steps.activated, all);
    assert.deepEqual(steps.lost, ['syncline_products_sync', 'syncline_stock_pull', 'syncline_sweep']);
    // The next load (any request or command) runs init, which schedules the missing job again.
    // WP-Cron's option is one array that concurrent requests (the sidecar's, wp-cron.php) read and write whole, so a
    // heal can be overwritten by a request that started before it; the next load heals again. Poll a few loads.
    type Status = { schedules: Array<{ hook: string; next_run: string; warning: string }> };
    let status = await json<Status>(['syncline', 'status', '--format=json']);
    for (let i = 0; i < 5 && status.schedules.some((r) => r.next_run === ''); i++) {
      await new Promise((r) => setTimeout(r, 1000));
      status = await json<Status>(['syncline', 'status', '--format=json']);
    }
    assert.deepEqual(status.schedules.map((r) => r.hook), ['syncline_stock_pull', 'syncline_reconcile', 'syncline_products_sync', 'syncline_sweep'], 'wp syncline status lists the schedules');
    for (const r of status.schedules) assert.notEqual(r.next_run, '', `${r.hook} has a next run (healed)`);
  });

  it('bad input: non-zero exit and a clear message', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['syncline', 'reconcile', '--since=not-a-date'], /Invalid --since/],
      [['syncline', 'reconcile', 'items', '--class=bogus'], /Unknown --class/],
      [['syncline', 'reconcile', 'items', '--run=999999'], /No reconciliation run 999999/],
      [['syncline', 'reconcile', 'repair', '--items=1,x'], /--items takes/],
    ];

    for (const [args, message] of cases) {
      const r = await cli(args);
      assert.notEqual(r.status, 0, `${args.join(' ')} exits non-zero`);
      assert.match(r.stderr + r.stdout, message, args.join(' '));
    }
  });

  it('finds one of each discrepancy class, repairs the repairable ones, and the next run shows them cleared', async () => {
    const [missing, duplicated, total, draft, cancelled] = ids as [number, number, number, number, number];
    erpSql(`DELETE d FROM llx_commandedet d JOIN llx_commande c ON c.rowid = d.fk_commande WHERE c.ref_ext = '${cid(missing)}'; DELETE FROM llx_commande WHERE ref_ext = '${cid(missing)}'`);
    erpSql(`CREATE TEMPORARY TABLE dup AS SELECT * FROM llx_commande WHERE ref_ext = '${cid(duplicated)}'; UPDATE dup SET rowid = (SELECT MAX(rowid) + 1 FROM llx_commande), ref = CONCAT(ref, '-DUP'); INSERT INTO llx_commande SELECT * FROM dup`);
    erpSql(`UPDATE llx_commande SET total_ttc = total_ttc + 1.23 WHERE ref_ext = '${cid(total)}'`);
    erpSql(`UPDATE llx_commande SET fk_statut = 0 WHERE ref_ext = '${cid(draft)}'`);
    await stack.testApi('POST', `/orders/${cancelled}/status`, { status: 'cancelled' });
    await stack.waitFor('cancellation acked', () => stack.events("state <> 'done'").length === 0, 30_000);
    await stack.stopSidecars();
    restartedAt = Math.floor(Date.now() / 1000);
    const noEvent = Number((await stack.createOrder(simpleOrder('noevent@example.test'))).id);
    wpSql(`DELETE FROM wp_syncline_events WHERE object_type = 'order' AND object_id = ${noEvent}`);
    wpSql(`UPDATE wp_postmeta s JOIN wp_postmeta k ON k.post_id = s.post_id AND k.meta_key = '_stock' SET k.meta_value = k.meta_value + 3 WHERE s.meta_key = '_sku' AND s.meta_value = 'MUG-RED'`);
    stack.startSidecar(SIDECAR);
    await stack.waitFor('the sidecar live again', liveBeat, 30_000);

    const found = jsonIn<Item[]>(await ok(['syncline', 'reconcile', '--repair', '--format=json', '--wait=300']));
    const byClass = Object.fromEntries(found.map((i) => [i.class, i]));
    assert.deepEqual(found.map((i) => `${i.class}:${i.object_key}`).sort(), [
      `duplicated_in_erp:${duplicated}`, `missing_in_erp:${missing}`, `no_outbox_event:${noEvent}`,
      `status_mismatch:${draft}`, `stock_drift:MUG-RED`, `total_mismatch:${total}`,
    ].sort(), 'exactly the seeded discrepancies, no false positive (the cancelled order was withdrawn in the ERP by the engine: no mismatch)');
    assert.equal(byClass.total_mismatch?.diff_minor, -123, 'the difference to the cent (WooCommerce − ERP)');
    assert.equal(found.filter((i) => i.repairable).length, 4, 'missing, no event, draft, drift are repairable');

    const run1 = (await json<Array<{ id: number; repaired: number; found: number }>>(['syncline', 'reconcile', 'runs', '--format=json']))[0];
    assert.equal(run1?.found, 6);
    assert.equal(run1?.repaired, 4, 'every repairable item repaired');
    await stack.waitFor('repairs pushed', () => stack.events("state <> 'done'").length === 0, 90_000);
    await new Promise((r) => setTimeout(r, 3000)); // the stock sync's changed-since pass sees the repairs' stock moves

    const left = jsonIn<Item[]>(await ok(['syncline', 'reconcile', '--format=json', '--wait=300']));
    assert.deepEqual(left.map((i) => `${i.class}:${i.object_key}`).sort(), [`duplicated_in_erp:${duplicated}`, `total_mismatch:${total}`].sort(), 'only what needs a person is left');
    const cleared = await json<Item[]>(['syncline', 'reconcile', 'items', `--run=${run1?.id}`, '--state=cleared', '--format=json']);
    assert.deepEqual(cleared.map((i) => i.class).sort(), ['missing_in_erp', 'no_outbox_event', 'status_mismatch', 'stock_drift'], 'the repaired items show cleared');
    const csv = await ok(['syncline', 'reconcile', 'items', '--format=csv']);
    assert.match(csv.split('\n')[0] ?? '', /^id,run_id,class,object_type,object_key,state,repairable,diff_minor,message$/);
    const yaml = await ok(['syncline', 'reconcile', 'runs', '--format=yaml']);
    assert.match(yaml, /found: 2/);
  });
});
