/** One HTTP probe of a container's server (a dev server or a deployment): any HTTP answer counts (a 404 still means it is listening). */
export async function probeHttp(port: number, timeoutMs = 1000, host = "127.0.0.1"): Promise<boolean> {
  try {
    const res = await fetch(`http://${host}:${port}/`, { signal: AbortSignal.timeout(timeoutMs), redirect: "manual" });
    await res.body?.cancel().catch(() => undefined);
    return true;
  } catch {
    return false;
  }
}

/**
 * Polls until the port answers HTTP, the container exits (`exited` settles) or the deadline passes.
 * Each attempt has its own short timeout: a published port accepts connections before the app listens.
 */
export async function waitForHttp(
  port: number,
  { exited, timeoutMs, intervalMs = 50 }: { exited: Promise<unknown>; timeoutMs: number; intervalMs?: number },
): Promise<"ready" | "exited" | "timeout"> {
  let hasExited = false;
  void exited.then(
    () => (hasExited = true),
    () => (hasExited = true),
  );
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const attempt = Math.min(1000, Math.max(50, deadline - Date.now()));
    if (await probeHttp(port, attempt)) return "ready";
    if (hasExited) return "exited";
    await Promise.race([new Promise((r) => setTimeout(r, intervalMs)), exited.catch(() => undefined)]);
    if (hasExited) return "exited";
  }
  return "timeout";
}
