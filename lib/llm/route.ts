/**
 * Where one configured LLM is sent: provider, base URL, model on the wire and key variable.
 * The base URL is, in order: `api_base`; `ATLAS_<PROVIDER>_BASE_URL`; the vendor SDK's own variable
 * (`OPENAI_BASE_URL`, `AZURE_OPENAI_ENDPOINT`); the provider's public endpoint.
 * Browser-safe: the environment is passed in.
 */
import type { LLMParameters } from "@/lib/config/llm-schema";
import type { Environment } from "@/lib/config/env-refs";
import { baseUrlOverrideEnv, PROVIDERS, routeModel, type ModelRoute, type ProviderId, type ProviderInfo } from "./providers";

/**
 * `llm.api_base: builtin:demo` selects the built-in scripted demo model (lib/llm/scripted/demo-script.ts):
 * a local OpenAI-compatible HTTP server that answers from a fixed script. It is not a real LLM.
 */
export const BUILTIN_DEMO_API_BASE = "builtin:demo";

export const DEFAULT_AZURE_API_VERSION = "2024-10-21";
const DEFAULT_AWS_REGION = "us-east-1";

export interface LlmRoute {
  provider: ProviderId;
  info: ProviderInfo;
  /** Why this provider: a `gemini/`-style prefix on the model, or the `provider` field. */
  providerChosenBy: ModelRoute["chosenBy"];
  /** Null when no endpoint is known (Azure without AZURE_OPENAI_ENDPOINT). */
  baseUrl: string | null;
  /** `api_base`, the variable it came from, or `default`. */
  baseUrlFrom: string;
  model: string;
  /** The variable holding the key, or null when none is needed. */
  keyEnv: string | null;
  /** Azure OpenAI: the deployment (the model on the wire) and the API version. */
  azure?: { deployment: string; apiVersion: string };
  builtinDemo: boolean;
}

export function resolveRoute(params: Pick<LLMParameters, "model" | "provider" | "api_base" | "api_key_env">, env: Environment): LlmRoute {
  const modelRoute = routeModel(params.model, params.provider);
  const info = PROVIDERS[modelRoute.provider];
  const builtinDemo = params.api_base === BUILTIN_DEMO_API_BASE;
  const base = builtinDemo
    ? { baseUrl: BUILTIN_DEMO_API_BASE, baseUrlFrom: "api_base" }
    : baseUrlFor(info, params.api_base ?? null, env);
  const route: LlmRoute = {
    provider: modelRoute.provider,
    info,
    providerChosenBy: modelRoute.chosenBy,
    ...base,
    model: modelRoute.wireModel,
    keyEnv: builtinDemo ? null : (params.api_key_env ?? null),
    builtinDemo,
  };
  if (modelRoute.provider === "azure") {
    const apiVersion = nonEmpty(env.AZURE_OPENAI_API_VERSION) ?? nonEmpty(env.OPENAI_API_VERSION) ?? DEFAULT_AZURE_API_VERSION;
    route.azure = { deployment: modelRoute.wireModel, apiVersion };
  }
  return route;
}

function baseUrlFor(info: ProviderInfo, apiBase: string | null, env: Environment): { baseUrl: string | null; baseUrlFrom: string } {
  if (apiBase !== null && apiBase.trim() !== "") return { baseUrl: trimSlash(apiBase.trim()), baseUrlFrom: "api_base" };
  for (const variable of [baseUrlOverrideEnv(info.id), ...info.vendorBaseUrlEnv]) {
    const value = nonEmpty(env[variable]);
    if (value) return { baseUrl: trimSlash(value), baseUrlFrom: variable };
  }
  if (info.baseUrl === null) return { baseUrl: null, baseUrlFrom: "default" };
  const region = nonEmpty(env.AWS_REGION) ?? nonEmpty(env.AWS_DEFAULT_REGION) ?? DEFAULT_AWS_REGION;
  return { baseUrl: info.baseUrl.replace("{region}", region), baseUrlFrom: "default" };
}

/** What to set when a provider has no endpoint, for messages. */
export function missingEndpointHint(route: LlmRoute): string {
  const variables = [baseUrlOverrideEnv(route.provider), ...route.info.vendorBaseUrlEnv];
  return `${route.info.name} has no default endpoint: set api_base or ${variables.join(" / ")}`;
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, "");
}
