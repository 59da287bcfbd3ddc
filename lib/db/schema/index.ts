/** Every table; drizzle-kit and the drivers read this module. */
export * from "./core";
export * from "./review";
export * from "./experiments";
export * from "./calls";
