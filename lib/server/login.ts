/**
 * `POST /api/login {token}`: the login page hands the token over once; the answer sets the httpOnly,
 * SameSite=Strict cookie that every later request carries. A wrong token is a 401 and sets nothing.
 */
import { z } from "zod";
import { AtlasError } from "@/lib/errors";
import { readJson } from "@/lib/http/respond";
import { sameToken, TOKEN_COOKIE, tokenCookieOptions } from "./access-token";
import { securityEnv } from "./security-env";

export const LoginRequestSchema = z.strictObject({ token: z.string().min(1, "enter the token").max(1024) });

export async function loginResponse(request: Request): Promise<Response> {
  const { token } = await readJson(request, LoginRequestSchema);
  const expected = securityEnv().token;
  if (!expected) return Response.json({ required: false });
  if (!sameToken(token, expected)) throw new AtlasError("unauthorized", "that is not this dashboard's ATLAS_TOKEN");
  const response = Response.json({ required: true });
  response.headers.append("set-cookie", serializeCookie(expected, isHttpsRequest(request)));
  return response;
}

function serializeCookie(value: string, secure: boolean): string {
  const options = tokenCookieOptions(secure);
  const parts = [`${TOKEN_COOKIE}=${encodeURIComponent(value)}`, `Path=${options.path}`, "HttpOnly", "SameSite=Strict"];
  if (options.secure) parts.push("Secure");
  return parts.join("; ");
}

function isHttpsRequest(request: Request): boolean {
  const forwarded = request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase();
  return forwarded === "https" || new URL(request.url).protocol === "https:";
}
