/** Environment for a child process: a read-only env map plus overrides (Next's typings demand NODE_ENV). */
import "server-only";

export function childEnv(
  env: Readonly<Record<string, string | undefined>>,
  extra: Record<string, string> = {},
): NodeJS.ProcessEnv {
  return { ...env, ...extra } as unknown as NodeJS.ProcessEnv;
}
