export {};
//# sourceMappingURL=otlp-json.spec.d.ts.map