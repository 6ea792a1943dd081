export {};
//# sourceMappingURL=trace-store.spec.d.ts.map