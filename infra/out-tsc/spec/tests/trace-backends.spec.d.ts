export {};
//# sourceMappingURL=trace-backends.spec.d.ts.map