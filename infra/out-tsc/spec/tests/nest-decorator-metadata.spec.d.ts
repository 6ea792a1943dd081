import 'reflect-metadata';
//# sourceMappingURL=nest-decorator-metadata.spec.d.ts.map