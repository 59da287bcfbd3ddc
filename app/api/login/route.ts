import { handle } from "@/lib/http/respond";
import { loginResponse } from "@/lib/server/login";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** `{token}` → sets the access cookie (see lib/server/login.ts). */
export const POST = handle(async (request: Request) => loginResponse(request));
