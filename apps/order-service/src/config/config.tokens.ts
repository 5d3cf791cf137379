/** Injection token of the parsed, validated `OrderServiceConfig`. */
export const ORDER_SERVICE_CONFIG = Symbol('ORDER_SERVICE_CONFIG');
