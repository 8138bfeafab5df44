'use client';
import * as React from 'react';

/**
 * Where the kit's popups (the selects' listboxes) are portalled. `undefined`, the default, is
 * `document.body`, as in a plain React app; `<toapis-image-generator>` sets a node inside its shadow
 * root, so a popup stays styled by the shadow root's sheet and next to its trigger in focus order.
 */
export const PortalContainerContext = React.createContext<HTMLElement | null | undefined>(undefined);
