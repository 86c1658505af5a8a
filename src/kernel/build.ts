/**
 * Whether this is the production build (scripts/build.ts compiles each module to `.js`) rather
 * than the sources run through tsx. The build made the browser bundles and the graph worker ahead
 * of time; run from source they are made when first wanted.
 */
export const compiled = import.meta.url.endsWith('.js')
