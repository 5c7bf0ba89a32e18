/** The part of web-ext's programmatic API scripts/package.ts uses (web-ext ships no types). */
declare module 'web-ext' {
  interface BuildParams {
    sourceDir: string;
    artifactsDir: string;
    filename?: string;
    overwriteDest?: boolean;
  }
  interface BuildOptions {
    showReadyMessage?: boolean;
    shouldExitProgram?: boolean;
  }
  const webExt: {
    cmd: { build(params: BuildParams, options?: BuildOptions): Promise<{ extensionPath: string }> };
  };
  export default webExt;
}
