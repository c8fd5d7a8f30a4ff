// The real vault for end-to-end tests: the `sessionvault` CLI as a child process,
// started by the testkit's startVault (the server must be built: it runs dist/cli.js).
// @sessionvault/testkit depends on this package, so it cannot be a dependency of it
// (turbo refuses cycles). Its source is loaded from the workspace at run time instead;
// the specifier is computed so that type-checking this package does not pull the
// testkit in.

/** The part of the testkit's RunningVault these tests use. */
export interface RunningVault {
  url: string;
  token: string;
  stop(): Promise<unknown>;
  restart(): Promise<void>;
  destroy(): Promise<void>;
}

const testkitVault = new URL("../../../testkit/src/vault.ts", import.meta.url).href;

export async function startVault(): Promise<RunningVault> {
  const testkit = (await import(/* @vite-ignore */ testkitVault)) as { startVault(): Promise<RunningVault> };
  return testkit.startVault();
}
