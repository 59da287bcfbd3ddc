import { z } from "zod";
import { getDatabase } from "@/lib/db/client";
import { getConfig, saveConfig, SaveConfigRequestSchema } from "@/lib/configs";
import { AtlasError } from "@/lib/errors";
import { handle, readJson } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ name: string[] }> };

const VersionParamSchema = z.string().regex(/^[1-9]\d{0,8}$/, "version must be a positive integer").transform(Number);

export const GET = handle<Context>(async (request, { params }) => {
  const name = (await params).name.join("/");
  const versionParam = new URL(request.url).searchParams.get("version");
  let version: number | undefined;
  if (versionParam !== null) {
    const parsed = VersionParamSchema.safeParse(versionParam);
    if (!parsed.success) throw new AtlasError("invalid_input", `?version=${versionParam}: version must be a positive integer`);
    version = parsed.data;
  }
  const { db } = await getDatabase();
  return Response.json(await getConfig(db, name, { version }));
});

export const PUT = handle<Context>(async (request, { params }) => {
  const name = (await params).name.join("/");
  const body = await readJson(request, SaveConfigRequestSchema);
  const { db } = await getDatabase();
  return Response.json(await saveConfig(db, name, body.yaml, { description: body.description, expectedVersion: body.expectedVersion }));
});
