export * from "./services.js";
export * from "./vault.js";
