/** The generator's seed when none is given. */
export const DEFAULT_SEED = 1;
