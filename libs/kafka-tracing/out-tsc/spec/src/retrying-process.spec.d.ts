export {};
//# sourceMappingURL=retrying-process.spec.d.ts.map