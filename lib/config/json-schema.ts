/**
 * JSON Schema of the configuration file, for editors (completion, hover docs, linting).
 * Browser-safe: no Node imports.
 */
import { z } from "zod";
import { AtlasConfigSchema } from "./schema";

/** Describes what may be written in a config file: defaults are optional, as in the YAML. */
export function atlasConfigJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(AtlasConfigSchema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
}
