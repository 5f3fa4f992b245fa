import { z } from "zod";

/** Shared pieces of request and response schemas. */
export const uuid = z.uuid({ error: "must be a valid UUID" });

export const pagination = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const paginationMeta = (total: number, limit: number, offset: number) => ({ total, limit, offset, has_more: offset + limit < total });

export const userSchema = z.object({
  id: z.string(),
  email: z.string().nullable(),
  name: z.string(),
  image: z.string().nullable(),
  created_at: z.string(),
});
