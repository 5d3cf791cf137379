import { formatTimestamp, ORDER_NUMBER_LENGTH, parseOrderNumber } from './order-number';

/**
 * The parts of an order number, as far as the digits tell. They do not say which family made it:
 * the suffix is read both ways, as a ledger sequence (the locked and pool strategies) and as a
 * snowflake worker ID + sequence, the way Leaf's `/decodeSnowflakeId` or Sonyflake's `Decompose` do.
 */
export interface DecodedOrderNumber {
  orderNumber: string;
  time: {
    /** The 17 digits, `yyyyMMddHHmmssSSS` in UTC. */
    digits: string;
    iso: string;
    epochMs: number;
    /** What the instant means differs by family (README "The order number"). */
    note: string;
  };
  businessId: number;
  suffix: {
    digits: string;
    /** Locked strategies and `redis-pregen`: the sequence within that millisecond. */
    ledgerSequence: number;
    /** `snowflake`: worker ID 00–99, then a sequence 00–99 within that millisecond. */
    snowflake: { workerId: number; sequence: number };
  };
}

export const DECODE_TIME_NOTE =
  'the issuing time for the locked strategies; a logical time for snowflake (never behind its worker\'s reserved milliseconds) and the generation time for redis-pregen';

/** Throws SyntaxError for anything but 25 digits holding a possible UTC date. */
export function decodeOrderNumber(orderNumber: string): DecodedOrderNumber {
  const { timestampMs, businessId, suffix } = parseOrderNumber(orderNumber);
  const suffixDigits = orderNumber.slice(ORDER_NUMBER_LENGTH - 4);
  return {
    orderNumber,
    time: { digits: formatTimestamp(timestampMs), iso: new Date(timestampMs).toISOString(), epochMs: timestampMs, note: DECODE_TIME_NOTE },
    businessId,
    suffix: {
      digits: suffixDigits,
      ledgerSequence: suffix,
      snowflake: { workerId: Math.floor(suffix / 100), sequence: suffix % 100 },
    },
  };
}
