// `cors` ships no types and @types/cors is not a dependency: what the server uses of it.
declare module 'cors' {
  import type { RequestHandler } from 'express';

  export interface CorsOptions {
    origin?: boolean | string | RegExp | (string | RegExp)[];
    maxAge?: number;
  }

  export default function cors(options?: CorsOptions): RequestHandler;
}
