import { Catch, RpcExceptionFilter } from '@nestjs/common';
import { Observable, throwError } from 'rxjs';
import { ErrorResponse, toErrorResponse } from '@app/http';

/** Sends the same `{statusCode, error, message}` to the gateway, which answers its client with it. */
@Catch()
export class RpcErrorFilter implements RpcExceptionFilter<unknown> {
  catch(exception: unknown): Observable<ErrorResponse> {
    return throwError(() => toErrorResponse(exception));
  }
}
