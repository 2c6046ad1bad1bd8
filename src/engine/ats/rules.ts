/**
 * Available-to-sell settings, zod-validated: which ERP warehouses feed which channel, safety stock, channel
 * reserve, kits. Quantities are integers.
 */
import { z } from 'zod';
import { SkuSchema } from '../../canonical/sku.js';

const units = z.number().int().nonnegative();

export const KitSchema = z.object({
  /** Component SKU → units of it in one kit. */
  components: z.record(SkuSchema, z.number().int().positive()).refine((c) => Object.keys(c).length > 0, 'a kit needs components'),
});

export const ReserveSchema = z.union([
  z.object({ units }),
  z.object({ percent: z.number().int().min(0).max(100) }),
]);

export const AtsRulesSchema = z.object({
  /** Channel → ERP warehouse ids whose stock it may sell. */
  channels: z.record(z.string().min(1), z.array(z.string().min(1)).min(1)),
  safetyStock: z.object({ global: units.default(0), perSku: z.record(SkuSchema, units).default({}) }).default({ global: 0, perSku: {} }),
  /** Held back from a channel (e.g. for another channel), in units or percent of the warehouses' net stock. */
  reserve: z.record(z.string(), ReserveSchema).default({}),
  /** Kit SKU → components; ATS(kit) = min over components of floor(ATS(component) / qty). */
  kits: z.record(SkuSchema, KitSchema).default({}),
});

export type AtsRules = z.infer<typeof AtsRulesSchema>;

export function parseRules(input: unknown): AtsRules {
  return AtsRulesSchema.parse(input);
}
