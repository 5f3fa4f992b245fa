/** Where the preview host's own paths live (never proxied to the app). */
export const OWN_PATH_PREFIX = "/__slipway/";
/** The preview host's own path that exchanges a signed token for a cookie (never proxied to the app). */
export const AUTH_PATH_PREFIX = "/__slipway/auth";
/** The preview host's own path where its pages report browser errors (never proxied to the app). */
export const ERRORS_PATH = "/__slipway/errors";
/** The preview host's own path that serves the error reporter script injected into its HTML pages. */
export const REPORTER_PATH = "/__slipway/reporter.js";
