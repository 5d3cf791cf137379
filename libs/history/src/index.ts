export * from './history-record';
export * from './history-checker';
export * from './history-files';
export * from './history-recorder';
export * from './recording.lock';
export * from './monotonic-clock';
