export {};
//# sourceMappingURL=ids.spec.d.ts.map