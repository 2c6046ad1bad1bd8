/**
 * The res.partner of an order's customer: found by our key (`ref`, binder.ts) or by e-mail in one search (our key
 * wins over an e-mail match; lowest id first), or created (with the key, so the next order finds it by key).
 * Find-or-create is serialised per e-mail inside this process and the lookup that decides to create runs in the
 * same write slot as the create, so two orders of a new customer never create two partners. Lookups made while one
 * for the same customer is in flight share it (the orders of one customer are leased together); found partners are
 * remembered in memory.
 */
import { z } from 'zod';
import type { Order } from '../../canonical/index.js';
import { KeyedMutex } from '../../common/keyed-mutex.js';
import { customerKey, normalEmail } from './binder.js';
import { CreatedId, OdooChar, type OdooClient } from './client.js';

const PartnerRow = z.object({ id: CreatedId, name: z.string(), ref: OdooChar, email: OdooChar });
export type Partner = z.infer<typeof PartnerRow>;
/** Partners one either-search reads at most (more e-mail matches than this are unusual). */
const EITHER_LIMIT = 20;

export class OdooCustomers {
  private readonly lock = new KeyedMutex();
  private readonly remembered = new Map<string, Partner>();
  private readonly countries = new Map<string, number | null>();
  /** Customer lookups in flight, per key and e-mail: pipelines of one customer's orders started together share one. */
  private readonly inFlight = new Map<string, Promise<Partner | undefined>>();

  constructor(private readonly client: OdooClient) {}

  /** The partner of this order's customer (remembered, or one search shared with the lookups in flight for it). */
  async find(order: Order): Promise<Partner | undefined> {
    const hit = this.remembered.get(customerKey(order));
    if (hit) return hit;
    const id = `${customerKey(order)}\n${normalEmail(order.customer.email)}`;
    const running = this.inFlight.get(id);
    if (running) return running;
    const p = this.lookUp(order).finally(() => this.inFlight.delete(id));
    this.inFlight.set(id, p);
    return p;
  }

  /**
   * One search for our key or the e-mail (`['|', key, '&', e-mail, no parent]`), lowest id first: the partner with
   * our key, else the first whose e-mail is this one (`=ilike` reads `_` and `%` as wildcards: compared again here).
   * When the answer is cut off by the limit with no key match, the key is asked on its own.
   */
  private async lookUp(order: Order): Promise<Partner | undefined> {
    const key = customerKey(order);
    const mail = normalEmail(order.customer.email);
    const domain = mail === '' ? [['ref', '=', key]] : ['|', ['ref', '=', key], '&', ['email', '=ilike', mail], ['parent_id', '=', false]];
    const rows = await this.searchAll(domain, EITHER_LIMIT);
    const found = rows.find((r) => r.ref === key)
      ?? (rows.length >= EITHER_LIMIT ? (await this.searchAll([['ref', '=', key]], 1))[0] : undefined)
      ?? rows.find((r) => mail !== '' && normalEmail(r.email) === mail);
    if (found) this.remembered.set(key, found);
    return found;
  }

  async ensure(order: Order): Promise<Partner> {
    return this.lock.run(normalEmail(order.customer.email), () => this.client.withWriteSlot(async () => {
      // The lookup that decides to create: fresh, inside the slot (not one shared from before it).
      const found = this.remembered.get(customerKey(order)) ?? await this.lookUp(order);
      if (found) return found;
      const values = await this.values(order);
      const id = await this.client.call('res.partner', 'create', [values], {}, CreatedId);
      // Another sidecar may have created the same customer at the same moment: everyone keeps the lowest id and
      // the loser archives its own (it has no documents yet).
      const first = await this.search([['ref', '=', customerKey(order)]]);
      if (first && first.id !== id) await this.client.call('res.partner', 'write', [[id], { active: false }], {}, z.boolean());
      const partner: Partner = first ?? { id, name: String(values.name), ref: customerKey(order), email: order.customer.email };
      this.remembered.set(customerKey(order), partner);
      return partner;
    }));
  }

  /** Partners among `ids` that are this order's customer too (our key or its e-mail): a race left two. */
  async alsoOurs(order: Order, ids: readonly number[]): Promise<Set<number>> {
    if (ids.length === 0) return new Set();
    const rows = await this.client.call('res.partner', 'search_read', [[['id', 'in', [...ids]]]], { fields: ['name', 'ref', 'email'], context: { active_test: false } }, z.array(PartnerRow));
    return new Set(rows.filter((r) => r.ref === customerKey(order) || normalEmail(r.email) === normalEmail(order.customer.email)).map((r) => r.id));
  }

  private async search(domain: unknown[]): Promise<Partner | undefined> {
    return (await this.searchAll(domain, 1))[0];
  }

  private searchAll(domain: unknown[], limit: number): Promise<Partner[]> {
    return this.client.call('res.partner', 'search_read', [domain], { fields: ['name', 'ref', 'email'], order: 'id asc', limit }, z.array(PartnerRow));
  }

  private async values(order: Order): Promise<Record<string, unknown>> {
    const b = order.customer.billing;
    const country = await this.countryId(b.country);
    return {
      name: b.company.trim() !== '' ? b.company.trim() : order.customer.name,
      email: order.customer.email,
      ref: customerKey(order),
      street: b.line1,
      street2: b.line2,
      city: b.city,
      zip: b.postcode,
      phone: b.phone,
      customer_rank: 1,
      ...(b.company.trim() !== '' ? { is_company: true } : {}),
      ...(country === null ? {} : { country_id: country }),
    };
  }

  private async countryId(code: string): Promise<number | null> {
    if (code.trim() === '') return null;
    if (!this.countries.has(code)) {
      const rows = await this.client.call('res.country', 'search_read', [[['code', '=', code.toUpperCase()]]], { fields: ['id'], limit: 1 }, z.array(z.object({ id: CreatedId })));
      this.countries.set(code, rows[0]?.id ?? null);
    }
    return this.countries.get(code) ?? null;
  }
}
