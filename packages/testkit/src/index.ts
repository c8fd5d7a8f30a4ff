export * from "./services.js";
export * from "./store-suite.js";
export * from "./cookie-jar.js";
