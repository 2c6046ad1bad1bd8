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

/** How long "Dolibarr has no such customer" is believed without asking again (find, then create, in one pipeline). */
const ABSENT_TTL_MS = 10_000;

export class DolibarrCustomers {
  private readonly lock = new KeyedMutex();
  private readonly remembered = new Map<string, Thirdparty>();
  /** Orders' customer keys Dolibarr had no thirdparty for, and when that was seen (epoch ms). */
  private readonly absent = new Map<string, number>();

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
    const found = await this.lookups.thirdpartyByRefExtOrEmail(customerRefExt(order), order.customer.email);
    if (found) this.remember(order, found);
    else this.absent.set(keysOf(order)[0] ?? '', Date.now());
    return found;
  }

  /** Finds or creates the customer's thirdparty. */
  ensure(order: Order): Promise<Thirdparty> {
    return this.lock.run(order.customer.email.trim().toLowerCase(), async () => {
      // The pipeline's findOrderState looked a moment ago: do not ask again before creating.
      const seen = this.absent.get(keysOf(order)[0] ?? '');
      const existing = seen !== undefined && Date.now() - seen < ABSENT_TTL_MS ? this.rememberedFor(order) : await this.find(order);
      this.absent.delete(keysOf(order)[0] ?? '');
      if (existing) return existing;
      const countryId = await this.countries.idFor(order.customer.billing.country);
      const id = await this.client.post('/thirdparties', toThirdpartyBody(order, countryId), CreatedId);
      this.logger?.debug({ correlationId: order.correlationId, thirdpartyId: id }, 'dolibarr customer created');
      const created = await this.lookups.thirdpartyById(id) ?? { id, name: order.customer.name };
      this.remember(order, created);
      return created;
    });
  }

  private rememberedFor(order: Order): Thirdparty | undefined {
    return keysOf(order).map((k) => this.remembered.get(k)).find((t) => t !== undefined);
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
