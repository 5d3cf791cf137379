export * from './strategy-name';
