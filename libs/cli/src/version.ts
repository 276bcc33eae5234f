// Replaced by the bundler (tools/build/esbuild.config.mjs) with the package version and the commit
// the bundle was built from; code run from source (tests) says so instead.
declare const WORDBATCH_BUILD_VERSION: string | undefined;

/** `0.1.0 (commit 1a2b3c4)` in a bundle, `development build` when run from source. */
export const BUILD_VERSION: string = typeof WORDBATCH_BUILD_VERSION === 'string' ? WORDBATCH_BUILD_VERSION : 'development build (not bundled)';
