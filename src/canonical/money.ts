import { z } from 'zod';

/** An amount in integer minor units (cents for USD/EUR). Never a float. */
export const Minor = z.number().int().safe();
export type Minor = z.infer<typeof Minor>;

/** ISO 4217 code, upper case. */
export const Currency = z.string().regex(/^[A-Z]{3}$/);
export type Currency = z.infer<typeof Currency>;
