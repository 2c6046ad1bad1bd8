/**
 * The one SKU rule, as WordPress has it (includes/Outbox/SkuMap.php, `SkuMap::problem`): 1 to 191 characters
 * (Unicode code points, PHP's mb_strlen; the columns' size) without control characters. Mappings, the ATS rules'
 * SKUs and stock writes all follow it, so a SKU WordPress accepts is one the sidecar accepts, and back.
 */
import { z } from 'zod';

export const SKU_MAX_LEN = 191;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

export const SkuSchema = z
  .string()
  .min(1, 'a SKU must not be empty')
  .refine((s) => [...s].length <= SKU_MAX_LEN, `a SKU is at most ${SKU_MAX_LEN} characters`)
  .refine((s) => !CONTROL.test(s), 'a SKU has no control characters');
