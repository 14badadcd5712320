export * from './enums';
export * from './regions';
export * from './sources';
export * from './varieties';
export * from './batches';
export * from './targets';
export * from './execution';
export * from './uploads';
