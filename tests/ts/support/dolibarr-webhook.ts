/**
 * A webhook target in the real Dolibarr, for tests and benchmarks. Dolibarr 20 has no API for targets (what
 * `wp syncline webhooks setup` prints is done in its UI), so the row is inserted with SQL. The Webhook module is on
 * in templates installed since it was added to scripts/env/dolibarr-setup.php; an older template gets its constant
 * here (what enabling the module in Home > Setup > Modules stores; its table exists in every install).
 */
import type { Dolibarr } from '../../../scripts/env/dolibarr.js';

export function addWebhookTarget(dolibarr: Dolibarr, url: string, triggerCodes: string): void {
  dolibarr.sql(`INSERT INTO llx_const (name, entity, value, type, visible) VALUES ('MAIN_MODULE_WEBHOOK', 1, '1', 'chaine', 0)
    ON DUPLICATE KEY UPDATE value = '1'`);
  dolibarr.sql(`INSERT INTO llx_webhook_target (ref, label, date_creation, fk_user_creat, status, url, trigger_codes)
    VALUES ('syncline', 'Syncline', NOW(), 1, 1, '${url.replace(/'/g, "''")}', '${triggerCodes.replace(/'/g, "''")}')`);
}

export function setWebhookTargetEnabled(dolibarr: Dolibarr, enabled: boolean): void {
  dolibarr.sql(`UPDATE llx_webhook_target SET status = ${enabled ? 1 : 0} WHERE ref = 'syncline'`);
}
