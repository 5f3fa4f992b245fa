/** The preview host's own path that exchanges a signed token for a cookie (never proxied to the app). */
export const AUTH_PATH_PREFIX = "/__slipway/auth";
