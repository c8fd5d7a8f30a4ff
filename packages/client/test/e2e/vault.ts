// The real vault for end-to-end tests: the `sessionvault` CLI as a child process (the
// server must be built: it runs dist/cli.js). @sessionvault/test-services has no
// workspace dependencies, so the client can use it although the server depends on the client.
export { type RunningVault, startVault } from "@sessionvault/test-services";
