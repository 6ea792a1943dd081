export {};
//# sourceMappingURL=header-carrier.spec.d.ts.map