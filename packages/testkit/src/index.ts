export * from "@sessionvault/test-services";
export * from "./app-suite.js";
export * from "./cookie-jar.js";
export * from "./readme.js";
export * from "./store-suite.js";
