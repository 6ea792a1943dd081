export {};
//# sourceMappingURL=stack-endpoints.spec.d.ts.map