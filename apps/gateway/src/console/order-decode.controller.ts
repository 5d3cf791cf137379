import { Controller, Get, Param } from '@nestjs/common';
import { decodeOrderNumber, DecodedOrderNumber } from '@app/order-numbers';
import { InvalidOrderNumberError } from './console.errors';

/** Open like the rest of the reads: decoding touches nothing but the digits given. */
@Controller('orders')
export class OrderDecodeController {
  /** `GET /orders/2026112518070167610010742/decode`: the parts; 400 for a malformed number or an impossible date. */
  @Get(':orderNumber/decode')
  decode(@Param('orderNumber') orderNumber: string): DecodedOrderNumber {
    try {
      return decodeOrderNumber(orderNumber);
    } catch (error) {
      if (error instanceof SyntaxError) throw new InvalidOrderNumberError(orderNumber, error.message);
      throw error;
    }
  }
}
