import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { cachedApiKey, cachedSession, cachedUser, forgetApiKey, forgetSessions, forgetUser } from "@/lib/auth/lookup-cache";
import type { ApiToken } from "@/prisma-free-db/queries/api-tokens";
import type { User } from "@/prisma-free-db/queries/users";

// The auth lookup cache's rules, with the clock under the test's control (the HTTP tests in api-keys.test.ts and
// oauth.test.ts prove revocation and user changes end to end).

const created_at = "2026-01-01T00:00:00.000Z";
const user = (id: string): User => ({ id, email: null, name: id, image: null, created_at });
const key = (id: string, userId: string): ApiToken => ({ id, user_id: userId, name: "k", prefix: "slw_k", created_at, last_used_at: null, revoked_at: null });

/** A load function that counts its calls. */
const loader = <T>(value: T | undefined) => vi.fn(async () => value);

beforeEach(() => vi.useFakeTimers({ toFake: ["Date"], now: new Date("2026-01-01T00:00:00Z") }));
afterEach(() => vi.useRealTimers());

describe("auth lookup cache", () => {
  it("never serves a session past its token's expiry", async () => {
    const load = loader({ userId: "u-exp", expires: Date.now() + 5_000 });
    expect(await cachedSession("authjs.session-token=a", load)).toBe("u-exp");
    expect(await cachedSession("authjs.session-token=a", load)).toBe("u-exp");
    expect(load).toHaveBeenCalledTimes(1);
    vi.setSystemTime(Date.now() + 5_001);
    await cachedSession("authjs.session-token=a", load);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it("keys sessions by the exact Cookie header and drops a user's sessions when they sign out", async () => {
    const load = loader({ userId: "u-out", expires: Date.now() + 60_000 });
    await cachedSession("authjs.session-token=b", load);
    await cachedSession("authjs.session-token=b; theme=dark", load);
    expect(load).toHaveBeenCalledTimes(2);
    forgetSessions("u-out");
    await cachedSession("authjs.session-token=b", load);
    expect(load).toHaveBeenCalledTimes(3);
  });

  it("keeps no negative answer: an unknown key or session is looked up every time", async () => {
    const missingKey = loader<ApiToken>(undefined);
    const missingSession = loader<{ userId: string; expires: number }>(undefined);
    for (let i = 0; i < 2; i++) {
      expect(await cachedApiKey("hash-unknown", missingKey)).toBeUndefined();
      expect(await cachedSession("authjs.session-token=bogus", missingSession)).toBeUndefined();
    }
    expect(missingKey).toHaveBeenCalledTimes(2);
    expect(missingSession).toHaveBeenCalledTimes(2);
  });

  it("forgets a revoked key by its id, whatever hash it was cached under", async () => {
    const load = loader(key("k-1", "u-key"));
    await cachedApiKey("hash-1", load);
    await cachedApiKey("hash-1", load);
    expect(load).toHaveBeenCalledTimes(1);
    forgetApiKey("k-1");
    const afterRevoke = loader<ApiToken>(undefined);
    expect(await cachedApiKey("hash-1", afterRevoke)).toBeUndefined();
    expect(afterRevoke).toHaveBeenCalledTimes(1);
  });

  it("does not store a lookup that was running when the user changed", async () => {
    let finish!: (u: User) => void;
    const stale = vi.fn(() => new Promise<User>((resolve) => (finish = resolve)));
    const pending = cachedUser("u-race", stale);
    forgetUser("u-race");
    finish(user("u-race"));
    await pending;
    const fresh = loader(user("u-race"));
    await cachedUser("u-race", fresh);
    expect(fresh).toHaveBeenCalledTimes(1);
  });
});
