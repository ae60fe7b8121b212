import '@testing-library/jest-dom';
// uPlot draws on a canvas, which jsdom does not implement.
import 'jest-canvas-mock';

// uPlot listens for device-pixel-ratio changes through matchMedia, which jsdom lacks.
Object.defineProperty(window, 'matchMedia', {
  writable: true,
  value: (query: string) => ({
    matches: false,
    media: query,
    onchange: null,
    addListener: () => {},
    removeListener: () => {},
    addEventListener: () => {},
    removeEventListener: () => {},
    dispatchEvent: () => false,
  }),
});
