/**
 * How the libraries (zookeeper, locks, order-numbers) log: they take one of these and never reach
 * for a framework's logger themselves, so they run the same under Nest, in a script or in a test.
 * Nest's `Logger` fits it as is. Every library object takes it as an optional last argument (or
 * option); without one it stays silent, so an app passes one to everything it builds.
 */
export interface LogSink {
  log(message: string): void;
  warn(message: string): void;
}
