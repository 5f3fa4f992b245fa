import type { NextRequest } from "next/server";
import { nextAuthGet, nextAuthPost } from "@/lib/api/contracts/auth";
import { nextAuth } from "@/lib/auth/auth";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

// GET /api/v1/auth/* - next-auth (session, csrf, providers, callback/{provider}, …)
export const GET = route(nextAuthGet, async ({ req }) => nextAuth().handlers.GET(req as NextRequest));

// POST /api/v1/auth/* - next-auth (signin, signout, callback/local)
export const POST = route(nextAuthPost, async ({ req }) => nextAuth().handlers.POST(req as NextRequest));
