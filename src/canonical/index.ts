export * from './money.js';
export * from './order.js';
export * from './sku.js';
