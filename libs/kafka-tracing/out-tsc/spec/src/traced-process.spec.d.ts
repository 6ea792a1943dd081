export {};
//# sourceMappingURL=traced-process.spec.d.ts.map