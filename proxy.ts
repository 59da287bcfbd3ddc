import { NextResponse, type NextRequest } from "next/server";
import { decideAccess, TOKEN_COOKIE } from "@/lib/server/access-token";

export function proxy(request: NextRequest) {
  const decision = decideAccess(
    {
      url: request.url,
      authorization: request.headers.get("authorization"),
      cookieToken: request.cookies.get(TOKEN_COOKIE)?.value,
    },
    process.env.ATLAS_TOKEN,
  );
  if (decision.kind === "allow") return NextResponse.next();
  if (decision.kind === "remember") {
    const response = NextResponse.redirect(decision.cleanUrl);
    response.cookies.set(TOKEN_COOKIE, process.env.ATLAS_TOKEN ?? "", { httpOnly: true, sameSite: "lax", path: "/" });
    return response;
  }
  return NextResponse.json(
    { error: { code: "invalid_input", message: "this Atlas dashboard requires ATLAS_TOKEN: open it with ?token=… or send Authorization: Bearer …" } },
    { status: 401 },
  );
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.svg).*)"],
};
