/** The opaque `cursor` of `GET /api/sessions`: base64url JSON of the last row's keyset position. */
import { z } from "zod";
import type { SessionKey } from "@/lib/db/queries/session-views";
import { AtlasError } from "@/lib/errors";

const CursorSchema = z.tuple([z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/), z.number().int().positive()]);

export function encodeSessionCursor(key: SessionKey): string {
  return Buffer.from(JSON.stringify([key.createdAt, key.id])).toString("base64url");
}

export function decodeSessionCursor(cursor: string): SessionKey {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    value = undefined;
  }
  const parsed = CursorSchema.safeParse(value);
  if (!parsed.success) {
    throw new AtlasError("invalid_input", "cursor is not a value returned as nextCursor by GET /api/sessions", {
      issues: [{ path: "cursor", message: "unrecognised cursor" }],
    });
  }
  return { createdAt: parsed.data[0], id: parsed.data[1] };
}
