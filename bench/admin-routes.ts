/**
 * The admin list routes the benchmark times, each with the query variants it rotates through (pages near the start
 * and deep in the list, filters, searches, sorts), and the selector of a painted exception row.
 */
export const ROUTES: Record<string, string[]> = {
  '/syncline/v1/admin/exceptions': ['per_page=20&page=1', 'per_page=20&page=7', 'per_page=20&page=250', 'per_page=20&code=unmapped_sku&page=3', 'per_page=20&search=BENCH-4242', 'per_page=20&min_age_hours=24&page=2', 'per_page=20&orderby=attempts&order=desc&page=3', 'per_page=20&orderby=age&order=asc', 'per_page=20&orderby=object&order=asc&page=100'],
  '/syncline/v1/admin/events': ['per_page=20&page=1', 'per_page=20&state=needs_human&page=5', 'per_page=20&state=done&page=1000', 'per_page=100&state=pending', 'per_page=20&orderby=updated&order=desc&page=500', 'per_page=20&state=needs_human&orderby=updated&order=asc&page=5'],
  '/syncline/v1/admin/mappings/sku': ['per_page=50&page=1', 'per_page=50&page=900', 'per_page=50&search=BENCH-04242', 'per_page=500&page=20', 'per_page=50&search=ERP-777', 'per_page=50&orderby=erp_ref&order=asc&page=900', 'per_page=50&orderby=changed&order=desc&page=3'],
  '/syncline/v1/admin/mappings/history': ['per_page=30&page=1', 'per_page=30&page=1000', 'per_page=30&type=order_status', 'per_page=30&type=sku&page=50', 'per_page=30&type=sku&orderby=at&order=asc&page=20'],
  '/syncline/v1/admin/mappings/sku/history': ['per_page=20&page=1', 'per_page=20&page=2000'],
  '/syncline/v1/admin/mappings/order_status': [''],
  '/syncline/v1/admin/overview': [''],
};

/** WordPress's own cheapest logged-in route: the floor under every route above (boot, auth, JSON) on this machine. */
export const FLOOR_ROUTE = '/wp/v2/users/me';

/** A painted row of the Exceptions list: the list table of today, or a DataViews table row. */
export const EXCEPTIONS_ROW = '.syncline-exceptions-table tbody tr[data-event-id], .dataviews-view-table tbody tr, [data-group-key]';
