/**
 * Model families that need a different request shape.
 */

/**
 * OpenAI reasoning models (o1, o3, o4-mini, gpt-5…) reject `temperature`/`top_p` and `max_tokens`;
 * they take `max_completion_tokens` and an optional `reasoning_effort`.
 */
export function isReasoningModel(model: string): boolean {
  const bare = model.slice(model.lastIndexOf("/") + 1).toLowerCase();
  return /^o[134](?:-|$)/.test(bare) || /^gpt-5(?:[-.]|$)/.test(bare);
}
