import type { RouteContract } from "@/lib/http/contract";

export const usageContracts: RouteContract[] = [];
