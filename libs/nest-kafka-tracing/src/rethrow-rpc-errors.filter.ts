import { Catch, type ArgumentsHost, type ExceptionFilter, type HttpServer } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { throwError, type Observable } from 'rxjs';

/**
 * Nest's default RPC exception filter replaces any unknown error with
 * `{ status: 'error', message: 'Internal server error' }` (and logs it). For Kafka
 * handlers that loses what the span and the dead-letter record need: the error's type and
 * message, and whether it is poison. This filter passes the original error on to the
 * transport, which records it on the CONSUMER span, retries, and dead-letters it.
 *
 * It acts only in RPC contexts. Anywhere else (the HTTP side of a hybrid application
 * whose global filters the microservice inherits) it does exactly what Nest's default
 * HTTP filter does, so HTTP exceptions keep their status codes; pass the HTTP adapter
 * there (`new RethrowRpcErrorsFilter(app.getHttpAdapter())`).
 *
 * ```ts
 * microservice.useGlobalFilters(new RethrowRpcErrorsFilter());
 * ```
 */
@Catch()
export class RethrowRpcErrorsFilter implements ExceptionFilter {
  private readonly http: BaseExceptionFilter;

  /** `httpAdapter` only matters in a hybrid application's HTTP contexts. */
  constructor(httpAdapter?: HttpServer) {
    this.http = new BaseExceptionFilter(httpAdapter);
  }

  /** RPC: the original error, unchanged. Other contexts: Nest's default handling. */
  catch(exception: unknown, host: ArgumentsHost): Observable<never> | void {
    if (host.getType() === 'rpc') return throwError(() => exception);
    return this.http.catch(exception, host);
  }
}
