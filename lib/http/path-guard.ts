import type { IncomingMessage, ServerResponse } from "node:http";
import { ApiError } from "@/lib/errors";
import { answerError } from "./node-error";

/**
 * Next decodes a dynamic route's segments itself and answers one that is not percent-encoded UTF-8
 * (`/api/v1/projects/%ff`) with a bare text/plain 500. Such a path is refused here, for every route at once, with
 * a 400 in the one error shape. Returns true when answered.
 */
export function rejectUndecodablePath(req: IncomingMessage, res: ServerResponse): boolean {
  const pathname = (req.url ?? "/").split(/[?#]/, 1)[0]!;
  if (!pathname.includes("%")) return false;
  try {
    decodeURIComponent(pathname);
    return false;
  } catch {
    answerError(req, res, new ApiError("bad_request", "The path has an invalid percent-escape (it must be percent-encoded UTF-8)"), pathname);
    return true;
  }
}
