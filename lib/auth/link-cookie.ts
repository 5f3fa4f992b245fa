import { createHmac, timingSafeEqual } from "node:crypto";
import { env } from "@/lib/env";

/** Set by /api/v1/auth/{provider}/login?link=1 so the next OAuth sign-in attaches to the signed-in user. */
export const LINK_COOKIE = "slipway.link";
const TTL_MS = 10 * 60_000;

const sign = (payload: string) => createHmac("sha256", env().AUTH_SECRET).update(`link:${payload}`).digest("base64url");

export function makeLinkCookie(userId: string): string {
  const payload = `${userId}.${Date.now() + TTL_MS}`;
  return `${payload}.${sign(payload)}`;
}

export function readLinkCookie(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const [userId, expires, mac] = value.split(".");
  if (!userId || !expires || !mac) return undefined;
  const expected = Buffer.from(sign(`${userId}.${expires}`));
  const given = Buffer.from(mac);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
  return Number(expires) > Date.now() ? userId : undefined;
}
