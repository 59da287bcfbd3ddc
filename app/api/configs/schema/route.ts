import { atlasConfigJsonSchema } from "@/lib/config";
import { handle } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

export const GET = handle(async () => Response.json(atlasConfigJsonSchema()));
