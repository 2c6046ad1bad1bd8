/** DataViews' date-time control, lazily (see lazy.tsx). */
import { lazyControl } from './lazy';

export default lazyControl( () => import( /* webpackChunkName: "date-controls" */ 'syncline-dataviews-controls/datetime.mjs' ) );
