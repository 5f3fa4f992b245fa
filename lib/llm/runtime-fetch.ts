/**
 * The runtime's own fetch. Next replaces the global one with a wrapper that adds tracing spans and its data cache
 * to every call (meant for route handlers); LLM streams need neither, and the wrapper costs CPU on every turn.
 */
export const runtimeFetch: typeof fetch = (input, init) =>
  ((globalThis.fetch as typeof fetch & { _nextOriginalFetch?: typeof fetch })._nextOriginalFetch ?? globalThis.fetch)(input, init);
