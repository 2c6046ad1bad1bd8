/** A slice of Dolibarr 20.0.2's country dictionary (install/mysql/data/llx_00_c_country.sql) for the fake. */
import { ok, restlerError, type FakeRequest, type FakeResponse } from './fake-protocol.js';

const COUNTRIES: ReadonlyArray<readonly [number, string, string, string]> = [
  [1, 'FR', 'FRA', 'France'], [2, 'BE', 'BEL', 'Belgium'], [3, 'IT', 'ITA', 'Italy'], [4, 'ES', 'ESP', 'Spain'],
  [5, 'DE', 'DEU', 'Germany'], [6, 'CH', 'CHE', 'Switzerland'], [7, 'GB', 'GBR', 'United Kingdom'], [8, 'IE', 'IRL', 'Ireland'],
  [11, 'US', 'USA', 'United States'], [14, 'CA', 'CAN', 'Canada'], [17, 'NL', 'NLD', 'Netherlands'], [25, 'PT', 'PRT', 'Portugal'],
];

export function countryCodeOf(id: number): string | null {
  return COUNTRIES.find((c) => c[0] === id)?.[1] ?? null;
}

export function countryIdOf(code: string | null): number | null {
  return COUNTRIES.find((c) => c[1] === code)?.[0] ?? null;
}

/** `GET /setup/dictionary/countries/byCode/{code}`; other setup routes are not simulated. */
export function setupRoute(req: FakeRequest): FakeResponse {
  const [, dictionary, kind, by, code] = req.parts;
  if (req.method !== 'GET' || dictionary !== 'dictionary' || kind !== 'countries' || by !== 'byCode' || code === undefined) {
    return restlerError(404, 'Not Found');
  }
  const row = COUNTRIES.find((c) => c[1] === code.toUpperCase());
  if (!row) return restlerError(404, 'Country not found');
  const [id, iso2, iso3, label] = row;
  return ok({ id: String(id), entity: null, code: iso2, label, active: '1', code_iso: iso3 });
}
