import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { resolveCaller, type Caller } from "./caller";

/** For server components: the signed-in caller, or a redirect to the sign-in page. */
export async function requireCaller(): Promise<Caller> {
  const resolved = await resolveCaller(await headers());
  if (!resolved.caller) redirect("/signin");
  return resolved.caller;
}

export async function currentCaller(): Promise<Caller | null> {
  return (await resolveCaller(await headers())).caller;
}
