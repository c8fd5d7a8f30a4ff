export * from "./cookie-jar.js";
export * from "./services.js";
export * from "./store-suite.js";
