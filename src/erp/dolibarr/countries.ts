/**
 * ISO 3166 alpha-2 code → Dolibarr country id. Dolibarr 20's `POST /thirdparties` ignores `country_code` (the
 * record keeps `country_id` null) and honours only `country_id`, whose values are rows of its own dictionary
 * (France is 1, Germany 5, …). `GET /setup/dictionary/countries/byCode/{code}` answers the row, or 404.
 * One request per code for the life of the adapter: answers (also "unknown") are kept; failures are not.
 */
import type { Logger } from 'pino';
import { z } from 'zod';
import { type DolibarrClient, NOT_FOUND, segment } from './client.js';
import { NumericId } from './schemas.js';

const Country = z.object({ id: NumericId, code: z.string().nullable().optional() });
const ISO2 = /^[A-Z]{2}$/;

export class CountryIds {
  private readonly known = new Map<string, Promise<number | undefined>>();

  constructor(private readonly client: DolibarrClient, private readonly logger?: Logger) {}

  /** The Dolibarr id of `code`, or undefined when Dolibarr has no such country (logged once per code). */
  idFor(code: string): Promise<number | undefined> {
    const iso = code.trim().toUpperCase();
    if (!ISO2.test(iso)) return Promise.resolve(undefined);
    const cached = this.known.get(iso);
    if (cached) return cached;
    const pending = this.fetch(iso);
    this.known.set(iso, pending);
    pending.catch(() => this.known.delete(iso));
    return pending;
  }

  private async fetch(iso: string): Promise<number | undefined> {
    const found = await this.client.find(`/setup/dictionary/countries/byCode/${segment(iso)}`, {}, Country);
    if (found === NOT_FOUND || found.id <= 0) {
      this.logger?.warn({ country: iso }, 'Dolibarr has no country with this code; customers from it are created without a country');
      return undefined;
    }
    return found.id;
  }
}
