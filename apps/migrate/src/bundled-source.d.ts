/** A workspace file bundled on its own, as text (tools/build/esbuild.config.mjs's bundled-source plugin). */
declare module 'bundled-source:*' {
  const source: string;
  export default source;
}
