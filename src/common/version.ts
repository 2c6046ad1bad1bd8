/** The sidecar's version: the build-time `SYNCLINE_VERSION`, or `0.0.0-dev` when run from source (tsx). */
export const VERSION: string = typeof SYNCLINE_VERSION === 'string' ? SYNCLINE_VERSION : '0.0.0-dev';
