import type { NextRequest } from "next/server";
import { handleProxyRequest } from "@/lib/http/proxy-handler";

/** Guards and the access token for every request: lib/http/proxy-handler.ts. */
export function proxy(request: NextRequest) {
  return handleProxyRequest(request);
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.svg).*)"],
};
