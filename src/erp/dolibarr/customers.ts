/**
 * The Dolibarr thirdparty of an order's customer: found by our `ref_ext` (customerRefExt), then by e-mail, or
 * created. Found and created customers are remembered in memory (by ref_ext and by e-mail), so a returning
 * customer costs no request; `forget()` drops one Dolibarr refused (deleted or merged there). Find-or-create is
 * serialised per e-mail inside this process, so two orders of a new customer never create two thirdparties.
 */
import type { Logger } from 'pino';
import type { Order } from '../../canonical/index.js';
import { KeyedMutex } from '../../common/keyed-mutex.js';
import { customerRefExt } from './binder.js';
import type { DolibarrClient } from './client.js';
import type { CountryIds } from './countries.js';
import type { DolibarrLookups } from './lookups.js';
import { toThirdpartyBody } from './mapper.js';
import { CreatedId, type Thirdparty } from './schemas.js';

export class DolibarrCustomers {
  private readonly lock = new KeyedMutex();
  private readonly remembered = new Map<string, Thirdparty>();

  constructor(
    private readonly client: DolibarrClient,
    private readonly lookups: DolibarrLookups,
    private readonly countries: CountryIds,
    private readonly logger?: Logger,
  ) {}

  /** The customer's thirdparty, or undefined when Dolibarr has none yet. */
  async find(order: Order): Promise<Thirdparty | undefined> {
    const keys = keysOf(order);
    for (const k of keys) {
      const hit = this.remembered.get(k);
      if (hit) return hit;
    }
    const found = (await this.lookups.thirdpartiesByRefExt(customerRefExt(order)))[0] ?? await this.lookups.thirdpartyByEmail(order.customer.email);
    if (found) this.remember(order, found);
    return found;
  }

  /** Finds or creates the customer's thirdparty. */
  ensure(order: Order): Promise<Thirdparty> {
    return this.lock.run(order.customer.email.trim().toLowerCase(), async () => {
      const existing = await this.find(order);
      if (existing) return existing;
      const countryId = await this.countries.idFor(order.customer.billing.country);
      const id = await this.client.post('/thirdparties', toThirdpartyBody(order, countryId), CreatedId);
      this.logger?.info({ correlationId: order.correlationId, thirdpartyId: id }, 'dolibarr customer created');
      const created = await this.lookups.thirdpartyById(id) ?? { id, name: order.customer.name };
      this.remember(order, created);
      return created;
    });
  }

  /** Dolibarr refused this thirdparty id (e.g. deleted there): look it up again next time. */
  forget(id: number): void {
    for (const [k, t] of this.remembered) if (t.id === id) this.remembered.delete(k);
  }

  private remember(order: Order, t: Thirdparty): void {
    for (const k of keysOf(order)) this.remembered.set(k, t);
  }
}

function keysOf(order: Order): string[] {
  return [`ref:${customerRefExt(order)}`, `email:${order.customer.email.trim().toLowerCase()}`];
}
