export * from "./services.js";
export * from "./soak.js";
export * from "./vault.js";
