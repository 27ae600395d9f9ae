/*
 * Services that stand in for the outside world in demo mode and in tests. Sign-in's local OIDC
 * server joins here; production points at the real authorities through the environment instead.
 */
export interface DemoServices {
  /** Environment the app needs to reach these services. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

export async function startDemoServices(_options: { appPort: number; databaseUrl: string }): Promise<DemoServices> {
  return { env: {}, stop: async () => {} };
}
