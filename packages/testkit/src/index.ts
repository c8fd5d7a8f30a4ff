export * from "@sessionvault/test-services";
export * from "./cookie-jar.js";
export * from "./readme.js";
export * from "./store-suite.js";
