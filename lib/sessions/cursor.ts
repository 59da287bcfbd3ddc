/**
 * The opaque `cursor` of `GET /api/sessions`: base64url JSON of the last row's keyset position,
 * `[createdAt, id]` newest first or `["cost", costUsd, id]` most expensive first.
 */
import { z } from "zod";
import type { SessionKey, SessionOrder } from "@/lib/db/queries/session-views";
import { AtlasError } from "@/lib/errors";

const NewestCursorSchema = z.tuple([z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/), z.number().int().positive()]);
const CostCursorSchema = z.tuple([z.literal("cost"), z.number().nonnegative(), z.number().int().positive()]);

export function encodeSessionCursor(key: SessionKey, order: SessionOrder = "newest"): string {
  const position = order === "cost" ? ["cost", Number(key.costUsd), key.id] : [key.createdAt, key.id];
  return Buffer.from(JSON.stringify(position)).toString("base64url");
}

/** The position a cursor names; only a cursor of the same order is accepted. */
export function decodeSessionCursor(cursor: string, order: SessionOrder = "newest"): SessionKey {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    value = undefined;
  }
  if (order === "cost") {
    const parsed = CostCursorSchema.safeParse(value);
    if (parsed.success) return { createdAt: "", costUsd: parsed.data[1], id: parsed.data[2] };
  } else {
    const parsed = NewestCursorSchema.safeParse(value);
    if (parsed.success) return { createdAt: parsed.data[0], id: parsed.data[1], costUsd: 0 };
  }
  throw new AtlasError("invalid_input", `cursor is not a value returned as nextCursor by GET /api/sessions with sort=${order}`, {
    issues: [{ path: "cursor", message: "unrecognised cursor" }],
  });
}
