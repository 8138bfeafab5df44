'use client';
import * as React from 'react';

/** `useLayoutEffect` in the browser, `useEffect` on the server (where layout effects warn and never run). */
export const useIsomorphicLayoutEffect = typeof document !== 'undefined' ? React.useLayoutEffect : React.useEffect;
