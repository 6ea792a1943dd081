export {};
//# sourceMappingURL=stack-lifecycle.spec.d.ts.map