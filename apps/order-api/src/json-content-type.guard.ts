import { Injectable, UnsupportedMediaTypeException, type CanActivate, type ExecutionContext } from '@nestjs/common';

/**
 * Lets a request through only with a JSON body (`Content-Type: application/json`), so
 * any other body is a `415` before validation could call it a `400`.
 */
@Injectable()
export class JsonContentTypeGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<{ is(type: string): string | false | null }>();
    if (request.is('application/json')) return true;
    throw new UnsupportedMediaTypeException('the body must be JSON, sent with Content-Type: application/json');
  }
}
