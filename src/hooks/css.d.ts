import 'react';

declare module 'react' {
  interface CSSProperties {
    [key: `--gen-${string}`]: string | number | undefined;
  }
}
