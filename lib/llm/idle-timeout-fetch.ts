/**
 * The runtime's own fetch. Next replaces the global one with a wrapper that adds tracing spans and its data cache
 * to every call (meant for route handlers); LLM streams need neither, and the wrapper costs CPU on every turn.
 */
function runtimeFetch(): typeof fetch {
  return (globalThis.fetch as typeof fetch & { _nextOriginalFetch?: typeof fetch })._nextOriginalFetch ?? globalThis.fetch;
}

/**
 * A fetch for LLM calls that fails when the provider goes quiet: no response headers, or no body bytes,
 * for `idleMs`. Only time spent waiting on the provider counts (the timer runs while a read is pending), so a
 * long tool run between steps never trips it. The failure is a TimeoutError, distinct from a user's cancel.
 */
export function idleTimeoutFetch(idleMs: number, baseFetch?: typeof fetch): typeof fetch {
  return async (input, init) => {
    const idle = new AbortController();
    const timeout = () => idle.abort(new DOMException(`The LLM provider sent nothing for ${idleMs} ms`, "TimeoutError"));
    const signal = init?.signal ? AbortSignal.any([init.signal, idle.signal]) : idle.signal;
    let timer = setTimeout(timeout, idleMs);
    let response: Response;
    try {
      response = await (baseFetch ?? runtimeFetch())(input, { ...init, signal });
    } finally {
      clearTimeout(timer);
    }
    if (!response.body) return response;
    const reader = response.body.getReader();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        timer = setTimeout(timeout, idleMs);
        try {
          const { done, value } = await reader.read();
          if (done) controller.close();
          else controller.enqueue(value);
        } catch (error) {
          controller.error(idle.signal.aborted ? idle.signal.reason : error);
        } finally {
          clearTimeout(timer);
        }
      },
      cancel(reason) {
        clearTimeout(timer);
        return reader.cancel(reason);
      },
    });
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}
