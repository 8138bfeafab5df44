/**
 * @toapis/image-kit — embeddable React components for AI image generation.
 * The core (`./core`) and the store (`./store`) are framework-free; components arrive on top.
 */
export * from './core';
export * from './store';
