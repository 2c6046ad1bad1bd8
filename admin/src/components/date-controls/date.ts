/** DataViews' date control, lazily (see lazy.tsx). */
import { lazyControl } from './lazy';

export default lazyControl( () => import( /* webpackChunkName: "date-controls" */ 'syncline-dataviews-controls/date.mjs' ) );
