export {};
//# sourceMappingURL=kafka-headers.spec.d.ts.map