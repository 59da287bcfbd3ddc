/**
 * Browser-safe configuration API. Node code that reads files imports `@/lib/config/load-file` directly.
 */
export * from "./schema";
export { parseConfigObject, parseConfigText, type ConfigParseResult } from "./parse";
export { atlasConfigJsonSchema } from "./json-schema";
export { headerTemplateVariables, resolveHeaderTemplates, type Environment } from "./env-refs";
