export * from './money.js';
export * from './order.js';
