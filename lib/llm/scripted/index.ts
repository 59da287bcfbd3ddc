export { startScriptedLlm } from "./server";
export { DEMO_DISPUTED_STEP, DEMO_GUIDANCE, demoRules, startDemoLlm } from "./demo-script";
export { detectCaller, type Caller } from "./roles";
export type * from "./types";
