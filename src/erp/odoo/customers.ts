/**
 * The res.partner of an order's customer: found by our key (`ref`, binder.ts), then by e-mail, or created (with
 * the key, so the next order finds it by key). Find-or-create is serialised per e-mail inside this process and the
 * lookup that decides to create runs in the same write slot as the create, so two orders of a new customer never
 * create two partners. Found partners are remembered in memory.
 */
import { z } from 'zod';
import type { Order } from '../../canonical/index.js';
import { KeyedMutex } from '../../common/keyed-mutex.js';
import { customerKey, normalEmail } from './binder.js';
import { CreatedId, OdooChar, type OdooClient } from './client.js';

const PartnerRow = z.object({ id: CreatedId, name: z.string(), ref: OdooChar, email: OdooChar });
export type Partner = z.infer<typeof PartnerRow>;

export class OdooCustomers {
  private readonly lock = new KeyedMutex();
  private readonly remembered = new Map<string, Partner>();
  private readonly countries = new Map<string, number | null>();

  constructor(private readonly client: OdooClient) {}

  async find(order: Order): Promise<Partner | undefined> {
    const key = customerKey(order);
    const hit = this.remembered.get(key);
    if (hit) return hit;
    const byKey = await this.search([['ref', '=', key]]);
    const found = byKey ?? await this.search([['email', '=ilike', normalEmail(order.customer.email)], ['parent_id', '=', false]]);
    if (found) this.remembered.set(key, found);
    return found;
  }

  async ensure(order: Order): Promise<Partner> {
    return this.lock.run(normalEmail(order.customer.email), () => this.client.withWriteSlot(async () => {
      const found = await this.find(order);
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
    const rows = await this.client.call('res.partner', 'search_read', [domain], { fields: ['name', 'ref', 'email'], order: 'id asc', limit: 1 }, z.array(PartnerRow));
    return rows[0];
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
