// The interactive view's modules, as src/ui/launch.tsx loads them.

import React from 'react';

export { React };
export { render } from 'ink';
export { App } from '../dist/ui/view/app.js';
export { UiStore } from '../dist/ui/state/store.js';
export { INK_OPTIONS } from '../dist/ui/launch.js';
