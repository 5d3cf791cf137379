/** Injection token of the parsed GatewayConfig: parsed once in main.ts, never re-read from process.env. */
export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');
