// The built CLI, as the bin runs it (npm test builds before vitest runs).

export const CLI = new URL('../../dist/cli/main.cjs', import.meta.url).pathname;
