export {};
//# sourceMappingURL=collector-config.spec.d.ts.map