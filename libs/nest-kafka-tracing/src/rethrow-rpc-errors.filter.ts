import { Catch, type RpcExceptionFilter } from '@nestjs/common';
import { throwError, type Observable } from 'rxjs';

/**
 * Nest's default RPC exception filter replaces any unknown error with
 * `{ status: 'error', message: 'Internal server error' }` (and logs it). For Kafka event
 * handlers that loses what the trace and the dead-letter record need: the error's type
 * and message. This filter passes the original error through to the transport, which
 * records it on the CONSUMER span, retries, and dead-letters it.
 *
 * ```ts
 * app.useGlobalFilters(new RethrowRpcErrorsFilter());
 * ```
 */
@Catch()
export class RethrowRpcErrorsFilter implements RpcExceptionFilter<unknown> {
  catch(exception: unknown): Observable<never> {
    return throwError(() => exception);
  }
}
