export {};
//# sourceMappingURL=traced-send.spec.d.ts.map