/**
 * zod schemas for the parts of Dolibarr 20.0.2 responses the adapter reads. Dolibarr sends numbers as strings
 * (`"id": "1"`, `"statut": "1"`) except create calls, which return a bare JSON integer. Unknown keys are dropped.
 */
import { z } from 'zod';

/** `"12"` or `12` → 12. */
export const NumericId = z.union([z.number().int(), z.string().regex(/^-?\d+$/)]).transform((v) => Number(v));

/** Decimal amounts as Dolibarr sends them (`"62.82000000"`), kept as strings: never parsed into floats here. */
export const Decimal = z.union([z.string(), z.number()]).transform((v) => String(v));

/** `POST /orders`, `/thirdparties`, `/products`, `/stockmovements` → the new id as a bare integer. */
export const CreatedId = NumericId;

export const OrderSummary = z.object({
  id: NumericId,
  ref: z.string(),
  ref_client: z.string().nullable().optional(),
  ref_ext: z.string().nullable().optional(),
  statut: NumericId,
  socid: NumericId.nullable().optional(),
  total_ht: Decimal.nullable().optional(),
  total_tva: Decimal.nullable().optional(),
  total_ttc: Decimal.nullable().optional(),
});
export type OrderSummary = z.infer<typeof OrderSummary>;
export const OrderList = z.array(OrderSummary);

export const Thirdparty = z.object({
  id: NumericId,
  name: z.string().nullable().optional(),
  email: z.string().nullable().optional(),
  ref_ext: z.string().nullable().optional(),
  code_client: z.string().nullable().optional(),
});
export type Thirdparty = z.infer<typeof Thirdparty>;
export const ThirdpartyList = z.array(Thirdparty);

export const ProductRef = z.object({ id: NumericId, ref: z.string() });
export const ProductRefList = z.array(ProductRef);

/** `GET /status` → `{"success": {"code": 200, "dolibarr_version": "20.0.2", …}}`; older builds put it at the top. */
export const Status = z.union([
  z.object({ success: z.object({ dolibarr_version: z.string() }) }).transform((s) => s.success.dolibarr_version),
  z.object({ dolibarr_version: z.string() }).transform((s) => s.dolibarr_version),
]);
