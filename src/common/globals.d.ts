/** Package version, replaced at build time by esbuild's `define` (scripts/build-sidecar.mjs). */
declare const SYNCLINE_VERSION: string | undefined;
