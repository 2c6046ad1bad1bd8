/** The master-data routes the sidecar calls (signed like every syncline/v1 route; faked in tests). */
import type { z } from 'zod';
import { RetryableError } from '../../common/errors.js';
import type { WpClient } from '../../wp/client.js';
import { ProductApplyResponse, ProductsContext, ProductSyncRequest, type ProductApplyRequest } from './wire.js';

export interface WpProductsApi {
  /** `POST /products/context`: field ownership, tax classes, price basis, the stored cursor. */
  productsContext(): Promise<ProductsContext>;
  /** `POST /products/apply`: 1..200 items; WordPress writes only changed owned fields. */
  applyProducts(request: ProductApplyRequest): Promise<ProductApplyResponse>;
  /** `POST /products/request`: what a `products.sync` event asks for. */
  productSyncRequest(id: number): Promise<ProductSyncRequest>;
}

function parse<S extends z.ZodType>(schema: S, value: unknown, route: string): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw new RetryableError('wp_bad_response', `WordPress answered ${route} with an unexpected shape: ${r.error.message}`);
  return r.data;
}

export class WpProducts implements WpProductsApi {
  constructor(private readonly client: Pick<WpClient, 'post'>, private readonly timeoutMs = 60_000) {}

  async productsContext(): Promise<ProductsContext> {
    const route = '/syncline/v1/products/context';
    return parse(ProductsContext, await this.client.post(route, {}, this.timeoutMs), route);
  }

  async applyProducts(request: ProductApplyRequest): Promise<ProductApplyResponse> {
    const route = '/syncline/v1/products/apply';
    return parse(ProductApplyResponse, await this.client.post(route, request, this.timeoutMs), route);
  }

  async productSyncRequest(id: number): Promise<ProductSyncRequest> {
    const route = '/syncline/v1/products/request';
    return parse(ProductSyncRequest, await this.client.post(route, { id }, this.timeoutMs), route);
  }
}
