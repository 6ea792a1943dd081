export {};
//# sourceMappingURL=tracing-options.spec.d.ts.map