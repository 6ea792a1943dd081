export {};
//# sourceMappingURL=scheduled-job.spec.d.ts.map