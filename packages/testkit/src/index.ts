export * from "./cookie-jar.js";
export * from "./readme.js";
export * from "./services.js";
export * from "./soak.js";
export * from "./store-suite.js";
export * from "./vault.js";
