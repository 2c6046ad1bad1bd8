/**
 * Canonical product master data as the ERP holds it (ERP → WooCommerce master data sync, docs/ARCHITECTURE.md
 * "Master data"). Money in integer minor units; weight in grams, dimensions in millimetres (the adapter converts
 * the ERP's units, the WordPress route converts to the store's). A field the ERP does not have is absent, never
 * guessed: absent fields are never written to WooCommerce.
 */
import { z } from 'zod';

const minor = z.number().int().nonnegative();
const measure = z.number().int().nonnegative();

export const ProductPriceSchema = z.object({
  /** Price excluding tax, in minor units. */
  net: minor,
  /** Price including tax, in minor units. */
  gross: minor,
});

export const ProductSchema = z.object({
  /** The ERP's product reference (mapped to a WooCommerce SKU through the SKU map). */
  ref: z.string().min(1).max(191),
  /** The ERP's own id (Dolibarr rowid as a string). */
  erpId: z.string().min(1),
  name: z.string().min(1).max(255).optional(),
  regularPrice: ProductPriceSchema.optional(),
  /** Only where the ERP has a sale price; absent means "leave the store's sale price alone". */
  salePrice: ProductPriceSchema.optional(),
  /** VAT rate in percent as the ERP writes it, normalised (`20`, `5.5`, `0`). */
  vatRate: z.string().regex(/^\d{1,3}(\.\d{1,4})?$/).optional(),
  weightG: measure.optional(),
  lengthMm: measure.optional(),
  widthMm: measure.optional(),
  heightMm: measure.optional(),
  /** On sale in the ERP (Dolibarr `status` = to sell). */
  active: z.boolean().optional(),
  /** Category labels, where the adapter reads them. */
  categories: z.array(z.string().min(1)).optional(),
  /** ISO 8601: when the ERP last changed the product. */
  modifiedAt: z.iso.datetime({ offset: true }).optional(),
});

export type ProductPrice = z.infer<typeof ProductPriceSchema>;
export type Product = z.infer<typeof ProductSchema>;

/** Fields of a product the ERP can own (Settings → field ownership). */
export const PRODUCT_FIELDS = ['name', 'regular_price', 'sale_price', 'tax_class', 'weight', 'dimensions', 'status', 'categories'] as const;
export type ProductField = (typeof PRODUCT_FIELDS)[number];
