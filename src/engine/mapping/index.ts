export { mapOrder, mapStatus, type MapContext } from './map-order.js';
export { checkTotals, orderFigures } from './checks.js';
export { currencyExponent, formatMinor, toMinor } from './decimal.js';
export { WcOrderHead } from './wc-order.js';
