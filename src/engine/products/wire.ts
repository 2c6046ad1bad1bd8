/**
 * The master-data routes of `syncline/v1` (docs/ARCHITECTURE.md, "Master data"): request and response shapes.
 * `POST /products/context` → what the sidecar needs to map (field ownership, tax classes, store price basis,
 * cursor); `POST /products/apply` → writes changed owned fields (1..200 items per request); `POST /products/request`
 * → the ERP refs and dry-run flag of a `products.sync` event.
 */
import { z } from 'zod';
import { PRODUCT_FIELDS } from '../../canonical/product.js';

const stringMap = z.preprocess((v) => (Array.isArray(v) && v.length === 0 ? {} : v), z.record(z.string(), z.string()));

export const ProductsContext = z.object({
  /** The fields the ERP owns (Settings); the rest stay WooCommerce's. */
  owned: z.array(z.enum(PRODUCT_FIELDS)),
  /** WooCommerce prices are entered including tax (`woocommerce_prices_include_tax`). */
  prices_include_tax: z.boolean(),
  /** The store's currency (ISO 4217). */
  currency: z.string().regex(/^[A-Z]{3}$/),
  /** ERP VAT rate (normalised, e.g. `20`, `5.5`) → WooCommerce tax class slug (`''` = standard). */
  tax_classes: stringMap,
  /** Create products the store lacks, as drafts. */
  create_missing: z.boolean(),
  /** The changed-since position stored after the last complete pass (null: none yet). */
  cursor: z.string().nullable(),
});
export type ProductsContext = z.infer<typeof ProductsContext>;

/** One product to write: only fields the ERP owns and has; WordPress writes only those that differ. */
export interface ProductApplyItem {
  ref: string;
  name?: string;
  regular_price?: string;
  sale_price?: string;
  tax_class?: string;
  weight_g?: number;
  length_mm?: number;
  width_mm?: number;
  height_mm?: number;
  status?: 'publish' | 'draft';
  categories?: string[];
}

/** A value the sidecar could not map: recorded by WordPress as a needs-human exception of that product. */
export interface ProductException {
  ref: string;
  code: string;
  message: string;
}

export interface ProductApplyRequest {
  items: ProductApplyItem[];
  exceptions?: ProductException[];
  dry_run?: boolean;
  /** The `products.sync` request this pass answers (its dry-run result is stored for the CLI). */
  request?: number;
  /** Stored as the changed-since position once these items are applied. */
  cursor?: string;
}

const FieldChange = z.object({ from: z.unknown(), to: z.unknown() });

export const ProductApplyResponse = z.object({
  written: z.number().int().nonnegative(),
  unchanged: z.number().int().nonnegative(),
  created: z.number().int().nonnegative(),
  /** ERP refs the store has no product for (and none was created). */
  unknown: z.array(z.string()),
  /** Exceptions recorded in this request (sidecar's and WordPress's own, e.g. a SKU on a variable parent). */
  exceptions_recorded: z.number().int().nonnegative(),
  /** Open exceptions this request closed because their cause is gone (absent from older WordPress). */
  exceptions_resolved: z.number().int().nonnegative().optional(),
  changes: z.array(z.object({ ref: z.string(), id: z.number().int(), fields: z.record(z.string(), FieldChange) })),
});
export type ProductApplyResponse = z.infer<typeof ProductApplyResponse>;

export const ProductSyncRequest = z.object({
  /** ERP refs (WordPress resolved the SKUs through the SKU map); empty = every product. */
  refs: z.array(z.string().min(1)),
  dry_run: z.boolean(),
});
export type ProductSyncRequest = z.infer<typeof ProductSyncRequest>;
