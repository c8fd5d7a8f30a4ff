// The real vault for end-to-end tests: the `sessionvault` CLI as a child process,
// started by the testkit (built: the CLI and the testkit must be in dist/).
// @sessionvault/testkit depends on this package, so it cannot be a dependency of it;
// it is loaded from the workspace by path instead.
export { type RunningVault, startVault } from "../../../testkit/dist/index.js";
