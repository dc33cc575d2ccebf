export * from './upstream-versions';
export * from './schema-validator';
